#pragma once

// How `dead-letters show` prints a record's value: decoded as its topic's event type and with
// personal data masked unless the operator asks for it. Pure: no I/O. Thread-safe.

#include <google/protobuf/message.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace gridcare::ops {

/// A new, empty message of the event type `topic` carries (gridcare.requests.v1 ->
/// gridcare.v1.RequestEvent, gridcare.intake.v1 -> IntakeEvent, …; one type per topic, see
/// docs/events.md); nullptr for a topic that is not one of GridCare's event topics.
std::unique_ptr<google::protobuf::Message> NewEventFor(std::string_view topic);

/// Masks personal data in `message` and every message inside it, by field name:
///  - fields whose name holds "phone" (phone, phones, callback_phone): logging::MaskPhone;
///  - free text a customer or a person typed (text, comment, note, notes): phone numbers inside
///    it masked (logging::RedactFreeText);
///  - address full_text: house numbers masked (logging::MaskAddress);
///  - a customer's name (gridcare.v1.Customer.name): logging::MaskName.
void MaskPersonalData(google::protobuf::Message& message);

/// A record value as `show` prints it.
struct DecodedValue {
  std::string type;      // "gridcare.v1.IntakeEvent"; "" when the topic is not known
  bool decoded = false;  // parsed as `type`
  bool masked = false;   // personal data masked (MaskPersonalData)
  nlohmann::json json;   // protobuf JSON of the event when decoded, else null
  std::string text;      // the same indented, fields in the proto's order (for people)
  std::string note;      // why it is not shown, when it is not
};

/// Decodes `value` as the event type of `source_topic`; masks it unless `reveal`.
DecodedValue DecodeValue(std::string_view source_topic, const std::string& value, bool reveal);

}  // namespace gridcare::ops
