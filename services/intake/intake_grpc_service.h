#pragma once

#include "gridcare/v1/intake.grpc.pb.h"
#include "intake_core.h"
#include "intake_metrics.h"

namespace gridcare::intake {

/// IntakeService over gRPC for interactive channels. Submit answers only after the request's
/// events are acknowledged by Kafka, so a ticket number given to a customer is never lost.
/// Rejections map to INVALID_ARGUMENT (bad field, size, UTF-8, enum), NOT_FOUND (unknown customer),
/// FAILED_PRECONDITION (ambiguous customer), ALREADY_EXISTS (request id reused). Thread-safe.
class IntakeGrpcService final : public v1::IntakeService::Service {
 public:
  /// `metrics` (may be null) counts each request's outcome.
  IntakeGrpcService(IntakeCore& core, kafka::EventPublisher& publisher,
                    IntakeMetrics* metrics = nullptr)
      : core_(core), publisher_(publisher), metrics_(metrics) {}
  grpc::Status Submit(grpc::ServerContext* context, const v1::SubmitRequest* request,
                      v1::SubmitResponse* response) override;
  grpc::Status Track(grpc::ServerContext* context, const v1::TrackRequest* request,
                     v1::TrackResponse* response) override;

 private:
  IntakeCore& core_;
  kafka::EventPublisher& publisher_;
  IntakeMetrics* metrics_;
};

/// The gRPC status for a rejection.
grpc::Status StatusFor(const Rejection& rejection);

}  // namespace gridcare::intake
