#include "kpi_report.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "gridcare/labels/labels.h"
#include "hour_index.h"
#include "kpi_ledger.h"

namespace gridcare::analytics {
namespace {

using google::protobuf::util::TimeUtil;

constexpr const char* kMetrics[] = {
    metric::kContacts,
    metric::kTickets,
    metric::kResolved,
    metric::kResolvedTimely,
    metric::kHandlingMilliDays,
    metric::kFirstContactResolved,
    metric::kUrgings,
    metric::kIncidents,
    metric::kArrivals,
    metric::kArrivalsWithinLimit,
    metric::kArrivalSeconds,
    metric::kRestorations,
    metric::kRestorationSeconds,
    metric::kOverdue,
    metric::kComplaints,
    metric::kCasesClosed,
    metric::kReopened,
    metric::kReturnVisits,
    metric::kSatisfied,
    metric::kScoredVisits,
    metric::kScoreSum,
    metric::kNotificationsSent,
    metric::kNotificationsDelivered,
};

double Ratio(int64_t numerator, int64_t denominator) {
  return denominator == 0 ? 0.0 : static_cast<double>(numerator) / static_cast<double>(denominator);
}

int32_t DayAt(core::TimePoint t) { return static_cast<int32_t>(DayOf(HourIndexOf(t))); }

/// Label values of an enum (without UNSPECIFIED), for the per-type and per-channel breakdowns.
template <typename Descriptor>
std::vector<std::string> EnumLabels(const Descriptor* descriptor, std::string_view prefix) {
  std::vector<std::string> values;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    if (descriptor->value(i)->number() == 0) continue;
    values.push_back(labels::EnumLabel(descriptor->value(i)->name(), prefix));
  }
  return values;
}

const std::vector<std::string>& TypeLabels() {
  static const auto labels = EnumLabels(v1::RequestType_descriptor(), "REQUEST_TYPE_");
  return labels;
}
const std::vector<std::string>& ChannelLabels() {
  static const auto labels = EnumLabels(v1::Channel_descriptor(), "CHANNEL_");
  return labels;
}

/// The one dimension a request filters on, or an error naming them all.
core::Result<std::pair<std::string, std::string>> DimensionOf(const v1::KpiReportRequest& r) {
  std::vector<std::pair<std::string, std::string>> given;
  if (!r.area().empty()) given.emplace_back("district", r.area());
  if (r.channel() != v1::CHANNEL_UNSPECIFIED) {
    given.emplace_back("channel", labels::EnumLabel(v1::Channel_Name(r.channel()), "CHANNEL_"));
  }
  if (r.request_type() != v1::REQUEST_TYPE_UNSPECIFIED) {
    given.emplace_back("type",
                       labels::EnumLabel(v1::RequestType_Name(r.request_type()), "REQUEST_TYPE_"));
  }
  if (r.area_class() != v1::AREA_CLASS_UNSPECIFIED) {
    given.emplace_back("area_class",
                       labels::EnumLabel(v1::AreaClass_Name(r.area_class()), "AREA_CLASS_"));
  }
  if (!r.unit_id().empty()) given.emplace_back("unit", r.unit_id());
  if (!r.department_id().empty()) given.emplace_back("department", r.department_id());
  if (given.size() > 1) {
    std::string names;
    for (const auto& [name, value] : given) names += (names.empty() ? "" : ", ") + name;
    return core::InvalidArgument(
        "filter on one dimension at a time (figures are kept per day "
        "and one dimension); got " +
        names);
  }
  if (given.empty()) return std::make_pair(std::string(), std::string());
  return given.front();
}

}  // namespace

core::Result<KpiQuery> QueryOf(const v1::KpiReportRequest& request, core::TimePoint now,
                               int max_days) {
  auto dimension = DimensionOf(request);
  if (!dimension) return dimension.error();
  const core::TimePoint to =
      request.has_to() ? core::FromUnixMillis(TimeUtil::TimestampToMilliseconds(request.to()))
                       : now;
  const core::TimePoint from =
      request.has_from() ? core::FromUnixMillis(TimeUtil::TimestampToMilliseconds(request.from()))
                         : to - std::chrono::milliseconds(1);
  if (to <= from) return core::InvalidArgument("to: must be after from");
  KpiQuery query;
  query.first_day = DayAt(from);
  query.last_day = DayAt(to - std::chrono::milliseconds(1));  // `to` is exclusive
  if (query.last_day - query.first_day + 1 > max_days) {
    return core::InvalidArgument("the period covers more than " + std::to_string(max_days) +
                                 " days; ask for shorter periods and add them up");
  }
  query.dimension = std::move(dimension->first);
  query.value = std::move(dimension->second);
  query.partial = query.last_day >= DayAt(now);
  return query;
}

std::vector<std::string> FieldsFor(const KpiQuery& query) {
  std::vector<std::string> fields;
  for (const char* name : kMetrics) fields.push_back(FieldName(name, query.dimension, query.value));
  if (query.dimension.empty()) {
    for (const auto& type : TypeLabels())
      fields.push_back(FieldName(metric::kTickets, "type", type));
    for (const auto& channel : ChannelLabels()) {
      fields.push_back(FieldName(metric::kTickets, "channel", channel));
    }
  }
  return fields;
}

v1::KpiReport BuildReport(const KpiQuery& query, const std::map<std::string, int64_t>& sums,
                          int64_t customers) {
  auto get = [&](const char* name) {
    const auto found = sums.find(FieldName(name, query.dimension, query.value));
    return found == sums.end() ? int64_t{0} : found->second;
  };
  v1::KpiReport report;
  *report.mutable_from() = TimeUtil::MillisecondsToTimestamp(
      core::ToUnixMillis(StartOfHour(FirstHourOfDay(query.first_day))));
  *report.mutable_to() = TimeUtil::MillisecondsToTimestamp(
      core::ToUnixMillis(StartOfHour(FirstHourOfDay(query.last_day + 1))));
  report.set_partial(query.partial);
  const int64_t tickets = get(metric::kTickets);
  const int64_t resolved = get(metric::kResolved);
  report.set_tickets_opened(tickets);
  report.set_contacts(get(metric::kContacts));
  report.set_resolved(resolved);
  report.set_resolved_timely(get(metric::kResolvedTimely));
  report.set_timely_resolution_ratio(Ratio(report.resolved_timely(), resolved));
  report.set_mean_handling_working_days(Ratio(get(metric::kHandlingMilliDays), resolved) / 1000.0);
  report.set_first_contact_resolved(get(metric::kFirstContactResolved));
  report.set_first_contact_resolution_ratio(Ratio(report.first_contact_resolved(), resolved));
  report.set_incidents_opened(get(metric::kIncidents));
  report.set_arrivals(get(metric::kArrivals));
  report.set_arrivals_within_limit(get(metric::kArrivalsWithinLimit));
  report.set_arrival_within_limit_ratio(Ratio(report.arrivals_within_limit(), report.arrivals()));
  report.set_mean_arrival_minutes(Ratio(get(metric::kArrivalSeconds), report.arrivals()) / 60.0);
  report.set_restorations(get(metric::kRestorations));
  report.set_mean_restoration_minutes(
      Ratio(get(metric::kRestorationSeconds), report.restorations()) / 60.0);
  report.set_overdue_count(get(metric::kOverdue));
  report.set_complaints(get(metric::kComplaints));
  report.set_customers(customers);
  report.set_complaints_per_10k_customers(Ratio(report.complaints(), customers) * 10'000.0);
  report.set_return_visits(get(metric::kReturnVisits));
  report.set_satisfied_ratio(Ratio(get(metric::kSatisfied), report.return_visits()));
  report.set_mean_satisfaction(Ratio(get(metric::kScoreSum), get(metric::kScoredVisits)));
  report.set_cases_closed(get(metric::kCasesClosed));
  report.set_reopened(get(metric::kReopened));
  report.set_reopen_ratio(Ratio(report.reopened(), report.cases_closed()));
  report.set_urgings(get(metric::kUrgings));
  report.set_urging_ratio(Ratio(report.urgings(), tickets));
  report.set_notifications_sent(get(metric::kNotificationsSent));
  report.set_notifications_delivered(get(metric::kNotificationsDelivered));
  report.set_notification_delivery_ratio(
      Ratio(report.notifications_delivered(), report.notifications_sent()));
  if (query.dimension.empty()) {
    for (const auto& type : TypeLabels()) {
      const auto found = sums.find(FieldName(metric::kTickets, "type", type));
      if (found != sums.end() && found->second > 0) {
        (*report.mutable_tickets_by_type())[type] = found->second;
      }
    }
    for (const auto& channel : ChannelLabels()) {
      const auto found = sums.find(FieldName(metric::kTickets, "channel", channel));
      if (found != sums.end() && found->second > 0) {
        (*report.mutable_tickets_by_channel())[channel] = found->second;
      }
    }
  }
  return report;
}

std::map<std::string, double> KpiValues(const v1::KpiReport& r) {
  return {
      {"contacts", static_cast<double>(r.contacts())},
      {"tickets", static_cast<double>(r.tickets_opened())},
      {"timely_resolution_ratio", r.timely_resolution_ratio()},
      {"mean_handling_working_days", r.mean_handling_working_days()},
      {"arrival_within_limit_ratio", r.arrival_within_limit_ratio()},
      {"mean_arrival_minutes", r.mean_arrival_minutes()},
      {"mean_restoration_minutes", r.mean_restoration_minutes()},
      {"first_contact_resolution_ratio", r.first_contact_resolution_ratio()},
      {"complaints", static_cast<double>(r.complaints())},
      {"complaints_per_10k_customers", r.complaints_per_10k_customers()},
      {"satisfied_ratio", r.satisfied_ratio()},
      {"mean_satisfaction", r.mean_satisfaction()},
      {"reopen_ratio", r.reopen_ratio()},
      {"urging_ratio", r.urging_ratio()},
      {"notification_delivery_ratio", r.notification_delivery_ratio()},
      {"overdue", static_cast<double>(r.overdue_count())},
  };
}

}  // namespace gridcare::analytics
