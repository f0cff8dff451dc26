#include "gridcare/redis/errors.h"

#include <cerrno>
#include <cstddef>

namespace gridcare::redis {
namespace {

// hiredis' redisContext::err codes (hiredis/read.h); repeated so this header stays hiredis-free.
constexpr int kHiredisErrIo = 1;
constexpr int kHiredisErrOther = 2;
constexpr int kHiredisErrEof = 3;
constexpr int kHiredisErrProtocol = 4;
constexpr int kHiredisErrOom = 5;

constexpr std::size_t kMaxCommandName = 32;
constexpr std::size_t kMaxReplyText = 160;

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string SanitizedReplyText(std::string_view text) {
  // Redis quotes the arguments of unknown commands after this phrase; they may be customer data.
  const auto quoted = text.find(", with args beginning with");
  if (quoted != std::string_view::npos) text = text.substr(0, quoted);
  if (text.size() > kMaxReplyText) text = text.substr(0, kMaxReplyText);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r' || text.back() == '\n')) {
    text.remove_suffix(1);
  }
  std::string out;
  out.reserve(text.size());
  for (char c : text) out.push_back(static_cast<unsigned char>(c) < 0x20 ? ' ' : c);
  return out;
}

}  // namespace

std::string CommandName(std::string_view argv0) {
  std::string name;
  for (char c : argv0) {
    if (name.size() == kMaxCommandName) break;
    if (c >= 'a' && c <= 'z') {
      name.push_back(static_cast<char>(c - 'a' + 'A'));
    } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '|') {
      name.push_back(c);
    }
  }
  return name.empty() ? std::string("(unnamed)") : name;
}

core::Error ClassifyConnectionError(int hiredis_err, int saved_errno, std::string_view errstr,
                                    std::string_view command, std::string_view endpoint) {
  std::string message = "redis " + std::string(command) + " on " + std::string(endpoint) + ": ";
  message += errstr.empty() ? std::string("connection error") : std::string(errstr);
  switch (hiredis_err) {
    case kHiredisErrIo:
      // hiredis reports SO_RCVTIMEO/SO_SNDTIMEO expiry as EAGAIN and a connect timeout as
      // ETIMEDOUT.
      if (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK || saved_errno == ETIMEDOUT) {
        return {core::ErrorKind::kDeadlineExceeded, message + " (timed out)"};
      }
      return core::Unavailable(std::move(message));
    case kHiredisErrEof:
    case kHiredisErrOther:
      return core::Unavailable(std::move(message));
    case kHiredisErrProtocol:
    case kHiredisErrOom:
      return core::Internal(std::move(message));
    default:
      return core::Unavailable(std::move(message));
  }
}

core::Error ClassifyErrorReply(std::string_view reply_text, std::string_view command) {
  const std::string message =
      "redis " + std::string(command) + " failed: " + SanitizedReplyText(reply_text);
  const auto space = reply_text.find(' ');
  const std::string_view code = reply_text.substr(0, space);

  if (code == "LOADING" || code == "BUSY" || code == "MASTERDOWN" || code == "TRYAGAIN" ||
      code == "CLUSTERDOWN" || code == "READONLY" || code == "NOREPLICAS" || code == "MISCONF") {
    return core::Unavailable(message);
  }
  if (code == "OOM" || StartsWith(reply_text, "ERR max number of clients reached")) {
    return {core::ErrorKind::kResourceExhausted, message};
  }
  if (code == "NOAUTH" || code == "WRONGPASS" || code == "NOPERM") {
    return {core::ErrorKind::kPermissionDenied, message};
  }
  if (code == "NOSCRIPT") return core::NotFound(message);
  if (code == "ERR" || code == "EXECABORT") return core::InvalidArgument(message);
  // WRONGTYPE lands here on purpose: it means a key we own has the wrong type.
  return core::Internal(message);
}

core::Error ErrorFromReply(const Reply& reply, std::string_view command) {
  if (!reply.is_error()) {
    return core::Internal("redis " + std::string(command) + ": expected an error reply, got " +
                          std::string(ReplyTypeName(reply.type())));
  }
  return ClassifyErrorReply(reply.str(), command);
}

}  // namespace gridcare::redis
