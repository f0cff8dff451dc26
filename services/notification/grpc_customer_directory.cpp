#include "grpc_customer_directory.h"

#include <grpcpp/grpcpp.h>

#include "gridcare/rpc/status.h"

namespace gridcare::notification {

GrpcCustomerDirectory::GrpcCustomerDirectory(std::shared_ptr<grpc::Channel> channel,
                                             std::chrono::milliseconds deadline,
                                             std::chrono::milliseconds stream_deadline,
                                             size_t batch_size)
    : stub_(v1::ProfileService::NewStub(std::move(channel))),
      deadline_(deadline),
      stream_deadline_(stream_deadline),
      batch_size_(batch_size == 0 ? 1 : batch_size) {}

core::Result<std::optional<v1::Customer>> GrpcCustomerDirectory::Get(
    const std::string& customer_id) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + deadline_);
  v1::GetCustomerRequest request;
  request.set_customer_id(customer_id);
  v1::Customer customer;
  const grpc::Status status = stub_->GetCustomer(&context, request, &customer);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) return std::optional<v1::Customer>{};
  if (!status.ok()) return rpc::FromGrpcStatus(status);
  return std::optional(std::move(customer));
}

core::Status GrpcCustomerDirectory::ForEachOnSupply(
    const std::string& feeder_id, const std::string& transformer_id,
    const std::function<core::Status(const std::vector<v1::Customer>&)>& each) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + stream_deadline_);
  v1::ListCustomersBySupplyRequest request;
  if (!transformer_id.empty()) {
    request.set_transformer_id(transformer_id);
  } else {
    request.set_feeder_id(feeder_id);
  }
  auto reader = stub_->StreamCustomersBySupply(&context, request);
  std::vector<v1::Customer> batch;
  batch.reserve(batch_size_);
  v1::Customer customer;
  while (reader->Read(&customer)) {
    batch.push_back(std::move(customer));
    customer = v1::Customer();
    if (batch.size() >= batch_size_) {
      if (auto status = each(batch); !status) {
        context.TryCancel();
        reader->Finish();
        return status;
      }
      batch.clear();
    }
  }
  const grpc::Status finished = reader->Finish();
  if (!finished.ok()) return rpc::FromGrpcStatus(finished);
  if (!batch.empty()) return each(batch);
  return {};
}

}  // namespace gridcare::notification
