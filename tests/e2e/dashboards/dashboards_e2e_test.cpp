// Issue 15, "proven, not drawn": the local stack (deploy/local/stack.sh: every service, Redis, the
// devbroker and a real Prometheus that scrapes them every 5 s and loads deploy/prometheus/rules/)
// runs the newcomer's scenario (gridcare-scenario, as deploy/run.sh does, crews simulated). Then
// every query of every panel of every dashboard in deploy/grafana/dashboards/ runs against that
// Prometheus, with Grafana's variables filled in as Grafana would ($job = All): none may fail or
// return no series. And every rule group of deploy/prometheus/rules/ is loaded and evaluates
// without error. The test prints one line per query with its series count.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "gridcare/testing/local_stack.h"
#include "gridcare/testing/process.h"
#include "gridcare/testing/run_program.h"
#include "gridcare/testing/servers.h"

namespace {

using gridcare::testing::ChildProcess;
using gridcare::testing::LocalStack;
using gridcare::testing::WaitUntil;
using namespace std::chrono_literals;

const std::filesystem::path kRepo(GRIDCARE_SOURCE_DIR);

/// One panel query of a dashboard.
struct PanelQuery {
  std::string dashboard;  // file name
  std::string panel;      // title
  std::string expr;       // with Grafana's variables filled in
};

void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

/// What Grafana sends for `expr` with the service variable at "All" (its allValue ".+") and a
/// 5-minute range.
std::string FillVariables(std::string expr) {
  for (const char* job : {"${job}", "$job"}) ReplaceAll(expr, job, ".+");
  for (const char* window : {"${__rate_interval}", "$__rate_interval", "${__interval}",
                             "$__interval", "${__range}", "$__range"}) {
    ReplaceAll(expr, window, "1m");
  }
  return expr;
}

void CollectPanels(const nlohmann::json& panels, const std::string& dashboard,
                   std::vector<PanelQuery>& out) {
  for (const auto& panel : panels) {
    if (panel.contains("panels")) CollectPanels(panel["panels"], dashboard, out);  // rows
    if (!panel.contains("targets")) continue;
    for (const auto& target : panel["targets"]) {
      if (!target.contains("expr")) continue;
      out.push_back({dashboard, panel.value("title", "(untitled)"),
                     FillVariables(target["expr"].get<std::string>())});
    }
  }
}

std::vector<PanelQuery> DashboardQueries() {
  std::vector<PanelQuery> out;
  for (const auto& entry :
       std::filesystem::directory_iterator(kRepo / "deploy/grafana/dashboards")) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    const auto dashboard = nlohmann::json::parse(in);
    CollectPanels(dashboard.at("panels"), entry.path().filename().string(), out);
  }
  return out;
}

/// A client of the Prometheus at `url` ("http://host:port").
httplib::Client PrometheusClient(const std::string& url) {
  httplib::Client client(url);
  client.set_read_timeout(10, 0);
  return client;
}

/// The series count of an instant query, or the error Prometheus gave.
std::variant<size_t, std::string> SeriesOf(httplib::Client& prometheus, const std::string& expr) {
  const auto response = prometheus.Get("/api/v1/query", httplib::Params{{"query", expr}}, {});
  if (!response) return std::string("no answer from Prometheus");
  const auto body = nlohmann::json::parse(response->body, nullptr, false);
  if (body.is_discarded()) return "HTTP " + std::to_string(response->status) + ": not JSON";
  if (body.value("status", "") != "success") {
    return body.value("errorType", "") + ": " + body.value("error", "");
  }
  const auto& result = body["data"]["result"];
  if (body["data"].value("resultType", "") == "scalar") return size_t{1};
  return result.size();
}

}  // namespace

TEST_CASE("every dashboard panel and every alert rule works on the scenario's Prometheus",
          "[e2e][dashboards]") {
  const auto queries = DashboardQueries();
  REQUIRE(queries.size() >= 20);

  // As deploy/run.sh runs it: complaint's case clocks fast, crews simulated (at 600x here) doing
  // booked visits as soon as they are free.
  LocalStack stack({.extra_env = "GRIDCARE_CLOCK_SPEED=2880 GRIDCARE_DETECT_INTERVAL=5s"});
  ChildProcess crews(gridcare::testing::ProgramPath("gridcare-crew-sim"),
                     {"--crew-service", stack.Endpoint("GRIDCARE_REPAIR_CREW_GRPC"), "--time-scale",
                      "600", "--seed", "42", "--visits-early"},
                     stack.run_dir() / "logs" / "crew-sim.log");
  const auto scenario =
      gridcare::testing::RunProgram(gridcare::testing::ProgramPath("gridcare-scenario"),
                                    {"--endpoints", (stack.run_dir() / "endpoints.env").string(),
                                     "--seed", "42", "--customers", "2000"},
                                    420s);
  INFO("scenario output (tail):\n"
       << scenario.out.substr(scenario.out.size() > 3000 ? scenario.out.size() - 3000 : 0) << "\n"
       << scenario.err.substr(0, 3000) << "\nlogs:\n"
       << stack.Logs());
  REQUIRE(scenario.exit_code == 0);

  auto prometheus = PrometheusClient(stack.Endpoint("GRIDCARE_PROMETHEUS_URL"));
  // Scrapes every 5 s: a rate over 1m needs two samples after the scenario's last event; wait
  // until every query answers (or give up after a minute and report the ones that do not).
  std::map<std::string, std::string> failing;  // "dashboard / panel: expr" → why
  const auto check_all = [&] {
    failing.clear();
    for (const auto& query : queries) {
      const auto series = SeriesOf(prometheus, query.expr);
      const std::string name = query.dashboard + " / " + query.panel + ": " + query.expr;
      if (const auto* error = std::get_if<std::string>(&series)) {
        failing[name] = *error;
      } else if (std::get<size_t>(series) == 0) {
        failing[name] = "no series";
      }
    }
    return failing.empty();
  };
  WaitUntil(check_all, 60s);
  for (const auto& query : queries) {
    const auto series = SeriesOf(prometheus, query.expr);
    const auto* count = std::get_if<size_t>(&series);
    std::printf("%-40s %-45s %s\n", query.dashboard.c_str(), query.panel.substr(0, 45).c_str(),
                count ? (std::to_string(*count) + " series").c_str() : "ERROR");
  }
  for (const auto& [name, why] : failing) {
    INFO(name);
    CHECK(why.empty());
  }
  CHECK(failing.empty());

  // The rules: every file of deploy/prometheus/rules/ is loaded and each rule has evaluated
  // without error.
  std::set<std::string> rule_files;
  for (const auto& entry : std::filesystem::directory_iterator(kRepo / "deploy/prometheus/rules")) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".rules.yml")) rule_files.insert(name);
  }
  REQUIRE_FALSE(rule_files.empty());
  std::set<std::string> loaded;
  std::vector<std::string> unhealthy;
  const bool healthy = WaitUntil(
      [&] {
        loaded.clear();
        unhealthy.clear();
        const auto response = prometheus.Get("/api/v1/rules");
        if (!response || response->status != 200) return false;
        const auto body = nlohmann::json::parse(response->body, nullptr, false);
        if (body.is_discarded()) return false;
        for (const auto& group : body["data"]["groups"]) {
          loaded.insert(std::filesystem::path(group.value("file", "")).filename().string());
          for (const auto& rule : group["rules"]) {
            if (rule.value("health", "") != "ok") {
              unhealthy.push_back(rule.value("name", "") + ": " + rule.value("health", "") + " " +
                                  rule.value("lastError", ""));
            }
          }
        }
        return unhealthy.empty() && loaded == rule_files;
      },
      30s);
  for (const auto& rule : unhealthy) {
    INFO(rule);
    CHECK(rule.empty());
  }
  CHECK(loaded == rule_files);
  CHECK(healthy);
}
