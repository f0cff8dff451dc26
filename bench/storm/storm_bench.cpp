// gridcare-storm-bench: issue 6's storm through the running local stack. A province-wide storm
// (synth::PlanWideStorm: --calls distinct customers in --areas transformer areas, call times spread
// over 10 simulated minutes) is published on gridcare.requests.v1 as the hotline IVR would, as
// fast as the producer allows (the 10 minutes are compressed into the publish time; each request's
// received_at still carries its simulated time). Then every request is followed to its end:
//
//   request --intake--> ticket_opened (or rejected / contact_added / dead-lettered)
//   ticket  --dispatch--> placed: named by a TicketAttached, or listed in an IncidentOpened or
//                         IncidentRolledUp (a single-customer incident's IncidentOpened lists its
//                         one ticket), or dead-lettered by dispatch
//
// reading gridcare.intake.v1, gridcare.dispatch.v1 and both groups' dead-letter topics from the
// beginning (all partitions assigned, a group of its own that commits nothing). Prints a progress
// line every 5 s, then: publish time and rate, time until intake had opened every ticket, time
// until dispatch had placed every ticket (the time to drain the backlog), counts in and out of
// each stage (missing ids listed), incidents by level and work orders (from the events and from
// dispatch's /metrics), each service's stage counters, and memory (VmHWM, VmRSS) of every process
// of the stack plus Redis used_memory and its keys by prefix. A ticket not placed at the end is
// classified against dispatch's committed offsets and the topic's low watermark: still waiting in
// dispatch's backlog, dropped by the devbroker's retention before dispatch read it, or read by
// dispatch and never placed.
//
// Exit status: 0 when requests in = tickets out = tickets placed, nothing lost and the backlog
// drained within --drain-timeout; 1 otherwise; 2 a usage or start-up error.
#include <google/protobuf/util/time_util.h>
#include <httplib.h>
#include <librdkafka/rdkafkacpp.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "bench_support.h"
#include "gridcare/config/files.h"
#include "gridcare/core/clock.h"
#include "gridcare/kafka/client_config.h"
#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/dead_letter.h"
#include "gridcare/kafka/producer.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/redis/client.h"
#include "gridcare/synth/storm.h"
#include "gridcare/synth/utility.h"
#include "gridcare/v1/dispatch.pb.h"
#include "gridcare/v1/intake.pb.h"
#include "gridcare/v1/request.pb.h"
#include "intake_outcome.h"
#include "kafka_support.h"
#include "metrics_support.h"

namespace gridcare::bench {
namespace {

namespace fs = std::filesystem;

struct Options {
  std::string endpoints_file;
  std::string run_dir;
  int64_t calls = 100'000;
  int areas = 2'000;
  int64_t customers = 1'000'000;
  uint64_t seed = 42;
  std::optional<uint64_t> storm_seed;
  double storm_minutes = 10;
  double drain_timeout_s = 900;
  double stall_timeout_s = 180;
  double progress_s = 5;
  double grace_s = 5;
  int reader_fetch_wait_ms = 10;
  std::string shape_out;  // where to write the storm's shape (WriteShape); empty: nowhere
};

std::string Lowercase(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// An enum value's name as printed here: ("INCIDENT_LEVEL_MAJOR", "INCIDENT_LEVEL_") -> "major".
std::string ShortEnum(std::string name, std::string_view prefix) {
  return Lowercase(WithoutPrefix(std::move(name), prefix));
}

std::string Mib(double bytes) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f MiB", bytes / (1024.0 * 1024.0));
  return buffer;
}

std::string Pct(double part, double whole) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", whole > 0 ? 100 * part / whole : 0.0);
  return buffer;
}

// ------------------------------------------------------------------------------------------------
// Processes of the stack: memory and CPU from /proc

struct Component {
  std::string name;
  int pid = 0;
};

// In start order (pids/components.tsv), falling back to every pids/*.pid.
std::vector<Component> ReadComponents(const std::string& run_dir) {
  std::vector<Component> out;
  std::vector<std::string> names;
  std::ifstream tsv(run_dir + "/pids/components.tsv");
  std::string line;
  while (std::getline(tsv, line)) {
    const auto tab = line.find('\t');
    if (tab != std::string::npos && tab > 0) names.push_back(line.substr(0, tab));
  }
  if (names.empty()) {
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(run_dir + "/pids", error)) {
      if (entry.path().extension() == ".pid") names.push_back(entry.path().stem().string());
    }
    std::sort(names.begin(), names.end());
  }
  for (const auto& name : names) {
    std::ifstream in(run_dir + "/pids/" + name + ".pid");
    int pid = 0;
    if (in >> pid && pid > 0) out.push_back({name, pid});
  }
  return out;
}

struct Memory {
  bool valid = false;
  int64_t rss_kb = 0;
  int64_t hwm_kb = 0;
};

Memory ReadMemory(int pid) {
  Memory memory;
  std::ifstream in(pid > 0 ? "/proc/" + std::to_string(pid) + "/status" : "/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      memory.rss_kb = std::atoll(line.c_str() + 6);
      memory.valid = true;
    } else if (line.rfind("VmHWM:", 0) == 0) {
      memory.hwm_kb = std::atoll(line.c_str() + 6);
    }
  }
  return memory;
}

// ------------------------------------------------------------------------------------------------
// /metrics scraping (Prometheus text format)

struct Sample {
  std::string labels;  // the text between the braces, or empty
  double value = 0;
};

std::vector<Sample> Series(const std::string& text, const std::string& name) {
  std::vector<Sample> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (!IsSampleOf(line, name)) continue;
    Sample sample;
    if (line[name.size()] == '{') {
      const auto close = line.find('}', name.size());
      if (close == std::string::npos) continue;
      sample.labels = line.substr(name.size() + 1, close - name.size() - 1);
    }
    const auto space = line.rfind(' ');
    if (space == std::string::npos) continue;
    sample.value = std::atof(line.c_str() + space + 1);
    out.push_back(std::move(sample));
  }
  return out;
}

std::string Label(const std::string& labels, const std::string& key) {
  const std::string needle = key + "=\"";
  auto at = labels.find(needle);
  if (at == std::string::npos) return {};
  at += needle.size();
  const auto end = labels.find('"', at);
  return labels.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

double Sum(const std::string& text, const std::string& name, const std::string& key = {},
           const std::string& value = {}) {
  double sum = 0;
  for (const auto& sample : Series(text, name)) {
    if (key.empty() || Label(sample.labels, key) == value) sum += sample.value;
  }
  return sum;
}

// ------------------------------------------------------------------------------------------------
// The workload: one IVR fault call per planned caller.

constexpr const char* kFaultTexts[] = {
    "家里停电了，整栋楼都没电", "我家没电了",
    "小区停电了，电梯也停了",   "突然断电了，邻居家也没有电",
    "刮大风以后就停电了",       "雷雨过后我们这片都停电了",
    "外面的电线被风刮断了",     "家里没有电了，麻烦尽快来修",
    "我们这条街都停电了",       "停电了，冰箱里的东西要坏了",
};

std::string RequestIdPrefix(const std::string& run_id) { return "storm-" + run_id + "-"; }

kafka::OutgoingRecord MakeCall(const synth::Utility& utility, const synth::StormCall& call,
                               int64_t seq, const std::string& run_id, core::TimePoint storm_start,
                               const core::Clock& clock) {
  v1::RequestEvent event;
  auto* request = event.mutable_submitted();
  request->set_request_id(RequestIdPrefix(run_id) + std::to_string(seq));
  request->set_channel(v1::CHANNEL_HOTLINE_IVR);
  const auto received = storm_start + call.after;
  *request->mutable_received_at() =
      google::protobuf::util::TimeUtil::MillisecondsToTimestamp(core::ToUnixMillis(received));
  const std::string customer_id = utility.CustomerId(call.customer_index);
  request->mutable_customer()->set_customer_id(customer_id);
  request->set_explicit_type(v1::REQUEST_TYPE_FAULT_REPAIR);  // the IVR's "power failure" key
  request->set_text(kFaultTexts[static_cast<size_t>(call.customer_index) % std::size(kFaultTexts)]);
  request->set_language(v1::LANGUAGE_ZH_CN);
  request->set_channel_reference("IVR-" + run_id + "-" + std::to_string(seq));
  kafka::EventMetadata metadata{"ce-" + request->request_id(),
                                "gridcare.request.submitted.v1",
                                "/gridcare/adapters/ivr-storm-bench",
                                request->request_id(),
                                clock.Now(),
                                kafka::NewTraceparent()};
  return kafka::MakeRecord(std::string(kafka::kRequestsTopic), customer_id, metadata, event);
}

// ------------------------------------------------------------------------------------------------
// Accounting: every request of this run, every ticket, incident and work order seen.

enum class IntakeOutcome : uint8_t { kNone, kTicket, kOther };

struct RequestState {
  int64_t intake_ns = 0;  // when the bench saw its intake outcome (0: not yet)
  IntakeOutcome outcome = IntakeOutcome::kNone;
};

struct TicketState {
  int64_t seq = -1;        // our request's sequence number (-1: not ours, or not seen yet)
  int64_t placed_ns = 0;   // when the bench first saw dispatch place it (0: not yet)
  int32_t home = -1;       // the incident (index) an event last put it in
  int16_t placed_by = -1;  // the first placing event (index into Ledger::placers())
  int32_t partition = -1;  // where its TicketOpened sits on gridcare.intake.v1
  int64_t offset = -1;
  bool dead_lettered = false;
};

struct IncidentState {
  std::string id;
  std::string scope;  // its transformer area or feeder (empty for a single customer)
  v1::IncidentLevel level = v1::INCIDENT_LEVEL_UNSPECIFIED;
  v1::IncidentState state = v1::INCIDENT_STATE_UNSPECIFIED;
  int32_t parent = -1;     // the incident (index) that absorbed it, from a later event
  bool opened = false;     // announced by IncidentOpened
  bool rolled_up = false;  // announced by IncidentRolledUp
};

class Ledger {
 public:
  Ledger(int64_t calls, std::string run_id)
      : requests_(static_cast<size_t>(calls)), prefix_(RequestIdPrefix(run_id)) {}

  void OnIntake(RdKafka::Message& message, int64_t now) {
    v1::IntakeEvent event;
    if (!Parse(message, event)) return;
    std::lock_guard lock(mutex_);
    ++intake_events_[CaseName(event)];
    const auto answered = OutcomeOf(event);
    if (!answered) return;
    // Outcomes are printed in lower case here ("ticket_opened:fault_repair").
    const std::string outcome = Lowercase(answered->outcome);
    const std::string ticket_id =
        event.has_ticket_opened() ? event.ticket_opened().ticket().ticket_id() : std::string();
    const auto seq = SeqOf(answered->request_id);
    if (!seq) {
      ++foreign_intake_outcomes_;
      return;
    }
    RecordOutcome(*seq, now, outcome, ticket_id);
    if (!ticket_id.empty()) {
      auto& ticket = tickets_[ticket_id];
      if (ticket.partition < 0) {
        ticket.partition = message.partition();
        ticket.offset = message.offset();
      }
    }
  }

  void OnIntakeDeadLetter(RdKafka::Message& message, int64_t now, const std::string& reason) {
    v1::RequestEvent event;
    if (!Parse(message, event)) return;
    std::lock_guard lock(mutex_);
    const auto seq = SeqOf(event.submitted().request_id());
    if (!seq) {
      ++foreign_intake_outcomes_;
      return;
    }
    RecordOutcome(*seq, now, "dead_lettered_by_intake:" + reason, {});
  }

  void OnDispatch(RdKafka::Message& message, int64_t now) {
    v1::DispatchEvent event;
    if (!Parse(message, event)) return;
    std::lock_guard lock(mutex_);
    const std::string name = CaseName(event);
    ++dispatch_events_[name];
    dispatch_bytes_[name] += static_cast<int64_t>(message.len());
    switch (event.event_case()) {
      case v1::DispatchEvent::kTicketAttached: {
        const auto& attached = event.ticket_attached();
        const int32_t home = attached.incident_id().empty() ? -1 : IndexOf(attached.incident_id());
        Place(attached.ticket_id(), now,
              attached.incident_id().empty() ? "ticket_attached:planned_outage" : "ticket_attached",
              home);
        break;
      }
      case v1::DispatchEvent::kIncidentOpened: {
        const auto& incident = event.incident_opened().incident();
        const int32_t index = Incident(incident);
        if (!incidents_[index].opened && !incidents_[index].rolled_up) ++announced_;
        incidents_[index].opened = true;
        const std::string by =
            "incident_opened:" +
            ShortEnum(v1::IncidentLevel_Name(incident.level()), "INCIDENT_LEVEL_");
        for (const auto& ticket : incident.ticket_ids()) Place(ticket, now, by, index);
        break;
      }
      case v1::DispatchEvent::kIncidentRolledUp: {
        const auto& incident = event.incident_rolled_up().incident();
        const int32_t index = Incident(incident);
        if (!incidents_[index].opened && !incidents_[index].rolled_up) ++announced_;
        incidents_[index].rolled_up = true;
        for (const auto& merged : event.incident_rolled_up().merged_incident_ids()) {
          incidents_[IndexOf(merged)].parent = index;
          ++merged_by_roll_up_;
        }
        for (const auto& ticket : incident.ticket_ids()) {
          Place(ticket, now, "incident_rolled_up", index);
        }
        break;
      }
      case v1::DispatchEvent::kIncidentUpdated:
        Incident(event.incident_updated().incident());
        ++incident_changes_[event.incident_updated().change()];
        break;
      case v1::DispatchEvent::kIncidentRestored:
        Incident(event.incident_restored().incident());
        break;
      case v1::DispatchEvent::kWorkOrderCreated:
        WorkOrder(event.work_order_created().work_order(), created_);
        break;
      case v1::DispatchEvent::kWorkOrderAssigned:
        WorkOrder(event.work_order_assigned().work_order(), assigned_);
        break;
      case v1::DispatchEvent::kWorkOrderReassigned:
        WorkOrder(event.work_order_reassigned().work_order(), reassigned_);
        break;
      case v1::DispatchEvent::kWorkOrderQueued:
        WorkOrder(event.work_order_queued().work_order(), queued_);
        break;
      case v1::DispatchEvent::kWorkOrderCancelled:
        WorkOrder(event.work_order_cancelled().work_order(), cancelled_);
        break;
      default:
        break;
    }
  }

  void OnDispatchDeadLetter(RdKafka::Message& message, int64_t now, const std::string& reason) {
    v1::IntakeEvent event;
    if (!Parse(message, event)) return;
    std::lock_guard lock(mutex_);
    ++dispatch_dead_letters_[reason];
    if (event.event_case() != v1::IntakeEvent::kTicketOpened) return;
    auto& ticket = tickets_[event.ticket_opened().ticket().ticket_id()];
    if (!ticket.dead_lettered) {
      ticket.dead_lettered = true;
      if (ticket.seq >= 0 && ticket.placed_ns == 0) ++tickets_dead_lettered_;
    }
    (void)now;
  }

  void CountUndecodable() { ++undecodable_; }

  struct Progress {
    int64_t intake_outcomes = 0;
    int64_t tickets = 0;
    int64_t placed = 0;
    int64_t dispatch_dead_lettered = 0;
    int64_t incidents_announced = 0;
    int64_t last_intake_ns = 0;
    int64_t last_placed_ns = 0;
  };
  Progress Now() const {
    std::lock_guard lock(mutex_);
    return {intake_outcomes_, our_tickets_,    placed_,        tickets_dead_lettered_,
            announced_,       last_intake_ns_, last_placed_ns_};
  }

  // Everything below is read after the reader stopped (no lock needed then, but taken anyway).
  std::mutex& mutex() const { return mutex_; }
  const std::vector<RequestState>& requests() const { return requests_; }
  const std::unordered_map<std::string, TicketState>& tickets() const { return tickets_; }
  const std::vector<IncidentState>& incidents() const { return incidents_; }
  /// The incident that holds `index` now: follows the merges up (cycles cut).
  int32_t RootOf(int32_t index) const {
    for (size_t steps = 0; index >= 0 && incidents_[static_cast<size_t>(index)].parent >= 0 &&
                           steps < incidents_.size();
         ++steps) {
      index = incidents_[static_cast<size_t>(index)].parent;
    }
    return index;
  }
  const std::map<std::string, int64_t>& outcomes() const { return outcomes_; }
  const std::map<std::string, int64_t>& intake_events() const { return intake_events_; }
  const std::map<std::string, int64_t>& dispatch_events() const { return dispatch_events_; }
  const std::map<std::string, int64_t>& dispatch_bytes() const { return dispatch_bytes_; }
  const std::vector<std::string>& placers() const { return placers_; }
  const std::map<std::string, int64_t>& incident_changes() const { return incident_changes_; }
  const std::map<std::string, int64_t>& dispatch_dead_letters() const {
    return dispatch_dead_letters_;
  }
  int64_t merged_by_roll_up() const { return merged_by_roll_up_; }
  const std::unordered_set<std::string>& created() const { return created_; }
  const std::unordered_set<std::string>& assigned() const { return assigned_; }
  const std::unordered_set<std::string>& reassigned() const { return reassigned_; }
  const std::unordered_set<std::string>& queued() const { return queued_; }
  const std::unordered_set<std::string>& cancelled() const { return cancelled_; }
  const std::unordered_map<std::string, v1::WorkOrderState>& work_order_states() const {
    return work_order_states_;
  }
  int64_t duplicate_outcomes() const { return duplicate_outcomes_; }
  int64_t foreign_intake_outcomes() const { return foreign_intake_outcomes_; }
  int64_t undecodable() const { return undecodable_; }
  int64_t intake_outcomes() const { return intake_outcomes_; }
  int64_t our_tickets() const { return our_tickets_; }
  int64_t placed() const { return placed_; }
  int64_t tickets_dead_lettered() const { return tickets_dead_lettered_; }

 private:
  template <typename Message>
  bool Parse(RdKafka::Message& message, Message& event) {
    if (message.payload() == nullptr ||
        !event.ParseFromArray(message.payload(), static_cast<int>(message.len()))) {
      std::lock_guard lock(mutex_);
      ++undecodable_;
      return false;
    }
    return true;
  }

  template <typename Message>
  static std::string CaseName(const Message& event) {
    const auto* field = Message::GetDescriptor()->FindFieldByNumber(event.event_case());
    return field ? field->name() : "unknown";
  }

  std::optional<int64_t> SeqOf(std::string_view request_id) const {
    if (request_id.substr(0, prefix_.size()) != prefix_) return std::nullopt;
    const auto seq = ParseInt(request_id.substr(prefix_.size()));
    if (!seq || *seq < 0 || *seq >= static_cast<int64_t>(requests_.size())) return std::nullopt;
    return seq;
  }

  void RecordOutcome(int64_t seq, int64_t now, const std::string& outcome,
                     const std::string& ticket_id) {
    auto& request = requests_[static_cast<size_t>(seq)];
    if (request.outcome != IntakeOutcome::kNone) {
      ++duplicate_outcomes_;  // a redelivered request: intake republished its outcome
      return;
    }
    request.intake_ns = now;
    request.outcome = ticket_id.empty() ? IntakeOutcome::kOther : IntakeOutcome::kTicket;
    ++outcomes_[outcome];
    ++intake_outcomes_;
    last_intake_ns_ = std::max(last_intake_ns_, now);
    if (ticket_id.empty()) return;
    ++our_tickets_;
    auto& ticket = tickets_[ticket_id];
    ticket.seq = seq;
    if (ticket.placed_ns != 0) {
      ++placed_;  // dispatch's event was read before intake's: it counts from now on
      last_placed_ns_ = std::max(last_placed_ns_, ticket.placed_ns);
    } else if (ticket.dead_lettered) {
      ++tickets_dead_lettered_;
    }
  }

  void Place(const std::string& ticket_id, int64_t now, const std::string& by, int32_t home) {
    auto& ticket = tickets_[ticket_id];
    if (home >= 0) ticket.home = home;
    if (ticket.placed_ns != 0) return;
    ticket.placed_ns = now;
    const auto [it, added] = placer_index_.try_emplace(by, static_cast<int16_t>(placers_.size()));
    if (added) placers_.push_back(by);
    ticket.placed_by = it->second;
    if (ticket.seq >= 0) {
      ++placed_;
      if (ticket.dead_lettered) --tickets_dead_lettered_;
      last_placed_ns_ = std::max(last_placed_ns_, now);
    }
  }

  int32_t IndexOf(const std::string& incident_id) {
    const auto [it, added] =
        incident_index_.try_emplace(incident_id, static_cast<int32_t>(incidents_.size()));
    if (added) incidents_.push_back(IncidentState{incident_id});
    return it->second;
  }

  // Records what `incident` says of itself and of the incidents it absorbed; returns its index.
  int32_t Incident(const v1::Incident& incident) {
    const int32_t index = IndexOf(incident.incident_id());
    for (const auto& child : incident.child_incident_ids())
      incidents_[IndexOf(child)].parent = index;
    if (!incident.parent_incident_id().empty()) {
      incidents_[index].parent = IndexOf(incident.parent_incident_id());
    }
    auto& state = incidents_[index];
    if (state.level == v1::INCIDENT_LEVEL_UNSPECIFIED) state.level = incident.level();
    if (state.scope.empty()) {
      if (incident.level() == v1::INCIDENT_LEVEL_TRANSFORMER) {
        state.scope = incident.supply().transformer_id();
      } else if (incident.level() == v1::INCIDENT_LEVEL_FEEDER) {
        state.scope = incident.supply().feeder_id();
      }
    }
    state.state = incident.state();
    return index;
  }

  void WorkOrder(const v1::WorkOrder& order, std::unordered_set<std::string>& set) {
    set.insert(order.work_order_id());
    work_order_states_[order.work_order_id()] = order.state();
  }

  mutable std::mutex mutex_;
  std::vector<RequestState> requests_;
  std::string prefix_;
  std::unordered_map<std::string, TicketState> tickets_;
  std::unordered_map<std::string, int32_t> incident_index_;
  std::vector<IncidentState> incidents_;
  std::map<std::string, int64_t> outcomes_;
  std::map<std::string, int64_t> intake_events_;
  std::map<std::string, int64_t> dispatch_events_;
  std::map<std::string, int64_t> dispatch_bytes_;
  std::vector<std::string> placers_;
  std::map<std::string, int16_t> placer_index_;
  std::map<std::string, int64_t> incident_changes_;
  std::map<std::string, int64_t> dispatch_dead_letters_;
  int64_t merged_by_roll_up_ = 0;
  std::unordered_set<std::string> created_, assigned_, reassigned_, queued_, cancelled_;
  std::unordered_map<std::string, v1::WorkOrderState> work_order_states_;
  int64_t intake_outcomes_ = 0;
  int64_t our_tickets_ = 0;
  int64_t placed_ = 0;
  int64_t tickets_dead_lettered_ = 0;
  int64_t duplicate_outcomes_ = 0;
  int64_t foreign_intake_outcomes_ = 0;
  int64_t undecodable_ = 0;
  int64_t announced_ = 0;
  int64_t last_intake_ns_ = 0;
  int64_t last_placed_ns_ = 0;
};

// ------------------------------------------------------------------------------------------------
// The reader: every partition of the outcome topics assigned from the beginning.

struct Watermarks {
  int partitions = 0;
  int64_t low = 0;   // sum over partitions: > 0 means the devbroker dropped records (retention)
  int64_t high = 0;  // sum over partitions: records ever appended
  std::vector<int64_t> lows, highs;  // per partition
};

// Offsets a consumer group has committed on `topic` (-1 where it has none), asked with a consumer
// of that group id that never joins it (OffsetFetch only: the group's members are not disturbed).
std::optional<std::vector<int64_t>> CommittedOffsets(const std::string& bootstrap,
                                                     const std::string& group,
                                                     const std::string& topic, int partitions) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string error;
  if (conf->set("bootstrap.servers", bootstrap, error) != RdKafka::Conf::CONF_OK ||
      conf->set("group.id", group, error) != RdKafka::Conf::CONF_OK ||
      conf->set("enable.auto.commit", "false", error) != RdKafka::Conf::CONF_OK) {
    return std::nullopt;
  }
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(
      RdKafka::KafkaConsumer::create(conf.get(), error));
  if (!consumer) return std::nullopt;
  std::vector<RdKafka::TopicPartition*> list;
  for (int p = 0; p < partitions; ++p) list.push_back(RdKafka::TopicPartition::create(topic, p));
  std::optional<std::vector<int64_t>> out;
  if (consumer->committed(list, 10'000) == RdKafka::ERR_NO_ERROR) {
    out.emplace(static_cast<size_t>(partitions), -1);
    for (const auto* entry : list) {
      if (entry->err() == RdKafka::ERR_NO_ERROR && entry->offset() >= 0) {
        (*out)[static_cast<size_t>(entry->partition())] = entry->offset();
      }
    }
  }
  RdKafka::TopicPartition::destroy(list);
  consumer->close();
  return out;
}

class Reader {
 public:
  static core::Result<std::unique_ptr<Reader>> Start(const std::string& bootstrap,
                                                     const std::string& run_id, int fetch_wait_ms,
                                                     Ledger& ledger) {
    std::unique_ptr<Reader> self(new Reader(ledger));
    auto consumer = NewReaderConsumer(bootstrap, "gridcare-storm-bench-" + run_id,
                                      "gridcare-storm-bench-reader", fetch_wait_ms);
    if (!consumer) return consumer.error();
    self->consumer_ = std::move(*consumer);
    self->intake_dlq_ = kafka::DeadLetterTopic("intake");
    self->dispatch_dlq_ = kafka::DeadLetterTopic("dispatch");
    auto partitions =
        AssignEveryPartition(*self->consumer_,
                             {std::string(kafka::kIntakeTopic), std::string(kafka::kDispatchTopic),
                              self->intake_dlq_, self->dispatch_dlq_},
                             [](const std::string&, int) -> core::Result<int64_t> {
                               return int64_t{RdKafka::Topic::OFFSET_BEGINNING};
                             });
    if (!partitions) return partitions.error();
    self->partitions_ = *partitions;
    Reader* raw = self.get();
    self->thread_ = std::thread([raw] { raw->Run(); });
    return self;
  }

  ~Reader() { Stop(); }

  void Stop() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
    if (consumer_ && !closed_) {
      consumer_->close();
      closed_ = true;
    }
  }

  int partitions() const { return partitions_; }
  int64_t errors() const { return errors_.load(); }
  int64_t messages() const { return messages_.load(); }
  int64_t bytes() const { return bytes_.load(); }

  // Sums of the low and high watermarks of `topic` (asked of the broker).
  std::optional<Watermarks> WatermarksOf(const std::string& topic) {
    auto partitions = PartitionCount(*consumer_, topic, std::chrono::seconds(10));
    if (!partitions) return std::nullopt;
    Watermarks marks;
    marks.partitions = *partitions;
    for (int p = 0; p < *partitions; ++p) {
      int64_t low = 0, high = 0;
      if (consumer_->query_watermark_offsets(topic, p, &low, &high, 10'000) !=
          RdKafka::ERR_NO_ERROR) {
        return std::nullopt;
      }
      marks.low += low;
      marks.high += high;
      marks.lows.push_back(low);
      marks.highs.push_back(high);
    }
    return marks;
  }

 private:
  explicit Reader(Ledger& ledger) : ledger_(ledger) {}

  void Run() {
    while (!stop_.load()) {
      std::unique_ptr<RdKafka::Message> message(consumer_->consume(100));
      if (message->err() == RdKafka::ERR_NO_ERROR) {
        const int64_t now = NowNanos();
        messages_.fetch_add(1);
        bytes_.fetch_add(static_cast<int64_t>(message->len()));
        const std::string& topic = message->topic_name();
        if (topic == kafka::kIntakeTopic) {
          ledger_.OnIntake(*message, now);
        } else if (topic == kafka::kDispatchTopic) {
          ledger_.OnDispatch(*message, now);
        } else if (topic == intake_dlq_) {
          ledger_.OnIntakeDeadLetter(*message, now,
                                     HeaderOf(*message, kafka::kDeadLetterReason).value_or("?"));
        } else if (topic == dispatch_dlq_) {
          ledger_.OnDispatchDeadLetter(*message, now,
                                       HeaderOf(*message, kafka::kDeadLetterReason).value_or("?"));
        }
      } else if (message->err() != RdKafka::ERR__TIMED_OUT &&
                 message->err() != RdKafka::ERR__PARTITION_EOF) {
        if (errors_.fetch_add(1) < 5) {
          std::fprintf(stderr, "storm-bench: reader: %s\n", message->errstr().c_str());
        }
      }
    }
  }

  Ledger& ledger_;
  std::string intake_dlq_;
  std::string dispatch_dlq_;
  int partitions_ = 0;
  bool closed_ = false;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> errors_{0};
  std::atomic<int64_t> messages_{0};
  std::atomic<int64_t> bytes_{0};
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::thread thread_;
};

// ------------------------------------------------------------------------------------------------
// Redis INFO

struct RedisMemory {
  bool valid = false;
  int64_t used = 0;
  int64_t peak = 0;
  int64_t rss = 0;
  int64_t keys = 0;
};

RedisMemory ReadRedisMemory(redis::RedisClient* client) {
  RedisMemory memory;
  if (client == nullptr) return memory;
  auto info = client->Command({"INFO", "memory"});
  auto size = client->Command({"DBSIZE"});
  if (!info) return memory;
  auto field = [&text = info->str()](const std::string& name) -> int64_t {
    const auto at = ("\n" + text).find("\n" + name + ":");
    if (at == std::string::npos) return -1;
    return std::atoll(text.c_str() + at + name.size() + 1);
  };
  memory.used = field("used_memory");
  memory.peak = field("used_memory_peak");
  memory.rss = field("used_memory_rss");
  memory.keys = size && size->is_integer() ? size->integer() : -1;
  memory.valid = memory.used >= 0;
  return memory;
}

// Keys by prefix (the key up to its second ':'), with MEMORY USAGE of the first keys of each
// prefix as a sample for an estimate of the bytes. One SCAN pass.
struct KeyCensus {
  struct Prefix {
    int64_t keys = 0;
    int64_t sampled = 0;
    int64_t sampled_bytes = 0;
    double EstimatedBytes() const {
      return sampled > 0 ? static_cast<double>(sampled_bytes) / static_cast<double>(sampled) *
                               static_cast<double>(keys)
                         : 0;
    }
  };
  bool valid = false;
  double seconds = 0;
  std::map<std::string, Prefix> prefixes;
};

KeyCensus TakeCensus(redis::RedisClient* client, int64_t samples_per_prefix = 50) {
  KeyCensus census;
  if (client == nullptr) return census;
  const auto started = SteadyClock::now();
  std::string cursor = "0";
  do {
    auto reply = client->Command({"SCAN", cursor, "COUNT", "5000"});
    if (!reply || !reply->is_array() || reply->elements().size() != 2) return census;
    cursor = reply->elements()[0].str();
    for (const auto& key : reply->elements()[1].elements()) {
      const std::string& name = key.str();
      const auto first = name.find(':');
      const auto second = first == std::string::npos ? first : name.find(':', first + 1);
      auto& prefix = census.prefixes[name.substr(0, second)];
      ++prefix.keys;
      if (prefix.sampled < samples_per_prefix) {
        auto usage = client->Command({"MEMORY", "USAGE", name, "SAMPLES", "0"});
        if (usage && usage->is_integer()) {
          ++prefix.sampled;
          prefix.sampled_bytes += usage->integer();
        }
      }
    }
  } while (cursor != "0");
  census.valid = true;
  census.seconds = SecondsBetween(started, SteadyClock::now());
  return census;
}

// ------------------------------------------------------------------------------------------------
// Timing summaries

struct Timeline {
  double first_s = 0, last_s = 0, steady_rate = 0;
  LatencySummary latency;  // from each request's publish
};

// `at_ns`: when each item happened (0: never); `sent_ns`: when its request was published.
Timeline Summarise(const std::vector<int64_t>& at_ns, const std::vector<int64_t>& sent_ns,
                   int64_t origin_ns) {
  Timeline timeline;
  std::vector<int64_t> times;
  std::vector<int64_t> micros;
  for (size_t i = 0; i < at_ns.size(); ++i) {
    if (at_ns[i] == 0) continue;
    times.push_back(at_ns[i]);
    micros.push_back((at_ns[i] - sent_ns[i]) / 1000);
  }
  if (times.empty()) return timeline;
  std::sort(times.begin(), times.end());
  timeline.first_s = static_cast<double>(times.front() - origin_ns) / 1e9;
  timeline.last_s = static_cast<double>(times.back() - origin_ns) / 1e9;
  if (times.size() >= 10) {
    const size_t from = times.size() / 10;
    const size_t to = times.size() - 1 - times.size() / 10;
    if (times[to] > times[from]) {
      timeline.steady_rate =
          static_cast<double>(to - from) * 1e9 / static_cast<double>(times[to] - times[from]);
    }
  }
  timeline.latency = Summarize(micros);
  return timeline;
}

// ------------------------------------------------------------------------------------------------

// The storm's shape, independent of the order calls arrived in (which names each incident after
// the call that formed it): one line per transformer or feeder incident holding calls, then the
// single-customer incidents and the work orders created and not cancelled. Two runs of the same
// storm (one dispatch instance and several) must write the same file.
void WriteShape(const std::string& path, const Ledger& ledger,
                const std::vector<int64_t>& calls_of) {
  std::vector<std::string> lines;
  int64_t singles = 0;
  int64_t single_calls = 0;
  for (size_t i = 0; i < ledger.incidents().size(); ++i) {
    const auto& incident = ledger.incidents()[i];
    if (calls_of[i] == 0 || incident.parent >= 0) continue;
    if (incident.level == v1::INCIDENT_LEVEL_SINGLE_CUSTOMER) {
      ++singles;
      single_calls += calls_of[i];
      continue;
    }
    lines.push_back(ShortEnum(v1::IncidentLevel_Name(incident.level), "INCIDENT_LEVEL_") + " " +
                    incident.scope + " calls=" + std::to_string(calls_of[i]));
  }
  std::sort(lines.begin(), lines.end());
  int64_t open_orders = 0;
  for (const auto& id : ledger.created()) open_orders += ledger.cancelled().contains(id) ? 0 : 1;
  lines.push_back("single_customer incidents=" + std::to_string(singles) +
                  " calls=" + std::to_string(single_calls));
  lines.push_back("work_orders created_not_cancelled=" + std::to_string(open_orders));
  std::ofstream out(path);
  for (const auto& line : lines) out << line << '\n';
  if (!out) std::fprintf(stderr, "storm-bench: cannot write %s\n", path.c_str());
}

int Main(int argc, char** argv) {
  Options options;
  CLI::App app{
      "gridcare-storm-bench: issue 6's storm through a running local stack (deploy/local/"
      "stack.sh): --calls fault calls from distinct customers in --areas transformer areas of the "
      "--customers utility, spread over 10 simulated minutes but published as fast as the "
      "producer allows, each followed through intake (ticket) and dispatch (placed in an "
      "incident). Prints drain times, counts in and out of each stage, incidents, work orders "
      "and memory per process. Exit 0 when nothing was lost, 1 otherwise."};
  app.add_option("--endpoints", options.endpoints_file,
                 "The stack's endpoints.env (deploy/local/stack.sh writes <run>/endpoints.env)")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--run-dir", options.run_dir,
                 "The stack's run directory, for pids/<name>.pid (default: GRIDCARE_RUN_DIR of "
                 "the endpoints file)");
  app.add_option("--calls", options.calls, "Fault calls (distinct customers)")
      ->check(CLI::Range(int64_t{1}, int64_t{10'000'000}))
      ->capture_default_str();
  app.add_option("--areas", options.areas, "Transformer areas hit by the storm")
      ->check(CLI::Range(1, 10'000'000))
      ->capture_default_str();
  app.add_option("--customers", options.customers,
                 "Customers of the synthetic utility loaded into the stack (with --seed)")
      ->check(CLI::Range(int64_t{1}, synth::kMaxCustomers))
      ->capture_default_str();
  app.add_option("--seed", options.seed, "Seed of the loaded synthetic utility and of the storm")
      ->capture_default_str();
  app.add_option("--storm-seed", options.storm_seed,
                 "Seed of the storm plan alone (default: --seed); another seed picks other areas "
                 "and callers, e.g. for a second storm on a stack that is still up");
  app.add_option("--storm-minutes", options.storm_minutes,
                 "Simulated length of the storm (the calls' received_at spread)")
      ->check(CLI::Range(0.01, 1440.0))
      ->capture_default_str();
  app.add_option("--drain-timeout", options.drain_timeout_s,
                 "Give up when the backlog is not drained this many seconds after the first "
                 "publish")
      ->check(CLI::Range(1.0, 86'400.0))
      ->capture_default_str();
  app.add_option("--stall-timeout", options.stall_timeout_s,
                 "Give up earlier when nothing moved at either stage for this many seconds")
      ->check(CLI::Range(1.0, 86'400.0))
      ->capture_default_str();
  app.add_option("--progress-interval", options.progress_s, "Seconds between progress lines")
      ->check(CLI::Range(0.5, 3600.0))
      ->capture_default_str();
  app.add_option("--shape-out", options.shape_out,
                 "Write the storm's shape to this file: one line per transformer or feeder "
                 "incident holding calls (level, scope, calls), the single-customer incidents and "
                 "the work orders created and not cancelled, sorted; identifiers that depend on "
                 "the order calls arrive in are left out, so runs of one storm compare with diff");
  app.add_option("--grace", options.grace_s,
                 "Seconds to keep reading after the drain, for the work-order events that follow "
                 "the last placement")
      ->check(CLI::Range(0.0, 600.0))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  auto read_env = config::ReadEnvFile(options.endpoints_file);
  const auto env = read_env ? std::move(read_env).value() : std::map<std::string, std::string>();
  auto endpoint = [&env](const std::string& key) -> std::string {
    const auto it = env.find(key);
    return it == env.end() ? std::string() : it->second;
  };
  const std::string bootstrap = endpoint("GRIDCARE_KAFKA_BOOTSTRAP_SERVERS");
  if (bootstrap.empty()) {
    std::fprintf(stderr,
                 "storm-bench: %s has no GRIDCARE_KAFKA_BOOTSTRAP_SERVERS; is the stack up?\n",
                 options.endpoints_file.c_str());
    return 2;
  }
  if (options.run_dir.empty()) options.run_dir = endpoint("GRIDCARE_RUN_DIR");
  if (options.run_dir.empty()) {
    options.run_dir = fs::path(options.endpoints_file).parent_path().string();
  }
  const std::map<std::string, std::string> metrics_of = {
      {"profile", endpoint("GRIDCARE_PROFILE_METRICS")},
      {"intake", endpoint("GRIDCARE_INTAKE_METRICS")},
      {"repair-crew", endpoint("GRIDCARE_REPAIR_CREW_METRICS")},
      {"dispatch", endpoint("GRIDCARE_DISPATCH_METRICS")}};
  const std::string dispatch_metrics = metrics_of.at("dispatch");
  if (dispatch_metrics.empty()) {
    std::fprintf(stderr,
                 "storm-bench: %s has no GRIDCARE_DISPATCH_METRICS: the stack must run "
                 "the dispatch service\n",
                 options.endpoints_file.c_str());
    return 2;
  }

  std::unique_ptr<redis::RedisClient> redis_client;
  if (const std::string address = endpoint("GRIDCARE_REDIS_ADDRESS"); !address.empty()) {
    if (auto parsed = redis::ParseAddress(address)) {
      redis::RedisSettings settings;
      settings.host = parsed->host;
      settings.port = parsed->port;
      settings.pool_size = 1;
      settings.command_timeout = std::chrono::seconds(5);
      if (auto client = redis::RedisClient::Create(settings)) {
        redis_client = std::move(client).value();
      } else {
        std::fprintf(stderr, "storm-bench: Redis %s: %s (its memory will not be reported)\n",
                     address.c_str(), client.error().ToString().c_str());
      }
    }
  }

  // ---- the utility and the storm plan
  const auto plan_started = SteadyClock::now();
  synth::UtilitySpec spec;
  spec.seed = options.seed;
  spec.customers = options.customers;
  auto utility = synth::Utility::Create(spec);
  if (!utility) {
    std::fprintf(stderr, "storm-bench: %s\n", utility.error().ToString().c_str());
    return 2;
  }
  synth::WideStormSpec storm_spec;
  storm_spec.seed = options.storm_seed.value_or(options.seed);
  storm_spec.calls = options.calls;
  storm_spec.transformer_areas = options.areas;
  storm_spec.duration =
      std::chrono::milliseconds(static_cast<int64_t>(std::llround(options.storm_minutes * 60'000)));
  auto plan = synth::PlanWideStorm(*utility, storm_spec);
  if (!plan) {
    std::fprintf(stderr, "storm-bench: %s\n", plan.error().ToString().c_str());
    return 2;
  }
  const auto& network = utility->network();
  std::map<int32_t, int64_t> calls_per_area;
  std::set<int32_t> feeders;
  std::map<v1::AreaClass, int64_t> calls_by_class;
  for (const auto& call : *plan) {
    const int32_t area = network.TransformerIndexOf(call.customer_index);
    ++calls_per_area[area];
    feeders.insert(network.transformers()[static_cast<size_t>(area)].feeder);
    ++calls_by_class[network.transformers()[static_cast<size_t>(area)].area_class];
  }
  int64_t customers_in_areas = 0, largest = 0, smallest = INT64_MAX;
  for (const auto& [area, count] : calls_per_area) {
    customers_in_areas += network.transformers()[static_cast<size_t>(area)].customers.size();
    largest = std::max(largest, count);
    smallest = std::min(smallest, count);
  }
  const std::string run_id = RunId();
  std::printf(
      "gridcare-storm-bench: run %s; utility of %s customers (seed %llu): %zu feeders, "
      "%zu transformer areas, %zu crews\n",
      run_id.c_str(), Thousands(static_cast<double>(utility->customer_count())).c_str(),
      static_cast<unsigned long long>(options.seed), network.feeders().size(),
      network.transformers().size(), utility->crews().size());
  std::printf(
      "  storm: %s calls from distinct customers in %s transformer areas (%s customers) on "
      "%s feeders; %s-%s calls per area; urban %s, rural %s, remote %s calls\n",
      Thousands(static_cast<double>(plan->size())).c_str(),
      Thousands(static_cast<double>(calls_per_area.size())).c_str(),
      Thousands(static_cast<double>(customers_in_areas)).c_str(),
      Thousands(static_cast<double>(feeders.size())).c_str(),
      Thousands(static_cast<double>(smallest)).c_str(),
      Thousands(static_cast<double>(largest)).c_str(),
      Thousands(static_cast<double>(calls_by_class[v1::AREA_CLASS_URBAN])).c_str(),
      Thousands(static_cast<double>(calls_by_class[v1::AREA_CLASS_RURAL])).c_str(),
      Thousands(static_cast<double>(calls_by_class[v1::AREA_CLASS_REMOTE])).c_str());
  std::printf(
      "  the %.0f simulated minutes are COMPRESSED: every call is published as fast as "
      "the producer allows, in call-time order; received_at carries each call's "
      "simulated time (storm start = first publish)\n",
      options.storm_minutes);
  std::printf("  planned in %.2f s; bootstrap %s; %u hardware threads, loadavg %s\n",
              SecondsBetween(plan_started, SteadyClock::now()), bootstrap.c_str(),
              std::thread::hardware_concurrency(), LoadAverage().c_str());

  // ---- the processes, before the storm
  const auto components = ReadComponents(options.run_dir);
  if (components.empty()) {
    std::fprintf(stderr, "storm-bench: no pid files in %s/pids: memory will not be reported\n",
                 options.run_dir.c_str());
  }
  std::map<std::string, Memory> before;
  std::map<std::string, int64_t> peak_rss_seen;
  std::vector<Watched> watched = {{"bench", "/proc/self/stat"}};
  for (const auto& component : components) {
    before[component.name] = ReadMemory(component.pid);
    peak_rss_seen[component.name] = before[component.name].rss_kb;
    watched.push_back({component.name, "/proc/" + std::to_string(component.pid) + "/stat"});
  }
  int dispatch_pid = -1;
  for (const auto& component : components) {
    if (component.name == "dispatch") dispatch_pid = component.pid;
  }
  auto sample_memory = [&] {
    for (const auto& component : components) {
      const auto memory = ReadMemory(component.pid);
      if (memory.valid) {
        peak_rss_seen[component.name] = std::max(peak_rss_seen[component.name], memory.rss_kb);
      }
    }
  };
  const RedisMemory redis_before = ReadRedisMemory(redis_client.get());
  const KeyCensus census_before = TakeCensus(redis_client.get());
  if (census_before.valid) {
    std::printf("  Redis before the storm: %s keys in %zu prefixes (census took %.1f s)\n",
                Thousands(static_cast<double>(redis_before.keys)).c_str(),
                census_before.prefixes.size(), census_before.seconds);
  }
  const auto dispatch_before = Scrape(dispatch_metrics);
  if (!dispatch_before) {
    std::fprintf(stderr, "storm-bench: cannot read http://%s/metrics\n", dispatch_metrics.c_str());
    return 2;
  }

  // ---- reader first, so nothing is missed (it reads from the beginning anyway)
  Ledger ledger(static_cast<int64_t>(plan->size()), run_id);
  auto started_reader = Reader::Start(bootstrap, run_id, options.reader_fetch_wait_ms, ledger);
  if (!started_reader) {
    std::fprintf(stderr, "storm-bench: %s\n", started_reader.error().ToString().c_str());
    return 2;
  }
  auto reader = std::move(started_reader).value();

  auto producer =
      kafka::KafkaProducer::Create({bootstrap, "gridcare-storm-bench-ivr", {}}, nullptr);
  if (!producer) {
    std::fprintf(stderr, "storm-bench: %s\n", producer.error().ToString().c_str());
    return 2;
  }
  std::printf(
      "  reading %s, %s and the dead-letter topics of intake and dispatch (%d partitions) "
      "from the beginning\n\n",
      std::string(kafka::kIntakeTopic).c_str(), std::string(kafka::kDispatchTopic).c_str(),
      reader->partitions());
  std::fflush(stdout);

  // ---- publish
  CpuMeter meter(watched);
  meter.Start();
  core::SystemClock clock;
  const core::TimePoint storm_start = clock.Now();
  std::vector<int64_t> sent_ns(plan->size(), 0);
  int64_t publish_failures = 0;
  int64_t value_bytes = 0, header_bytes = 0;
  const int64_t origin = NowNanos();
  for (size_t seq = 0; seq < plan->size(); ++seq) {
    auto record =
        MakeCall(*utility, (*plan)[seq], static_cast<int64_t>(seq), run_id, storm_start, clock);
    value_bytes += static_cast<int64_t>(record.value.size() + record.key.size());
    for (const auto& [name, value] : record.headers) {
      header_bytes += static_cast<int64_t>(name.size() + value.size());
    }
    sent_ns[seq] = NowNanos();
    if (auto status = (*producer)->Publish(std::move(record)); !status) {
      if (publish_failures++ < 3) {
        std::fprintf(stderr, "storm-bench: publish failed: %s\n",
                     status.error().ToString().c_str());
      }
    }
  }
  const double produce_s = static_cast<double>(NowNanos() - origin) / 1e9;
  auto flushed = (*producer)->Flush(std::chrono::seconds(120));
  const double acked_s = static_cast<double>(NowNanos() - origin) / 1e9;
  if (!flushed) {
    std::fprintf(stderr, "storm-bench: flush: %s\n", flushed.error().ToString().c_str());
    ++publish_failures;
  }
  const double n = static_cast<double>(plan->size());
  std::printf(
      "published %s requests: produce calls took %.2f s (%s/s), all acknowledged after "
      "%.2f s (%s/s); %.0f B key+value and %.0f B of headers per record on average; "
      "delivery failures %lld\n",
      Thousands(n).c_str(), produce_s, Thousands(n / produce_s).c_str(), acked_s,
      Thousands(n / acked_s).c_str(), static_cast<double>(value_bytes) / n,
      static_cast<double>(header_bytes) / n,
      static_cast<long long>((*producer)->failed() + publish_failures));
  std::fflush(stdout);

  // ---- follow the backlog
  auto elapsed = [origin] { return static_cast<double>(NowNanos() - origin) / 1e9; };
  Ledger::Progress last_progress = ledger.Now();
  double last_print = 0;
  double last_movement = elapsed();
  Ledger::Progress previous_print{};
  int64_t max_dispatch_backlog = 0;
  bool drained = false;
  bool timed_out = false;
  while (true) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const auto progress = ledger.Now();
    const double now = elapsed();
    max_dispatch_backlog = std::max(
        max_dispatch_backlog, progress.tickets - progress.placed - progress.dispatch_dead_lettered);
    if (progress.intake_outcomes != last_progress.intake_outcomes ||
        progress.placed != last_progress.placed ||
        progress.dispatch_dead_lettered != last_progress.dispatch_dead_lettered) {
      last_movement = now;
    }
    last_progress = progress;
    drained = progress.intake_outcomes == static_cast<int64_t>(plan->size()) &&
              progress.placed + progress.dispatch_dead_lettered == progress.tickets;
    if (now - last_print >= options.progress_s || drained) {
      sample_memory();
      const double interval = now - last_print;
      double dispatch_lag = -1, intake_lag = -1;
      if (auto text = Scrape(dispatch_metrics)) {
        dispatch_lag =
            Sum(*text, "gridcare_consumer_lag_messages", "topic", std::string(kafka::kIntakeTopic));
      }
      if (auto text = Scrape(metrics_of.at("intake"))) {
        intake_lag = Sum(*text, "gridcare_consumer_lag_messages", "topic",
                         std::string(kafka::kRequestsTopic));
      }
      std::printf(
          "[%6.1f s] intake %s/%s (%s/s)  placed %s/%s (%s/s)  dispatch backlog %s  "
          "incidents %s  lag in records: intake %s, dispatch %s  rss dispatch %s\n",
          now, Thousands(static_cast<double>(progress.intake_outcomes)).c_str(),
          Thousands(n).c_str(),
          Thousands(interval > 0 ? static_cast<double>(progress.intake_outcomes -
                                                       previous_print.intake_outcomes) /
                                       interval
                                 : 0)
              .c_str(),
          Thousands(static_cast<double>(progress.placed)).c_str(),
          Thousands(static_cast<double>(progress.tickets)).c_str(),
          Thousands(interval > 0
                        ? static_cast<double>(progress.placed - previous_print.placed) / interval
                        : 0)
              .c_str(),
          Thousands(static_cast<double>(progress.tickets - progress.placed -
                                        progress.dispatch_dead_lettered))
              .c_str(),
          Thousands(static_cast<double>(progress.incidents_announced)).c_str(),
          intake_lag < 0 ? "?" : Thousands(intake_lag).c_str(),
          dispatch_lag < 0 ? "?" : Thousands(dispatch_lag).c_str(),
          dispatch_pid > 0
              ? Mib(static_cast<double>(ReadMemory(dispatch_pid).rss_kb) * 1024).c_str()
              : "?");
      std::fflush(stdout);
      previous_print = progress;
      last_print = now;
    }
    if (drained) break;
    if (now >= options.drain_timeout_s) {
      timed_out = true;
      break;
    }
    if (now - last_movement >= options.stall_timeout_s && now > acked_s) {
      break;
    }
  }
  if (options.grace_s > 0) {
    std::printf("%s; reading %.0f s more for the events that follow\n",
                drained ? "drained" : "giving up", options.grace_s);
    std::fflush(stdout);
    std::this_thread::sleep_for(std::chrono::duration<double>(options.grace_s));
  }
  const auto cpu = meter.Stop();
  sample_memory();
  const auto dispatch_after = Scrape(dispatch_metrics);
  std::map<std::string, std::optional<std::string>> service_metrics;
  for (const auto& [name, address] : metrics_of) service_metrics[name] = Scrape(address);
  const RedisMemory redis_after = ReadRedisMemory(redis_client.get());
  std::map<std::string, Memory> after;
  for (const auto& component : components) after[component.name] = ReadMemory(component.pid);
  const auto requests_marks = reader->WatermarksOf(std::string(kafka::kRequestsTopic));
  const auto intake_marks = reader->WatermarksOf(std::string(kafka::kIntakeTopic));
  const auto dispatch_marks = reader->WatermarksOf(std::string(kafka::kDispatchTopic));
  reader->Stop();
  // Where the consumer groups of intake and dispatch stand (committed offsets), to tell records
  // still waiting for them from records they will never see.
  std::optional<std::vector<int64_t>> intake_committed, dispatch_committed;
  if (requests_marks) {
    intake_committed = CommittedOffsets(bootstrap, "intake", std::string(kafka::kRequestsTopic),
                                        requests_marks->partitions);
  }
  if (intake_marks) {
    dispatch_committed = CommittedOffsets(bootstrap, "dispatch", std::string(kafka::kIntakeTopic),
                                          intake_marks->partitions);
  }
  const KeyCensus census_after = TakeCensus(redis_client.get());
  const int64_t reader_errors = reader->errors();

  // ---- figures
  std::lock_guard lock(ledger.mutex());
  std::vector<int64_t> intake_at(plan->size(), 0), placed_at(plan->size(), 0);
  std::vector<int64_t> missing_intake, missing_placement;
  for (size_t i = 0; i < plan->size(); ++i) {
    intake_at[i] = ledger.requests()[i].intake_ns;
    if (intake_at[i] == 0) missing_intake.push_back(static_cast<int64_t>(i));
  }
  int64_t foreign_placed = 0;
  std::vector<std::string> unplaced_tickets;
  for (const auto& [ticket_id, ticket] : ledger.tickets()) {
    if (ticket.seq < 0) {
      if (ticket.placed_ns != 0) ++foreign_placed;
      continue;
    }
    if (ticket.placed_ns != 0) {
      placed_at[static_cast<size_t>(ticket.seq)] = ticket.placed_ns;
    } else {
      unplaced_tickets.push_back(ticket_id);
      missing_placement.push_back(ticket.seq);
    }
  }
  std::sort(unplaced_tickets.begin(), unplaced_tickets.end());
  const Timeline intake_line = Summarise(intake_at, sent_ns, origin);
  const Timeline placed_line = Summarise(placed_at, sent_ns, origin);
  const int64_t tickets = ledger.our_tickets();
  const int64_t placed = ledger.placed();

  std::printf("\n=== Storm: %s calls, %s areas, %s customers (seed %llu) ===\n",
              Thousands(n).c_str(), Thousands(static_cast<double>(calls_per_area.size())).c_str(),
              Thousands(static_cast<double>(options.customers)).c_str(),
              static_cast<unsigned long long>(options.seed));
  std::printf("%s\n", drained     ? "every request accounted for"
                      : timed_out ? "GAVE UP: --drain-timeout passed before the backlog drained"
                                  : "GAVE UP: nothing moved for --stall-timeout");

  std::printf("\nTimes (from the first publish; 10 simulated minutes compressed)\n");
  std::printf("  %-52s %10.2f s  (%s requests/s)\n", "publish: all produce calls made", produce_s,
              Thousands(n / produce_s).c_str());
  std::printf("  %-52s %10.2f s  (%s requests/s)\n", "publish: all acknowledged by the broker",
              acked_s, Thousands(n / acked_s).c_str());
  std::printf("  %-52s %10.2f s  (%s outcomes/s overall, %s/s steady: 10th-90th pct)\n",
              "intake: every request had its outcome", intake_line.last_s,
              Thousands(intake_line.last_s > 0
                            ? static_cast<double>(ledger.intake_outcomes()) / intake_line.last_s
                            : 0)
                  .c_str(),
              Thousands(intake_line.steady_rate).c_str());
  std::printf(
      "  %-52s %10.2f s  (%s tickets/s overall, %s/s steady: 10th-90th pct)\n",
      "dispatch: every ticket placed = TIME TO DRAIN", placed_line.last_s,
      Thousands(placed_line.last_s > 0 ? static_cast<double>(placed) / placed_line.last_s : 0)
          .c_str(),
      Thousands(placed_line.steady_rate).c_str());
  std::printf("  %-52s %10.2f s\n", "dispatch's tail after intake's last outcome",
              placed_line.last_s - intake_line.last_s);
  std::printf("  %-52s %10s\n", "largest dispatch backlog seen (opened, not placed)",
              Thousands(static_cast<double>(max_dispatch_backlog)).c_str());
  std::printf("  %-26s %9s %9s %9s %9s %9s %9s\n", "waits (queueing included)", "count", "mean s",
              "p50 s", "p90 s", "p99 s", "max s");
  for (const auto& [label, line] :
       {std::pair<const char*, const Timeline*>{"publish -> ticket opened", &intake_line},
        {"publish -> ticket placed", &placed_line}}) {
    std::printf("  %-26s %9s %9.2f %9.2f %9.2f %9.2f %9.2f\n", label,
                Thousands(static_cast<double>(line->latency.count)).c_str(),
                line->latency.mean_ms / 1000, line->latency.p50_ms / 1000,
                line->latency.p90_ms / 1000, line->latency.p99_ms / 1000,
                line->latency.max_ms / 1000);
  }

  std::printf("\nCounts in and out\n");
  std::printf("  %-52s %10s\n", "requests published", Thousands(n).c_str());
  std::printf("  %-52s %10s\n", "intake outcomes (one per request)",
              Thousands(static_cast<double>(ledger.intake_outcomes())).c_str());
  for (const auto& [outcome, count] : ledger.outcomes()) {
    std::printf("    %-50s %10s  %s\n", outcome.c_str(),
                Thousands(static_cast<double>(count)).c_str(),
                Pct(static_cast<double>(count), n).c_str());
  }
  std::printf("  %-52s %10s\n", "tickets opened by intake",
              Thousands(static_cast<double>(tickets)).c_str());
  std::printf("  %-52s %10s\n", "tickets placed by dispatch",
              Thousands(static_cast<double>(placed)).c_str());
  std::map<std::string, int64_t> placed_by;
  for (const auto& [ticket_id, ticket] : ledger.tickets()) {
    if (ticket.seq >= 0 && ticket.placed_by >= 0) {
      ++placed_by[ledger.placers()[static_cast<size_t>(ticket.placed_by)]];
    }
  }
  for (const auto& [by, count] : placed_by) {
    std::printf("    first placed by %-34s %10s\n", by.c_str(),
                Thousands(static_cast<double>(count)).c_str());
  }
  std::printf("  %-52s %10s\n", "tickets dead-lettered by dispatch",
              Thousands(static_cast<double>(ledger.tickets_dead_lettered())).c_str());
  for (const auto& [reason, count] : ledger.dispatch_dead_letters()) {
    std::printf("    %-50s %10s\n", reason.c_str(), Thousands(static_cast<double>(count)).c_str());
  }
  if (ledger.duplicate_outcomes() > 0 || ledger.foreign_intake_outcomes() > 0 ||
      foreign_placed > 0 || ledger.undecodable() > 0 || reader_errors > 0) {
    std::printf(
        "  repeated intake outcomes %lld, intake outcomes of other runs %lld, placed "
        "tickets of other runs %lld, undecodable records %lld, reader errors %lld\n",
        static_cast<long long>(ledger.duplicate_outcomes()),
        static_cast<long long>(ledger.foreign_intake_outcomes()),
        static_cast<long long>(foreign_placed), static_cast<long long>(ledger.undecodable()),
        static_cast<long long>(reader_errors));
  }
  // Why a ticket is not placed: still waiting for dispatch, dropped by the devbroker before
  // dispatch read it, or read by dispatch (its group committed past it) and never placed.
  int64_t unplaced_waiting = 0, unplaced_dropped = 0, unplaced_consumed = 0, unplaced_unknown = 0;
  std::vector<std::string> consumed_examples, dropped_examples;
  for (const auto& ticket_id : unplaced_tickets) {
    const auto& ticket = ledger.tickets().at(ticket_id);
    if (ticket.dead_lettered) continue;  // counted as dead-lettered
    const auto p = static_cast<size_t>(ticket.partition);
    if (!dispatch_committed || !intake_marks || ticket.partition < 0 ||
        p >= dispatch_committed->size()) {
      ++unplaced_unknown;
    } else if (ticket.offset < (*dispatch_committed)[p]) {
      ++unplaced_consumed;
      if (consumed_examples.size() < 5) consumed_examples.push_back(ticket_id);
    } else if (ticket.offset < intake_marks->lows[p]) {
      ++unplaced_dropped;
      if (dropped_examples.size() < 5) dropped_examples.push_back(ticket_id);
    } else {
      ++unplaced_waiting;
    }
  }
  // Requests without an outcome: intake's group position on gridcare.requests.v1.
  int64_t requests_unread = -1, requests_dropped = -1;
  if (intake_committed && requests_marks) {
    requests_unread = 0;
    requests_dropped = 0;
    for (size_t p = 0; p < intake_committed->size(); ++p) {
      const int64_t committed = std::max<int64_t>((*intake_committed)[p], 0);
      requests_unread += std::max<int64_t>(0, requests_marks->highs[p] - committed);
      requests_dropped += std::max<int64_t>(0, requests_marks->lows[p] - committed);
    }
  }
  const int64_t other_outcomes = ledger.intake_outcomes() - tickets;
  const int64_t intake_lost =
      requests_dropped > 0 ? requests_dropped : 0;  // dropped before intake read them
  const int64_t lost = intake_lost + unplaced_dropped + unplaced_consumed +
                       ledger.tickets_dead_lettered() + publish_failures + (*producer)->failed();
  if (!missing_intake.empty()) {
    std::printf("  NO OUTCOME: %s requests, e.g.",
                Thousands(static_cast<double>(missing_intake.size())).c_str());
    for (size_t i = 0; i < std::min<size_t>(5, missing_intake.size()); ++i) {
      std::printf(
          " %s%lld (customer %s)", RequestIdPrefix(run_id).c_str(),
          static_cast<long long>(missing_intake[i]),
          utility->CustomerId((*plan)[static_cast<size_t>(missing_intake[i])].customer_index)
              .c_str());
    }
    std::printf(
        "\n    intake's consumer group has %s records of %s still to read; %s were "
        "dropped by the devbroker before it read them\n",
        requests_unread < 0 ? "?" : Thousands(static_cast<double>(requests_unread)).c_str(),
        kafka::kRequestsTopic.data(),
        requests_dropped < 0 ? "?" : Thousands(static_cast<double>(requests_dropped)).c_str());
  }
  if (!unplaced_tickets.empty()) {
    std::printf("  NOT PLACED: %s tickets, e.g.",
                Thousands(static_cast<double>(unplaced_tickets.size())).c_str());
    for (size_t i = 0; i < std::min<size_t>(5, unplaced_tickets.size()); ++i) {
      std::printf(" %s", unplaced_tickets[i].c_str());
    }
    std::printf(
        "\n    still waiting in dispatch's backlog (beyond its group's committed offset) "
        "%s; DROPPED by the devbroker's retention before dispatch read them %s; READ by "
        "dispatch but never placed %s; unknown %s\n",
        Thousands(static_cast<double>(unplaced_waiting)).c_str(),
        Thousands(static_cast<double>(unplaced_dropped)).c_str(),
        Thousands(static_cast<double>(unplaced_consumed)).c_str(),
        Thousands(static_cast<double>(unplaced_unknown)).c_str());
    for (const auto* examples : {&dropped_examples, &consumed_examples}) {
      if (examples->empty()) continue;
      std::printf("    %s, e.g.", examples == &dropped_examples ? "dropped" : "read, not placed");
      for (const auto& id : *examples) std::printf(" %s", id.c_str());
      std::printf("\n");
    }
  }
  std::printf("  %-52s %s = %s = %s%s\n", "requests in = tickets out = tickets placed",
              Thousands(n).c_str(), Thousands(static_cast<double>(tickets)).c_str(),
              Thousands(static_cast<double>(placed)).c_str(), lost > 0 ? "  (SOME LOST)" : "");
  auto print_marks = [](const char* topic, const std::optional<Watermarks>& marks) {
    if (!marks) {
      std::printf("    %-34s watermarks unavailable\n", topic);
      return;
    }
    std::printf(
        "    %-34s %s records in %d partitions; %s dropped by the devbroker's "
        "retention%s\n",
        topic, Thousands(static_cast<double>(marks->high)).c_str(), marks->partitions,
        Thousands(static_cast<double>(marks->low)).c_str(),
        marks->low > 0 ? " (harmless once every consumer group had read them)" : "");
  };
  std::printf("  topics (whole stack lifetime):\n");
  print_marks(kafka::kRequestsTopic.data(), requests_marks);
  print_marks(kafka::kIntakeTopic.data(), intake_marks);
  print_marks(kafka::kDispatchTopic.data(), dispatch_marks);

  // ---- incidents and work orders
  std::printf("\nIncidents (every one on %s: a fresh stack holds only this run's)\n",
              kafka::kDispatchTopic.data());
  // An incident "holds" the calls whose last known home resolves to it through the merges.
  std::map<v1::IncidentLevel, int64_t> announced_by_level, merged_by_level, holding_by_level,
      calls_by_level;
  int64_t unannounced = 0, homeless = 0, orphans = 0;
  std::vector<std::string> orphan_examples;
  std::vector<int64_t> calls_of(ledger.incidents().size(), 0);
  for (const auto& [ticket_id, ticket] : ledger.tickets()) {
    if (ticket.seq < 0) continue;
    const int32_t root = ledger.RootOf(ticket.home);
    if (root < 0) {
      ++homeless;
    } else {
      ++calls_of[static_cast<size_t>(root)];
    }
  }
  for (size_t i = 0; i < ledger.incidents().size(); ++i) {
    const auto& incident = ledger.incidents()[i];
    const bool announced = incident.opened || incident.rolled_up;
    if (!announced) {
      ++unannounced;
      continue;
    }
    ++announced_by_level[incident.level];
    if (incident.parent >= 0) {
      ++merged_by_level[incident.level];
    } else if (calls_of[i] == 0) {
      // Not merged by any event, yet none of its calls resolve to it any more.
      if (orphans++ < 3) orphan_examples.push_back(incident.id);
    } else if (incident.state != v1::INCIDENT_STATE_RESTORED &&
               incident.state != v1::INCIDENT_STATE_CANCELLED) {
      ++holding_by_level[incident.level];
    }
    calls_by_level[incident.level] += calls_of[i];
  }
  if (!options.shape_out.empty()) WriteShape(options.shape_out, ledger, calls_of);
  std::printf("  %-18s %12s %14s %14s %16s\n", "level", "announced", "merged later", "open at end",
              "calls they hold");
  for (const auto level : {v1::INCIDENT_LEVEL_SINGLE_CUSTOMER, v1::INCIDENT_LEVEL_TRANSFORMER,
                           v1::INCIDENT_LEVEL_FEEDER, v1::INCIDENT_LEVEL_SUBSTATION}) {
    std::printf("  %-18s %12s %14s %14s %16s\n",
                ShortEnum(v1::IncidentLevel_Name(level), "INCIDENT_LEVEL_").c_str(),
                Thousands(static_cast<double>(announced_by_level[level])).c_str(),
                Thousands(static_cast<double>(merged_by_level[level])).c_str(),
                Thousands(static_cast<double>(holding_by_level[level])).c_str(),
                Thousands(static_cast<double>(calls_by_level[level])).c_str());
  }
  std::printf(
      "  announced = IncidentOpened or IncidentRolledUp seen; merged later = absorbed by a "
      "larger incident (its child_incident_ids, or a roll-up's merged_incident_ids: %s); "
      "calls held = this run's tickets whose incident resolves to it through the merges "
      "(%s tickets in none)\n",
      Thousands(static_cast<double>(ledger.merged_by_roll_up())).c_str(),
      Thousands(static_cast<double>(homeless)).c_str());
  if (orphans > 0) {
    std::printf(
        "  %s announced incidents were never shown merged by any event but hold none of "
        "this run's calls (their callers were attached elsewhere; a consumer following "
        "the events sees them open), e.g.",
        Thousands(static_cast<double>(orphans)).c_str());
    for (const auto& id : orphan_examples) std::printf(" %s", id.c_str());
    std::printf("\n");
  }
  if (unannounced > 0) {
    std::printf(
        "  %s incidents were named only as merged (never announced: dispatch rolls a "
        "transformer incident that the same call completed straight into the feeder "
        "incident)\n",
        Thousands(static_cast<double>(unannounced)).c_str());
  }
  if (!ledger.incident_changes().empty()) {
    std::printf("  IncidentUpdated by change:");
    for (const auto& [change, count] : ledger.incident_changes()) {
      std::printf(" %s %s;", change.c_str(), Thousands(static_cast<double>(count)).c_str());
    }
    std::printf("\n");
  }
  std::map<v1::WorkOrderState, int64_t> orders_by_state;
  for (const auto& [id, state] : ledger.work_order_states()) ++orders_by_state[state];
  std::printf("\nWork orders (distinct ids in the events)\n");
  std::printf(
      "  created %s, assigned to a crew %s, reassigned %s, queued (no crew fits) %s, "
      "cancelled %s\n",
      Thousands(static_cast<double>(ledger.created().size())).c_str(),
      Thousands(static_cast<double>(ledger.assigned().size())).c_str(),
      Thousands(static_cast<double>(ledger.reassigned().size())).c_str(),
      Thousands(static_cast<double>(ledger.queued().size())).c_str(),
      Thousands(static_cast<double>(ledger.cancelled().size())).c_str());
  std::printf("  last state seen:");
  for (const auto& [state, count] : orders_by_state) {
    std::printf(" %s %s;", ShortEnum(v1::WorkOrderState_Name(state), "WORK_ORDER_STATE_").c_str(),
                Thousands(static_cast<double>(count)).c_str());
  }
  std::printf("\n");

  std::printf("\nEvents read (this run's and any earlier on a reused stack)\n  %s:",
              kafka::kIntakeTopic.data());
  for (const auto& [name, count] : ledger.intake_events()) {
    std::printf(" %s %s;", name.c_str(), Thousands(static_cast<double>(count)).c_str());
  }
  std::printf("\n  %s:", kafka::kDispatchTopic.data());
  int64_t dispatch_total = 0, dispatch_bytes_total = 0;
  for (const auto& [name, count] : ledger.dispatch_events()) {
    dispatch_total += count;
    dispatch_bytes_total += ledger.dispatch_bytes().at(name);
    std::printf(" %s %s (%.0f B avg);", name.c_str(), Thousands(static_cast<double>(count)).c_str(),
                static_cast<double>(ledger.dispatch_bytes().at(name)) / static_cast<double>(count));
  }
  std::printf("\n  dispatch events in all: %s (%s), %.2f per call\n",
              Thousands(static_cast<double>(dispatch_total)).c_str(),
              Mib(static_cast<double>(dispatch_bytes_total)).c_str(),
              static_cast<double>(dispatch_total) / n);

  // ---- dispatch's own metrics
  std::printf("\nDispatch's /metrics (http://%s/metrics; change over the run)\n",
              dispatch_metrics.c_str());
  if (dispatch_after) {
    for (const char* family_name :
         {"gridcare_dispatch_decisions_total", "gridcare_dispatch_actions_total",
          "gridcare_dispatch_ignored_total"}) {
      const std::string family = family_name;
      std::printf("  %s:", family.c_str());
      bool any = false;
      for (const auto& sample : Series(*dispatch_after, family)) {
        double earlier = 0;
        for (const auto& old : Series(*dispatch_before, family)) {
          if (old.labels == sample.labels) earlier = old.value;
        }
        const double delta = sample.value - earlier;
        if (delta == 0) continue;
        any = true;
        std::printf(" %s %s;", sample.labels.c_str(), Thousands(delta).c_str());
      }
      std::printf("%s\n", any ? "" : " (none)");
    }
    std::printf("  gridcare_dispatch_open (at the end):");
    for (const auto& sample : Series(*dispatch_after, "gridcare_dispatch_open")) {
      std::printf(" %s %s;", sample.labels.c_str(), Thousands(sample.value).c_str());
    }
    std::printf("\n");
  } else {
    std::printf("  UNAVAILABLE (dispatch did not answer)\n");
  }

  // ---- every service's stage counters
  std::printf("\nStage counters of the services (whole life; non-zero only)\n");
  for (const auto& [name, text] : service_metrics) {
    if (!text) {
      std::printf("  %-12s /metrics UNAVAILABLE\n", name.c_str());
      continue;
    }
    std::printf("  %s:\n", name.c_str());
    for (const char* family_name :
         {"gridcare_events_consumed_total", "gridcare_events_published_total",
          "gridcare_events_failed_total", "gridcare_events_dead_lettered_total",
          "gridcare_events_publish_failed_total", "gridcare_events_duplicate_total",
          "gridcare_consumer_lag_messages"}) {
      const std::string family = family_name;
      std::map<std::string, double> by_key;
      for (const auto& sample : Series(*text, family)) {
        if (sample.value == 0) continue;
        std::string key = Label(sample.labels, "topic");
        if (const auto reason = Label(sample.labels, "reason"); !reason.empty()) {
          key += " reason=" + reason;
        }
        by_key[key] += sample.value;
      }
      if (by_key.empty()) continue;
      std::printf("    %-38s", family.substr(std::string("gridcare_").size()).c_str());
      for (const auto& [key, value] : by_key) {
        std::printf(" %s %s;", key.c_str(), Thousands(value).c_str());
      }
      std::printf("\n");
    }
    const double count = Sum(*text, "gridcare_event_processing_seconds_count");
    const double seconds = Sum(*text, "gridcare_event_processing_seconds_sum");
    if (count > 0) {
      std::printf("    %-38s %s events, %.3f ms each on average\n", "event_processing_seconds",
                  Thousands(count).c_str(), 1000 * seconds / count);
    }
  }

  // ---- memory
  std::printf(
      "\nMemory (VmHWM = the process's peak RSS over its whole life, the utility's load "
      "included)\n");
  std::printf("  %-12s %8s %14s %14s %14s %14s\n", "process", "pid", "rss before", "rss after",
              "peak rss seen", "VmHWM");
  for (const auto& component : components) {
    const auto& b = before[component.name];
    const auto& a = after[component.name];
    auto kb = [](const Memory& m, int64_t value) {
      return m.valid ? Mib(static_cast<double>(value) * 1024) : std::string("gone");
    };
    std::printf("  %-12s %8d %14s %14s %14s %14s\n", component.name.c_str(), component.pid,
                kb(b, b.rss_kb).c_str(), kb(a, a.rss_kb).c_str(),
                Mib(static_cast<double>(peak_rss_seen[component.name]) * 1024).c_str(),
                kb(a, a.hwm_kb).c_str());
  }
  const auto self = ReadMemory(0);
  std::printf("  %-12s %8d %14s %14s %14s %14s\n", "storm-bench", static_cast<int>(getpid()), "-",
              Mib(static_cast<double>(self.rss_kb) * 1024).c_str(), "-",
              Mib(static_cast<double>(self.hwm_kb) * 1024).c_str());
  if (redis_before.valid && redis_after.valid) {
    std::printf(
        "  Redis INFO memory: used_memory %s before -> %s after (used_memory_peak %s, "
        "used_memory_rss %s); keys %s -> %s\n",
        Mib(static_cast<double>(redis_before.used)).c_str(),
        Mib(static_cast<double>(redis_after.used)).c_str(),
        Mib(static_cast<double>(redis_after.peak)).c_str(),
        Mib(static_cast<double>(redis_after.rss)).c_str(),
        Thousands(static_cast<double>(redis_before.keys)).c_str(),
        Thousands(static_cast<double>(redis_after.keys)).c_str());
  }
  if (census_before.valid && census_after.valid) {
    std::printf(
        "  Redis keys by prefix (bytes estimated from MEMORY USAGE of up to 50 keys per "
        "prefix; census took %.1f s):\n",
        census_after.seconds);
    std::printf("    %-28s %12s %12s %14s %14s\n", "prefix", "keys before", "keys after",
                "~MiB after", "~MiB added");
    std::vector<std::pair<double, std::string>> order;
    for (const auto& [prefix, entry] : census_after.prefixes) {
      order.emplace_back(entry.EstimatedBytes(), prefix);
    }
    std::sort(order.rbegin(), order.rend());
    for (const auto& [bytes, prefix] : order) {
      const auto& after_entry = census_after.prefixes.at(prefix);
      KeyCensus::Prefix before_entry;
      if (auto it = census_before.prefixes.find(prefix); it != census_before.prefixes.end()) {
        before_entry = it->second;
      }
      std::printf("    %-28s %12s %12s %14.1f %14.1f\n", prefix.c_str(),
                  Thousands(static_cast<double>(before_entry.keys)).c_str(),
                  Thousands(static_cast<double>(after_entry.keys)).c_str(),
                  bytes / (1024.0 * 1024.0),
                  (bytes - before_entry.EstimatedBytes()) / (1024.0 * 1024.0));
    }
  }
  std::printf("  %s\n", Describe(cpu).c_str());

  const bool intake_equal = tickets == static_cast<int64_t>(n);
  const bool dispatch_equal = placed == tickets;
  std::printf("\nGoals\n");
  auto goal = [](const char* label, const char* verdict, const std::string& detail) {
    std::printf("  %-52s %-8s %s\n", label, verdict, detail.c_str());
  };
  goal("requests in = tickets out (intake)", intake_equal ? "met" : "MISSED",
       Thousands(n) + " = " + Thousands(static_cast<double>(tickets)) +
           (other_outcomes > 0
                ? " (" + Thousands(static_cast<double>(other_outcomes)) + " other outcomes)"
                : ""));
  goal("tickets out = tickets placed (dispatch)",
       dispatch_equal ? "met" : (lost == 0 && !drained ? "NOT YET" : "MISSED"),
       Thousands(static_cast<double>(tickets)) + " = " + Thousands(static_cast<double>(placed)));
  goal("nothing lost", lost == 0 ? "met" : "MISSED",
       lost == 0 ? std::string("0 dropped by the broker, read without outcome or dead-lettered")
                 : Thousands(static_cast<double>(lost)) +
                       " dropped by the broker, read without outcome, dead-lettered or not "
                       "published");
  char drain[96];
  std::snprintf(drain, sizeof drain, "%.1f s (--drain-timeout %.0f s)", placed_line.last_s,
                options.drain_timeout_s);
  goal("backlog drained", drained ? "yes" : "NO",
       drained ? drain : std::string("gave up after ") + drain);
  std::fflush(stdout);
  return intake_equal && dispatch_equal && lost == 0 && drained ? 0 : 1;
}

}  // namespace
}  // namespace gridcare::bench

int main(int argc, char** argv) { return gridcare::bench::Main(argc, argv); }
