#include "gridcare/redis/reply.h"

#include <utility>

namespace gridcare::redis {

Reply Reply::FromInteger(int64_t value) {
  Reply reply;
  reply.type_ = Type::kInteger;
  reply.integer_ = value;
  return reply;
}

Reply Reply::FromString(std::string value) {
  Reply reply;
  reply.type_ = Type::kString;
  reply.str_ = std::move(value);
  return reply;
}

Reply Reply::FromStatus(std::string status) {
  Reply reply;
  reply.type_ = Type::kStatus;
  reply.str_ = std::move(status);
  return reply;
}

Reply Reply::FromError(std::string message) {
  Reply reply;
  reply.type_ = Type::kError;
  reply.str_ = std::move(message);
  return reply;
}

Reply Reply::FromArray(std::vector<Reply> elements) {
  Reply reply;
  reply.type_ = Type::kArray;
  reply.elements_ = std::move(elements);
  return reply;
}

std::optional<std::string> Reply::AsOptionalString() const {
  if (type_ != Type::kString) return std::nullopt;
  return str_;
}

std::string_view ReplyTypeName(Reply::Type type) {
  switch (type) {
    case Reply::Type::kNil:
      return "nil";
    case Reply::Type::kInteger:
      return "integer";
    case Reply::Type::kString:
      return "string";
    case Reply::Type::kStatus:
      return "status";
    case Reply::Type::kArray:
      return "array";
    case Reply::Type::kError:
      return "error";
  }
  return "unknown";
}

}  // namespace gridcare::redis
