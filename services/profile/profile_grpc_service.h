#pragma once

#include "gridcare/v1/profile.grpc.pb.h"
#include "profile_store.h"

namespace gridcare::profile {

/// The lookups every contact and every fault ticket makes run on gRPC's callback API; the rest
/// (listing, streaming, upsert) stay on the synchronous API.
using ProfileServiceBase = v1::ProfileService::WithCallbackMethod_GetCustomer<
    v1::ProfileService::WithCallbackMethod_LookupByPhone<
        v1::ProfileService::WithCallbackMethod_LookupByMeter<
            v1::ProfileService::WithCallbackMethod_BatchGetCustomers<
                v1::ProfileService::Service>>>>;

/// ProfileService over gRPC: validates requests (INVALID_ARGUMENT naming the field), answers from
/// the store (NOT_FOUND for unknown customers), and stops streaming when the caller goes away or
/// its deadline passes. Thread-safe; `store` must outlive it.
///
/// The callback lookups read Redis inline on the gRPC thread that received the call. A lookup is
/// one pipelined round trip bounded by the Redis command timeout, and answering inline avoids the
/// synchronous server's hand-off between its polling and handler threads, which cost more CPU
/// than the lookup itself (bench/profile: 12.7k -> see docs/services/profile.md).
class ProfileGrpcService final : public ProfileServiceBase {
 public:
  explicit ProfileGrpcService(ProfileStore& store) : store_(store) {}

  grpc::ServerUnaryReactor* GetCustomer(grpc::CallbackServerContext* context,
                                        const v1::GetCustomerRequest* request,
                                        v1::Customer* response) override;
  grpc::ServerUnaryReactor* LookupByPhone(grpc::CallbackServerContext* context,
                                          const v1::LookupByPhoneRequest* request,
                                          v1::LookupByPhoneResponse* response) override;
  grpc::ServerUnaryReactor* LookupByMeter(grpc::CallbackServerContext* context,
                                          const v1::LookupByMeterRequest* request,
                                          v1::Customer* response) override;
  grpc::ServerUnaryReactor* BatchGetCustomers(grpc::CallbackServerContext* context,
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
  grpc::Status CountCustomers(grpc::ServerContext* context,
                              const v1::CountCustomersRequest* request,
                              v1::CountCustomersResponse* response) override;

  static constexpr int kDefaultPageSize = 500;
  static constexpr int kMaxPageSize = 5000;
  static constexpr int kMaxBatch = 1000;

 private:
  grpc::Status AnswerGetCustomer(const v1::GetCustomerRequest& request, v1::Customer& response);
  grpc::Status AnswerLookupByPhone(const v1::LookupByPhoneRequest& request,
                                   v1::LookupByPhoneResponse& response);
  grpc::Status AnswerLookupByMeter(const v1::LookupByMeterRequest& request, v1::Customer& response);
  grpc::Status AnswerBatchGetCustomers(const v1::BatchGetCustomersRequest& request,
                                       v1::BatchGetCustomersResponse& response);

  ProfileStore& store_;
};

}  // namespace gridcare::profile
