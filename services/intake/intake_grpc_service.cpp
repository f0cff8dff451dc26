#include "intake_grpc_service.h"

#include "gridcare/rpc/status.h"

namespace gridcare::intake {
namespace {
constexpr auto kAcknowledgementTimeout = std::chrono::seconds(5);
}  // namespace

grpc::Status StatusFor(const Rejection& rejection) {
  const std::string message = (rejection.field.empty() ? "" : rejection.field + ": ") +
                              rejection.detail + " (" + v1::RejectionReason_Name(rejection.reason) +
                              ")";
  switch (rejection.reason) {
    case v1::REJECTION_REASON_UNKNOWN_CUSTOMER:
      return grpc::Status(grpc::StatusCode::NOT_FOUND, message);
    case v1::REJECTION_REASON_AMBIGUOUS_CUSTOMER:
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, message);
    case v1::REJECTION_REASON_DUPLICATE_CONFLICT:
      return grpc::Status(grpc::StatusCode::ALREADY_EXISTS, message);
    default:
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, message);
  }
}

grpc::Status IntakeGrpcService::Submit(grpc::ServerContext*, const v1::SubmitRequest* request,
                                       v1::SubmitResponse* response) {
  auto result = core_.Submit(request->request());
  if (!result) return rpc::ToGrpcStatus(result.error());
  // The customer hears a ticket number only once its events are durable.
  if (auto flushed = publisher_.Flush(kAcknowledgementTimeout); !flushed) {
    return rpc::ToGrpcStatus(flushed.error());
  }
  if (metrics_) metrics_->Count(request->request(), *result);
  if (const auto* rejection = std::get_if<Rejection>(&*result)) return StatusFor(*rejection);
  *response = std::get<v1::SubmitResponse>(std::move(*result));
  return grpc::Status::OK;
}

grpc::Status IntakeGrpcService::Track(grpc::ServerContext*, const v1::TrackRequest* request,
                                      v1::TrackResponse* response) {
  auto result = core_.Track(*request);
  if (!result) return rpc::ToGrpcStatus(result.error());
  *response = std::move(result).value();
  return grpc::Status::OK;
}

}  // namespace gridcare::intake
