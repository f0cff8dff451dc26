#include "audience.h"

#include <algorithm>
#include <set>
#include <utility>

#include "gridcare/sla/clocks.h"
#include "recipient_planner.h"
#include "trigger_rules.h"

namespace gridcare::bench {
namespace {

using notification::NotificationIntent;
using notification::Recipients;

bool HasAnyTag(const v1::Customer& customer, const std::vector<v1::CustomerTag>& tags) {
  if (tags.empty()) return true;
  return std::any_of(customer.tags().begin(), customer.tags().end(), [&](int tag) {
    return std::find(tags.begin(), tags.end(), static_cast<v1::CustomerTag>(tag)) != tags.end();
  });
}

// The placeholders FanOut::WithRecipientValues adds for a customer of a supply fan-out.
notification::PlaceholderValues WithRecipientValues(const NotificationIntent& intent,
                                                    const notification::Recipient& recipient,
                                                    const v1::Customer& customer) {
  notification::PlaceholderValues values = intent.values;
  if (values.Find("address") == nullptr && !recipient.postal_address.empty()) {
    values.SetAddress("address", recipient.postal_address);
  }
  if (values.Find("area") == nullptr) {
    std::string area = recipient.locality;
    if (area.empty()) area = customer.supply().transformer_id();
    if (!area.empty()) values.SetText("area", area);
  }
  return values;
}

// One supply intent over the feeder's customers, as FanOut::NotifySupply does it.
void PlanIntent(const synth::Utility& utility, const synth::Feeder& feeder,
                const notification::Configuration& configuration, const NotificationIntent& intent,
                const std::string& source_event_id, core::TimePoint now, Audience& audience) {
  const notification::RecipientPlanner planner(configuration.templates, configuration.policy);
  notification::NoticeRequest request;
  request.source_event_id =
      intent.discriminator.empty() ? source_event_id : source_event_id + "/" + intent.discriminator;
  request.template_id = intent.template_id;
  request.subject_id = intent.subject_id;
  request.proactive = intent.proactive;
  request.not_before = intent.not_before;
  request.restoration_expected_at = intent.restoration_expected_at;
  const notification::ThrottleState before;  // a new incident: nothing sent about it yet
  std::set<std::string> reached;
  const auto& audience_spec = intent.recipients;
  utility.ForEachCustomer(feeder.customers, [&](int64_t, const v1::Customer& customer) {
    if (!HasAnyTag(customer, audience_spec.only_tags)) return;
    if (!audience_spec.except_tags.empty() && HasAnyTag(customer, audience_spec.except_tags)) {
      return;
    }
    ++audience.customers_by_template[intent.template_id];
    const std::string key = customer.phones().empty() || customer.phones(0).empty()
                                ? "account:" + customer.customer_id()
                                : customer.phones(0);
    if (!reached.insert(key).second) {
      ++audience.same_number;
      return;
    }
    const notification::Recipient recipient = notification::CustomerRecipient(customer);
    const notification::PlaceholderValues values = WithRecipientValues(intent, recipient, customer);
    notification::NoticeRequest one = request;
    one.values = &values;
    auto plan = planner.Plan(one, recipient, before, now);
    if (!plan) {
      ++audience.unwritable;
      return;
    }
    if (plan->suppressed) ++audience.suppressed[plan->suppressed->reason()];
    if (!plan->record) return;
    const v1::StoredNotification& record = *plan->record;
    if (sla::FromTimestamp(record.due_at()) > now + std::chrono::seconds(1)) ++audience.held;
    const auto channel = notification::ParseDeliveryChannel(record.channels(0));
    const auto address = record.addresses().find(record.channels(0));
    if (!channel || address == record.addresses().end()) {
      ++audience.suppressed["no_address"];
      return;
    }
    PlannedNotice notice;
    notice.provider = configuration.policy.provider(*channel).provider;
    notice.to = address->second;
    notice.text = record.text();
    notice.template_id = record.template_id();
    notice.language = record.language() == v1::LANGUAGE_EN ? "en" : "zh-CN";
    ++audience.by_provider[notice.provider];
    ++audience.by_template[notice.template_id];
    audience.notices.push_back(std::move(notice));
  });
}

}  // namespace

const synth::Feeder& LargestFeeder(const synth::Utility& utility) {
  const auto& feeders = utility.network().feeders();
  return *std::max_element(feeders.begin(), feeders.end(),
                           [](const synth::Feeder& a, const synth::Feeder& b) {
                             return a.customers.size() < b.customers.size();
                           });
}

v1::DispatchEvent FeederIncidentOpened(const synth::Feeder& feeder, int64_t customers,
                                       const std::string& incident_id, core::TimePoint opened_at,
                                       core::TimePoint etr) {
  v1::DispatchEvent event;
  v1::Incident& incident = *event.mutable_incident_opened()->mutable_incident();
  incident.set_incident_id(incident_id);
  incident.set_level(v1::INCIDENT_LEVEL_FEEDER);
  incident.set_state(v1::INCIDENT_STATE_OPEN);
  incident.mutable_supply()->set_substation_id(feeder.substation_id);
  incident.mutable_supply()->set_feeder_id(feeder.id);
  incident.set_area_class(feeder.area_class);
  *incident.mutable_location() = synth::ToProto(feeder.location);
  incident.set_affected_customers(customers);
  incident.set_priority(v1::PRIORITY_URGENT);
  *incident.mutable_opened_at() = sla::ToTimestamp(opened_at);
  *incident.mutable_estimated_restoration_at() = sla::ToTimestamp(etr);
  return event;
}

core::Result<Audience> PlanAudience(const synth::Utility& utility, const synth::Feeder& feeder,
                                    const notification::Configuration& configuration,
                                    const v1::DispatchEvent& event,
                                    const std::string& source_event_id, core::TimePoint now) {
  const auto outcome = configuration.triggers->OnDispatch(event, notification::IncidentMemo{}, now);
  Audience audience;
  audience.feeder_customers = feeder.customers.size();
  audience.intents = static_cast<int64_t>(outcome.intents.size());
  if (outcome.intents.empty()) {
    return core::Internal("the triggers announce nothing for a feeder incident_opened");
  }
  for (const NotificationIntent& intent : outcome.intents) {
    const Recipients& r = intent.recipients;
    if (r.kind != Recipients::Kind::kSupply || !r.transformer_ids.empty() ||
        r.feeder_ids != std::vector<std::string>{feeder.id}) {
      return core::Internal("intent " + intent.trigger + " is not a fan-out to feeder " +
                            feeder.id + "; the benchmark cannot predict it");
    }
    PlanIntent(utility, feeder, configuration, intent, source_event_id, now, audience);
  }
  return audience;
}

}  // namespace gridcare::bench
