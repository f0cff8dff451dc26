#include "gridcare/kafka/client_config.h"

namespace gridcare::kafka {

ExtraConfig DefaultProducerConfig() {
  return {
      {"enable.idempotence", "true"},
      {"acks", "all"},
      {"partitioner", "murmur2_random"},
      {"linger.ms", "2"},
      {"message.timeout.ms", "60000"},
      {"queue.buffering.max.messages", "200000"},
  };
}

ExtraConfig DefaultConsumerConfig() {
  return {
      {"enable.auto.commit", "true"},
      {"enable.auto.offset.store", "false"},
      {"auto.commit.interval.ms", "1000"},
      {"auto.offset.reset", "earliest"},
      {"session.timeout.ms", "10000"},
      {"heartbeat.interval.ms", "1000"},
      {"max.poll.interval.ms", "300000"},
      {"partition.assignment.strategy", "range,roundrobin"},
      // A customer waiting on the phone is worth more than fewer fetch requests: with the default
      // 500 ms an idle partition adds up to half a second to every hop of a request's journey.
      {"fetch.wait.max.ms", "100"},
  };
}

}  // namespace gridcare::kafka
