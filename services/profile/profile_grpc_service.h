#pragma once

#include "gridcare/v1/profile.grpc.pb.h"
#include "profile_store.h"

namespace gridcare::profile {

/// ProfileService over gRPC: validates requests (INVALID_ARGUMENT naming the field), answers from
/// the store (NOT_FOUND for unknown customers), and stops streaming when the caller goes away or
/// its deadline passes. Thread-safe; `store` must outlive it.
class ProfileGrpcService final : public v1::ProfileService::Service {
 public:
  explicit ProfileGrpcService(ProfileStore& store) : store_(store) {}

  grpc::Status GetCustomer(grpc::ServerContext* context, const v1::GetCustomerRequest* request,
                           v1::Customer* response) override;
  grpc::Status LookupByPhone(grpc::ServerContext* context,
                             const v1::LookupByPhoneRequest* request,
                             v1::LookupByPhoneResponse* response) override;
  grpc::Status LookupByMeter(grpc::ServerContext* context,
                             const v1::LookupByMeterRequest* request,
                             v1::Customer* response) override;
  grpc::Status BatchGetCustomers(grpc::ServerContext* context,
                                 const v1::BatchGetCustomersRequest* request,
                                 v1::BatchGetCustomersResponse* response) override;
  grpc::Status ListCustomersBySupply(grpc::ServerContext* context,
                                     const v1::ListCustomersBySupplyRequest* request,
                                     v1::ListCustomersBySupplyResponse* response) override;
  grpc::Status StreamCustomersBySupply(grpc::ServerContext* context,
                                       const v1::ListCustomersBySupplyRequest* request,
                                       grpc::ServerWriter<v1::Customer>* writer) override;
  grpc::Status UpsertCustomer(grpc::ServerContext* context,
                              const v1::UpsertCustomerRequest* request,
                              v1::UpsertCustomerResponse* response) override;

  static constexpr int kDefaultPageSize = 500;
  static constexpr int kMaxPageSize = 5000;
  static constexpr int kMaxBatch = 1000;

 private:
  ProfileStore& store_;
};

}  // namespace gridcare::profile
