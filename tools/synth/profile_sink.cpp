#include "profile_sink.h"

namespace gridcare::synth_tool {

ProfileStoreSink::ProfileStoreSink(std::unique_ptr<redis::RedisClient> redis, size_t batch_size)
    : redis_(std::move(redis)), store_(*redis_, clock_, {}), batch_size_(batch_size) {
  batch_.reserve(batch_size_);
}

core::Status ProfileStoreSink::Write(const v1::Customer& customer) {
  batch_.push_back(customer);
  if (batch_.size() >= batch_size_) return FlushBatch();
  return {};
}

core::Status ProfileStoreSink::Finish() { return FlushBatch(); }

core::Status ProfileStoreSink::FlushBatch() {
  if (batch_.empty()) return {};
  if (auto status = store_.BulkLoad(batch_); !status) return status;
  loaded_ += static_cast<int64_t>(batch_.size());
  batch_.clear();
  return {};
}

}  // namespace gridcare::synth_tool
