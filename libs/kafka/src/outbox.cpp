#include "gridcare/kafka/outbox.h"

#include "gridcare/v1/common.pb.h"

namespace gridcare::kafka {

std::string EncodeOutbox(const std::vector<OutgoingRecord>& records) {
  v1::Outbox outbox;
  for (const auto& record : records) {
    auto* stored = outbox.add_records();
    stored->set_topic(record.topic);
    stored->set_key(record.key);
    stored->set_value(record.value);
    for (const auto& [name, value] : record.headers) {
      auto* header = stored->add_headers();
      header->set_name(name);
      header->set_value(value);
    }
  }
  return outbox.SerializeAsString();
}

core::Result<std::vector<OutgoingRecord>> DecodeOutbox(std::string_view bytes) {
  v1::Outbox outbox;
  if (!outbox.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return core::Internal("corrupt outbox: not a gridcare.v1.Outbox");
  }
  std::vector<OutgoingRecord> records;
  records.reserve(outbox.records_size());
  for (const auto& stored : outbox.records()) {
    OutgoingRecord record{stored.topic(), stored.key(), stored.value(), {}};
    for (const auto& header : stored.headers()) {
      record.headers.emplace_back(header.name(), header.value());
    }
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace gridcare::kafka
