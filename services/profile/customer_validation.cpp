#include "customer_validation.h"

#include <algorithm>
#include <set>

#include "gridcare/core/text.h"

namespace gridcare::profile {
namespace {

constexpr size_t kMaxNameCodePoints = 100;
constexpr size_t kMaxAddressCodePoints = 300;
constexpr int kMaxPhones = 5;

core::Error Invalid(std::string_view field, std::string_view why) {
  return core::InvalidArgument(std::string(field) + ": " + std::string(why));
}

bool IsIdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

core::Status ValidateText(std::string_view field, const std::string& text, size_t max_code_points,
                          bool required) {
  if (required && text.empty()) return Invalid(field, "is required");
  if (!core::IsValidUtf8(text)) return Invalid(field, "is not valid UTF-8");
  if (core::CountCodePoints(text) > max_code_points) {
    return Invalid(field, "is longer than " + std::to_string(max_code_points) + " characters");
  }
  return {};
}

core::Status ValidateSupplyId(std::string_view field, const std::string& id) {
  if (id.empty()) return Invalid(field, "is required");
  if (id.size() > 64 || !std::all_of(id.begin(), id.end(), IsIdChar)) {
    return Invalid(field, "must be 1-64 characters of A-Z a-z 0-9 - _");
  }
  return {};
}

}  // namespace

std::optional<std::string> NormalizePhone(std::string_view phone) {
  std::string digits;
  bool international = false;  // written with '+'
  for (size_t i = 0; i < phone.size(); ++i) {
    const char c = phone[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c == '+' && digits.empty() && !international && i == phone.find_first_not_of(' ')) {
      international = true;
    } else if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.') {
      continue;
    } else {
      return std::nullopt;
    }
  }
  if (!international && digits.rfind("00", 0) == 0) {  // 00 is the international prefix
    international = true;
    digits.erase(0, 2);
  }
  bool mainland = !international;
  if (international && digits.rfind("86", 0) == 0) {
    digits.erase(0, 2);
    mainland = true;
    // National form: mobiles start with 1; landlines get back their trunk prefix 0
    // (+86 20 1234 5678 is dialled 020-1234-5678 at home).
    if (!digits.empty() && digits[0] != '1' && digits[0] != '0') digits.insert(0, "0");
  } else if (!international && digits.size() == 13 && digits.rfind("861", 0) == 0) {
    digits.erase(0, 2);  // "86" written without '+' before an 11-digit mobile
  }
  if (digits.size() < 7 || digits.size() > 15) return std::nullopt;
  if (!mainland) return "+" + digits;  // foreign numbers keep their country code visibly
  return digits;
}

core::Status ValidateCustomerId(std::string_view customer_id) {
  if (customer_id.empty()) return Invalid("customer_id", "is required");
  if (customer_id.size() > 64 || !std::all_of(customer_id.begin(), customer_id.end(), IsIdChar)) {
    return Invalid("customer_id", "must be 1-64 characters of A-Z a-z 0-9 - _");
  }
  return {};
}

core::Status ValidateCustomer(const v1::Customer& customer) {
  if (auto status = ValidateCustomerId(customer.customer_id()); !status) return status;
  if (customer.account_type() == v1::ACCOUNT_TYPE_UNSPECIFIED ||
      !v1::AccountType_IsValid(customer.account_type())) {
    return Invalid("account_type", "must be residential, commercial, industrial or agricultural");
  }
  if (auto status = ValidateText("name", customer.name(), kMaxNameCodePoints, true); !status) {
    return status;
  }
  if (customer.phones_size() == 0) return Invalid("phones", "at least one phone is required");
  if (customer.phones_size() > kMaxPhones) {
    return Invalid("phones", "at most " + std::to_string(kMaxPhones) + " phones");
  }
  for (int i = 0; i < customer.phones_size(); ++i) {
    if (!NormalizePhone(customer.phones(i))) {
      return Invalid("phones[" + std::to_string(i) + "]", "not a phone number");
    }
  }
  if (!v1::Channel_IsValid(customer.preferred_channel())) {
    return Invalid("preferred_channel", "unknown channel");
  }
  if (!v1::Language_IsValid(customer.preferred_language())) {
    return Invalid("preferred_language", "unknown language");
  }
  if (customer.has_quiet_hours()) {
    const auto& quiet = customer.quiet_hours();
    if (quiet.start_minute_of_day() < 0 || quiet.start_minute_of_day() > 1439) {
      return Invalid("quiet_hours.start_minute_of_day", "must be 0..1439");
    }
    if (quiet.end_minute_of_day() < 0 || quiet.end_minute_of_day() > 1439) {
      return Invalid("quiet_hours.end_minute_of_day", "must be 0..1439");
    }
  }
  if (auto status = ValidateText("address.full_text", customer.address().full_text(),
                                 kMaxAddressCodePoints, true);
      !status) {
    return status;
  }
  if (customer.address().has_geo()) {
    const auto& geo = customer.address().geo();
    // Written as "not inside" so NaN is refused too.
    if (!(geo.latitude() >= -90 && geo.latitude() <= 90)) {
      return Invalid("address.geo.latitude", "must be -90..90");
    }
    if (!(geo.longitude() >= -180 && geo.longitude() <= 180)) {
      return Invalid("address.geo.longitude", "must be -180..180");
    }
  }
  if (customer.area_class() == v1::AREA_CLASS_UNSPECIFIED ||
      !v1::AreaClass_IsValid(customer.area_class())) {
    return Invalid("area_class", "must be urban, rural or remote");
  }
  if (auto status = ValidateSupplyId("supply.feeder_id", customer.supply().feeder_id()); !status) {
    return status;
  }
  if (auto status = ValidateSupplyId("supply.transformer_id", customer.supply().transformer_id());
      !status) {
    return status;
  }
  if (!customer.supply().substation_id().empty()) {
    if (auto status = ValidateSupplyId("supply.substation_id", customer.supply().substation_id());
        !status) {
      return status;
    }
  }
  if (auto status = ValidateSupplyId("meter_number", customer.meter_number()); !status) {
    return status;
  }
  for (int i = 0; i < customer.tags_size(); ++i) {
    if (customer.tags(i) == v1::CUSTOMER_TAG_UNSPECIFIED ||
        !v1::CustomerTag_IsValid(customer.tags(i))) {
      return Invalid("tags[" + std::to_string(i) + "]", "unknown tag");
    }
  }
  return {};
}

v1::Customer Normalized(v1::Customer customer) {
  for (auto& phone : *customer.mutable_phones()) {
    if (auto normalized = NormalizePhone(phone)) phone = *normalized;
  }
  std::set<int> seen;
  google::protobuf::RepeatedField<int> tags;
  for (const int tag : customer.tags()) {
    if (seen.insert(tag).second) tags.Add(tag);
  }
  *customer.mutable_tags() = tags;
  customer.clear_history();
  return customer;
}

}  // namespace gridcare::profile
