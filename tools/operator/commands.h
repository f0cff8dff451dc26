#pragma once

// The gridcare sub-commands: what each is called, takes and needs (CommandSpec), and the
// functions that run them against the edges (ports.h). Output goes to the context's streams: the
// result on `out` (a table, or JSON with --json), diagnostics on `err`.

#include <cstddef>
#include <functional>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "gridcare/config/options.h"
#include "gridcare/core/clock.h"
#include "ports.h"
#include "settings.h"
#include "table.h"

namespace gridcare::ops {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // something operational failed; the message names it
inline constexpr int kExitUsage = 2;    // bad flags or arguments

struct CommandContext {
  const OperatorSettings& settings;
  std::vector<std::string> args;  // positional arguments
  std::ostream& out;
  std::ostream& err;
  const core::Clock& clock;
  Edges& edges;
};

struct CommandSpec {
  std::string name;       // "dead-letters list"
  std::string arguments;  // positional usage: "", "ID...", "TICKET_ID"
  size_t min_args = 0;
  size_t max_args = 0;      // kAnyCount: no limit
  std::string summary;      // one line for `gridcare --help`
  std::string description;  // a paragraph for `gridcare <command> --help`
  SettingNeeds needs;
  std::function<void(config::Options&, CommandFlags&)> add_flags;
  std::function<int(CommandContext&)> run;
};

inline constexpr size_t kAnyCount = std::numeric_limits<size_t>::max();

/// Every sub-command, in the order `gridcare --help` lists them.
const std::vector<CommandSpec>& Commands();

int RunDeadLettersList(CommandContext& context);
int RunDeadLettersShow(CommandContext& context);
int RunDeadLettersReplay(CommandContext& context);
int RunTicket(CommandContext& context);
int RunIncidents(CommandContext& context);
int RunOverdue(CommandContext& context);
int RunHealth(CommandContext& context);
int RunTopicsEnsure(CommandContext& context);

/// Prints "gridcare: <what>" on err and returns kExitFailure.
int Fail(CommandContext& context, const std::string& what);
/// Prints "gridcare <command>: <what> (see gridcare <command> --help)" and returns kExitUsage.
int UsageError(CommandContext& context, const std::string& command, const std::string& what);
/// `json` (with --json) or the table's text, or `empty_note` when the table has no rows.
void PrintResult(CommandContext& context, const Table& table, const nlohmann::json& json,
                 const std::string& empty_note);

}  // namespace gridcare::ops
