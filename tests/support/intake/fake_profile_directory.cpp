#include "fake_profile_directory.h"

namespace gridcare::intake {

void FakeProfileDirectory::Add(const v1::Customer& customer) {
  std::lock_guard lock(mutex_);
  by_id_[customer.customer_id()] = customer;
}

core::Result<Identification> FakeProfileDirectory::Identify(const v1::CustomerReference& ref) {
  std::lock_guard lock(mutex_);
  if (failing_ > 0) {
    --failing_;
    return core::Unavailable("profile service unavailable (fake)");
  }
  Identification out;
  for (const auto& [id, customer] : by_id_) {
    const bool match =
        (ref.identity_case() == v1::CustomerReference::kCustomerId && id == ref.customer_id()) ||
        (ref.identity_case() == v1::CustomerReference::kMeterNumber &&
         customer.meter_number() == ref.meter_number()) ||
        (ref.identity_case() == v1::CustomerReference::kPhone && customer.phones_size() > 0 &&
         customer.phones(0) == ref.phone());
    if (!match) continue;
    out.candidate_ids.push_back(id);
    out.customer = customer;
  }
  if (out.candidate_ids.size() == 1) out.status = Identification::Status::kIdentified;
  if (out.candidate_ids.size() > 1) {
    out.status = Identification::Status::kAmbiguous;
    out.customer.Clear();
  }
  if (out.candidate_ids.size() < 2) out.candidate_ids.clear();
  return out;
}

}  // namespace gridcare::intake
