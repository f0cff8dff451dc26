#pragma once

#include <prometheus/histogram.h>

namespace gridcare::metrics {

/// Histogram bucket bounds for handling one event or one RPC: 1 ms .. 10 s. Shared so that stage
/// and gRPC latency panels line up on the same bounds.
const prometheus::Histogram::BucketBoundaries& LatencyBucketsSeconds();

}  // namespace gridcare::metrics
