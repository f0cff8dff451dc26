#include "service_stack.h"

#include <chrono>
#include <stdexcept>

#include "gridcare/core/clock.h"
#include "gridcare/redis/client.h"
#include "redis_profile_store.h"

namespace gridcare::testing {
namespace {

synth::Utility MakeUtility(int customers) {
  auto utility = synth::Utility::Create({.seed = 42, .customers = customers});
  if (!utility) throw std::runtime_error("synthetic utility: " + utility.error().ToString());
  return std::move(utility).value();
}

}  // namespace

ServiceStack::ServiceStack(int customers) : utility(MakeUtility(customers)) {
  LoadUtility();
  profile = Start("profile", {});
  profile_port = WaitForServiceReady(*profile).grpc;
  auto created = kafka::KafkaProducer::Create({broker.bootstrap_servers(), "test", {}}, nullptr);
  if (!created) throw std::runtime_error("producer: " + created.error().ToString());
  producer = std::move(created).value();
}

ServiceStack::~ServiceStack() = default;

void ServiceStack::LoadUtility() {
  using namespace std::chrono_literals;
  auto client =
      redis::RedisClient::Create({"127.0.0.1", redis.port(), "", 0, 500ms, 5000ms, 1, 2000ms});
  if (!client) throw std::runtime_error("redis client: " + client.error().ToString());
  core::SystemClock clock;
  profile::RedisProfileStore store(**client, clock, {});
  std::vector<v1::Customer> batch;
  utility.ForEachCustomer([&](int64_t, const v1::Customer& c) { batch.push_back(c); });
  if (auto loaded = store.BulkLoad(batch); !loaded) {
    throw std::runtime_error("bulk load failed: " + loaded.error().ToString());
  }
}

std::unique_ptr<ChildProcess> ServiceStack::Start(const std::string& program,
                                                  std::vector<std::string> extra,
                                                  const ServiceStart& how) const {
  std::vector<std::string> args = {"--kafka-bootstrap-servers", broker.bootstrap_servers(),
                                   "--redis-address",           redis.address(),
                                   "--metrics-listen-address",  LoopbackAddress(0)};
  if (how.grpc) args.insert(args.end(), {"--grpc-listen-address", LoopbackAddress(0)});
  args.insert(args.end(), extra.begin(), extra.end());
  const std::string log = how.log_name.empty() ? program + ".log" : how.log_name;
  return std::make_unique<ChildProcess>(ProgramPath(program), args, dir.path() / log);
}

void ServiceStack::Publish(const std::string& topic, const std::string& key,
                           const kafka::EventMetadata& metadata,
                           const google::protobuf::MessageLite& event) const {
  auto published = producer->PublishAndWait(kafka::MakeRecord(topic, key, metadata, event),
                                            std::chrono::seconds(10));
  if (!published) {
    throw std::runtime_error("publishing " + metadata.type + " on " + topic +
                             " failed: " + published.error().ToString());
  }
}

}  // namespace gridcare::testing
