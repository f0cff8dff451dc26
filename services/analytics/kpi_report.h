#pragma once

// The KPI report for a period (pure): which stored counters a query needs and the KPIs computed
// from their sums. Formulas (docs/services/analytics.md):
//
//   timely_resolution_ratio        = resolved within the ticket's clock / resolved
//   mean_handling_working_days     = Σ working days from opening to resolution / resolved
//   first_contact_resolution_ratio = resolved with no further contact / resolved
//   arrival_within_limit_ratio     = crews on site within the 45/90/120-minute limit / arrivals
//   mean_arrival_minutes           = Σ (on site − clock start) / arrivals
//   mean_restoration_minutes       = Σ (restored − incident opened) / restorations
//   complaints_per_10k_customers   = complaints / customers × 10,000 (customers: profile service)
//   satisfied_ratio                = satisfied or basically satisfied / return visits
//   mean_satisfaction              = Σ scores / scored return visits (1..5)
//   reopen_ratio                   = cases reopened / cases closed
//   urging_ratio                   = urging contacts / tickets opened
//   notification_delivery_ratio    = notices delivered / notices sent
//
// A ratio whose denominator is 0 is 0; the counts behind every ratio are in the report too, so
// reports of several periods can be combined exactly.

#include <map>
#include <string>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/v1/alert.pb.h"

namespace gridcare::analytics {

/// Which local days and which one dimension value a report covers.
struct KpiQuery {
  int32_t first_day = 0;
  int32_t last_day = 0;
  std::string dimension;  ///< "" (the whole tenant) or one of kpi_ledger.h kDimensionNames
  std::string value;
  bool partial = false;  ///< the period reaches today or beyond
};

/// The query for a request at `now`: [from, to) rounded out to whole local days (no `to`: up to
/// now; no `from`: the day of `to`). INVALID_ARGUMENT for more than one dimension, `to` before
/// `from`, or a period over `max_days`.
core::Result<KpiQuery> QueryOf(const v1::KpiReportRequest& request, core::TimePoint now,
                               int max_days = 400);

/// The counter fields a query needs (kpi_ledger.h FieldName).
std::vector<std::string> FieldsFor(const KpiQuery& query);

/// The report from the fields' sums over the query's days and the customer count.
v1::KpiReport BuildReport(const KpiQuery& query, const std::map<std::string, int64_t>& sums,
                          int64_t customers);

/// The report's KPIs by gauge name (analytics_metrics.h KpiGaugeNames).
std::map<std::string, double> KpiValues(const v1::KpiReport& report);

}  // namespace gridcare::analytics
