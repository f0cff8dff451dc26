#include "profile_directory.h"

namespace gridcare::intake {

core::Result<std::map<std::string, v1::Customer>> ProfileDirectory::GetCustomers(
    const std::vector<std::string>& customer_ids) {
  std::map<std::string, v1::Customer> found;
  for (const auto& id : customer_ids) {
    v1::CustomerReference reference;
    reference.set_customer_id(id);
    auto identity = Identify(reference);
    if (!identity) return identity.error();
    if (identity->status == Identification::Status::kIdentified) {
      found[id] = std::move(identity->customer);
    }
  }
  return found;
}

}  // namespace gridcare::intake
