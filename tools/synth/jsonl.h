#pragma once

// JSON Lines output of a synthetic utility: network.jsonl, crews.jsonl, customers.jsonl.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "gridcare/core/error.h"
#include "gridcare/synth/sink.h"
#include "gridcare/synth/utility.h"

namespace gridcare::synth_tool {

// A file written under "<path>.tmp" and renamed into place by Commit(), so readers never see a
// half-written file. Not thread-safe.
class JsonlFile {
 public:
  explicit JsonlFile(std::filesystem::path path);
  ~JsonlFile();
  JsonlFile(const JsonlFile&) = delete;
  JsonlFile& operator=(const JsonlFile&) = delete;

  core::Status status() const;
  void WriteLine(std::string_view json);
  int64_t lines() const { return lines_; }
  core::Status Commit();

 private:
  std::filesystem::path path_;
  std::filesystem::path temporary_;
  std::ofstream out_;
  int64_t lines_ = 0;
  bool committed_ = false;
};

// Protobuf JSON (proto field names, enums by name) of each customer, one per line.
class JsonlCustomerSink final : public synth::CustomerSink {
 public:
  explicit JsonlCustomerSink(std::filesystem::path path) : file_(std::move(path)) {}
  core::Status Write(const v1::Customer& customer) override;
  core::Status Finish() override { return file_.Commit(); }

 private:
  JsonlFile file_;
  std::string json_;
};

// One object per district, depot, substation, feeder and transformer area, each with a "kind";
// parents come before their children. Returns the number of lines or the error.
core::Result<int64_t> WriteNetwork(const synth::Utility& utility,
                                   const std::filesystem::path& path);
// Protobuf JSON of each Crew.
core::Result<int64_t> WriteCrews(const synth::Utility& utility, const std::filesystem::path& path);

}  // namespace gridcare::synth_tool
