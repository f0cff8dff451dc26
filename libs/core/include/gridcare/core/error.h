#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace gridcare::core {

/// What went wrong, in terms a caller can act on. Kept aligned with gRPC status codes so edges can
/// translate one-to-one.
enum class ErrorKind {
  kInvalidArgument,     // caller's input is wrong; retrying the same input never helps
  kNotFound,            // the thing asked for does not exist
  kAlreadyExists,       // a create collided with an existing record
  kFailedPrecondition,  // state does not allow the operation now (e.g. crew acting on another's
                        // job)
  kPermissionDenied,    // caller may not do this
  kUnavailable,         // dependency down or unreachable; a retry with backoff can help
  kDeadlineExceeded,    // timed out; a retry can help
  kResourceExhausted,   // overloaded or quota hit; a later retry can help
  kInternal,            // a bug or corrupt data; retrying will not help
};

const char* ErrorKindName(ErrorKind kind);

/// A typed error with a message meant for operators (never contains phone numbers or names).
struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string message;

  /// Whether the same call may succeed later (network, timeouts, overload).
  bool Retryable() const {
    return kind == ErrorKind::kUnavailable || kind == ErrorKind::kDeadlineExceeded ||
           kind == ErrorKind::kResourceExhausted;
  }
  std::string ToString() const { return std::string(ErrorKindName(kind)) + ": " + message; }
};

inline Error InvalidArgument(std::string m) { return {ErrorKind::kInvalidArgument, std::move(m)}; }
inline Error NotFound(std::string m) { return {ErrorKind::kNotFound, std::move(m)}; }
inline Error Unavailable(std::string m) { return {ErrorKind::kUnavailable, std::move(m)}; }
inline Error Internal(std::string m) { return {ErrorKind::kInternal, std::move(m)}; }
inline Error FailedPrecondition(std::string m) {
  return {ErrorKind::kFailedPrecondition, std::move(m)};
}

/// A value or an Error. Minimal stand-in for C++23 std::expected.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : data_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  const Error& error() const { return std::get<Error>(data_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> data_;
};

/// Success or an Error, for operations with no value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  static Status Ok() { return {}; }

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

}  // namespace gridcare::core
