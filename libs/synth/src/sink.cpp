#include "gridcare/synth/sink.h"

#include <algorithm>

namespace gridcare::synth {

core::Status FanOutSink::Write(const v1::Customer& customer) {
  for (auto* sink : sinks_) {
    if (auto status = sink->Write(customer); !status) return status;
  }
  return {};
}

core::Status FanOutSink::Finish() {
  for (auto* sink : sinks_) {
    if (auto status = sink->Finish(); !status) return status;
  }
  return {};
}

core::Status StreamCustomers(const Utility& utility, CustomerSink& sink,
                             const ProgressCallback& progress, std::optional<IndexRange> range) {
  IndexRange all = range.value_or(IndexRange{0, utility.customer_count()});
  all.begin = std::max<int64_t>(all.begin, 0);
  all.end = std::min(all.end, utility.customer_count());
  const int64_t total = std::max<int64_t>(all.size(), 0);
  core::Status failure;
  // Chunks of kProgressStep: progress between them, and a failed sink stops the stream there.
  for (int64_t begin = all.begin; begin < all.end && failure.ok(); begin += kProgressStep) {
    const IndexRange chunk{begin, std::min(begin + kProgressStep, all.end)};
    utility.ForEachCustomer(chunk, [&](int64_t, const v1::Customer& customer) {
      if (failure.ok()) failure = sink.Write(customer);
    });
    if (progress && failure.ok()) progress(chunk.end - all.begin, total);
  }
  if (!failure.ok()) return failure;
  if (total == 0 && progress) progress(0, 0);
  return sink.Finish();
}

}  // namespace gridcare::synth
