#include "cli.h"

#include <filesystem>
#include <map>
#include <sstream>

#include "gridcare/config/files.h"

#ifndef GRIDCARE_VERSION
#define GRIDCARE_VERSION "dev"
#endif

namespace gridcare::ops {
namespace {

const CommandSpec* FindCommand(const std::vector<std::string>& args, size_t* words) {
  for (const auto& spec : Commands()) {
    std::istringstream name(spec.name);
    std::string word;
    size_t i = 0;
    bool match = true;
    while (name >> word) match = match && i < args.size() && args[i++] == word;
    if (match) {
      *words = i;
      return &spec;
    }
  }
  return nullptr;
}

bool IsHelp(std::string_view arg) { return arg == "--help" || arg == "-h" || arg == "help"; }

// `gridcare dead-letters` (a group without its sub-command): the group's sub-commands.
std::string GroupHelp(const std::string& group) {
  std::string out = "Usage: gridcare " + group + " <command> [ARGS] [OPTIONS]\n\nCommands:\n";
  for (const auto& spec : Commands()) {
    if (!spec.name.starts_with(group + " ")) continue;
    std::string name = spec.name.substr(group.size() + 1);
    name.resize(std::max<size_t>(name.size() + 2, 10), ' ');
    out += "  " + name + spec.summary + "\n";
  }
  return out + "\nRun 'gridcare " + group + " <command> --help' for a command's options.\n";
}

bool IsGroup(const std::string& word) {
  for (const auto& spec : Commands()) {
    if (spec.name.starts_with(word + " ")) return true;
  }
  return false;
}

// Reads endpoints.env into the settings' defaults. Only a file the operator named must exist.
std::optional<std::string> LoadEndpoints(const std::vector<std::string>& args,
                                         const config::Options::EnvLookup& env,
                                         OperatorSettings& settings) {
  const auto file = LocateEndpointsFile(args, env);
  std::error_code ignored;
  if (!file.named && !std::filesystem::exists(file.path, ignored)) return std::nullopt;
  auto endpoints = config::ReadEnvFile(file.path);
  if (!endpoints) return endpoints.error().message;
  settings.endpoints_file = file.path;
  ApplyEndpoints(*endpoints, settings);
  return std::nullopt;
}

std::string WithArguments(std::string help, const CommandSpec& spec) {
  const std::string plain = "Usage: gridcare " + spec.name + " [OPTIONS]";
  if (!spec.arguments.empty() && help.starts_with(plain)) {
    help.replace(0, plain.size(),
                 "Usage: gridcare " + spec.name + " " + spec.arguments + " [OPTIONS]");
  }
  return help;
}

std::string CountText(size_t count) {
  return count == kAnyCount ? std::string("any number of") : std::to_string(count);
}

}  // namespace

SplitArgs SplitArguments(const std::vector<std::string>& args,
                         const std::function<bool(std::string_view flag)>& takes_value) {
  SplitArgs split;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      split.positionals.insert(split.positionals.end(), args.begin() + static_cast<long>(i) + 1,
                               args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      split.positionals.push_back(arg);
      continue;
    }
    split.options.push_back(arg);
    if (arg.find('=') == std::string::npos && takes_value(arg) && i + 1 < args.size()) {
      split.options.push_back(args[++i]);
    }
  }
  return split;
}

std::string TopLevelHelp() {
  std::string out =
      "Usage: gridcare <command> [ARGS] [OPTIONS]\n\n"
      "The operator's command line for GridCare: dead letters (list, show, replay), a ticket's "
      "timeline,\nopen incidents, overdue clocks, every service's health, and the Kafka topics "
      "(create, widen).\nSettings come from flags or the same GRIDCARE_* variables as the "
      "services; the local stack's\nendpoints.env gives the defaults. Output is a table, or JSON "
      "with --json. Exit codes: 0 ok,\n1 something failed (the message says what), 2 bad "
      "usage.\n\nCommands:\n";
  for (const auto& spec : Commands()) {
    std::string name = spec.name;
    name.resize(std::max<size_t>(name.size() + 2, 22), ' ');
    out += "  " + name + spec.summary + "\n";
  }
  return out + "\nRun 'gridcare <command> --help' for a command's arguments and options.\n";
}

int RunCli(const std::vector<std::string>& args, const config::Options::EnvLookup& env,
           std::ostream& out, std::ostream& err, const core::Clock& clock,
           const EdgesFactory& make_edges) {
  if (args.empty()) {
    err << TopLevelHelp();
    return kExitUsage;
  }
  if (IsHelp(args[0])) {
    out << TopLevelHelp();
    return kExitOk;
  }
  if (args[0] == "--version") {
    out << "gridcare " << GRIDCARE_VERSION << "\n";
    return kExitOk;
  }
  size_t words = 0;
  const CommandSpec* spec = FindCommand(args, &words);
  if (spec == nullptr) {
    if (IsGroup(args[0]) && (args.size() == 1 || IsHelp(args[1]))) {
      (args.size() == 1 ? err : out) << GroupHelp(args[0]);
      return args.size() == 1 ? kExitUsage : kExitOk;
    }
    std::string what = args[0];
    if (IsGroup(args[0]) && args.size() > 1) what += " " + args[1];
    err << "gridcare: unknown command '" << what << "' (see gridcare --help)\n";
    return kExitUsage;
  }
  const std::vector<std::string> rest(args.begin() + static_cast<long>(words), args.end());

  OperatorSettings settings;
  if (auto problem = LoadEndpoints(rest, env, settings)) {
    err << "gridcare " << spec->name << ": " << *problem << " (--endpoints-file)\n";
    return kExitUsage;
  }
  config::Options options("gridcare " + spec->name, spec->description);
  if (env) options.SetEnvironment(env);
  std::ostringstream help;
  options.SetOutput(help, err);
  AddSharedOptions(options, settings, spec->needs);
  if (spec->add_flags) spec->add_flags(options, settings.flags);

  std::map<std::string, bool> value_flags;  // flag -> takes a value
  for (const auto& setting : options.Settings()) {
    const bool boolean = setting.value == "true" || setting.value == "false";
    value_flags["--" + setting.name] = !boolean;
  }
  value_flags["--redis-password-file"] = true;
  const auto split = SplitArguments(rest, [&](std::string_view flag) {
    auto it = value_flags.find(std::string(flag));
    return it != value_flags.end() && it->second;
  });
  if (auto exit_code = options.Parse(split.options)) {
    out << WithArguments(help.str(), *spec);
    return *exit_code;
  }
  const size_t count = split.positionals.size();
  if (count < spec->min_args || count > spec->max_args) {
    err << "gridcare " << spec->name << ": expected " << CountText(spec->min_args)
        << (spec->min_args == spec->max_args ? "" : " to " + CountText(spec->max_args))
        << " argument(s) (" << (spec->arguments.empty() ? "none" : spec->arguments) << "), got "
        << count << " (see gridcare " << spec->name << " --help)\n";
    return kExitUsage;
  }
  auto edges = make_edges(settings);
  CommandContext context{settings, split.positionals, out, err, clock, *edges};
  return spec->run(context);
}

}  // namespace gridcare::ops
