#include "gridcare/kafka/topic_admin.h"

#include <librdkafka/rdkafka.h>

#include <functional>

namespace gridcare::kafka {
namespace {

template <typename T, void (*Destroy)(T*)>
struct Deleter {
  void operator()(T* p) const {
    if (p != nullptr) Destroy(p);
  }
};
using OptionsPtr = std::unique_ptr<rd_kafka_AdminOptions_t,
                                   Deleter<rd_kafka_AdminOptions_t, rd_kafka_AdminOptions_destroy>>;
using QueuePtr =
    std::unique_ptr<rd_kafka_queue_t, Deleter<rd_kafka_queue_t, rd_kafka_queue_destroy>>;
using EventPtr =
    std::unique_ptr<rd_kafka_event_t, Deleter<rd_kafka_event_t, rd_kafka_event_destroy>>;
using NewTopicPtr =
    std::unique_ptr<rd_kafka_NewTopic_t, Deleter<rd_kafka_NewTopic_t, rd_kafka_NewTopic_destroy>>;
using NewPartitionsPtr =
    std::unique_ptr<rd_kafka_NewPartitions_t,
                    Deleter<rd_kafka_NewPartitions_t, rd_kafka_NewPartitions_destroy>>;

/// A broker's or librdkafka's error code as our error kind, with `what` and librdkafka's text.
core::Error AdminError(rd_kafka_resp_err_t code, const std::string& what, const char* text) {
  std::string message =
      what + ": " + (text != nullptr && *text != '\0' ? text : rd_kafka_err2str(code));
  switch (code) {
    case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS:
      return {core::ErrorKind::kAlreadyExists, message};
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
      return core::NotFound(message);
    case RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE:
    case RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION:
      return core::FailedPrecondition(message + " (the brokers do not offer this Admin API call)");
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
      return {core::ErrorKind::kDeadlineExceeded, message};
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR_NOT_CONTROLLER:
    case RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE:
      return core::Unavailable(message);
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR__AUTHENTICATION:
    case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED:
      return {core::ErrorKind::kPermissionDenied, message};
    default:
      return core::InvalidArgument(message);
  }
}

/// Runs one Admin API call (`submit` enqueues it on the queue it is given) and waits for its
/// result event. The request-level error, if any, is returned as an Error.
core::Result<EventPtr> RunAdminCall(
    rd_kafka_t* handle, rd_kafka_admin_op_t op, std::chrono::milliseconds timeout,
    const std::string& what,
    const std::function<void(rd_kafka_AdminOptions_t*, rd_kafka_queue_t*)>& submit) {
  OptionsPtr options(rd_kafka_AdminOptions_new(handle, op));
  char error[512];
  const int ms = static_cast<int>(timeout.count());
  if (rd_kafka_AdminOptions_set_request_timeout(options.get(), ms, error, sizeof error) != 0 ||
      rd_kafka_AdminOptions_set_operation_timeout(options.get(), ms, error, sizeof error) != 0) {
    return core::InvalidArgument(what + ": " + error);
  }
  QueuePtr queue(rd_kafka_queue_new(handle));
  submit(options.get(), queue.get());
  // librdkafka answers by the request timeout; the margin only covers its own scheduling.
  EventPtr event(rd_kafka_queue_poll(queue.get(), ms + 5'000));
  if (!event) return core::Error{core::ErrorKind::kDeadlineExceeded, what + ": no answer"};
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return AdminError(rd_kafka_event_error(event.get()), what,
                      rd_kafka_event_error_string(event.get()));
  }
  return event;
}

core::Status TopicResult(const rd_kafka_topic_result_t* const* results, size_t count,
                         const std::string& what) {
  if (count != 1) return core::Internal(what + ": " + std::to_string(count) + " results for 1");
  const rd_kafka_resp_err_t code = rd_kafka_topic_result_error(results[0]);
  if (code == RD_KAFKA_RESP_ERR_NO_ERROR) return core::Status::Ok();
  return AdminError(code, what, rd_kafka_topic_result_error_string(results[0]));
}

}  // namespace

core::Result<std::unique_ptr<KafkaTopicAdmin>> KafkaTopicAdmin::Create(
    const TopicAdminSettings& settings) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char error[512];
  ExtraConfig properties = {
      {"bootstrap.servers", settings.bootstrap_servers},
      {"client.id", settings.client_id.empty() ? "gridcare-topic-admin" : settings.client_id}};
  for (const auto& [name, value] : settings.extra) properties[name] = value;
  for (const auto& [name, value] : properties) {
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error, sizeof error) !=
        RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return core::InvalidArgument("Kafka property " + name + ": " + error);
    }
  }
  rd_kafka_t* handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  if (handle == nullptr) {
    rd_kafka_conf_destroy(conf);
    return core::InvalidArgument(std::string("cannot create the Kafka admin client: ") + error);
  }
  return std::unique_ptr<KafkaTopicAdmin>(new KafkaTopicAdmin(handle));
}

KafkaTopicAdmin::~KafkaTopicAdmin() { rd_kafka_destroy(handle_); }

core::Result<std::map<std::string, int32_t>> KafkaTopicAdmin::Topics(
    std::chrono::milliseconds timeout) {
  const rd_kafka_metadata_t* metadata = nullptr;
  const rd_kafka_resp_err_t code =
      rd_kafka_metadata(handle_, 1, nullptr, &metadata, static_cast<int>(timeout.count()));
  if (code != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return AdminError(code == RD_KAFKA_RESP_ERR__TIMED_OUT ? RD_KAFKA_RESP_ERR__TRANSPORT : code,
                      "Kafka metadata", nullptr);
  }
  std::map<std::string, int32_t> topics;
  for (int i = 0; i < metadata->topic_cnt; ++i) {
    const auto& topic = metadata->topics[i];
    if (topic.err == RD_KAFKA_RESP_ERR_NO_ERROR) topics[topic.topic] = topic.partition_cnt;
  }
  rd_kafka_metadata_destroy(metadata);
  return topics;
}

core::Status KafkaTopicAdmin::Create(const NewTopic& topic, std::chrono::milliseconds timeout) {
  const std::string what = "CreateTopics " + topic.name;
  char error[512];
  NewTopicPtr request(rd_kafka_NewTopic_new(topic.name.c_str(), topic.partitions,
                                            topic.replication_factor, error, sizeof error));
  if (!request) return core::InvalidArgument(what + ": " + error);
  for (const auto& [name, value] : topic.config) {
    if (rd_kafka_NewTopic_set_config(request.get(), name.c_str(), value.c_str()) !=
        RD_KAFKA_RESP_ERR_NO_ERROR) {
      return core::InvalidArgument(what + ": config " + name + " refused");
    }
  }
  rd_kafka_NewTopic_t* requests[] = {request.get()};
  auto event = RunAdminCall(handle_, RD_KAFKA_ADMIN_OP_CREATETOPICS, timeout, what,
                            [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                              rd_kafka_CreateTopics(handle_, requests, 1, options, queue);
                            });
  if (!event) return event.error();
  size_t count = 0;
  const auto* results =
      rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event->get()), &count);
  return TopicResult(results, count, what);
}

core::Status KafkaTopicAdmin::AddPartitions(const std::string& topic, int32_t total,
                                            std::chrono::milliseconds timeout) {
  const std::string what = "CreatePartitions " + topic;
  char error[512];
  NewPartitionsPtr request(
      rd_kafka_NewPartitions_new(topic.c_str(), static_cast<size_t>(total), error, sizeof error));
  if (!request) return core::InvalidArgument(what + ": " + error);
  rd_kafka_NewPartitions_t* requests[] = {request.get()};
  auto event = RunAdminCall(handle_, RD_KAFKA_ADMIN_OP_CREATEPARTITIONS, timeout, what,
                            [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                              rd_kafka_CreatePartitions(handle_, requests, 1, options, queue);
                            });
  if (!event) return event.error();
  size_t count = 0;
  const auto* results = rd_kafka_CreatePartitions_result_topics(
      rd_kafka_event_CreatePartitions_result(event->get()), &count);
  return TopicResult(results, count, what);
}

}  // namespace gridcare::kafka
