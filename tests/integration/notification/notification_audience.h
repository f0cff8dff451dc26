// What a feeder incident must reach, computed from the synthetic utility alone, and how the
// simulator's record is compared with it. The fan-out (services/notification/fan_out.cpp) streams
// the feeder's customers from the profile in customer-id order and plans one notice per phone
// number (phones[0]) across accounts: the first account streamed with a number is its recipient.
// Life-support customers get the safety template at the start instead of the general one (two
// intents, each de-duplicated on its own), and everyone the ETR change and the restoration.
//
// A "key" below is a recipient's phone number: personal data, so failure messages name the
// recipient's customer id instead.
#pragma once

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gridcare/synth/utility.h"
#include "gridcare/v1/profile.pb.h"

namespace gridcare::notification::testing {

inline bool IsLifeSupport(const v1::Customer& customer) {
  return std::find(customer.tags().begin(), customer.tags().end(), v1::CUSTOMER_TAG_LIFE_SUPPORT) !=
         customer.tags().end();
}

/// Whether `customer` is inside its quiet hours at `unix_ms` (the synthetic utility's quiet hours
/// are all Asia/Shanghai, UTC+8; start == end means none).
inline bool InQuietHours(const v1::Customer& customer, int64_t unix_ms) {
  const auto& quiet = customer.quiet_hours();
  const int start = quiet.start_minute_of_day();
  const int end = quiet.end_minute_of_day();
  if (start == end) return false;
  const int64_t local_minute = ((unix_ms / 60'000) + 8 * 60) % (24 * 60);
  return start < end ? local_minute >= start && local_minute < end
                     : local_minute >= start || local_minute < end;
}

enum class Who { kEveryone, kLifeSupport, kOthers };

class Audience {
 public:
  Audience(const synth::Utility& utility, std::string feeder_id)
      : feeder_id_(std::move(feeder_id)) {
    utility.ForEachCustomer([&](int64_t, const v1::Customer& c) {
      const std::string key = c.phones(0);
      // Every address a provider may be given for this customer: the number (SMS, voice) and the
      // customer id (WeChat, app push).
      key_of_address_[c.phones(0)] = key;
      key_of_address_[c.customer_id()] = key;
      if (c.supply().feeder_id() == feeder_id_) customers_.push_back(c);
    });
    std::sort(customers_.begin(), customers_.end(),
              [](const auto& a, const auto& b) { return a.customer_id() < b.customer_id(); });
  }

  const std::string& feeder_id() const { return feeder_id_; }
  const std::vector<v1::Customer>& customers() const { return customers_; }

  /// The recipient keys of an intent addressed to `who` on the feeder.
  std::set<std::string> Keys(Who who) const {
    std::set<std::string> keys;
    for (const auto& c : customers_) {
      if (who == Who::kLifeSupport && !IsLifeSupport(c)) continue;
      if (who == Who::kOthers && IsLifeSupport(c)) continue;
      keys.insert(c.phones(0));
    }
    return keys;
  }

  /// The recipient key of an address a provider was given; "" for an address of no customer.
  std::string KeyOf(const std::string& address) const {
    auto found = key_of_address_.find(address);
    return found == key_of_address_.end() ? "" : found->second;
  }

  /// The customer id standing for `key` in messages (the first of the feeder holding it, else
  /// "outside-the-feeder").
  std::string Name(const std::string& key) const {
    for (const auto& c : customers_) {
      if (c.phones(0) == key) return c.customer_id();
    }
    return "outside-the-feeder";
  }

  const v1::Customer* Customer(const std::string& customer_id) const {
    for (const auto& c : customers_) {
      if (c.customer_id() == customer_id) return &c;
    }
    return nullptr;
  }

 private:
  std::string feeder_id_;
  std::vector<v1::Customer> customers_;
  std::map<std::string, std::string> key_of_address_;
};

/// How the simulator's record of some templates compares with the keys that should each have
/// exactly one message.
struct Comparison {
  size_t messages = 0;
  std::vector<std::string> missing;     // expected, no message
  std::vector<std::string> doubled;     // expected, more than one message
  std::vector<std::string> unexpected;  // a message to a key not expected
  int no_customer = 0;                  // a message to an address of no customer

  bool exact() const {
    return missing.empty() && doubled.empty() && unexpected.empty() && no_customer == 0;
  }
};

inline Comparison Compare(const std::vector<nlohmann::json>& messages,
                          const std::set<std::string>& templates,
                          const std::set<std::string>& expected, const Audience& audience) {
  Comparison out;
  std::map<std::string, int> count;
  for (const auto& message : messages) {
    if (!templates.contains(message.value("template_id", ""))) continue;
    ++out.messages;
    const std::string key = audience.KeyOf(message.value("to", ""));
    if (key.empty()) {
      ++out.no_customer;
      continue;
    }
    ++count[key];
  }
  for (const auto& key : expected) {
    const int n = count.contains(key) ? count.at(key) : 0;
    if (n == 0) out.missing.push_back(audience.Name(key));
    if (n > 1) out.doubled.push_back(audience.Name(key));
  }
  for (const auto& [key, n] : count) {
    if (!expected.contains(key)) out.unexpected.push_back(audience.Name(key));
  }
  return out;
}

/// For failure messages: sizes and the first few customer ids of each list.
inline std::string Describe(const Comparison& c, size_t expected) {
  auto first = [](const std::vector<std::string>& ids) {
    std::string out;
    for (size_t i = 0; i < ids.size() && i < 5; ++i) out += (i ? "," : "") + ids[i];
    return out;
  };
  std::ostringstream text;
  text << "expected " << expected << " recipients once; " << c.messages << " messages; missing "
       << c.missing.size() << " [" << first(c.missing) << "]; doubled " << c.doubled.size() << " ["
       << first(c.doubled) << "]; unexpected " << c.unexpected.size() << " [" << first(c.unexpected)
       << "]; to no customer " << c.no_customer;
  return text.str();
}

}  // namespace gridcare::notification::testing
