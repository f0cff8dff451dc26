#include "gridcare/kafka/producer.h"

#include <librdkafka/rdkafkacpp.h>

#include <future>

#include "rdkafka_message.h"

namespace gridcare::kafka {
namespace {

// Per-record completion for PublishAndWait; owned by the delivery report once produced.
struct Waiter {
  std::promise<core::Status> done;
};

core::Status ApplyConfig(RdKafka::Conf& conf, const ExtraConfig& properties) {
  std::string error;
  for (const auto& [name, value] : properties) {
    if (conf.set(name, value, error) != RdKafka::Conf::CONF_OK) {
      return core::InvalidArgument("kafka property " + name + ": " + error);
    }
  }
  return {};
}

}  // namespace

struct KafkaProducer::DeliveryReporter final : public RdKafka::DeliveryReportCb {
  KafkaProducer* owner = nullptr;
  metrics::StageMetrics* metrics = nullptr;

  void dr_cb(RdKafka::Message& message) override {
    const bool ok = message.err() == RdKafka::ERR_NO_ERROR;
    if (ok) {
      owner->delivered_.fetch_add(1);
      if (metrics) metrics->Published(message.topic_name());
    } else {
      owner->failed_.fetch_add(1);
      if (metrics) metrics->PublishFailed(message.topic_name());
    }
    // The report owns the holder; the waiting caller may have given up already.
    if (auto* holder = static_cast<std::shared_ptr<Waiter>*>(message.msg_opaque())) {
      (*holder)->done.set_value(ok ? core::Status()
                                   : core::Unavailable("delivery to " + message.topic_name() +
                                                       " failed: " + message.errstr()));
      delete holder;
    }
  }
};

core::Result<std::unique_ptr<KafkaProducer>> KafkaProducer::Create(const ProducerSettings& settings,
                                                                   metrics::StageMetrics* metrics) {
  if (settings.bootstrap_servers.empty()) {
    return core::InvalidArgument("kafka bootstrap servers are empty");
  }
  std::unique_ptr<KafkaProducer> self(new KafkaProducer());
  self->reporter_ = std::make_unique<DeliveryReporter>();
  self->reporter_->owner = self.get();
  self->reporter_->metrics = metrics;

  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  ExtraConfig properties = DefaultProducerConfig();
  properties["bootstrap.servers"] = settings.bootstrap_servers;
  if (!settings.client_id.empty()) properties["client.id"] = settings.client_id;
  for (const auto& [name, value] : settings.extra) properties[name] = value;
  if (auto status = ApplyConfig(*conf, properties); !status) return status.error();
  std::string error;
  if (conf->set("dr_cb", self->reporter_.get(), error) != RdKafka::Conf::CONF_OK) {
    return core::Internal("cannot install delivery report callback: " + error);
  }
  self->producer_.reset(RdKafka::Producer::create(conf.get(), error));
  if (!self->producer_) return core::InvalidArgument("cannot create kafka producer: " + error);

  KafkaProducer* raw = self.get();
  self->poller_ = std::thread([raw] {
    while (!raw->stop_.load()) raw->producer_->poll(50);
  });
  return self;
}

KafkaProducer::~KafkaProducer() {
  // Deliver what was queued before SIGTERM; bounded so shutdown cannot hang on a dead cluster.
  if (producer_) producer_->flush(10'000);
  stop_.store(true);
  if (poller_.joinable()) poller_.join();
}

core::Status KafkaProducer::Produce(OutgoingRecord& record, void* opaque) {
  if (record.topic.empty()) return core::InvalidArgument("record has no topic");
  RdKafka::Headers* headers = RdKafka::Headers::create();
  for (const auto& [name, value] : record.headers) {
    headers->add(name, value.data(), value.size());
  }
  // The queue may be momentarily full under load: give librdkafka time to drain, then give up
  // with a retryable error rather than blocking forever.
  for (int attempt = 0;; ++attempt) {
    const RdKafka::ErrorCode err = producer_->produce(
        record.topic, record.partition < 0 ? RdKafka::Topic::PARTITION_UA : record.partition,
        RdKafka::Producer::RK_MSG_COPY, record.value.data(), record.value.size(), record.key.data(),
        record.key.size(), 0, headers, opaque);
    if (err == RdKafka::ERR_NO_ERROR) return {};  // librdkafka now owns `headers`
    if (err == RdKafka::ERR__QUEUE_FULL && attempt < 100) {
      producer_->poll(10);
      continue;
    }
    delete headers;
    if (reporter_->metrics) reporter_->metrics->PublishFailed(record.topic);
    if (err == RdKafka::ERR__QUEUE_FULL) {
      return core::Error{core::ErrorKind::kResourceExhausted, "kafka producer queue is full"};
    }
    if (err == RdKafka::ERR_MSG_SIZE_TOO_LARGE || err == RdKafka::ERR__UNKNOWN_TOPIC ||
        err == RdKafka::ERR_TOPIC_EXCEPTION) {
      return core::InvalidArgument("cannot publish to " + record.topic + ": " +
                                   RdKafka::err2str(err));
    }
    return core::Unavailable("cannot publish to " + record.topic + ": " + RdKafka::err2str(err));
  }
}

core::Status KafkaProducer::Publish(OutgoingRecord record) { return Produce(record, nullptr); }

core::Status KafkaProducer::PublishAndWait(OutgoingRecord record,
                                           std::chrono::milliseconds timeout) {
  auto waiter = std::make_shared<Waiter>();
  auto result = waiter->done.get_future();
  // The delivery report may fire after we stop waiting, so it gets its own reference.
  auto* holder = new std::shared_ptr<Waiter>(waiter);
  if (auto status = Produce(record, holder); !status) {
    delete holder;
    return status;
  }
  if (result.wait_for(timeout) != std::future_status::ready) {
    return core::Error{core::ErrorKind::kDeadlineExceeded,
                       "no acknowledgement from kafka for " + record.topic + " in time"};
  }
  return result.get();
}

core::Result<int32_t> KafkaProducer::PartitionCount(const std::string& topic,
                                                    std::chrono::milliseconds timeout) {
  return detail::PartitionCount(*producer_, topic, timeout);
}

core::Status KafkaProducer::Flush(std::chrono::milliseconds timeout) {
  const RdKafka::ErrorCode err = producer_->flush(static_cast<int>(timeout.count()));
  if (err == RdKafka::ERR__TIMED_OUT) {
    return core::Error{core::ErrorKind::kDeadlineExceeded,
                       std::to_string(producer_->outq_len()) + " records still unacknowledged"};
  }
  const int64_t failed_now = failed_.load();
  const int64_t failed_before = failures_reported_by_flush_.exchange(failed_now);
  if (failed_now != failed_before) {
    return core::Unavailable(std::to_string(failed_now - failed_before) +
                             " records failed delivery since the previous flush");
  }
  return {};
}

}  // namespace gridcare::kafka
