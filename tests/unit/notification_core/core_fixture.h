#pragma once

// Shared set-up of the notification core tests: the shipped templates and delivery policy (read
// through GRIDCARE_SOURCE_DIR), a customer of the synthetic utility, a fixed instant.

#include <catch2/catch.hpp>
#include <chrono>
#include <stdexcept>
#include <string>

#include "delivery_policy_config.h"
#include "gridcare/config/files.h"
#include "gridcare/sla/clocks.h"
#include "recipient_planner.h"
#include "template_catalogue.h"

namespace gridcare::notification::test {

inline std::string ReadSource(const std::string& path) {
  auto text = config::ReadTextFile(std::string(GRIDCARE_SOURCE_DIR) + "/" + path);
  if (!text) throw std::runtime_error(text.error().ToString());
  return *text;
}

inline const TemplateCatalogue& Templates() {
  static const TemplateCatalogue catalogue = [] {
    auto parsed =
        TemplateCatalogue::Parse(ReadSource("services/notification/config/templates.json"));
    if (!parsed) throw std::runtime_error(parsed.error().ToString());
    return std::move(parsed).value();
  }();
  return catalogue;
}

inline const DeliveryPolicy& Policy() {
  static const DeliveryPolicy policy = [] {
    auto parsed =
        DeliveryPolicy::FromJson(ReadSource("services/notification/config/delivery-policy.json"));
    if (!parsed) throw std::runtime_error(parsed.error().ToString());
    return std::move(parsed).value();
  }();
  return policy;
}

/// 2026-12-06 10:00 Beijing (02:00 UTC).
inline core::TimePoint T0() {
  return core::TimePoint(std::chrono::seconds(1'796'522'400));  // 2026-12-06T02:00:00Z
}

/// A residential customer: SMS preferred, zh-CN, quiet 22:00–07:00 Beijing.
inline v1::Customer MakeCustomer(const std::string& id, const std::string& phone) {
  v1::Customer customer;
  customer.set_customer_id(id);
  customer.add_phones(phone);
  customer.set_preferred_channel(v1::CHANNEL_SMS);
  customer.set_preferred_language(v1::LANGUAGE_ZH_CN);
  customer.mutable_quiet_hours()->set_start_minute_of_day(22 * 60);
  customer.mutable_quiet_hours()->set_end_minute_of_day(7 * 60);
  customer.mutable_quiet_hours()->set_time_zone("Asia/Shanghai");
  customer.mutable_address()->set_full_text("文乐区体育西路 191 号 3 栋 502");
  customer.mutable_supply()->set_feeder_id("F-12");
  customer.mutable_supply()->set_transformer_id("T-77");
  customer.set_tenant_id("synthetic");
  return customer;
}

/// The values outage.started needs.
inline PlaceholderValues OutageValues() {
  PlaceholderValues values;
  values.SetText("area", "体育西路 1 号台区")
      .SetLocalized("cause", "线路故障", "a line fault")
      .SetTime("etr", T0() + std::chrono::hours(2))
      .SetId("incident_id", "INC-1")
      .SetCount("customers_affected", 812);
  return values;
}

}  // namespace gridcare::notification::test
