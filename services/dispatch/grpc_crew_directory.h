#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "directories.h"
#include "gridcare/v1/crew.grpc.pb.h"

namespace gridcare::dispatch {

/// CrewDirectory over CrewService.ListCrews, every page.
class GrpcCrewDirectory final : public CrewDirectory {
 public:
  GrpcCrewDirectory(std::shared_ptr<grpc::Channel> channel, std::chrono::milliseconds deadline);
  core::Result<std::vector<v1::Crew>> ListCrews() override;

 private:
  std::unique_ptr<v1::CrewService::Stub> stub_;
  std::chrono::milliseconds deadline_;
};

}  // namespace gridcare::dispatch
