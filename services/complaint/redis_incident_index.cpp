#include "redis_incident_index.h"

#include <vector>

#include "gridcare/sla/clocks.h"

namespace gridcare::complaint {
namespace {

std::string TransformerKey(const std::string& id) { return "complaint:incident:t:" + id; }
std::string FeederKey(const std::string& id) { return "complaint:incident:f:" + id; }

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
  if (keys.empty()) return {};
  auto reply =
      redis_.Eval(kRecordScript, keys,
                  {incident.incident_id(), std::to_string(OpenedMillis(incident)), Encode(incident),
                   std::to_string(std::chrono::milliseconds(memory_).count())});
  if (!reply) return reply.error();
  return {};
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
