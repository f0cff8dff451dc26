#include "gridcare/rpc/client.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

namespace gridcare::rpc {

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& target,
                                           const ChannelSettings& settings) {
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
