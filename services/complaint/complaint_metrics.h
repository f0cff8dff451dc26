#pragma once

// complaint's own metrics beside the kit's stage and gRPC metrics. Label values come from fixed
// lists (or the department directory) and exist at 0 from the start; no ids as labels.
//
//   gridcare_complaint_cases_opened_total{type}          cases opened, by request type
//   gridcare_complaint_cases_closed_total{closure}       resolved / return_visit_unreachable / …
//   gridcare_complaint_alarms_total{clock,step}          reminders and supervision rungs raised
//   gridcare_complaint_reopened_total                    cases reopened
//   gridcare_complaint_desk_actions_total{action,outcome} desk calls: ok / replay / rejected /
//   error gridcare_complaint_events_relayed_total              events published by the relay
//   gridcare_complaint_open_cases{department}            open cases per owning department

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/v1/complaint.pb.h"

namespace gridcare::complaint {

class ComplaintMetrics {
 public:
  /// `registry` must outlive this object; `departments` are the directory's department ids.
  ComplaintMetrics(prometheus::Registry& registry, const std::vector<std::string>& departments);

  /// Counts what the events of one committed change say (opened, closed, alarms, reopens).
  void Count(const v1::ComplaintEvent& event);
  void DeskAction(std::string_view action, std::string_view outcome);
  void Relayed(int64_t events);
  void SetOpenCases(const std::string& department, int64_t count);

 private:
  prometheus::Family<prometheus::Counter>* opened_;
  prometheus::Family<prometheus::Counter>* closed_;
  prometheus::Family<prometheus::Counter>* alarms_;
  prometheus::Family<prometheus::Counter>* desk_;
  prometheus::Family<prometheus::Gauge>* open_;
  prometheus::Counter* reopened_;
  prometheus::Counter* relayed_;
};

/// "complaint", "report", … for a request type ("other" for the rest).
std::string_view TypeLabel(v1::RequestType type);

}  // namespace gridcare::complaint
