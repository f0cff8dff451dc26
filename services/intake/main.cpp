// intake: the front door. Every customer contact, from gridcare.requests.v1 (asynchronous channel
// adapters) or IntakeService.Submit (interactive ones), becomes exactly one outcome: a ticket, a
// contact attached to an open ticket, an answer from the knowledge base, or a typed rejection.
#include "calendar_reload.h"
#include "gridcare/config/files.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/logging/log.h"
#include "gridcare/rpc/client.h"
#include "gridcare/service/kit.h"
#include "intake_core.h"
#include "intake_grpc_service.h"
#include "request_handler.h"

namespace {

using gridcare::config::ReadTextFile;
using gridcare::config::SourceTreePath;

}  // namespace

int main(int argc, char** argv) {
  namespace intake = gridcare::intake;
  gridcare::service::Kit kit(
      {"intake",
       "GridCare intake service: one front door for every channel. Validates, de-duplicates, "
       "identifies (profile service), classifies, answers consultations from the knowledge base, "
       "attaches urgings and repeats to open tickets, sets priority and service-time clocks, and "
       "publishes the intake events; serves IntakeService (Submit, Track) over gRPC.",
       {.kafka = true, .redis = true, .grpc_server = true, .profile_client = true}});
  std::string classifier_path = SourceTreePath("services/intake/config/classifier.json");
  std::string knowledge_path = SourceTreePath("services/intake/config/knowledge_base.json");
  std::string calendar_path = SourceTreePath("libs/sla/config/calendar-cn-2026.json");
  std::string standards_path = SourceTreePath("libs/sla/config/service-standards.json");
  std::string urging_path;
  std::string priority_path;
  std::chrono::milliseconds profile_deadline{1000};
  int consumers = 4;
  int request_batch = 50;
  kit.options().Add("classifier-rules", classifier_path, "Classifier rules (JSON)");
  kit.options().Add("knowledge-base", knowledge_path, "Consultation knowledge base (JSON)");
  kit.options().Add("working-calendar", calendar_path,
                    "Working calendar files (JSON), comma-separated, or a directory of them; "
                    "reloaded on change or SIGHUP (docs/operations.md)");
  kit.options().Add("service-standards", standards_path, "Service-time standards (JSON)");
  kit.options().Add("urging-rules", urging_path, "Urging rules (JSON); empty = defaults");
  kit.options().Add("priority-rules", priority_path, "Priority rules (JSON); empty = defaults");
  kit.options().Add("profile-deadline", profile_deadline, "Deadline of each profile lookup");
  kit.options()
      .Add("consumers", consumers,
           "Kafka consumer loops in this process (each owns some partitions; a customer's requests "
           "stay in order because they share a partition). Handling waits on Redis and the "
           "profile service, so several loops keep the cores busy")
      .Range(1, 32);
  kit.options()
      .Add("request-batch", request_batch,
           "Requests each consumer loop decides together, from what it has already fetched: "
           "reservations, customers and open tickets are read in a few round trips per batch and "
           "the outcomes written in one MULTI/EXEC. 1 decides them one at a time")
      .Range(1, 1000);
  if (auto exit_code = kit.Init(argc, argv)) return *exit_code;

  auto fail = [](const std::string& what, const gridcare::core::Error& error) {
    gridcare::logging::Error("cannot load " + what + "; fix the file or its flag",
                             {{"error", error.ToString()}});
    return 2;
  };
  auto classifier = intake::Classifier::FromFile(classifier_path);
  if (!classifier) return fail("--classifier-rules", classifier.error());
  auto knowledge = intake::KnowledgeBase::FromFile(knowledge_path);
  if (!knowledge) return fail("--knowledge-base", knowledge.error());
  auto loaded_calendar = intake::LoadWorkingCalendar(calendar_path);
  if (!loaded_calendar) return fail("--working-calendar", loaded_calendar.error());
  gridcare::sla::LiveCalendar calendar(*loaded_calendar);
  intake::IntakeRules rules;
  auto standards_text = ReadTextFile(standards_path);
  if (!standards_text) return fail("--service-standards", standards_text.error());
  auto standards = gridcare::sla::ServiceStandards::FromJson(*standards_text);
  if (!standards) return fail("--service-standards", standards.error());
  rules.standards = *standards;
  if (!urging_path.empty()) {
    auto text = ReadTextFile(urging_path);
    if (!text) return fail("--urging-rules", text.error());
    auto urging = intake::UrgingRules::FromJson(*text);
    if (!urging) return fail("--urging-rules", urging.error());
    rules.urging = *urging;
  }
  if (!priority_path.empty()) {
    auto text = ReadTextFile(priority_path);
    if (!text) return fail("--priority-rules", text.error());
    auto priority = intake::PriorityRules::FromJson(*text);
    if (!priority) return fail("--priority-rules", priority.error());
    rules.priority = *priority;
  }

  intake::GrpcProfileDirectory profiles(
      gridcare::rpc::MakeChannel(kit.settings().profile_service_target), profile_deadline);
  intake::RedisTicketStore store(kit.redis());
  intake::IntakeCore core(profiles, store, kit.producer(), *classifier, *knowledge, calendar, rules,
                          kit.clock());
  intake::IntakeGrpcService grpc_service(core, kit.producer());
  intake::TimelineHandler timeline(store, kit.producer(), kit.clock());
  kit.AddGrpcService(&grpc_service);
  intake::CalendarReloader reloader({calendar_path}, calendar, store, kit.producer(),
                                    kit.registry(), kit.clock());
  kit.AddWorker("calendar-reload", [&reloader](auto& stopping) { reloader.Run(stopping); });
  // Each consumer loop decides its batches through its own RequestBatcher (they hold per-batch
  // state); the stores, clients and rules underneath are shared.
  std::vector<std::unique_ptr<intake::RequestBatcher>> batchers;
  std::vector<std::unique_ptr<intake::IntakeMessageHandler>> handlers;
  for (int i = 0; i < consumers; ++i) {
    batchers.push_back(std::make_unique<intake::RequestBatcher>(
        profiles, store, kit.producer(), *classifier, *knowledge, calendar, rules, kit.clock()));
    handlers.push_back(std::make_unique<intake::IntakeMessageHandler>(*batchers.back(), timeline));
    // No generic idempotency guard: requests are de-duplicated by request id (IntakeCore reserves
    // each one) and timeline steps by the downstream event id, so the guard would only add two
    // Redis round trips per message.
    kit.AddConsumer({std::string(gridcare::kafka::kRequestsTopic),
                     std::string(gridcare::kafka::kDispatchTopic),
                     std::string(gridcare::kafka::kComplaintTopic)},
                    *handlers.back(), /*deduplicate=*/false,
                    [request_batch](gridcare::kafka::ConsumerSettings& settings) {
                      settings.max_handler_batch = static_cast<size_t>(request_batch);
                    });
  }
  return kit.Run();
}
