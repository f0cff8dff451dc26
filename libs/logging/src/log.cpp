#include "gridcare/logging/log.h"

#include <errno.h>
#include <unistd.h>

#include <charconv>
#include <cmath>

#include "gridcare/core/text.h"
#include "gridcare/core/utf8.h"

namespace gridcare::logging {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void AppendUnicodeEscape(std::string& out, unsigned value) {
  out += "\\u";
  out += kHex[(value >> 12) & 0xF];
  out += kHex[(value >> 8) & 0xF];
  out += kHex[(value >> 4) & 0xF];
  out += kHex[value & 0xF];
}

bool IsReservedKey(std::string_view key) {
  return key == "ts" || key == "level" || key == "service" || key == "msg";
}

void AppendValue(std::string& out, const Value& value) {
  switch (value.kind()) {
    case Value::Kind::kString:
      AppendJsonString(out, value.text());
      return;
    case Value::Kind::kBool:
      out += value.bool_value() ? "true" : "false";
      return;
    case Value::Kind::kInt: {
      char buffer[24];
      const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.int_value());
      out.append(buffer, ptr);
      return;
    }
    case Value::Kind::kDouble: {
      // JSON has no NaN or Infinity; null keeps the line parseable.
      if (!std::isfinite(value.double_value())) {
        out += "null";
        return;
      }
      char buffer[32];
      const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.double_value());
      out.append(buffer, ptr);
      return;
    }
  }
}

Logger* MakeStartupLogger() {
  // The process name keeps early lines attributable before main() has called Init().
  return new Logger(program_invocation_short_name, Level::kInfo, std::make_shared<FdSink>(2));
}

// Loggers are never destroyed: another thread may still be writing through one that Init()
// replaced, and static destructors may log. Keeping them listed makes them reachable for leak
// checkers.
std::mutex g_loggers_mutex;
std::vector<std::unique_ptr<Logger>>* g_loggers = new std::vector<std::unique_ptr<Logger>>();
std::atomic<Logger*> g_logger{nullptr};

Logger& Current() {
  Logger* logger = g_logger.load(std::memory_order_acquire);
  if (logger != nullptr) return *logger;
  static Logger* startup = MakeStartupLogger();
  return *startup;
}

}  // namespace

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "unknown";
}

std::optional<Level> ParseLevel(std::string_view text) {
  const std::string lower = core::AsciiLower(text);
  if (lower == "debug") return Level::kDebug;
  if (lower == "info") return Level::kInfo;
  if (lower == "warn" || lower == "warning") return Level::kWarn;
  if (lower == "error") return Level::kError;
  return std::nullopt;
}

void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  size_t pos = 0;
  while (pos < text.size()) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (byte < 0x80) {
      switch (byte) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        default:
          if (byte < 0x20 || byte == 0x7F) {
            AppendUnicodeEscape(out, byte);
          } else {
            out += static_cast<char>(byte);
          }
      }
      ++pos;
      continue;
    }
    const core::DecodedCodePoint cp = core::DecodeUtf8At(text, pos);
    if (!cp.valid) {
      out += core::kReplacementUtf8;
    } else if (cp.value == 0x2028 || cp.value == 0x2029) {
      // Valid JSON, but line separators break JavaScript-based log viewers.
      AppendUnicodeEscape(out, cp.value);
    } else {
      out.append(text.substr(pos, cp.length));
    }
    pos += cp.length;
  }
  out += '"';
}

std::string FormatLine(core::TimePoint ts, Level level, std::string_view service,
                       std::string_view message, std::span<const Field> fields) {
  std::string out;
  out.reserve(96 + message.size() + fields.size() * 24);
  out += "{\"ts\":\"";
  out += core::FormatRfc3339(ts);
  out += "\",\"level\":\"";
  out += LevelName(level);
  out += "\",\"service\":";
  AppendJsonString(out, service);
  out += ",\"msg\":";
  AppendJsonString(out, message);
  for (const Field& field : fields) {
    out += ',';
    if (IsReservedKey(field.key)) {
      AppendJsonString(out, "_" + std::string(field.key));
    } else {
      AppendJsonString(out, field.key);
    }
    out += ':';
    AppendValue(out, field.value);
  }
  out += '}';
  return out;
}

void FdSink::Write(std::string_view line) {
  std::lock_guard lock(mutex_);
  while (!line.empty()) {
    const ssize_t written = ::write(fd_, line.data(), line.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return;  // nowhere left to report a failing log sink
    }
    line.remove_prefix(static_cast<size_t>(written));
  }
}

void MemorySink::Write(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  std::lock_guard lock(mutex_);
  lines_.emplace_back(line);
}

std::vector<std::string> MemorySink::Lines() const {
  std::lock_guard lock(mutex_);
  return lines_;
}

void MemorySink::Clear() {
  std::lock_guard lock(mutex_);
  lines_.clear();
}

Logger::Logger(std::string service, Level level, std::shared_ptr<Sink> sink,
               const core::Clock* clock)
    : service_(std::move(service)),
      level_(static_cast<int>(level)),
      sink_(std::move(sink)),
      clock_(clock) {}

void Logger::Log(Level level, std::string_view message, std::initializer_list<Field> fields) const {
  Log(level, message, std::span<const Field>(fields.begin(), fields.size()));
}

void Logger::Log(Level level, std::string_view message, std::span<const Field> fields) const {
  if (!Enabled(level)) return;
  const core::TimePoint now = clock_ != nullptr ? clock_->Now() : std::chrono::system_clock::now();
  std::string line = FormatLine(now, level, service_, message, fields);
  line += '\n';
  sink_->Write(line);
}

void Init(std::string service_name, Level level) {
  Init(std::move(service_name), level, std::make_shared<FdSink>(2));
}

void Init(std::string service_name, Level level, std::shared_ptr<Sink> sink,
          const core::Clock* clock) {
  auto logger = std::make_unique<Logger>(std::move(service_name), level, std::move(sink), clock);
  Logger* raw = logger.get();
  {
    std::lock_guard lock(g_loggers_mutex);
    g_loggers->push_back(std::move(logger));
  }
  g_logger.store(raw, std::memory_order_release);
}

const Logger& Default() { return Current(); }
void SetLevel(Level level) { Current().SetLevel(level); }
bool Enabled(Level level) { return Current().Enabled(level); }

void Log(Level level, std::string_view message, std::initializer_list<Field> fields) {
  Current().Log(level, message, fields);
}
void Log(Level level, std::string_view message, std::span<const Field> fields) {
  Current().Log(level, message, fields);
}
void Debug(std::string_view message, std::initializer_list<Field> fields) {
  Current().Log(Level::kDebug, message, fields);
}
void Info(std::string_view message, std::initializer_list<Field> fields) {
  Current().Log(Level::kInfo, message, fields);
}
void Warn(std::string_view message, std::initializer_list<Field> fields) {
  Current().Log(Level::kWarn, message, fields);
}
void Error(std::string_view message, std::initializer_list<Field> fields) {
  Current().Log(Level::kError, message, fields);
}

}  // namespace gridcare::logging
