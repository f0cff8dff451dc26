#include "edges.h"

#include <httplib.h>

#include "gridcare/config/values.h"

namespace gridcare::ops {

core::Result<HttpAnswer> NetworkHealthProbe::Get(const std::string& address,
                                                 const std::string& path) {
  auto endpoint = config::ParseEndpoint(address);
  if (!endpoint) return endpoint.error();
  httplib::Client client(endpoint->host, endpoint->port);
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout_);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(timeout_ - seconds);
  client.set_connection_timeout(seconds.count(), micros.count());
  client.set_read_timeout(seconds.count(), micros.count());
  auto result = client.Get(path);
  if (!result) {
    return core::Unavailable("no answer to GET " + path + " (" +
                             httplib::to_string(result.error()) + ")");
  }
  return HttpAnswer{result->status, result->body};
}

core::Result<rpc::HealthStatus> NetworkHealthProbe::GrpcHealth(const std::string& target) {
  return rpc::CheckHealth(rpc::MakeChannel(target), "", timeout_);
}

NetworkEdges::NetworkEdges(const OperatorSettings& settings)
    : settings_(settings), api_(settings.targets, settings.timeout), probe_(settings.timeout) {}

core::Result<kafka::RecordReader*> NetworkEdges::Reader() {
  if (!reader_) {
    auto extra = KafkaExtraConfig(settings_.common);
    if (!extra) return extra.error();
    auto made = kafka::KafkaRecordReader::Create({settings_.common.kafka_bootstrap_servers,
                                                  settings_.common.kafka_client_id,
                                                  settings_.common.kafka_consumer_group, *extra});
    if (!made) return made.error();
    reader_ = std::move(made).value();
  }
  return reader_.get();
}

core::Result<kafka::EventPublisher*> NetworkEdges::Publisher() {
  if (!producer_) {
    // GridCare's producer settings (kafka::DefaultProducerConfig: idempotent, acks=all,
    // murmur2_random), as every service publishes.
    auto extra = KafkaExtraConfig(settings_.common);
    if (!extra) return extra.error();
    auto made = kafka::KafkaProducer::Create(
        {settings_.common.kafka_bootstrap_servers, settings_.common.kafka_client_id, *extra},
        nullptr);
    if (!made) return made.error();
    producer_ = std::move(made).value();
  }
  return producer_.get();
}

core::Result<kafka::TopicAdmin*> NetworkEdges::Admin() {
  if (!admin_) {
    auto extra = KafkaExtraConfig(settings_.common);
    if (!extra) return extra.error();
    auto made = kafka::KafkaTopicAdmin::Create(
        {settings_.common.kafka_bootstrap_servers, settings_.common.kafka_client_id, *extra});
    if (!made) return made.error();
    admin_ = std::move(made).value();
  }
  return admin_.get();
}

}  // namespace gridcare::ops
