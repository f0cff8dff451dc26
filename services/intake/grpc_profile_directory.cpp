#include "grpc_profile_directory.h"

#include <algorithm>

#include "gridcare/rpc/client.h"
#include "gridcare/rpc/status.h"

namespace gridcare::intake {
namespace {

Identification One(v1::Customer customer) {
  Identification out;
  out.status = Identification::Status::kIdentified;
  out.customer = std::move(customer);
  return out;
}

Identification Unknown() { return {}; }

}  // namespace

GrpcProfileDirectory::GrpcProfileDirectory(std::shared_ptr<grpc::Channel> channel,
                                           std::chrono::milliseconds deadline)
    : stub_(v1::ProfileService::NewStub(channel)), deadline_(deadline) {}

core::Result<Identification> GrpcProfileDirectory::Identify(const v1::CustomerReference& ref) {
  grpc::ClientContext context;
  rpc::SetDeadline(context, deadline_);
  switch (ref.identity_case()) {
    case v1::CustomerReference::kCustomerId: {
      v1::GetCustomerRequest request;
      request.set_customer_id(ref.customer_id());
      v1::Customer customer;
      const auto status = stub_->GetCustomer(&context, request, &customer);
      if (status.error_code() == grpc::StatusCode::NOT_FOUND ||
          status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
        return Unknown();
      }
      if (!status.ok()) return rpc::FromGrpcStatus(status);
      return One(std::move(customer));
    }
    case v1::CustomerReference::kMeterNumber: {
      v1::LookupByMeterRequest request;
      request.set_meter_number(ref.meter_number());
      v1::Customer customer;
      const auto status = stub_->LookupByMeter(&context, request, &customer);
      if (status.error_code() == grpc::StatusCode::NOT_FOUND ||
          status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
        return Unknown();
      }
      if (!status.ok()) return rpc::FromGrpcStatus(status);
      return One(std::move(customer));
    }
    case v1::CustomerReference::kPhone: {
      v1::LookupByPhoneRequest request;
      request.set_phone(ref.phone());
      v1::LookupByPhoneResponse response;
      const auto status = stub_->LookupByPhone(&context, request, &response);
      if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) return Unknown();
      if (!status.ok()) return rpc::FromGrpcStatus(status);
      if (response.customers_size() == 0) return Unknown();
      if (response.customers_size() == 1) return One(response.customers(0));
      Identification out;
      out.status = Identification::Status::kAmbiguous;
      for (const auto& c : response.customers()) out.candidate_ids.push_back(c.customer_id());
      return out;
    }
    default:
      return Unknown();
  }
}

core::Result<std::map<std::string, v1::Customer>> GrpcProfileDirectory::GetCustomers(
    const std::vector<std::string>& customer_ids) {
  constexpr size_t kMaxPerCall = 1'000;  // the profile service's limit
  std::map<std::string, v1::Customer> found;
  for (size_t begin = 0; begin < customer_ids.size(); begin += kMaxPerCall) {
    const size_t end = std::min(customer_ids.size(), begin + kMaxPerCall);
    v1::BatchGetCustomersRequest request;
    for (size_t i = begin; i < end; ++i) request.add_customer_ids(customer_ids[i]);
    v1::BatchGetCustomersResponse response;
    grpc::ClientContext context;
    rpc::SetDeadline(context, deadline_);
    const auto status = stub_->BatchGetCustomers(&context, request, &response);
    // INVALID_ARGUMENT (an id that is not an id) fails the whole call: the caller then asks for
    // each customer on its own, where such an id is simply unknown.
    if (!status.ok()) return rpc::FromGrpcStatus(status);
    for (auto& customer : *response.mutable_customers()) {
      std::string id = customer.customer_id();
      found.emplace(std::move(id), std::move(customer));
    }
  }
  return found;
}

}  // namespace gridcare::intake
