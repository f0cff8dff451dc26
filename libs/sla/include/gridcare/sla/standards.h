#pragma once

#include <chrono>
#include <string_view>

#include "gridcare/core/error.h"

namespace gridcare::sla {

/// The service-time standards one installation (tenant) promises its customers. Defaults are the
/// SGCC commitments of design.md section 5. Plain value type.
struct ServiceStandards {
  /// Repair crew on site after a fault report, by area class.
  std::chrono::minutes arrival_urban{45}, arrival_rural{90}, arrival_remote{120};
  /// Supply restored after the crew arrived, by area class (CSG: 4 h urban / 5 h rural).
  std::chrono::minutes restoration_urban{180}, restoration_rural{240}, restoration_remote{240};
  /// First contact with a complainant (wall time).
  std::chrono::hours complaint_contact{24};
  int complaint_reply_working_days = 5;
  int new_connection_residential_working_days = 5;
  int new_connection_non_residential_working_days = 6;
  int meter_dispute_working_days = 5;         // meter check result
  int other_application_working_days = 5;     // capacity change, transfer, ...
  int report_reply_working_days = 9;          // 举报 (report / tip-off) reply
  int opinion_reply_working_days = 5;         // 意见 / 建议 (opinion, suggestion) reply
  std::chrono::hours consultation_reply{24};  // consultations not answered at first contact

  /// Overrides on top of the defaults. Any subset of these keys (units in the name):
  ///   arrival_{urban,rural,remote}_minutes, restoration_{urban,rural,remote}_minutes   1..43200
  ///   complaint_contact_hours, consultation_reply_hours                                1..8760
  ///   complaint_reply_working_days, new_connection_residential_working_days,
  ///   new_connection_non_residential_working_days, meter_dispute_working_days,
  ///   other_application_working_days, report_reply_working_days,
  ///   opinion_reply_working_days                                                      1..365
  /// plus an optional string "note". Values must be JSON integers in range.
  /// INVALID_ARGUMENT naming the key: malformed JSON, not an object, unknown key, wrong type,
  /// out of range.
  static core::Result<ServiceStandards> FromJson(std::string_view json);

  bool operator==(const ServiceStandards&) const = default;
};

}  // namespace gridcare::sla
