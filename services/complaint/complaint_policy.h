#pragma once

// The complaint service's tenant policy: reminders, the supervision ladder (督办), returns and
// bounces, contact and return-visit attempts, senior handling, coordination, the cause catalogue.
// Pure data plus its JSON reader (config/complaint-policy.json; every key optional, defaults
// below).

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/v1/common.pb.h"

namespace gridcare::complaint {

/// One rung of the supervision ladder, raised `after_breach` after a clock's deadline passed.
struct LadderRung {
  int level = 1;     ///< 1, 2, 3 …
  std::string role;  ///< who must act: "department-head", "service-dispatch-centre", …
  std::chrono::hours after_breach{0};
};

/// A root-cause code the reply must carry.
struct CauseCode {
  std::string code;  ///< e.g. "billing-estimate"
  v1::LocalizedText label;
};

struct ComplaintPolicy {
  /// Reminders before each deadline, in percent of the clock's time elapsed (strictly
  /// rising, 1..99).
  std::vector<int> reminder_percents{50, 80};
  /// Rungs after a breach (levels 1, 2, 3 … in order, after_breach not decreasing).
  std::vector<LadderRung> ladder{{1, "department-head", std::chrono::hours(0)},
                                 {2, "service-dispatch-centre", std::chrono::hours(24)},
                                 {3, "company-leadership", std::chrono::hours(72)}};
  /// A department may return a case once; the case's returns beyond `max_returns` in all go to
  /// the coordinator instead of the pool.
  int max_returns = 2;
  /// Unsuccessful contact attempts before the clocks may be paused as "customer unreachable".
  int contact_attempts_required = 3;
  /// Unsuccessful return-visit attempts after which the case closes as "return visit unreachable".
  int visit_attempts = 3;
  /// Dissatisfied return visits after which a reopened case goes to the coordinator.
  int dissatisfied_to_coordinator = 2;
  /// Share (0..1) of restored fault tickets that get a return visit (chosen by ticket id, stably).
  double fault_visit_share = 0.1;
  /// Sensitive or important customers: shorter internal deadlines.
  std::chrono::hours senior_contact{12};
  int senior_reply_working_days = 3;
  /// Sub-deadline of a coordination part when the request gives none.
  int coordination_working_days = 2;
  /// Request types whose cases close on reply without a return visit.
  std::vector<v1::RequestType> no_visit_types{v1::REQUEST_TYPE_PRAISE};
  std::vector<CauseCode> causes;  ///< empty: any non-empty cause code is accepted

  /// Reads the JSON policy. Unknown keys, wrong types and out-of-range values are errors naming
  /// the key (config::JsonReader). Keys: reminder_percents [int], ladder [{level, role,
  /// after_breach_hours}], max_returns, contact_attempts_required, visit_attempts,
  /// dissatisfied_to_coordinator, fault_visit_share, senior_contact_hours,
  /// senior_reply_working_days, coordination_working_days, no_visit_types ["praise", …],
  /// causes [{code, zh_cn, en}], note.
  static core::Result<ComplaintPolicy> FromJson(std::string_view json);

  /// Whether `code` is in the catalogue (or the catalogue is empty and `code` is not).
  bool IsKnownCause(std::string_view code) const;
  /// Whether cases of `type` close on reply without a return visit.
  bool ClosesWithoutVisit(v1::RequestType type) const;
  /// The rung of `level`, or null.
  const LadderRung* Rung(int level) const;
};

/// Whether the restored fault ticket `ticket_id` is sampled for a return visit under `share`:
/// a stable hash of the id (FNV-1a 64, then MurmurHash3's fmix64 finalizer so that sequential ids
/// spread evenly) mapped to [0,1) compared with share; 0 never, 1 always.
bool SampledForFaultVisit(std::string_view ticket_id, double share);

}  // namespace gridcare::complaint
