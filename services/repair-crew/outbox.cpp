#include "outbox.h"

#include <cstdint>

namespace gridcare::repair_crew {
namespace {

constexpr std::string_view kMagic = "GCOB1";

void PutU64(std::string& out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(value >> shift));
}

void PutBytes(std::string& out, std::string_view bytes) {
  PutU64(out, bytes.size());
  out.append(bytes);
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}

  bool U64(uint64_t& value) {
    if (bytes_.size() < 8) return false;
    value = 0;
    for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<unsigned char>(bytes_[i]);
    bytes_.remove_prefix(8);
    return true;
  }
  bool Bytes(std::string& out) {
    uint64_t size = 0;
    if (!U64(size) || size > bytes_.size()) return false;
    out.assign(bytes_.substr(0, size));
    bytes_.remove_prefix(size);
    return true;
  }
  bool Prefix(std::string_view prefix) {
    if (bytes_.substr(0, prefix.size()) != prefix) return false;
    bytes_.remove_prefix(prefix.size());
    return true;
  }
  bool AtEnd() const { return bytes_.empty(); }

 private:
  std::string_view bytes_;
};

}  // namespace

std::string EncodeOutboxEntry(const OutboxEntry& entry) {
  std::string out(kMagic);
  PutU64(out, static_cast<uint64_t>(core::ToUnixMillis(entry.saved_at)));
  PutBytes(out, entry.record.topic);
  PutBytes(out, entry.record.key);
  PutBytes(out, entry.record.value);
  PutU64(out, entry.record.headers.size());
  for (const auto& [name, value] : entry.record.headers) {
    PutBytes(out, name);
    PutBytes(out, value);
  }
  return out;
}

core::Result<OutboxEntry> DecodeOutboxEntry(std::string_view bytes) {
  Reader reader(bytes);
  OutboxEntry entry;
  uint64_t millis = 0;
  uint64_t headers = 0;
  const auto corrupt = [] { return core::Internal("corrupt outbox entry"); };
  if (!reader.Prefix(kMagic) || !reader.U64(millis) || !reader.Bytes(entry.record.topic) ||
      !reader.Bytes(entry.record.key) || !reader.Bytes(entry.record.value) ||
      !reader.U64(headers) || headers > bytes.size()) {
    return corrupt();
  }
  entry.saved_at = core::FromUnixMillis(static_cast<int64_t>(millis));
  for (uint64_t i = 0; i < headers; ++i) {
    std::string name;
    std::string value;
    if (!reader.Bytes(name) || !reader.Bytes(value)) return corrupt();
    entry.record.headers.emplace_back(std::move(name), std::move(value));
  }
  if (!reader.AtEnd()) return corrupt();
  return entry;
}

}  // namespace gridcare::repair_crew
