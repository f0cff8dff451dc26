#include "customer_counter.h"

#include <grpcpp/grpcpp.h>

#include "gridcare/rpc/client.h"
#include "gridcare/rpc/status.h"

namespace gridcare::analytics {

GrpcCustomerCounter::GrpcCustomerCounter(std::shared_ptr<grpc::Channel> channel,
                                         std::chrono::milliseconds deadline)
    : stub_(v1::ProfileService::NewStub(std::move(channel))), deadline_(deadline) {}

core::Result<int64_t> GrpcCustomerCounter::Count(const std::string& district) {
  grpc::ClientContext context;
  rpc::SetDeadline(context, deadline_);
  v1::CountCustomersRequest request;
  request.set_district(district);
  v1::CountCustomersResponse response;
  const grpc::Status status = stub_->CountCustomers(&context, request, &response);
  if (!status.ok()) return rpc::FromGrpcStatus(status);
  return response.count();
}

}  // namespace gridcare::analytics
