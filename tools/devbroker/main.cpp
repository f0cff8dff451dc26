// devbroker: GridCare's local and test Kafka. Hosts librdkafka's Kafka-protocol mock cluster,
// creates every GridCare topic, publishes the bootstrap list to a file, and runs until SIGTERM.
// It is not Kafka: in memory only, acks not modelled, bounded per-partition retention.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "gridcare/core/shutdown.h"
#include "gridcare/kafka/topics.h"

namespace {

struct Settings {
  int brokers = 3;
  int replication = 1;
  std::string bootstrap_file = ".run/bootstrap";
};

void WriteAtomically(const std::filesystem::path& file, const std::string& content) {
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  const auto temporary = file.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << content << '\n';
  }
  std::filesystem::rename(temporary, file);
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  CLI::App app{
      "devbroker: librdkafka's Kafka-protocol mock cluster with every GridCare topic, for local "
      "runs and tests. Brokers listen on 127.0.0.1 on random ports; the bootstrap list is written "
      "to --bootstrap-file. Stops on SIGTERM or SIGINT."};
  app.add_option("--brokers", settings.brokers, "Number of mock brokers")
      ->envname("GRIDCARE_DEVBROKER_BROKERS")
      ->check(CLI::Range(1, 9));
  app.add_option("--replication", settings.replication, "Replication factor of created topics")
      ->envname("GRIDCARE_DEVBROKER_REPLICATION")
      ->check(CLI::Range(1, 9));
  app.add_option("--bootstrap-file", settings.bootstrap_file,
                 "File to write the bootstrap servers to (host:port,host:port,...)")
      ->envname("GRIDCARE_DEVBROKER_BOOTSTRAP_FILE");
  CLI11_PARSE(app, argc, argv);
  if (settings.replication > settings.brokers) {
    std::cerr << "devbroker: --replication (" << settings.replication
              << ") cannot exceed --brokers (" << settings.brokers << ")\n";
    return 2;
  }

  gridcare::core::ShutdownSignal shutdown;

  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  if (rd_kafka_conf_set(conf, "log_level", "4", error, sizeof error) != RD_KAFKA_CONF_OK) {
    std::cerr << "devbroker: " << error << "\n";
    return 1;
  }
  rd_kafka_t* host = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  if (host == nullptr) {
    std::cerr << "devbroker: cannot create host handle: " << error << "\n";
    return 1;
  }
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(host, settings.brokers);
  if (cluster == nullptr) {
    std::cerr << "devbroker: cannot create the mock cluster\n";
    rd_kafka_destroy(host);
    return 1;
  }

  int created = 0;
  for (const auto& topic : gridcare::kafka::AllTopics()) {
    const rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(
        cluster, topic.name.c_str(), topic.partitions, settings.replication);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      std::cerr << "devbroker: cannot create topic " << topic.name << ": " << rd_kafka_err2str(err)
                << "\n";
      rd_kafka_mock_cluster_destroy(cluster);
      rd_kafka_destroy(host);
      return 1;
    }
    ++created;
  }

  const std::string bootstrap = rd_kafka_mock_cluster_bootstraps(cluster);
  WriteAtomically(settings.bootstrap_file, bootstrap);
  std::printf(
      "{\"level\":\"info\",\"service\":\"devbroker\",\"msg\":\"ready\",\"brokers\":%d,"
      "\"topics\":%d,\"bootstrap_servers\":\"%s\",\"bootstrap_file\":\"%s\"}\n",
      settings.brokers, created, bootstrap.c_str(), settings.bootstrap_file.c_str());
  std::fflush(stdout);

  shutdown.Wait();

  // The mock cluster must be destroyed before its host handle, or librdkafka asserts.
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(host);
  std::error_code ignored;
  std::filesystem::remove(settings.bootstrap_file, ignored);
  std::printf("{\"level\":\"info\",\"service\":\"devbroker\",\"msg\":\"stopped\"}\n");
  return 0;
}
