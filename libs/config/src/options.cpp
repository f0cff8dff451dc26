#include "gridcare/config/options.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <stdexcept>

#include "gridcare/core/utf8.h"

#ifndef GRIDCARE_VERSION
#define GRIDCARE_VERSION "dev"
#endif

namespace gridcare::config {
namespace {

constexpr size_t kHelpWidth = 100;
constexpr size_t kMaxEchoedBytes = 80;
constexpr std::string_view kEnvPrefix = "GRIDCARE_";

std::string NormalizeName(std::string_view name, bool secret) {
  if (name.starts_with("--")) name.remove_prefix(2);
  if (secret && name.ends_with("-file")) name.remove_suffix(5);
  bool ok = !name.empty() && name.front() >= 'a' && name.front() <= 'z' && name.back() != '-' &&
            name.find("--") == std::string_view::npos;
  for (const char c : name) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
  }
  if (!ok) {
    throw std::logic_error("option name \"" + std::string(name) +
                           "\" must be lower-case kebab, e.g. \"kafka-client-id\"");
  }
  if (name == "help" || name == "version") {
    throw std::logic_error("option name \"" + std::string(name) + "\" is built in");
  }
  return std::string(name);
}

std::string EnvName(std::string_view kebab) {
  std::string env(kEnvPrefix);
  for (const char c : kebab) {
    env += c == '-' ? '_' : static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  }
  return env;
}

// Quotes a user-supplied value for an error line: control characters escaped so the line stays one
// line, long values cut at a UTF-8 boundary.
std::string Quote(std::string_view raw) {
  bool cut = false;
  if (raw.size() > kMaxEchoedBytes) {
    raw = core::TruncateUtf8(raw, kMaxEchoedBytes);
    cut = true;
  }
  std::string out = "\"";
  for (const char c : raw) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte == 0x7F) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    } else {
      out += c;
    }
  }
  if (cut) out += "...";
  return out + "\"";
}

// Greedy word wrap; every line starts with `indent`.
void AppendWrapped(std::string& out, std::string_view text, std::string_view indent) {
  std::string line(indent);
  bool line_empty = true;
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && text[pos] == ' ') ++pos;
    if (pos >= text.size()) break;
    size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(pos, end - pos);
    pos = end;
    if (!line_empty && line.size() + 1 + word.size() > kHelpWidth) {
      out += line + "\n";
      line = std::string(indent);
      line_empty = true;
    }
    if (!line_empty) line += ' ';
    line += word;
    line_empty = false;
  }
  if (!line_empty) out += line + "\n";
}

std::string QuoteForDescribe(const std::string& value) {
  if (!value.empty() && value.find_first_of(" \"=\t\n") == std::string::npos) return value;
  return Quote(value);
}

}  // namespace

namespace detail {

OptionBase::OptionBase(std::string_view name, std::string help, Kind kind, std::string default_text,
                       std::string value_hint)
    : name_(NormalizeName(name, kind == Kind::kSecret)),
      help_(std::move(help)),
      kind_(kind),
      default_text_(kind == Kind::kSecret ? std::string() : std::move(default_text)),
      value_hint_(std::move(value_hint)) {
  if (kind == Kind::kSecret) {
    flag_ = "--" + name_ + "-file";
    env_ = EnvName(name_ + "-file");
    secret_env_ = EnvName(name_);
  } else {
    flag_ = "--" + name_;
    env_ = EnvName(name_);
  }
  if (value_hint_ == "DURATION") fallback_example_ = "5s";
  if (kind == Kind::kFlag) fallback_example_ = "true";
}

OptionBase::~OptionBase() = default;

}  // namespace detail

Options::Options(std::string program, std::string description)
    : program_(std::move(program)),
      description_(std::move(description)),
      version_(GRIDCARE_VERSION),
      out_(&std::cout),
      err_(&std::cerr) {}

Options::~Options() = default;

void Options::Register(std::unique_ptr<detail::OptionBase> option) {
  if (parsed_) throw std::logic_error("Options::Add(" + option->flag_ + ") after Parse()");
  for (const auto& existing : options_) {
    const bool clash =
        existing->name_ == option->name_ || existing->flag_ == option->flag_ ||
        existing->env_ == option->env_ || existing->env_ == option->secret_env_ ||
        (!existing->secret_env_.empty() &&
         (existing->secret_env_ == option->env_ || existing->secret_env_ == option->secret_env_));
    if (clash) throw std::logic_error("option " + option->flag_ + " is registered twice");
  }
  options_.push_back(std::move(option));
}

std::optional<std::string> Options::LookupEnv(const std::string& name) const {
  std::optional<std::string> value;
  if (env_) {
    value = env_(name);
  } else if (const char* raw = std::getenv(name.c_str())) {
    value = raw;
  }
  // Deployment templates often render an unset value as "", which should mean "not configured".
  if (value && value->empty()) value.reset();
  return value;
}

std::string Options::FixHint(const detail::OptionBase& option) const {
  if (option.kind_ == detail::OptionBase::Kind::kSecret) {
    return "(set the flag, " + option.env_ + " or " + option.secret_env_ + ")";
  }
  std::string example = option.example_;
  if (example.empty()) example = option.default_text_;
  if (example.empty()) example = option.fallback_example_;
  std::string hint = "(set the flag or " + option.env_;
  if (!example.empty()) hint += ", e.g. " + example;
  return hint + ")";
}

std::string Options::RequiredMessage(const detail::OptionBase& option) const {
  return program_ + ": " + option.flag_ + " is required " + FixHint(option);
}

std::string Options::InvalidMessage(const detail::OptionBase& option, std::string_view raw,
                                    Source source, const std::string& why) const {
  std::string subject;
  switch (source) {
    case Source::kFlag:
      subject = option.flag_ + "=" + Quote(raw);
      break;
    case Source::kEnv:
      subject = option.env_ + "=" + Quote(raw) + " (for " + option.flag_ + ")";
      break;
    case Source::kSecretEnv:  // the value is the secret itself: never echo it
    case Source::kDefault:
      subject = option.secret_env_ + " (for " + option.flag_ + ")";
      break;
  }
  return program_ + ": " + subject + " is invalid: " + why + " " + FixHint(option);
}

std::optional<int> Options::Parse(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  return Parse(args);
}

std::optional<int> Options::Parse(const std::vector<std::string>& args) {
  if (parsed_) throw std::logic_error("Options::Parse() called twice");
  parsed_ = true;

  CLI::App app(description_, program_);
  app.set_help_flag("-h,--help", "Print this help and exit");
  CLI::Option* version_flag = app.add_flag("--version")->description("Print the version and exit");
  std::vector<CLI::Option*> cli_options;
  cli_options.reserve(options_.size());
  for (const auto& option : options_) {
    CLI::Option* cli = option->kind_ == detail::OptionBase::Kind::kFlag
                           ? app.add_flag(option->flag_)
                           : app.add_option(option->flag_);
    cli->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    cli_options.push_back(cli);
  }

  // CLI11 reads "--name=" as an option missing its value; an explicit empty value is what is meant
  // (and NonEmpty() then says so), so hand it over as a separate, empty argument.
  const auto takes_value = [&](std::string_view flag) {
    return std::any_of(options_.begin(), options_.end(), [&](const auto& option) {
      return option->flag_ == flag && option->kind_ != detail::OptionBase::Kind::kFlag;
    });
  };
  std::vector<std::string> reversed;  // CLI11 consumes arguments from the back
  reversed.reserve(args.size() + 1);
  for (auto it = args.rbegin(); it != args.rend(); ++it) {
    const std::string_view arg = *it;
    if (arg.ends_with('=') && takes_value(arg.substr(0, arg.size() - 1))) {
      reversed.emplace_back();
      reversed.emplace_back(arg.substr(0, arg.size() - 1));
    } else {
      reversed.push_back(*it);
    }
  }
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    *out_ << Help();
    return 0;
  } catch (const CLI::ParseError& e) {
    *err_ << program_ << ": " << e.what() << " (see " << program_ << " --help)\n";
    return 2;
  }
  if (version_flag->count() > 0) {
    *out_ << program_ << " " << version_ << "\n";
    return 0;
  }

  std::vector<std::string> problems;
  for (size_t i = 0; i < options_.size(); ++i) {
    detail::OptionBase& option = *options_[i];
    std::optional<std::string> raw;
    Source source = Source::kDefault;
    if (cli_options[i]->count() > 0 && !cli_options[i]->results().empty()) {
      raw = cli_options[i]->results().back();
      source = Source::kFlag;
    } else if ((raw = LookupEnv(option.env_))) {
      source = Source::kEnv;
    } else if (!option.secret_env_.empty() && (raw = LookupEnv(option.secret_env_))) {
      source = Source::kSecretEnv;
    }
    if (!raw) {
      if (option.required_) problems.push_back(RequiredMessage(option));
      continue;
    }
    if (auto why = option.Assign(*raw, source)) {
      problems.push_back(InvalidMessage(option, *raw, source, *why));
    } else {
      option.source_ = source;
    }
  }
  if (problems.empty()) {
    for (const auto& check : checks_) {
      if (auto why = check()) problems.push_back(program_ + ": " + *why);
    }
  }
  if (problems.empty()) return std::nullopt;
  for (const auto& problem : problems) *err_ << problem << "\n";
  return 2;
}

void Options::AddCheck(std::function<std::optional<std::string>()> check) {
  if (parsed_) throw std::logic_error("Options::AddCheck() after Parse()");
  checks_.push_back(std::move(check));
}

std::string Options::Help() const {
  std::string out = "Usage: " + program_ + " [OPTIONS]\n\n";
  if (!description_.empty()) {
    AppendWrapped(out, description_, "");
    out += "\n";
  }
  out += "Every option can also be set by its environment variable; the flag wins.\n\nOptions:\n";
  out += "  -h, --help\n      Print this help and exit.\n";
  out += "  --version\n      Print the version and exit.\n";
  for (const auto& option : options_) {
    std::string usage = "  " + option->flag_;
    if (!option->value_hint_.empty()) usage += " " + option->value_hint_;
    out += usage + "\n";
    std::string help = option->help_;
    if (!help.empty() && help.back() != '.') help += '.';
    for (const auto& note : option->notes_) help += " " + note + ".";
    AppendWrapped(out, help, "      ");

    std::string meta;
    if (option->kind_ == detail::OptionBase::Kind::kSecret) {
      meta = "env: " + option->env_ + ", or the value itself in " + option->secret_env_ +
             "; the value is never printed";
      if (option->required_) meta += "; required";
    } else {
      meta = "env: " + option->env_;
      if (option->kind_ == detail::OptionBase::Kind::kFlag) meta += "=true|false";
      if (option->required_) {
        meta += "; required";
        if (!option->example_.empty()) meta += ", e.g. " + option->example_;
      } else {
        meta += "; default: " +
                (option->default_text_.empty() ? std::string("(none)") : option->default_text_);
      }
    }
    AppendWrapped(out, meta, "      ");
  }
  return out;
}

std::vector<Setting> Options::Settings() const {
  std::vector<Setting> settings;
  settings.reserve(options_.size());
  for (const auto& option : options_) {
    settings.push_back(Setting{option->name_, option->ValueText(), option->source_});
  }
  return settings;
}

std::string Options::Describe() const {
  std::string out;
  for (const auto& setting : Settings()) {
    if (!out.empty()) out += ' ';
    out += setting.name + "=" + QuoteForDescribe(setting.value);
  }
  return out;
}

}  // namespace gridcare::config
