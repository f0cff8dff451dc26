#include "profile_directory.h"

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
