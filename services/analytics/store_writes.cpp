#include "store_writes.h"

#include <algorithm>

namespace gridcare::analytics {
namespace {

void Op(std::vector<std::string>& args, const char* op, const std::string& key, std::string a = {},
        std::string b = {}) {
  args.emplace_back(op);
  args.push_back(key);
  args.push_back(std::move(a));
  args.push_back(std::move(b));
}

}  // namespace

void WritePlan::HIncrBy(const std::string& key, const std::string& field, int64_t delta) {
  auto hash = increments_.find(key);
  if (hash == increments_.end()) hash = increments_.emplace(key, FieldDeltas()).first;
  auto entry = hash->second.find(field);
  if (entry == hash->second.end()) {
    hash->second.emplace(field, delta);
  } else {
    entry->second += delta;
  }
}
void WritePlan::HSet(const std::string& key, const std::string& field, std::string value) {
  hash_sets_[{key, field}] = std::move(value);
}
void WritePlan::HMin(const std::string& key, const std::string& field, int64_t value) {
  auto [it, inserted] = minimums_.emplace(std::make_pair(key, field), value);
  if (!inserted) it->second = std::min(it->second, value);
}
void WritePlan::SAdd(const std::string& key, const std::string& member) {
  members_.emplace(key, member);
}
void WritePlan::Set(const std::string& key, std::string value, int64_t expire_ms) {
  sets_[key] = {std::move(value), expire_ms};
}
void WritePlan::PExpire(const std::string& key, int64_t ms) { expiries_[key] = ms; }
void WritePlan::LPush(const std::string& key, std::string value, int cap) {
  auto& [values, kept] = lists_[key];
  kept = cap;
  values.push_back(std::move(value));
  // Only the newest `cap` can survive the trim.
  if (cap > 0 && values.size() > 2 * static_cast<size_t>(cap)) {
    values.erase(values.begin(), values.end() - cap);
  }
}
void WritePlan::Close(const std::string& incarea_key, const std::string& incident,
                      const std::string& area_prefix) {
  closes_.push_back({incarea_key, incident, area_prefix});
}

bool WritePlan::empty() const {
  return increments_.empty() && hash_sets_.empty() && minimums_.empty() && members_.empty() &&
         sets_.empty() && expiries_.empty() && lists_.empty() && closes_.empty();
}

void WritePlan::AppendTo(std::vector<std::string>& args) const {
  for (const auto& [key, value] : sets_) {
    Op(args, "set", key, value.first, std::to_string(value.second));
  }
  for (const auto& [key_field, value] : hash_sets_) {
    Op(args, "hset", key_field.first, key_field.second, value);
  }
  for (const auto& [key, member] : members_) Op(args, "sadd", key, member);
  for (const auto& [key, fields] : increments_) {
    for (const auto& [field, delta] : fields)
      Op(args, "hincrby", key, field, std::to_string(delta));
  }
  for (const auto& [key_field, value] : minimums_) {
    Op(args, "hmin", key_field.first, key_field.second, std::to_string(value));
  }
  for (const auto& [key, list] : lists_) {
    const auto& [values, cap] = list;
    const size_t first =
        cap > 0 && values.size() > static_cast<size_t>(cap) ? values.size() - cap : 0;
    Op(args, "lpush", key, std::to_string(values.size() - first), std::to_string(cap));
    args.insert(args.end(), values.begin() + static_cast<std::ptrdiff_t>(first), values.end());
  }
  for (const auto& close : closes_) Op(args, "close", close[0], close[1], close[2]);
  for (const auto& [key, ms] : expiries_) Op(args, "pexpire", key, std::to_string(ms));
}

}  // namespace gridcare::analytics
