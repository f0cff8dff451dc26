#include "payload.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include <array>
#include <utility>

#include "gridcare/kafka/topics.h"
#include "gridcare/logging/privacy.h"
#include "gridcare/v1/alert.pb.h"
#include "gridcare/v1/complaint.pb.h"
#include "gridcare/v1/crew.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "gridcare/v1/intake.pb.h"
#include "gridcare/v1/notification.pb.h"
#include "gridcare/v1/request.pb.h"
#include "gridcare/web/json_http.h"

namespace gridcare::ops {
namespace {

namespace pb = google::protobuf;

enum class Mask { kNone, kPhone, kFreeText, kAddress, kName };

Mask MaskFor(const pb::FieldDescriptor& field) {
  const std::string& name = field.name();
  if (name.find("phone") != std::string::npos) return Mask::kPhone;
  if (name == "text" || name == "comment" || name == "note" || name == "notes") {
    return Mask::kFreeText;
  }
  if (name == "full_text") return Mask::kAddress;
  if (name == "name" && field.containing_type()->full_name() == "gridcare.v1.Customer") {
    return Mask::kName;
  }
  return Mask::kNone;
}

std::string Apply(Mask mask, const std::string& value) {
  switch (mask) {
    case Mask::kPhone:
      return logging::MaskPhone(value);
    case Mask::kFreeText:
      return logging::RedactFreeText(value);
    case Mask::kAddress:
      return logging::MaskAddress(value);
    case Mask::kName:
      return logging::MaskName(value);
    case Mask::kNone:
      break;
  }
  return value;
}

void MaskField(pb::Message& message, const pb::FieldDescriptor& field) {
  const pb::Reflection& reflection = *message.GetReflection();
  if (field.cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
    if (field.is_repeated()) {
      for (int i = 0; i < reflection.FieldSize(message, &field); ++i) {
        MaskPersonalData(*reflection.MutableRepeatedMessage(&message, &field, i));
      }
    } else {
      MaskPersonalData(*reflection.MutableMessage(&message, &field));
    }
    return;
  }
  if (field.cpp_type() != pb::FieldDescriptor::CPPTYPE_STRING ||
      field.type() == pb::FieldDescriptor::TYPE_BYTES) {
    return;
  }
  const Mask mask = MaskFor(field);
  if (mask == Mask::kNone) return;
  if (field.is_repeated()) {
    for (int i = 0; i < reflection.FieldSize(message, &field); ++i) {
      reflection.SetRepeatedString(&message, &field, i,
                                   Apply(mask, reflection.GetRepeatedString(message, &field, i)));
    }
  } else {
    reflection.SetString(&message, &field, Apply(mask, reflection.GetString(message, &field)));
  }
}

}  // namespace

std::unique_ptr<pb::Message> NewEventFor(std::string_view topic) {
  const std::array<std::pair<std::string_view, const pb::Message*>, 7> kTypes = {{
      {kafka::kRequestsTopic, &v1::RequestEvent::default_instance()},
      {kafka::kIntakeTopic, &v1::IntakeEvent::default_instance()},
      {kafka::kDispatchTopic, &v1::DispatchEvent::default_instance()},
      {kafka::kCrewTopic, &v1::CrewEvent::default_instance()},
      {kafka::kComplaintTopic, &v1::ComplaintEvent::default_instance()},
      {kafka::kNotificationTopic, &v1::NotificationEvent::default_instance()},
      {kafka::kAlertTopic, &v1::AlertEvent::default_instance()},
  }};
  for (const auto& [name, prototype] : kTypes) {
    if (name == topic) return std::unique_ptr<pb::Message>(prototype->New());
  }
  return nullptr;
}

void MaskPersonalData(pb::Message& message) {
  std::vector<const pb::FieldDescriptor*> fields;
  message.GetReflection()->ListFields(message, &fields);  // set fields only
  for (const auto* field : fields) MaskField(message, *field);
}

DecodedValue DecodeValue(std::string_view source_topic, const std::string& value, bool reveal) {
  DecodedValue out;
  auto event = NewEventFor(source_topic);
  if (!event) {
    out.note = "not decoded: " + (source_topic.empty()
                                      ? std::string("the source topic is not known")
                                      : "no event type is known for " + std::string(source_topic));
    return out;
  }
  out.type = event->GetDescriptor()->full_name();
  if (!event->ParseFromString(value)) {
    out.note =
        "not shown: the " + std::to_string(value.size()) + " bytes do not parse as " + out.type;
    return out;
  }
  out.decoded = true;
  if (!reveal) {
    MaskPersonalData(*event);
    out.masked = true;
  }
  const std::string json = web::MessageToJson(*event);
  out.json = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  out.text = nlohmann::ordered_json::parse(json, nullptr, /*allow_exceptions=*/false)
                 .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
             "\n";
  return out;
}

}  // namespace gridcare::ops
