#include "runtime.h"

#include <absl/synchronization/mutex.h>

#include <mutex>

namespace gridcare::rpc {

void ConfigureGrpcRuntime() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Debian's Abseil keeps mutex deadlock detection on, so every lock gRPC takes also updates a
    // global lock graph: about 4% of the profile service's CPU under lookups (perf). Our own locks
    // are std::mutex, which it never covered.
    absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  });
}

}  // namespace gridcare::rpc
