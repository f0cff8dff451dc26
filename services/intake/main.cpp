// intake: the front door. Every customer contact, from gridcare.requests.v1 (asynchronous channel
// adapters) or IntakeService.Submit (interactive ones), becomes exactly one outcome: a ticket, a
// contact attached to an open ticket, an answer from the knowledge base, or a typed rejection.
// Wiring: app.h.
#include "app.h"

int main(int argc, char** argv) {
  namespace intake = gridcare::intake;
  gridcare::service::Kit kit(intake::kSpec);
  intake::Settings s;
  auto& options = kit.options();
  // Files default to the installed copies, share/gridcare/ beside bin/ (or $GRIDCARE_CONFIG_DIR).
  options.Add("classifier-rules", s.classifier_path, "Classifier rules (JSON)");
  options.Add("knowledge-base", s.knowledge_path, "Consultation knowledge base (JSON)");
  options.Add("working-calendar", s.calendar_path,
              "Working calendar files (JSON), comma-separated, or a directory of them; reloaded on "
              "change or SIGHUP (docs/operations.md)");
  options.Add("calendar-poll", s.calendar_poll, "How often the working calendar files are checked");
  options.Add("service-standards", s.standards_path, "Service-time standards (JSON)");
  options.Add("urging-rules", s.urging_path, "Urging rules (JSON); empty = defaults");
  options.Add("priority-rules", s.priority_path, "Priority rules (JSON); empty = defaults");
  options.Add("profile-deadline", s.profile_deadline, "Deadline of each profile lookup");
  options
      .Add("consumers", s.consumers,
           "Kafka consumer loops in this process (each owns some partitions; a customer's requests "
           "stay in order because they share a partition). Handling waits on Redis and the "
           "profile service, so several loops keep the cores busy")
      .Range(1, 32);
  options
      .Add("request-batch", s.request_batch,
           "Requests each consumer loop decides together, from what it has already fetched: "
           "reservations, customers and open tickets are read in a few round trips per batch and "
           "the outcomes written in one MULTI/EXEC. 1 decides them one at a time")
      .Range(1, 1000);
  if (auto exit_code = kit.Init(argc, argv)) return *exit_code;
  return kit.Run(intake::BuildApp(kit, s));
}
