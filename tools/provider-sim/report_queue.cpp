#include "report_queue.h"

namespace gridcare::provider_sim {

void ReportQueue::Push(PendingReport report) { queue_.push(std::move(report)); }

std::vector<PendingReport> ReportQueue::TakeDue(core::TimePoint now, std::size_t max) {
  std::vector<PendingReport> out;
  while (!queue_.empty() && out.size() < max && queue_.top().due <= now) {
    // top() is const; the element is popped right after, so moving from it is safe.
    out.push_back(std::move(const_cast<PendingReport&>(queue_.top())));  // NOLINT
    queue_.pop();
  }
  return out;
}

std::optional<core::TimePoint> ReportQueue::NextDue() const {
  if (queue_.empty()) return std::nullopt;
  return queue_.top().due;
}

void ReportQueue::Clear() { queue_ = {}; }

}  // namespace gridcare::provider_sim
