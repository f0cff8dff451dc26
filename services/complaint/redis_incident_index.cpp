#include "redis_incident_index.h"

#include <vector>

namespace gridcare::complaint {
namespace {

std::string TransformerKey(const std::string& id) { return "complaint:incident:t:" + id; }
std::string FeederKey(const std::string& id) { return "complaint:incident:f:" + id; }

std::string Encode(const v1::Incident& incident) {
  const auto& supply = incident.supply();
  return incident.incident_id() + "|" + supply.substation_id() + "|" + supply.feeder_id() + "|" +
         supply.transformer_id();
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
  if (parts.size() != 4 || parts[0].empty()) return std::nullopt;
  LinkedIncident linked;
  linked.incident_id = parts[0];
  linked.supply_point.set_substation_id(parts[1]);
  linked.supply_point.set_feeder_id(parts[2]);
  linked.supply_point.set_transformer_id(parts[3]);
  return linked;
}

}  // namespace

RedisIncidentIndex::RedisIncidentIndex(redis::RedisClient& redis, std::chrono::hours memory)
    : redis_(redis), memory_(memory) {}

core::Status RedisIncidentIndex::Record(const v1::Incident& incident) {
  if (incident.incident_id().empty()) return {};
  const std::string value = Encode(incident);
  const std::string ttl = std::to_string(std::chrono::milliseconds(memory_).count());
  std::vector<std::vector<std::string>> commands;
  if (!incident.supply().transformer_id().empty()) {
    commands.push_back(
        {"SET", TransformerKey(incident.supply().transformer_id()), value, "PX", ttl});
  }
  if (!incident.supply().feeder_id().empty()) {
    commands.push_back({"SET", FeederKey(incident.supply().feeder_id()), value, "PX", ttl});
  }
  if (commands.empty()) return {};
  auto replies = redis_.Pipeline(commands);
  if (!replies) return replies.error();
  for (const auto& reply : *replies) {
    if (reply.is_error()) return core::Unavailable("incident index write failed: " + reply.str());
  }
  return {};
}

core::Result<std::optional<LinkedIncident>> RedisIncidentIndex::Find(
    const v1::SupplyPoint& customer) {
  for (const std::string& key :
       {customer.transformer_id().empty() ? std::string()
                                          : TransformerKey(customer.transformer_id()),
        customer.feeder_id().empty() ? std::string() : FeederKey(customer.feeder_id())}) {
    if (key.empty()) continue;
    auto value = redis_.Get(key);
    if (!value) return value.error();
    if (value->has_value()) {
      if (auto linked = Decode(**value)) return linked;
    }
  }
  return std::optional<LinkedIncident>{};
}

}  // namespace gridcare::complaint
