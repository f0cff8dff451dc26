#pragma once

#include <map>
#include <string>

namespace gridcare::kafka {

/// librdkafka properties set on top of our defaults (e.g. security.protocol, sasl.* in production).
/// Values given here win over the defaults below.
using ExtraConfig = std::map<std::string, std::string>;

/// Properties every GridCare producer uses:
///  - enable.idempotence=true (acks=all, no duplicates from producer retries);
///  - partitioner=murmur2_random, the Java client's default, so a key lands on the same partition
///    whichever language's client published it (channel adapters are Java, Python, Go...).
ExtraConfig DefaultProducerConfig();

/// Properties every GridCare consumer uses: offsets stored only by our code after effects are
/// durable (enable.auto.offset.store=false) and committed by librdkafka in the background; start
/// from the earliest offset when a group has none, so nothing published before the first start is
/// missed; fetches wait at most 100 ms for data, bounding the per-hop latency.
ExtraConfig DefaultConsumerConfig();

}  // namespace gridcare::kafka
