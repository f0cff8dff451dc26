#include "gridcare/metrics/buckets.h"

namespace gridcare::metrics {

const prometheus::Histogram::BucketBoundaries& LatencyBucketsSeconds() {
  // 1-2.5-5 steps: fine enough near the typical few-millisecond handler, and 10 s as the top so a
  // stuck dependency (Redis, broker timeouts) still lands in a finite bucket.
  static const prometheus::Histogram::BucketBoundaries kBuckets{
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0};
  return kBuckets;
}

}  // namespace gridcare::metrics
