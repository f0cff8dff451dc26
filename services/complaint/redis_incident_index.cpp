#include "redis_incident_index.h"

#include <vector>

#include "gridcare/sla/clocks.h"
#include "incident_context.h"

namespace gridcare::complaint {
namespace {

std::string TransformerKey(const std::string& id) { return "complaint:incident:t:" + id; }
std::string FeederKey(const std::string& id) { return "complaint:incident:f:" + id; }
std::string ContextKey(const std::string& id) { return "complaint:incident:ctx:" + id; }
std::string WorkOrderKey(const std::string& id) { return "complaint:incident:wo:" + id; }

// Sets each key to ARGV[3] (with PX ARGV[4]) unless it holds another incident (a different id in
// its second field) opened later than ARGV[2]: a late update of an older incident never hides a
// newer one on the same device.
constexpr const char* kRecordScript = R"lua(
for _, key in ipairs(KEYS) do
  local current = redis.call('GET', key)
  local keep = false
  if current then
    local opened, id = string.match(current, '^(%-?%d+)|([^|]*)|')
    if opened and id ~= ARGV[1] and tonumber(opened) > tonumber(ARGV[2]) then keep = true end
  end
  if not keep then redis.call('SET', key, ARGV[3], 'PX', ARGV[4]) end
end
return 1
)lua";

int64_t OpenedMillis(const v1::Incident& incident) {
  return incident.has_opened_at() ? core::ToUnixMillis(sla::FromTimestamp(incident.opened_at()))
                                  : 0;
}

// "opened ms|incident id|substation|feeder|transformer".
std::string Encode(const v1::Incident& incident) {
  const auto& supply = incident.supply();
  return std::to_string(OpenedMillis(incident)) + "|" + incident.incident_id() + "|" +
         supply.substation_id() + "|" + supply.feeder_id() + "|" + supply.transformer_id();
}

std::optional<LinkedIncident> Decode(const std::string& value) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t bar = value.find('|', start);
    parts.push_back(value.substr(start, bar - start));
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  if (parts.size() != 5 || parts[1].empty()) return std::nullopt;
  LinkedIncident linked;
  linked.incident_id = parts[1];
  linked.supply_point.set_substation_id(parts[2]);
  linked.supply_point.set_feeder_id(parts[3]);
  linked.supply_point.set_transformer_id(parts[4]);
  return linked;
}

}  // namespace

RedisIncidentIndex::RedisIncidentIndex(redis::RedisClient& redis, std::chrono::hours memory)
    : redis_(redis), memory_(memory) {}

core::Status RedisIncidentIndex::Record(const v1::Incident& incident) {
  if (incident.incident_id().empty()) return {};
  std::vector<std::string> keys;
  if (!incident.supply().transformer_id().empty()) {
    keys.push_back(TransformerKey(incident.supply().transformer_id()));
  }
  if (!incident.supply().feeder_id().empty()) {
    keys.push_back(FeederKey(incident.supply().feeder_id()));
  }
  if (!keys.empty()) {
    auto reply =
        redis_.Eval(kRecordScript, keys,
                    {incident.incident_id(), std::to_string(OpenedMillis(incident)),
                     Encode(incident), std::to_string(std::chrono::milliseconds(memory_).count())});
    if (!reply) return reply.error();
  }
  std::lock_guard lock(context_mutex_);
  auto context = Context(incident.incident_id());
  if (!context) return context.error();
  v1::IncidentContext updated = context->value_or(v1::IncidentContext{});
  ApplyIncident(updated, incident);
  if (!incident.work_order_id().empty()) {
    auto mapped = redis_.Set(WorkOrderKey(incident.work_order_id()), incident.incident_id(),
                             std::chrono::milliseconds(memory_));
    if (!mapped) return mapped.error();
  }
  return SaveContext(updated);
}

core::Status RedisIncidentIndex::SaveContext(const v1::IncidentContext& context) {
  return redis_.Set(ContextKey(context.incident().incident_id()), context.SerializeAsString(),
                    std::chrono::milliseconds(memory_));
}

core::Status RedisIncidentIndex::RecordWorkOrder(const v1::WorkOrder& work_order) {
  if (work_order.incident_id().empty() || work_order.work_order_id().empty()) return {};
  return redis_.Set(WorkOrderKey(work_order.work_order_id()), work_order.incident_id(),
                    std::chrono::milliseconds(memory_));
}

core::Result<bool> RedisIncidentIndex::RecordCrewEvent(const v1::CrewEvent& event,
                                                       core::TimePoint at) {
  const auto work_order = CrewEventWorkOrder(event);
  if (!work_order || work_order->empty()) return false;
  auto incident_id = redis_.Get(WorkOrderKey(*work_order));
  if (!incident_id) return incident_id.error();
  if (!incident_id->has_value()) return false;
  std::lock_guard lock(context_mutex_);
  auto context = Context(**incident_id);
  if (!context) return context.error();
  if (!context->has_value()) return false;
  if (!ApplyCrewEvent(**context, event, at)) return true;
  auto saved = SaveContext(**context);
  if (!saved) return saved.error();
  return true;
}

core::Result<std::optional<v1::IncidentContext>> RedisIncidentIndex::Context(
    const std::string& incident_id) {
  auto value = redis_.Get(ContextKey(incident_id));
  if (!value) return value.error();
  if (!value->has_value()) return std::optional<v1::IncidentContext>{};
  v1::IncidentContext context;
  if (!context.ParseFromString(**value)) {
    return core::Internal("incident context " + incident_id + " is not an IncidentContext");
  }
  return std::optional(std::move(context));
}

core::Result<std::optional<LinkedIncident>> RedisIncidentIndex::Find(
    const v1::SupplyPoint& customer) {
  // One round trip: the transformer's entry wins over the feeder's.
  std::vector<std::string> command{"MGET"};
  if (!customer.transformer_id().empty())
    command.push_back(TransformerKey(customer.transformer_id()));
  if (!customer.feeder_id().empty()) command.push_back(FeederKey(customer.feeder_id()));
  if (command.size() == 1) return std::optional<LinkedIncident>{};
  auto reply = redis_.Command(command);
  if (!reply) return reply.error();
  for (const auto& value : reply->elements()) {
    if (value.is_nil()) continue;
    if (auto linked = Decode(value.str())) return linked;
  }
  return std::optional<LinkedIncident>{};
}

}  // namespace gridcare::complaint
