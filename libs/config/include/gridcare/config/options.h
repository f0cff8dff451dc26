#pragma once

#include <chrono>
#include <concepts>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "gridcare/config/values.h"

namespace gridcare::config {

class Options;

/// The types an option can be bound to.
template <typename T>
concept OptionType = std::same_as<T, std::string> || std::same_as<T, int> ||
    std::same_as<T, int64_t> || std::same_as<T, double> || std::same_as<T, bool> ||
    std::same_as<T, std::chrono::milliseconds> || std::same_as<T, std::chrono::seconds> ||
    std::same_as<T, Secret>;

/// Where an option's effective value came from.
enum class Source { kDefault, kFlag, kEnv, kSecretEnv };

/// One effective setting, for start-up logs. Secrets are already redacted.
struct Setting {
  std::string name;   // flag name without dashes, e.g. "kafka-bootstrap-servers"
  std::string value;  // formatted value; "***" for a set secret
  Source source = Source::kDefault;
};

namespace detail {

// Text conversions per option type. Each returns why the text is unusable, or nothing on success.
std::optional<std::string> ParseValue(std::string_view raw, std::string* out);
std::optional<std::string> ParseValue(std::string_view raw, int* out);
std::optional<std::string> ParseValue(std::string_view raw, int64_t* out);
std::optional<std::string> ParseValue(std::string_view raw, double* out);
std::optional<std::string> ParseValue(std::string_view raw, bool* out);
std::optional<std::string> ParseValue(std::string_view raw, std::chrono::milliseconds* out);
std::optional<std::string> ParseValue(std::string_view raw, std::chrono::seconds* out);
// For secrets `raw` is a file path unless `source` is kSecretEnv, when it is the value itself.
std::optional<std::string> LoadSecret(std::string_view raw, Source source, Secret* out);

std::string FormatValue(const std::string& value);
std::string FormatValue(int value);
std::string FormatValue(int64_t value);
std::string FormatValue(double value);
std::string FormatValue(bool value);
std::string FormatValue(std::chrono::milliseconds value);
std::string FormatValue(std::chrono::seconds value);
std::string FormatValue(const Secret& value);

std::optional<std::string> CheckHostPort(const std::string& value, bool allow_port_zero);
std::optional<std::string> CheckHostPortList(const std::string& value);
std::optional<std::string> CheckOneOf(const std::string& value,
                                      const std::vector<std::string>& allowed);
std::string JoinAllowed(const std::vector<std::string>& allowed);

// The type-independent half of an option; Options drives parsing through it.
class OptionBase {
 public:
  virtual ~OptionBase();
  OptionBase(const OptionBase&) = delete;
  OptionBase& operator=(const OptionBase&) = delete;

 protected:
  enum class Kind { kValue, kFlag, kSecret };
  OptionBase(std::string_view name, std::string help, Kind kind, std::string default_text,
             std::string value_hint);

  // Converts, validates and stores; returns why the value was refused.
  virtual std::optional<std::string> Assign(std::string_view raw, Source source) = 0;
  // The current value as shown by Describe() (redacted for secrets).
  virtual std::string ValueText() const = 0;

  void SetRequired() { required_ = true; }
  void SetExample(std::string example) { example_ = std::move(example); }
  void SetFallbackExample(std::string example) {
    if (fallback_example_.empty()) fallback_example_ = std::move(example);
  }
  void SetValueHint(std::string hint) { value_hint_ = std::move(hint); }
  void AddNote(std::string note) { notes_.push_back(std::move(note)); }

 private:
  friend class config::Options;

  std::string name_;        // "kafka-bootstrap-servers"; for secrets "redis-password"
  std::string flag_;        // "--kafka-bootstrap-servers"; for secrets "--redis-password-file"
  std::string env_;         // env var that can replace the flag
  std::string secret_env_;  // secrets only: env var holding the value itself
  std::string help_;
  Kind kind_;
  std::string default_text_;
  std::string value_hint_;
  std::string example_;
  std::string fallback_example_;
  std::vector<std::string> notes_;
  bool required_ = false;
  Source source_ = Source::kDefault;
};

}  // namespace detail

/// A registered option; chain the modifiers on what Options::Add returns. Owned by its Options.
template <OptionType T>
class Option final : public detail::OptionBase {
 public:
  Option(std::string_view name, T& target, std::string help)
      : OptionBase(name, std::move(help), KindOf(), detail::FormatValue(target), HintOf()),
        target_(target) {}

  /// Start-up fails unless the flag or its environment variable is given.
  Option& Required() {
    SetRequired();
    return *this;
  }
  /// A sample value quoted in error messages ("e.g. 127.0.0.1:9092").
  Option& Example(std::string example) {
    SetExample(std::move(example));
    return *this;
  }
  /// "host:port"; port 1..65535, or also 0 (any free port) when `allow_port_zero`.
  Option& HostPort(bool allow_port_zero = false) requires std::same_as<T, std::string> {
    SetValueHint("HOST:PORT");
    SetFallbackExample(allow_port_zero ? "127.0.0.1:0" : "127.0.0.1:8080");
    checks_.push_back([allow_port_zero](const T& value) {
      return detail::CheckHostPort(value, allow_port_zero);
    });
    return *this;
  }
  /// Comma-separated "host:port" list, as Kafka's bootstrap.servers takes.
  Option& HostPortList() requires std::same_as<T, std::string> {
    SetValueHint("HOST:PORT[,HOST:PORT...]");
    SetFallbackExample("127.0.0.1:9092");
    checks_.push_back([](const T& value) { return detail::CheckHostPortList(value); });
    return *this;
  }
  /// Inclusive bounds.
  Option& Range(T min, T max) requires(!std::same_as<T, std::string> && !std::same_as<T, bool> &&
                                       !std::same_as<T, Secret>) {
    AddNote("Range " + detail::FormatValue(min) + ".." + detail::FormatValue(max));
    SetFallbackExample(detail::FormatValue(min));
    checks_.push_back([min, max](const T& value) -> std::optional<std::string> {
      if (value < min || value > max) {
        return "must be between " + detail::FormatValue(min) + " and " + detail::FormatValue(max);
      }
      return std::nullopt;
    });
    return *this;
  }
  /// Exact (case-sensitive) match against one of `allowed`.
  Option& OneOf(std::vector<std::string> allowed) requires std::same_as<T, std::string> {
    AddNote("One of: " + detail::JoinAllowed(allowed));
    std::string hint;
    for (const auto& item : allowed) hint += (hint.empty() ? "" : "|") + item;
    SetValueHint(std::move(hint));
    if (!allowed.empty()) SetFallbackExample(allowed.front());
    checks_.push_back([allowed = std::move(allowed)](const T& value) {
      return detail::CheckOneOf(value, allowed);
    });
    return *this;
  }
  /// Refuses "" (for a secret: an empty file).
  Option& NonEmpty() requires(std::same_as<T, std::string> || std::same_as<T, Secret>) {
    checks_.push_back([](const T& value) -> std::optional<std::string> {
      if (value.empty()) return std::string("must not be empty");
      return std::nullopt;
    });
    return *this;
  }

 private:
  static constexpr Kind KindOf() {
    if constexpr (std::same_as<T, bool>) return Kind::kFlag;
    if constexpr (std::same_as<T, Secret>) return Kind::kSecret;
    return Kind::kValue;
  }
  static std::string HintOf() {
    if constexpr (std::same_as<T, int> || std::same_as<T, int64_t>) return "INT";
    if constexpr (std::same_as<T, double>) return "NUMBER";
    if constexpr (std::same_as<T, std::chrono::milliseconds> ||
                  std::same_as<T, std::chrono::seconds>) {
      return "DURATION";
    }
    if constexpr (std::same_as<T, Secret>) return "PATH";
    if constexpr (std::same_as<T, std::string>) return "TEXT";
    return "";
  }

  std::optional<std::string> Assign(std::string_view raw, Source source) override {
    T value{};
    std::optional<std::string> problem;
    if constexpr (std::same_as<T, Secret>) {
      problem = detail::LoadSecret(raw, source, &value);
    } else {
      problem = detail::ParseValue(raw, &value);
    }
    if (problem) return problem;
    for (const auto& check : checks_) {
      if (auto why = check(value)) return why;
    }
    target_ = std::move(value);
    return std::nullopt;
  }

  std::string ValueText() const override { return detail::FormatValue(target_); }

  T& target_;
  std::vector<std::function<std::optional<std::string>(const T&)>> checks_;
};

/// Command-line and environment settings of one program, validated before the service starts.
///
/// Every option `--some-flag` can also be set by the environment variable GRIDCARE_SOME_FLAG (an
/// empty variable counts as unset); the flag wins. A secret named "redis-password" is read from the
/// file named by --redis-password-file / GRIDCARE_REDIS_PASSWORD_FILE, or from the value in
/// GRIDCARE_REDIS_PASSWORD, in that order, and is never printed.
///
/// Usage: register with Add() (targets hold the defaults and must outlive Parse()), then call
/// Parse() once. Not thread-safe; meant for main().
class Options {
 public:
  /// Reads an environment variable; nullopt when unset.
  using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

  /// `program` is the service name ("intake"); `description` one paragraph for --help.
  Options(std::string program, std::string description);
  ~Options();
  Options(const Options&) = delete;
  Options& operator=(const Options&) = delete;

  /// Registers `--<name>` bound to `target`, whose current value is the default. `name` is
  /// lower-case kebab ("kafka-bootstrap-servers", leading "--" optional); for a Secret it is the
  /// secret's name, and the flag becomes `--<name>-file`. Throws std::logic_error on a malformed or
  /// duplicate name, or after Parse() (programming errors, not user errors).
  template <OptionType T>
  Option<T>& Add(std::string_view name, T& target, std::string help) {
    auto option = std::make_unique<Option<T>>(name, target, std::move(help));
    Option<T>& ref = *option;
    Register(std::move(option));
    return ref;
  }

  /// Adds a check across several options (e.g. "a SASL protocol needs a user name"), run after
  /// every option parsed without a problem. It returns the problem, printed as one line after the
  /// program name, or nullopt. Throws std::logic_error after Parse().
  void AddCheck(std::function<std::optional<std::string>()> check);

  /// Parses flags, then the environment for whatever flags did not set, then checks every option.
  /// Returns nullopt to continue; 0 after printing --help or --version; 2 after printing one line
  /// per problem, each naming the flag and its environment variable.
  std::optional<int> Parse(int argc, char** argv);
  /// Same, for arguments without the program name (tests, embedded use).
  std::optional<int> Parse(const std::vector<std::string>& args);

  /// The --help text: description, then each option with its environment variable and default.
  std::string Help() const;
  /// Effective settings as `name=value` pairs separated by spaces, secrets as "***"; for the
  /// start-up log line.
  std::string Describe() const;
  /// The same, one entry per option in registration order.
  std::vector<Setting> Settings() const;

  const std::string& program() const { return program_; }
  /// Printed by --version after the program name; defaults to the project version.
  void SetVersion(std::string version) { version_ = std::move(version); }
  /// Replaces getenv (tests).
  void SetEnvironment(EnvLookup lookup) { env_ = std::move(lookup); }
  /// Where help/version and errors are printed; defaults to stdout and stderr. Not owned.
  void SetOutput(std::ostream& out, std::ostream& err) {
    out_ = &out;
    err_ = &err;
  }

 private:
  void Register(std::unique_ptr<detail::OptionBase> option);
  std::optional<std::string> LookupEnv(const std::string& name) const;
  std::string RequiredMessage(const detail::OptionBase& option) const;
  std::string InvalidMessage(const detail::OptionBase& option, std::string_view raw, Source source,
                             const std::string& why) const;
  std::string FixHint(const detail::OptionBase& option) const;

  std::string program_;
  std::string description_;
  std::string version_;
  EnvLookup env_;
  std::ostream* out_;
  std::ostream* err_;
  std::vector<std::unique_ptr<detail::OptionBase>> options_;
  std::vector<std::function<std::optional<std::string>()>> checks_;
  bool parsed_ = false;
};

}  // namespace gridcare::config
