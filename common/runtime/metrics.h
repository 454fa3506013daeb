// What every component's metrics share: the histogram buckets of a latency in seconds, from half a
// millisecond (a batch stored) to 2.5 s (a slow HTTP request). One list, so that dashboards can
// compare the components' quantiles.
#pragma once

#include <prometheus/histogram.h>

namespace mwp {

inline const prometheus::Histogram::BucketBoundaries& latencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries buckets{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  return buckets;
}

}  // namespace mwp
