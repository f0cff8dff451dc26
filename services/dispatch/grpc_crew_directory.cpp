#include "grpc_crew_directory.h"

#include "gridcare/rpc/client.h"
#include "gridcare/rpc/status.h"

namespace gridcare::dispatch {

GrpcCrewDirectory::GrpcCrewDirectory(std::shared_ptr<grpc::Channel> channel,
                                     std::chrono::milliseconds deadline)
    : stub_(v1::CrewService::NewStub(channel)), deadline_(deadline) {}

core::Result<std::vector<v1::Crew>> GrpcCrewDirectory::ListCrews() {
  std::vector<v1::Crew> crews;
  std::string page_token;
  for (int page = 0; page < 10'000; ++page) {
    v1::ListCrewsRequest request;
    request.set_page_size(500);
    request.set_page_token(page_token);
    v1::ListCrewsResponse response;
    grpc::ClientContext context;
    rpc::SetDeadline(context, deadline_);
    const auto status = stub_->ListCrews(&context, request, &response);
    if (!status.ok()) return rpc::FromGrpcStatus(status);
    for (auto& crew : *response.mutable_crews()) crews.push_back(std::move(crew));
    page_token = response.next_page_token();
    if (page_token.empty()) return crews;
  }
  return core::Internal("crew service kept returning page tokens");
}

}  // namespace gridcare::dispatch
