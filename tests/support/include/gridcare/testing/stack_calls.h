#pragma once

// Calls end-to-end tests make against the local stack (header only: the tests link gRPC and the
// contracts; the helpers library does not): IntakeService.Track and the dispatch events a
// TopicReader has seen.

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/rpc/client.h"
#include "gridcare/testing/topic_reader.h"
#include "gridcare/v1/dispatch.pb.h"
#include "gridcare/v1/intake.grpc.pb.h"

namespace gridcare::testing {

/// IntakeService.Track of `ticket_id` (5 s deadline); throws std::runtime_error when it fails.
inline v1::TrackResponse Track(v1::IntakeService::Stub& intake, const std::string& ticket_id) {
  v1::TrackRequest request;
  request.set_ticket_id(ticket_id);
  grpc::ClientContext context;
  rpc::SetDeadline(context, std::chrono::seconds(5));
  v1::TrackResponse response;
  const auto status = intake.Track(&context, request, &response);
  if (!status.ok()) throw std::runtime_error("Track failed: " + status.error_message());
  return response;
}

/// Every dispatch event of `ce_type` the reader has seen, decoded, in the order read.
inline std::vector<v1::DispatchEvent> DispatchEvents(const TopicReader& reader,
                                                     std::string_view ce_type) {
  std::vector<v1::DispatchEvent> out;
  for (const auto& message : reader.Matching([&](const kafka::ConsumedMessage& m) {
         return m.Header("ce_type").value_or("") == ce_type;
       })) {
    v1::DispatchEvent event;
    if (event.ParseFromString(message.value)) out.push_back(std::move(event));
  }
  return out;
}

}  // namespace gridcare::testing
