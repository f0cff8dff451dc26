#include "gridcare/testing/topic_reader.h"

#include <stdexcept>

#include "gridcare/core/ids.h"

namespace gridcare::testing {

TopicReader::TopicReader(const std::string& bootstrap, std::vector<std::string> topics)
    : metrics_(registry_, "reader"), handler_([this](const kafka::ConsumedMessage& m) {
        std::lock_guard lock(mutex_);
        messages_.push_back(m);
        return kafka::HandleResult::Done();
      }) {
  kafka::ConsumerSettings settings;
  settings.bootstrap_servers = bootstrap;
  settings.group_id = "reader-" + core::UuidV7Generator(clock_).NewId();  // a group of its own
  settings.topics = std::move(topics);
  settings.max_batch_time = std::chrono::milliseconds(20);
  loop_ = std::make_unique<kafka::ConsumerLoop>(settings, handler_, publisher_, nullptr, metrics_,
                                                clock_);
  if (!loop_->Start().ok()) throw std::runtime_error("topic reader did not start");
  thread_ = std::thread([this] { loop_->Run(); });
}

TopicReader::~TopicReader() {
  loop_->Stop();
  thread_.join();
}

std::vector<kafka::ConsumedMessage> TopicReader::Matching(
    const std::function<bool(const kafka::ConsumedMessage&)>& predicate) const {
  std::lock_guard lock(mutex_);
  std::vector<kafka::ConsumedMessage> out;
  for (const auto& m : messages_) {
    if (predicate(m)) out.push_back(m);
  }
  return out;
}

std::vector<kafka::ConsumedMessage> TopicReader::All() const {
  std::lock_guard lock(mutex_);
  return messages_;
}

}  // namespace gridcare::testing
