#pragma once
// Runs the gridcare command line (RunCli) in-process on fake edges, with only the environment a
// test gives (no getenv, no endpoints.env), capturing exit code, stdout and stderr.

#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli.h"
#include "fake_edges.h"
#include "gridcare/core/clock.h"

namespace gridcare::ops::testing {

inline const core::TimePoint kCliNow = core::FromUnixMillis(1'800'000'000'000);

struct Run {
  int exit_code = -1;
  std::string out;
  std::string err;
};

struct CliHarness {
  FakeEdges edges;
  std::map<std::string, std::string> env = {{"GRIDCARE_ENDPOINTS_FILE", "/dev/null"}};
  core::FakeClock clock{kCliNow};

  Run operator()(const std::vector<std::string>& args) {
    std::ostringstream out;
    std::ostringstream err;
    Run run;
    run.exit_code = RunCli(
        args,
        [this](const std::string& name) -> std::optional<std::string> {
          auto it = env.find(name);
          return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
        },
        out, err, clock,
        [this](const OperatorSettings&) {
          // The run owns its edges; the test keeps the fakes to look at them afterwards.
          struct Borrowed final : Edges {
            Edges& edges;
            explicit Borrowed(Edges& e) : edges(e) {}
            core::Result<kafka::RecordReader*> Reader() override { return edges.Reader(); }
            core::Result<kafka::EventPublisher*> Publisher() override { return edges.Publisher(); }
            core::Result<kafka::TopicAdmin*> Admin() override { return edges.Admin(); }
            OperatorApi& Api() override { return edges.Api(); }
            HealthProbe& Probe() override { return edges.Probe(); }
          };
          return std::make_unique<Borrowed>(edges);
        });
    run.out = out.str();
    run.err = err.str();
    return run;
  }
};

}  // namespace gridcare::ops::testing
