#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gridcare/core/error.h"
#include "gridcare/v1/profile.pb.h"

namespace gridcare::profile {

/// Canonical form of a phone number for lookups, so every way of writing one number finds the same
/// accounts: mainland numbers in national form, digits only ("+86 138-1234-5678" and
/// "8613812345678" -> "13812345678"; "+86 20 1234 5678", "0086 20 1234 5678" and "020-12345678"
/// -> "02012345678"); foreign numbers as "+<country code><number>". Nothing when it is not a
/// plausible phone number (7–15 digits after normalisation).
std::optional<std::string> NormalizePhone(std::string_view phone);

/// Checks a customer id: 1–64 characters of [A-Za-z0-9_-].
core::Status ValidateCustomerId(std::string_view customer_id);

/// Checks a customer record before upsert. INVALID_ARGUMENT naming the first offending field,
/// e.g. "phones[1]: not a phone number". History counters and version are ignored (the service
/// owns them).
core::Status ValidateCustomer(const v1::Customer& customer);

/// The record as stored: phones normalised, history cleared, tags de-duplicated.
v1::Customer Normalized(v1::Customer customer);

}  // namespace gridcare::profile
