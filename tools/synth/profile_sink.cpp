#include "profile_sink.h"

#include <algorithm>

namespace gridcare::synth_tool {

ProfileStoreSink::ProfileStoreSink(std::unique_ptr<redis::RedisClient> redis, size_t batch_size,
                                   int loaders)
    : redis_(std::move(redis)),
      store_(*redis_, clock_, {}),
      batch_size_(batch_size),
      max_queued_(static_cast<size_t>(std::max(1, loaders))) {
  batch_.reserve(batch_size_);
  for (int i = 0; i < std::max(1, loaders); ++i) loaders_.emplace_back([this] { LoadBatches(); });
}

ProfileStoreSink::~ProfileStoreSink() { StopLoaders(); }

core::Status ProfileStoreSink::Write(const v1::Customer& customer) {
  batch_.push_back(customer);
  if (batch_.size() >= batch_size_) return Enqueue();
  return {};
}

core::Status ProfileStoreSink::Enqueue() {
  std::unique_lock lock(mutex_);
  room_.wait(lock, [this] { return queue_.size() < max_queued_ || failure_; });
  if (failure_) return *failure_;
  queue_.push_back(std::move(batch_));
  batch_ = {};
  batch_.reserve(batch_size_);
  queued_.notify_one();
  return {};
}

core::Status ProfileStoreSink::Finish() {
  if (!batch_.empty()) {
    if (auto queued = Enqueue(); !queued) return queued;
  }
  {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [this] { return (queue_.empty() && busy_ == 0) || failure_; });
    if (failure_) return *failure_;
  }
  return {};
}

int64_t ProfileStoreSink::loaded() const {
  std::lock_guard lock(mutex_);
  return loaded_;
}

void ProfileStoreSink::LoadBatches() {
  for (;;) {
    std::vector<v1::Customer> batch;
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [this] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping with nothing left
      batch = std::move(queue_.front());
      queue_.pop_front();
      if (failure_) continue;  // the load has failed: Finish reports it, nothing more is written
      ++busy_;
    }
    room_.notify_all();
    auto status = store_.BulkLoad(batch);
    {
      std::lock_guard lock(mutex_);
      --busy_;
      if (status) {
        loaded_ += static_cast<int64_t>(batch.size());
      } else if (!failure_) {
        failure_ = status.error();
      }
    }
    room_.notify_all();
  }
}

void ProfileStoreSink::StopLoaders() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_all();
  for (auto& loader : loaders_) {
    if (loader.joinable()) loader.join();
  }
}

}  // namespace gridcare::synth_tool
