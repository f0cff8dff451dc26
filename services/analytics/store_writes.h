#pragma once

// WritePlan: the Redis writes of a batch of events, merged (pure). A batch of 500 tickets adds to
// the same few day hashes and hour fields over and over; merged, it is a few hundred commands
// instead of tens of thousands: increments to one field are summed, a key's expiry is set once,
// a list keeps only the values its cap would keep (pushed in one command), a later write to a key
// wins. The plan is emitted as ARGV entries that RedisAnalyticsStore's scripts run: (op, key, a,
// b) quadruples, and for a list push ("lpush", key, n, cap) followed by its n values.

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace gridcare::analytics {

class WritePlan {
 public:
  void HIncrBy(const std::string& key, const std::string& field, int64_t delta);
  void HSet(const std::string& key, const std::string& field, std::string value);
  /// The smaller of the stored and this value.
  void HMin(const std::string& key, const std::string& field, int64_t value);
  void SAdd(const std::string& key, const std::string& member);
  void Set(const std::string& key, std::string value, int64_t expire_ms);
  void PExpire(const std::string& key, int64_t ms);
  /// Pushes `value` at the head of a list kept at `cap` entries.
  void LPush(const std::string& key, std::string value, int cap);
  /// Removes `incident` from every "<area_prefix><area>" set its "incarea" set names, then that
  /// set (an incident no longer open). Runs after every SAdd of the plan.
  void Close(const std::string& incarea_key, const std::string& incident,
             const std::string& area_prefix);

  bool empty() const;
  /// The entries, in an order whose effect equals running the writes one by one: sets, hash
  /// sets, set members, increments (by key, then field), minimums, list pushes, closes, expiries.
  void AppendTo(std::vector<std::string>& args) const;

 private:
  // key -> field -> delta; transparent, so adding to a field already there allocates nothing.
  using FieldDeltas = std::map<std::string, int64_t, std::less<>>;
  std::map<std::string, FieldDeltas, std::less<>> increments_;
  std::map<std::pair<std::string, std::string>, std::string> hash_sets_;
  std::map<std::pair<std::string, std::string>, int64_t> minimums_;
  std::set<std::pair<std::string, std::string>> members_;
  std::map<std::string, std::pair<std::string, int64_t>> sets_;
  std::map<std::string, int64_t> expiries_;
  std::map<std::string, std::pair<std::vector<std::string>, int>> lists_;
  std::vector<std::vector<std::string>> closes_;
};

}  // namespace gridcare::analytics
