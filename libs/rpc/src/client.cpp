#include "gridcare/rpc/client.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/channel_arguments.h>

#include <condition_variable>
#include <mutex>

#include "gridcare/rpc/status.h"
#include "runtime.h"

namespace gridcare::rpc {

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& target,
                                           const ChannelSettings& settings) {
  ConfigureGrpcRuntime();
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(settings.max_receive_message_bytes);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, static_cast<int>(settings.keepalive_time.count()));
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, static_cast<int>(settings.keepalive_timeout.count()));
  // Pinging idle connections would trip servers' too_many_pings protection (GOAWAY) for nothing:
  // an idle channel reconnects on the next call anyway.
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 0);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
}

void SetDeadline(grpc::ClientContext& context, std::chrono::milliseconds timeout) {
  context.set_deadline(std::chrono::system_clock::now() + timeout);
}

bool WaitForReady(const std::shared_ptr<grpc::Channel>& channel,
                  std::chrono::milliseconds timeout) {
  return channel->WaitForConnected(std::chrono::system_clock::now() + timeout);
}

}  // namespace gridcare::rpc

namespace gridcare::rpc {
namespace {

// HealthCheckRequest { string service = 1; }: tag 0x0A, varint length, bytes.
std::string EncodeHealthRequest(const std::string& service) {
  std::string out;
  if (service.empty()) return out;
  out.push_back('\x0A');
  size_t length = service.size();
  while (length >= 0x80) {
    out.push_back(static_cast<char>((length & 0x7F) | 0x80));
    length >>= 7;
  }
  out.push_back(static_cast<char>(length));
  return out + service;
}

}  // namespace

core::Result<HealthStatus> CheckHealth(const std::shared_ptr<grpc::Channel>& channel,
                                       const std::string& service,
                                       std::chrono::milliseconds timeout) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  SetDeadline(context, timeout);
  const std::string request = EncodeHealthRequest(service);
  grpc::Slice slice(request);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  grpc::Status status;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request_buffer,
                 &response_buffer, [&](grpc::Status s) {
                   std::lock_guard lock(mutex);
                   status = std::move(s);
                   done = true;
                   done_cv.notify_all();
                 });
  {
    std::unique_lock lock(mutex);
    done_cv.wait(lock, [&] { return done; });
  }
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) return HealthStatus::kServiceUnknown;
  if (!status.ok()) return FromGrpcStatus(status);
  std::vector<grpc::Slice> slices;
  if (!response_buffer.Dump(&slices).ok()) return core::Internal("unreadable health response");
  std::string response;
  for (const auto& s : slices) response.append(reinterpret_cast<const char*>(s.begin()), s.size());
  // HealthCheckResponse { ServingStatus status = 1; }: tag 0x08 then a small varint. An absent
  // field is UNKNOWN (0).
  if (response.size() >= 2 && response[0] == '\x08') {
    switch (response[1]) {
      case 1:
        return HealthStatus::kServing;
      case 2:
        return HealthStatus::kNotServing;
      case 3:
        return HealthStatus::kServiceUnknown;
      default:
        break;
    }
  }
  return HealthStatus::kUnknown;
}

const char* HealthStatusName(HealthStatus status) {
  switch (status) {
    case HealthStatus::kServing:
      return "SERVING";
    case HealthStatus::kNotServing:
      return "NOT_SERVING";
    case HealthStatus::kServiceUnknown:
      return "SERVICE_UNKNOWN";
    case HealthStatus::kUnknown:
      break;
  }
  return "UNKNOWN";
}

}  // namespace gridcare::rpc
