#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "gridcare/core/error.h"
#include "gridcare/v1/profile.pb.h"

namespace gridcare::profile::testing {

// A customer that passes every validation rule; tests change one field at a time.
inline v1::Customer ValidCustomer() {
  v1::Customer customer;
  customer.set_customer_id("C-0001_ab");
  customer.set_account_type(v1::ACCOUNT_TYPE_RESIDENTIAL);
  customer.set_name("张三");
  customer.add_phones("+86 138-1234-5678");
  customer.add_phones("020-12345678");
  customer.set_preferred_channel(v1::CHANNEL_WECHAT);
  customer.set_preferred_language(v1::LANGUAGE_ZH_CN);
  customer.mutable_quiet_hours()->set_start_minute_of_day(1320);
  customer.mutable_quiet_hours()->set_end_minute_of_day(420);
  customer.mutable_quiet_hours()->set_time_zone("Asia/Shanghai");
  auto* address = customer.mutable_address();
  address->set_full_text("广州市天河区体育西路 191 号 3 栋 502");
  address->set_city("广州市");
  address->mutable_geo()->set_latitude(23.1291);
  address->mutable_geo()->set_longitude(113.3245);
  customer.set_area_class(v1::AREA_CLASS_URBAN);
  customer.mutable_supply()->set_substation_id("SS-01");
  customer.mutable_supply()->set_feeder_id("FD_1001");
  customer.mutable_supply()->set_transformer_id("TR-1001-07");
  customer.set_meter_number("MTR0000123456");
  customer.add_tags(v1::CUSTOMER_TAG_IMPORTANT);
  customer.add_tags(v1::CUSTOMER_TAG_ELDERLY);
  customer.set_tenant_id("gd");
  customer.set_version(7);
  return customer;
}

// `count` copies of a three-byte CJK character (one code point each).
inline std::string Cjk(size_t count) {
  std::string text;
  for (size_t i = 0; i < count; ++i) text += "电";
  return text;
}

inline google::protobuf::Timestamp At(int64_t seconds, int32_t nanos = 0) {
  google::protobuf::Timestamp t;
  t.set_seconds(seconds);
  t.set_nanos(nanos);
  return t;
}

// Checks that `status` is INVALID_ARGUMENT and that its message starts by naming `field`
// (messages read "<field>: <why>").
inline void CheckInvalid(const core::Status& status, const std::string& field) {
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().kind == core::ErrorKind::kInvalidArgument);
  CHECK_THAT(status.error().message, Catch::StartsWith(field + ": "));
}

}  // namespace gridcare::profile::testing
