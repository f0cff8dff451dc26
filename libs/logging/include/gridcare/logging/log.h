#pragma once

#include <atomic>
#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "gridcare/core/clock.h"

namespace gridcare::logging {

enum class Level : int { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

/// "debug", "info", "warn", "error".
const char* LevelName(Level level);
/// Inverse of LevelName, ASCII case-insensitive; also takes "warning". nullopt for anything else.
std::optional<Level> ParseLevel(std::string_view text);

/// A field value: text, integer, floating point or boolean. Holds a *view* of text, so a Value (and
/// a Field) must not outlive the call it is passed to; build them inside the logging call.
class Value {
 public:
  enum class Kind { kString, kInt, kDouble, kBool };

  Value(std::string_view text) : kind_(Kind::kString), text_(text) {}    // NOLINT
  Value(const char* text) : kind_(Kind::kString), text_(text) {}         // NOLINT
  Value(const std::string& text) : kind_(Kind::kString), text_(text) {}  // NOLINT
  Value(bool flag) : kind_(Kind::kBool), bool_(flag) {}                  // NOLINT
  template <std::integral T>
  requires(!std::same_as<T, bool> && !std::same_as<T, char>) Value(T number) {  // NOLINT
    if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(int64_t)) {
      // Beyond int64 the exact value matters less than staying a JSON number.
      if (number > static_cast<T>(INT64_MAX)) {
        kind_ = Kind::kDouble;
        double_ = static_cast<double>(number);
        return;
      }
    }
    kind_ = Kind::kInt;
    int_ = static_cast<int64_t>(number);
  }
  template <std::floating_point T>
  Value(T number) : kind_(Kind::kDouble), double_(static_cast<double>(number)) {}  // NOLINT

  Kind kind() const { return kind_; }
  std::string_view text() const { return text_; }
  int64_t int_value() const { return int_; }
  double double_value() const { return double_; }
  bool bool_value() const { return bool_; }

 private:
  Kind kind_ = Kind::kInt;
  std::string_view text_;
  int64_t int_ = 0;
  double double_ = 0;
  bool bool_ = false;
};

/// One key/value pair of a log line, e.g. {"ticket_id", id} or {"attempt", 3}. Keys "ts", "level",
/// "service" and "msg" are taken by the line itself; such fields are written as "_ts" etc.
struct Field {
  std::string_view key;
  Value value;
};

/// Where finished lines go. Write() receives one whole line ending in '\n' and must be
/// thread-safe.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual void Write(std::string_view line) = 0;
};

/// Writes each line to a file descriptor with a single write() (retrying only a partial write),
/// serialised by a mutex so lines from different threads never interleave. Does not own the fd.
class FdSink final : public Sink {
 public:
  explicit FdSink(int fd) : fd_(fd) {}
  void Write(std::string_view line) override;

 private:
  int fd_;
  std::mutex mutex_;
};

/// Keeps lines in memory, for tests. Thread-safe.
class MemorySink final : public Sink {
 public:
  void Write(std::string_view line) override;
  /// The lines so far, each without its trailing '\n'.
  std::vector<std::string> Lines() const;
  void Clear();

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

/// One JSON object per line:
/// {"ts":"2026-11-24T01:53:10.123Z","level":"info","service":"intake","msg":"...",<fields>}
/// Text is escaped so the line is valid JSON whatever it holds: invalid UTF-8 bytes become U+FFFD,
/// non-finite doubles become null.
std::string FormatLine(core::TimePoint ts, Level level, std::string_view service,
                       std::string_view message, std::span<const Field> fields);

/// Appends `text` as a quoted JSON string (escapes as FormatLine does).
void AppendJsonString(std::string& out, std::string_view text);

/// A structured logger. Thread-safe. Checking a disabled level costs one relaxed atomic load, and
/// nothing is formatted for it.
class Logger {
 public:
  /// `clock` is not owned and must outlive the logger; nullptr means the system clock.
  Logger(std::string service, Level level, std::shared_ptr<Sink> sink,
         const core::Clock* clock = nullptr);

  bool Enabled(Level level) const {
    return static_cast<int>(level) >= level_.load(std::memory_order_relaxed);
  }
  Level level() const { return static_cast<Level>(level_.load(std::memory_order_relaxed)); }
  void SetLevel(Level level) { level_.store(static_cast<int>(level), std::memory_order_relaxed); }
  const std::string& service() const { return service_; }

  void Log(Level level, std::string_view message, std::initializer_list<Field> fields = {}) const;
  void Log(Level level, std::string_view message, std::span<const Field> fields) const;
  void Debug(std::string_view message, std::initializer_list<Field> fields = {}) const {
    Log(Level::kDebug, message, fields);
  }
  void Info(std::string_view message, std::initializer_list<Field> fields = {}) const {
    Log(Level::kInfo, message, fields);
  }
  void Warn(std::string_view message, std::initializer_list<Field> fields = {}) const {
    Log(Level::kWarn, message, fields);
  }
  void Error(std::string_view message, std::initializer_list<Field> fields = {}) const {
    Log(Level::kError, message, fields);
  }

 private:
  std::string service_;
  std::atomic<int> level_;
  std::shared_ptr<Sink> sink_;
  const core::Clock* clock_;
};

// The process-wide logger used by the free functions below. Before Init() it writes to stderr at
// level info under the program's name.

/// Replaces the process-wide logger with one writing to stderr. Call early in main(); calls from
/// other threads are safe but lines logged meanwhile may go to either logger.
void Init(std::string service_name, Level level);
/// Same, with a custom sink and clock (tests). `clock` is not owned; nullptr means the system
/// clock.
void Init(std::string service_name, Level level, std::shared_ptr<Sink> sink,
          const core::Clock* clock = nullptr);
/// The process-wide logger; the reference stays valid for the life of the process.
const Logger& Default();
void SetLevel(Level level);
bool Enabled(Level level);

void Log(Level level, std::string_view message, std::initializer_list<Field> fields = {});
void Log(Level level, std::string_view message, std::span<const Field> fields);
void Debug(std::string_view message, std::initializer_list<Field> fields = {});
void Info(std::string_view message, std::initializer_list<Field> fields = {});
void Warn(std::string_view message, std::initializer_list<Field> fields = {});
void Error(std::string_view message, std::initializer_list<Field> fields = {});

}  // namespace gridcare::logging
