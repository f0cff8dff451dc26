#pragma once

#include <map>
#include <mutex>
#include <string>

#include "profile_directory.h"

namespace gridcare::intake {

/// ProfileDirectory in memory, for tests: customers added by hand, matched by id, meter number or
/// first phone; can be told to fail. Thread-safe.
class FakeProfileDirectory final : public ProfileDirectory {
 public:
  void Add(const v1::Customer& customer);
  void FailNext(int calls) { failing_ = calls; }
  core::Result<Identification> Identify(const v1::CustomerReference& reference) override;

 private:
  std::mutex mutex_;
  std::map<std::string, v1::Customer> by_id_;
  int failing_ = 0;
};

}  // namespace gridcare::intake
