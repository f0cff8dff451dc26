#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gridcare::redis {

/// One RESP2 reply, copied out of hiredis so it outlives the connection. Strings are binary-safe
/// (embedded NUL bytes are kept). A plain value type: copy and move freely; no shared state.
class Reply {
 public:
  enum class Type { kNil, kInteger, kString, kStatus, kArray, kError };

  /// A nil reply (missing key, NX that did not set, aborted EXEC).
  Reply() = default;

  static Reply Nil() { return Reply(); }
  static Reply FromInteger(int64_t value);
  /// A bulk string: a stored value.
  static Reply FromString(std::string value);
  /// A simple-string status such as "OK", "PONG" or "QUEUED".
  static Reply FromStatus(std::string status);
  /// An error reply such as "WRONGTYPE Operation against a key holding the wrong kind of value".
  static Reply FromError(std::string message);
  static Reply FromArray(std::vector<Reply> elements);

  Type type() const { return type_; }
  bool is_nil() const { return type_ == Type::kNil; }
  bool is_integer() const { return type_ == Type::kInteger; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_status() const { return type_ == Type::kStatus; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_error() const { return type_ == Type::kError; }

  /// The integer of a kInteger reply; 0 for any other type.
  int64_t integer() const { return integer_; }
  /// The bytes of a kString, kStatus or kError reply; empty for any other type.
  const std::string& str() const { return str_; }
  /// For moving the payload out instead of copying it.
  std::string& mutable_str() { return str_; }
  /// The elements of a kArray reply; empty for any other type.
  const std::vector<Reply>& elements() const { return elements_; }
  std::vector<Reply>& mutable_elements() { return elements_; }

  /// True for the status "OK" that write commands answer.
  bool IsOk() const { return type_ == Type::kStatus && str_ == "OK"; }
  /// A kString's bytes, nullopt for nil; for other types nullopt too, so check type() first when
  /// the difference matters.
  std::optional<std::string> AsOptionalString() const;

  bool operator==(const Reply& other) const = default;

 private:
  Type type_ = Type::kNil;
  int64_t integer_ = 0;
  std::string str_;
  std::vector<Reply> elements_;
};

/// "nil", "integer", "string", "status", "array" or "error" — for messages, never the payload.
std::string_view ReplyTypeName(Reply::Type type);

}  // namespace gridcare::redis
