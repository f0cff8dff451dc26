#include "commands.h"

namespace gridcare::ops {
namespace {

void DeadLetterSelection(config::Options& options, CommandFlags& flags) {
  options.Add("group", flags.group,
              "Read the dead-letter topic of this consumer group (gridcare.dlq.<group>.v1)");
  options.Add("topic", flags.topic, "Read this dead-letter topic");
}

std::vector<CommandSpec> MakeCommands() {
  const SettingNeeds kafka{.kafka = true};
  return {
      {"dead-letters list", "", 0, 0,
       "List dead letters: id, time, group, source topic, reason, detail",
       "Lists the records parked on the dead-letter topics (every consumer group's, or one with "
       "--group / --topic), newest last, one row each: its id (<topic>:<partition>:<offset>), "
       "when and by which group it was parked, where it came from and why. Reads from the start "
       "of each partition to its end without joining a consumer group or committing offsets, so "
       "listing changes nothing.",
       kafka,
       [](config::Options& options, CommandFlags& flags) {
         DeadLetterSelection(options, flags);
         options.Add("limit", flags.limit, "Show the N newest only; 0 shows all")
             .Range(0, 10'000'000);
       },
       RunDeadLettersList},
      {"dead-letters show", "ID", 1, 1,
       "Show one dead letter: headers, key and the event, personal data masked",
       "Shows one dead letter (ID as listed: <topic>:<partition>:<offset>): every header, the key, "
       "and the value decoded as its source topic's event type in protobuf JSON. Phone numbers "
       "(also inside free text), customers' names and house numbers are masked unless --reveal "
       "is given.",
       kafka,
       [](config::Options& options, CommandFlags& flags) {
         options.Add("reveal", flags.reveal,
                     "Print the event's personal data (phone numbers, names, addresses) unmasked");
       },
       RunDeadLettersShow},
      {"dead-letters replay", "[ID...]", 0, kAnyCount,
       "Publish dead letters back to their source topic (by id, or --all --reason R)",
       "Publishes each dead letter's key, value and original headers (not the gridcare_dlq_* "
       "ones) back to its source topic with GridCare's producer settings (idempotent producer, "
       "murmur2_random partitioner) and waits for each to be acknowledged. The event keeps its "
       "ce_id, so the group that parked it handles it and groups that handled it before skip it: "
       "replaying twice is harmless. Give ids, or --all with --reason, --group or --topic. "
       "--dry-run shows what would be published.",
       kafka,
       [](config::Options& options, CommandFlags& flags) {
         DeadLetterSelection(options, flags);
         options.Add("all", flags.all, "Replay every dead letter the selection holds");
         options.Add(
             "reason", flags.reason,
             "With --all: only dead letters parked for this reason (e.g. unknown_customer)");
         options.Add("dry-run", flags.dry_run, "Show what would be published; publish nothing");
       },
       RunDeadLettersReplay},
      {"ticket",
       "TICKET_ID",
       1,
       1,
       "A ticket's timeline, steps with times (IntakeService.Track)",
       "Shows a ticket's summary, its clocks and every step of its timeline with the time, state, "
       "event and who acted, from IntakeService.Track. The customer's own words are not shown.",
       {.targets = {"intake"}},
       [](config::Options& options, CommandFlags& flags) {
         options.Add("language", flags.language, "Language of the steps' descriptions")
             .OneOf({"en", "zh-CN"});
       },
       RunTicket},
      {"incidents",
       "",
       0,
       0,
       "Open incidents: level, customers affected, state, ETR, clocks",
       "Lists dispatch's open incidents (DispatchConsoleService.ListOpenIncidents), highest "
       "priority first: level, state, customers affected, calls, crew, estimated restoration "
       "and the arrival and restoration clocks.",
       {.targets = {"dispatch"}},
       [](config::Options& options, CommandFlags& flags) {
         options.Add("open", flags.open,
                     "Open incidents (the default and the only choice: restored ones are in the "
                     "event log)");
         options.Add("overdue", flags.overdue, "Only incidents with a clock past due");
         options.Add("feeder", flags.feeder, "Only incidents on this feeder");
       },
       RunIncidents},
      {"overdue",
       "",
       0,
       0,
       "Clocks past due or about to be: incidents, work orders, complaint cases",
       "One table of every service clock that is past due or due within --within: dispatch's "
       "incidents and work orders (DispatchConsoleService) and complaint cases "
       "(ComplaintService.ListCases), most late first. Work orders of a listed incident are left "
       "out (they carry the incident's clocks).",
       {.targets = {"dispatch", "complaint"}},
       [](config::Options& options, CommandFlags& flags) {
         options.Add("within", flags.within, "Also list clocks due within this time")
             .Range(std::chrono::seconds(0), std::chrono::seconds(30 * 86400));
       },
       RunOverdue},
      {"health",
       "",
       0,
       0,
       "Every service's /healthz, /readyz and gRPC health; exit 1 if not ready",
       "Asks every service whose address is known for /healthz and /readyz on its metrics "
       "address and, for gRPC servers, grpc.health.v1.Health/Check; one row per service. Exit "
       "code 1 when any service is not ready or not serving.",
       {.health = true},
       nullptr,
       RunHealth},
      {"topics ensure", "[NAME:PARTITIONS:RETENTION_HOURS...]", 0, kAnyCount,
       "Create GridCare's topics or raise their partitions (Kafka Admin API)",
       "Makes every topic GridCare uses exist with at least its partition count, through the "
       "Kafka Admin API (CreateTopics, CreatePartitions): the catalogue of libs/kafka/topics.h "
       "(event topics and each consumer group's dead-letter topic), or the topics given as "
       "NAME:PARTITIONS:RETENTION_HOURS. A new topic gets cleanup.policy=delete, retention.ms "
       "from its hours, --replicas and --min-insync-replicas. An existing topic is left as it "
       "is, except that fewer partitions than asked are raised (never lowered: Kafka cannot "
       "remove partitions; retention is not changed). Safe to run again: what is ready stays "
       "ready. The Helm chart's hook Job runs it when kafka.topics.mode=job. Exit code 1 when "
       "any topic could not be made ready.",
       kafka,
       [](config::Options& options, CommandFlags& flags) {
         options
             .Add("replicas", flags.replicas,
                  "Replication factor of new topics; -1: the cluster's default")
             .Range(-1, 32);
         options
             .Add("min-insync-replicas", flags.min_insync_replicas,
                  "min.insync.replicas of new topics; 0: the cluster's default")
             .Range(0, 32);
         options.Add("dry-run", flags.dry_run, "Show what would be done; change nothing");
       },
       RunTopicsEnsure},
  };
}

}  // namespace

const std::vector<CommandSpec>& Commands() {
  static const std::vector<CommandSpec> kCommands = MakeCommands();
  return kCommands;
}

int Fail(CommandContext& context, const std::string& what) {
  context.err << "gridcare: " << OneLine(what) << "\n";
  return kExitFailure;
}

int UsageError(CommandContext& context, const std::string& command, const std::string& what) {
  context.err << "gridcare " << command << ": " << what << " (see gridcare " << command
              << " --help)\n";
  return kExitUsage;
}

void PrintResult(CommandContext& context, const Table& table, const nlohmann::json& json,
                 const std::string& empty_note) {
  if (context.settings.json) {
    context.out << DumpJson(json);
  } else if (table.empty()) {
    context.out << empty_note << "\n";
  } else {
    context.out << table.RenderText();
  }
}

}  // namespace gridcare::ops
