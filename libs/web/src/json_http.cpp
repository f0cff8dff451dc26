#include "gridcare/web/json_http.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "gridcare/config/json_reader.h"

namespace gridcare::web {
namespace {

using Json = nlohmann::json;
using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

constexpr int kMaxDepth = 32;

std::string ShortJson(const Json& value) {
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  constexpr std::size_t kMax = 60;
  if (text.size() > kMax) text = text.substr(0, kMax) + "…";
  return text;
}

std::string Join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

/// Walks a parsed JSON body against the message's descriptor before protobuf parses it, so every
/// mistake is reported with the field's path and what was expected (protobuf's own messages name
/// neither).
class BodyChecker {
 public:
  explicit BodyChecker(const config::JsonReader& reader) : reader_(reader) {}

  core::Status Object(const Json& value, const Descriptor& type, const std::string& path,
                      int depth) const {
    if (depth > kMaxDepth) return reader_.Error("nested too deeply at \"" + path + "\"");
    if (!value.is_object()) return Expected(path, "an object", value);
    for (const auto& [key, item] : value.items()) {
      const FieldDescriptor* field = type.FindFieldByName(key);
      if (field == nullptr) field = type.FindFieldByCamelcaseName(key);
      if (field == nullptr) return UnknownKey(type, path, key);
      if (auto status = Field(item, *field, Join(path, field->name()), depth); !status) {
        return status;
      }
    }
    return core::Status::Ok();
  }

 private:
  core::Status UnknownKey(const Descriptor& type, const std::string& path,
                          const std::string& key) const {
    std::string known;
    for (int i = 0; i < type.field_count(); ++i) {
      known += (i == 0 ? "" : ", ") + type.field(i)->name();
    }
    return reader_.Error((path.empty() ? "" : path + ": ") + "unknown key \"" + key +
                         "\" (known: " + known + ")");
  }

  core::Error Expected(const std::string& path, const std::string& what, const Json& got) const {
    if (path.empty()) {
      return reader_.Error("expected " + what + ", got " + std::string(got.type_name()));
    }
    return reader_.Error("\"" + path + "\" must be " + what + ", got " + ShortJson(got));
  }

  core::Status Field(const Json& value, const FieldDescriptor& field, const std::string& path,
                     int depth) const {
    if (value.is_null()) return core::Status::Ok();  // "not given"
    if (field.is_map()) {
      return value.is_object() ? core::Status::Ok() : Expected(path, "an object", value);
    }
    if (!field.is_repeated()) return Singular(value, field, path, depth);
    if (!value.is_array()) return Expected(path, "an array", value);
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (auto status = Singular(value[i], field, path + "[" + std::to_string(i) + "]", depth);
          !status) {
        return status;
      }
    }
    return core::Status::Ok();
  }

  core::Status Singular(const Json& value, const FieldDescriptor& field, const std::string& path,
                        int depth) const {
    switch (field.cpp_type()) {
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return Message(value, *field.message_type(), path, depth);
      case FieldDescriptor::CPPTYPE_ENUM:
        return Enum(value, field, path);
      case FieldDescriptor::CPPTYPE_STRING:
        return value.is_string() ? core::Status::Ok() : Expected(path, "a string", value);
      case FieldDescriptor::CPPTYPE_BOOL:
        return value.is_boolean() ? core::Status::Ok() : Expected(path, "true or false", value);
      case FieldDescriptor::CPPTYPE_FLOAT:
      case FieldDescriptor::CPPTYPE_DOUBLE:
        return value.is_number() || value.is_string() ? core::Status::Ok()
                                                      : Expected(path, "a number", value);
      case FieldDescriptor::CPPTYPE_INT32:
        return Integer(value, path, std::numeric_limits<int32_t>::min(),
                       std::numeric_limits<int32_t>::max());
      case FieldDescriptor::CPPTYPE_UINT32:
        return Integer(value, path, 0, std::numeric_limits<uint32_t>::max());
      case FieldDescriptor::CPPTYPE_INT64:
      case FieldDescriptor::CPPTYPE_UINT64:
        // Printed as strings; protobuf checks the range of either form.
        return value.is_number_integer() || value.is_string() ? core::Status::Ok()
                                                              : Expected(path, "an integer", value);
    }
    return core::Status::Ok();
  }

  core::Status Message(const Json& value, const Descriptor& type, const std::string& path,
                       int depth) const {
    const std::string& name = type.full_name();
    if (name == "google.protobuf.Timestamp") {
      return value.is_string()
                 ? core::Status::Ok()
                 : Expected(path, "an RFC 3339 time such as \"2026-11-24T09:30:00Z\"", value);
    }
    if (name == "google.protobuf.Duration") {
      return value.is_string() ? core::Status::Ok()
                               : Expected(path, "a duration such as \"90s\"", value);
    }
    if (name.rfind("google.protobuf.", 0) == 0) return core::Status::Ok();  // protobuf checks
    return Object(value, type, path, depth + 1);
  }

  core::Status Enum(const Json& value, const FieldDescriptor& field,
                    const std::string& path) const {
    const auto& type = *field.enum_type();
    if (value.is_number_integer()) return core::Status::Ok();
    if (value.is_string() && type.FindValueByName(value.get<std::string>()) != nullptr) {
      return core::Status::Ok();
    }
    std::string names;
    for (int i = 0; i < type.value_count(); ++i) {
      names += (i == 0 ? "" : ", ") + type.value(i)->name();
    }
    return Expected(path, "one of " + names, value);
  }

  core::Status Integer(const Json& value, const std::string& path, int64_t min, int64_t max) const {
    if (value.is_string()) return core::Status::Ok();  // "12": protobuf reads and checks it
    if (config::JsonReader::IntegerIn(value, min, max)) return core::Status::Ok();
    return Expected(path, "an integer in " + std::to_string(min) + ".." + std::to_string(max),
                    value);
  }

  const config::JsonReader& reader_;
};

}  // namespace

int HttpStatusFor(core::ErrorKind kind) {
  switch (kind) {
    case core::ErrorKind::kInvalidArgument:
      return 400;
    case core::ErrorKind::kNotFound:
      return 404;
    case core::ErrorKind::kAlreadyExists:
      return 409;
    case core::ErrorKind::kFailedPrecondition:
      return 412;
    case core::ErrorKind::kPermissionDenied:
      return 403;
    case core::ErrorKind::kResourceExhausted:
      return 429;
    case core::ErrorKind::kUnavailable:
    case core::ErrorKind::kDeadlineExceeded:
      return 503;
    case core::ErrorKind::kInternal:
      return 500;
  }
  return 500;
}

std::string MessageToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

core::Status ParseJsonInto(std::string_view json, google::protobuf::Message* message) {
  message->Clear();
  const std::string type = message->GetDescriptor()->full_name();
  const config::JsonReader reader("request body (" + type + ")");
  const std::string_view text =
      json.find_first_not_of(" \t\r\n") == std::string_view::npos ? std::string_view("{}") : json;
  auto parsed = reader.Parse(text);
  if (!parsed) return parsed.error();
  if (auto checked = BodyChecker(reader).Object(*parsed, *message->GetDescriptor(), "", 0);
      !checked) {
    return checked;
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status =
      google::protobuf::util::JsonStringToMessage(std::string(text), message, options);
  if (!status.ok()) return reader.Error(std::string(status.message()));
  return core::Status::Ok();
}

std::string ErrorJson(const core::Error& error) {
  const Json body = {
      {"error", {{"code", core::ErrorKindName(error.kind)}, {"message", error.message}}}};
  return body.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace gridcare::web
