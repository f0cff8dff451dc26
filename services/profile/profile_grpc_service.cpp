#include "profile_grpc_service.h"

#include "customer_validation.h"
#include "gridcare/rpc/status.h"

namespace gridcare::profile {
namespace {

grpc::Status Invalid(const std::string& message) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, message);
}

struct Scope {
  SupplyScope kind;
  std::string id;
};

core::Result<Scope> ScopeOf(const v1::ListCustomersBySupplyRequest& request) {
  switch (request.scope_case()) {
    case v1::ListCustomersBySupplyRequest::kTransformerId:
      if (request.transformer_id().empty())
        return core::InvalidArgument("transformer_id: is empty");
      return Scope{SupplyScope::kTransformer, request.transformer_id()};
    case v1::ListCustomersBySupplyRequest::kFeederId:
      if (request.feeder_id().empty()) return core::InvalidArgument("feeder_id: is empty");
      return Scope{SupplyScope::kFeeder, request.feeder_id()};
    default:
      return core::InvalidArgument("scope: set transformer_id or feeder_id");
  }
}

grpc::ServerUnaryReactor* Finished(grpc::CallbackServerContext* context, grpc::Status status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(std::move(status));
  return reactor;
}

}  // namespace

grpc::ServerUnaryReactor* ProfileGrpcService::GetCustomer(grpc::CallbackServerContext* context,
                                                          const v1::GetCustomerRequest* request,
                                                          v1::Customer* response) {
  return Finished(context, AnswerGetCustomer(*request, *response));
}

grpc::ServerUnaryReactor* ProfileGrpcService::LookupByPhone(grpc::CallbackServerContext* context,
                                                            const v1::LookupByPhoneRequest* request,
                                                            v1::LookupByPhoneResponse* response) {
  return Finished(context, AnswerLookupByPhone(*request, *response));
}

grpc::ServerUnaryReactor* ProfileGrpcService::LookupByMeter(grpc::CallbackServerContext* context,
                                                            const v1::LookupByMeterRequest* request,
                                                            v1::Customer* response) {
  return Finished(context, AnswerLookupByMeter(*request, *response));
}

grpc::ServerUnaryReactor* ProfileGrpcService::BatchGetCustomers(
    grpc::CallbackServerContext* context, const v1::BatchGetCustomersRequest* request,
    v1::BatchGetCustomersResponse* response) {
  return Finished(context, AnswerBatchGetCustomers(*request, *response));
}

grpc::Status ProfileGrpcService::AnswerGetCustomer(const v1::GetCustomerRequest& request,
                                                   v1::Customer& response) {
  if (auto valid = ValidateCustomerId(request.customer_id()); !valid) {
    return rpc::ToGrpcStatus(valid.error());
  }
  auto customer = store_.Get(request.customer_id());
  if (!customer) return rpc::ToGrpcStatus(customer.error());
  response = std::move(customer).value();
  return grpc::Status::OK;
}

grpc::Status ProfileGrpcService::AnswerLookupByPhone(const v1::LookupByPhoneRequest& request,
                                                     v1::LookupByPhoneResponse& response) {
  const auto phone = NormalizePhone(request.phone());
  if (!phone) return Invalid("phone: not a phone number");
  auto ids = store_.IdsByPhone(*phone);
  if (!ids) return rpc::ToGrpcStatus(ids.error());
  auto found = store_.GetMany(*ids);
  if (!found) return rpc::ToGrpcStatus(found.error());
  for (auto& customer : found->first) *response.add_customers() = std::move(customer);
  return grpc::Status::OK;
}

grpc::Status ProfileGrpcService::AnswerLookupByMeter(const v1::LookupByMeterRequest& request,
                                                     v1::Customer& response) {
  if (request.meter_number().empty() || request.meter_number().size() > 64) {
    return Invalid("meter_number: must be 1-64 characters");
  }
  auto id = store_.IdByMeter(request.meter_number());
  if (!id) return rpc::ToGrpcStatus(id.error());
  if (!id->has_value()) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "no customer has meter " + request.meter_number());
  }
  auto customer = store_.Get(**id);
  if (!customer) return rpc::ToGrpcStatus(customer.error());
  response = std::move(customer).value();
  return grpc::Status::OK;
}

grpc::Status ProfileGrpcService::AnswerBatchGetCustomers(
    const v1::BatchGetCustomersRequest& request, v1::BatchGetCustomersResponse& response) {
  if (request.customer_ids_size() > kMaxBatch) {
    return Invalid("customer_ids: at most " + std::to_string(kMaxBatch) + " per call");
  }
  std::vector<std::string> ids;
  ids.reserve(request.customer_ids_size());
  for (int i = 0; i < request.customer_ids_size(); ++i) {
    if (auto valid = ValidateCustomerId(request.customer_ids(i)); !valid) {
      return Invalid("customer_ids[" + std::to_string(i) + "]: " + valid.error().message);
    }
    ids.push_back(request.customer_ids(i));
  }
  auto found = store_.GetMany(ids);
  if (!found) return rpc::ToGrpcStatus(found.error());
  for (auto& customer : found->first) *response.add_customers() = std::move(customer);
  for (auto& id : found->second) response.add_missing_customer_ids(std::move(id));
  return grpc::Status::OK;
}

grpc::Status ProfileGrpcService::ListCustomersBySupply(
    grpc::ServerContext*, const v1::ListCustomersBySupplyRequest* request,
    v1::ListCustomersBySupplyResponse* response) {
  auto scope = ScopeOf(*request);
  if (!scope) return rpc::ToGrpcStatus(scope.error());
  int page_size = request->page_size() == 0 ? kDefaultPageSize : request->page_size();
  if (page_size < 0 || page_size > kMaxPageSize) {
    return Invalid("page_size: must be 1.." + std::to_string(kMaxPageSize));
  }
  if (!request->page_token().empty() && !ValidateCustomerId(request->page_token()).ok()) {
    return Invalid("page_token: not a token from a previous page");
  }
  auto page = store_.ListBySupply(scope->kind, scope->id, page_size, request->page_token());
  if (!page) return rpc::ToGrpcStatus(page.error());
  for (auto& customer : page->customers) *response->add_customers() = std::move(customer);
  response->set_next_page_token(page->next_page_token);
  response->set_total_count(page->total_count);
  return grpc::Status::OK;
}

grpc::Status ProfileGrpcService::StreamCustomersBySupply(
    grpc::ServerContext* context, const v1::ListCustomersBySupplyRequest* request,
    grpc::ServerWriter<v1::Customer>* writer) {
  auto scope = ScopeOf(*request);
  if (!scope) return rpc::ToGrpcStatus(scope.error());
  constexpr int kStreamPage = 1000;
  std::string token;
  do {
    if (context->IsCancelled()) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "caller cancelled or deadline passed");
    }
    auto page = store_.ListBySupply(scope->kind, scope->id, kStreamPage, token);
    if (!page) return rpc::ToGrpcStatus(page.error());
    for (const auto& customer : page->customers) {
      if (!writer->Write(customer)) {
        return grpc::Status(grpc::StatusCode::CANCELLED, "caller went away");
      }
    }
    token = page->next_page_token;
  } while (!token.empty());
  return grpc::Status::OK;
}

grpc::Status ProfileGrpcService::CountCustomers(grpc::ServerContext*,
                                                const v1::CountCustomersRequest* request,
                                                v1::CountCustomersResponse* response) {
  constexpr size_t kMaxDistrict = 128;
  if (request->district().size() > kMaxDistrict) {
    return Invalid("district: at most " + std::to_string(kMaxDistrict) + " bytes");
  }
  auto count = store_.CountCustomers(request->district());
  if (!count) return rpc::ToGrpcStatus(count.error());
  response->set_count(*count);
  return grpc::Status::OK;
}

grpc::Status ProfileGrpcService::UpsertCustomer(grpc::ServerContext*,
                                                const v1::UpsertCustomerRequest* request,
                                                v1::UpsertCustomerResponse* response) {
  if (!request->has_customer()) return Invalid("customer: is required");
  if (request->expected_version() < 0) return Invalid("expected_version: must be >= 0");
  auto outcome = store_.Upsert(request->customer(), request->expected_version());
  if (!outcome) return rpc::ToGrpcStatus(outcome.error());
  *response->mutable_customer() = std::move(outcome->customer);
  response->set_created(outcome->created);
  return grpc::Status::OK;
}

}  // namespace gridcare::profile
