// gridcare topics ensure.
#include "commands.h"
#include "topics.h"

namespace gridcare::ops {
namespace {

std::string PartitionsText(const TopicStep& step) {
  if (step.action == TopicAction::kCreate || step.action == TopicAction::kAddPartitions) {
    return std::to_string(step.existing_partitions) + " -> " +
           std::to_string(step.wanted.partitions);
  }
  return std::to_string(step.existing_partitions);
}

// Does what `step` asks on the cluster; the result as a table cell, or the error.
core::Result<std::string> Apply(kafka::TopicAdmin& admin, const TopicStep& step,
                                const CommandFlags& flags, std::chrono::milliseconds timeout) {
  switch (step.action) {
    case TopicAction::kCreate: {
      auto created =
          admin.Create(ToNewTopic(step.wanted, flags.replicas, flags.min_insync_replicas), timeout);
      if (created.ok()) return std::string("created");
      if (created.error().kind == core::ErrorKind::kAlreadyExists) {
        return std::string("already exists (created meanwhile)");
      }
      return created.error();
    }
    case TopicAction::kAddPartitions: {
      auto added = admin.AddPartitions(step.wanted.name, step.wanted.partitions, timeout);
      if (!added.ok()) return added.error();
      return std::string("partitions added");
    }
    case TopicAction::kKeepMore:
      return std::string("ready (more partitions than asked: kept)");
    case TopicAction::kNone:
      break;
  }
  return std::string("ready");
}

}  // namespace

int RunTopicsEnsure(CommandContext& context) {
  const auto& flags = context.settings.flags;
  std::vector<WantedTopic> wanted = CatalogueTopics();
  if (!context.args.empty()) {
    wanted.clear();
    for (const auto& text : context.args) {
      auto topic = ParseWantedTopic(text);
      if (!topic) return UsageError(context, "topics ensure", topic.error().message);
      wanted.push_back(*topic);
    }
  }
  auto admin = context.edges.Admin();
  if (!admin) return Fail(context, admin.error().ToString());
  auto existing = (*admin)->Topics(context.settings.timeout);
  if (!existing)
    return Fail(context, "cannot list the cluster's topics: " + existing.error().ToString());
  auto plan = PlanTopics(wanted, *existing);
  if (!plan) return UsageError(context, "topics ensure", plan.error().message);

  Table table({{"topic", "TOPIC", 60},
               {"partitions", "PARTITIONS", 12},
               {"retention_hours", "RETENTION (H)", 14},
               {"action", "ACTION", 16},
               {"result", "RESULT", 60}});
  int failed = 0;
  for (const auto& step : *plan) {
    std::string result = "would " + std::string(TopicActionName(step.action));
    if (step.action == TopicAction::kNone || step.action == TopicAction::kKeepMore) {
      result = "ready";
    }
    if (!flags.dry_run) {
      auto applied = Apply(**admin, step, flags, context.settings.timeout);
      if (applied) {
        result = *applied;
      } else {
        ++failed;
        result = "FAILED: " + applied.error().ToString();
        context.err << "gridcare: topic " << step.wanted.name << ": "
                    << OneLine(applied.error().ToString()) << "\n";
      }
    }
    table.AddRow({step.wanted.name, PartitionsText(step), step.wanted.retention_hours,
                  std::string(TopicActionName(step.action)), result});
  }
  nlohmann::json json = {
      {"topics", table.ToJson()}, {"failed", failed}, {"dry_run", flags.dry_run}};
  PrintResult(context, table, json, "no topics");
  if (failed > 0) {
    context.err << "gridcare: " << failed << " of " << plan->size()
                << " topic(s) could not be made ready\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace gridcare::ops
