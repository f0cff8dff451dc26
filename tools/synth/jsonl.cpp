#include "jsonl.h"

#include <google/protobuf/util/json_util.h>

#include <charconv>
#include <system_error>

namespace gridcare::synth_tool {
namespace {

google::protobuf::util::JsonPrintOptions PrintOptions() {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;  // the same names as network.jsonl and the .proto
  return options;
}

core::Status ToJson(const google::protobuf::Message& message, std::string* json) {
  json->clear();
  const auto status = google::protobuf::util::MessageToJsonString(message, json, PrintOptions());
  if (!status.ok()) return core::Internal("protobuf JSON: " + status.ToString());
  return {};
}

// A flat JSON object built field by field. Numbers are formatted with std::to_chars, which
// ignores the locale.
class JsonObject {
 public:
  JsonObject& Add(std::string_view key, std::string_view value) {
    Key(key);
    Quote(value);
    return *this;
  }
  JsonObject& Add(std::string_view key, const char* value) {
    return Add(key, std::string_view(value));
  }
  JsonObject& Add(std::string_view key, int64_t value) {
    Key(key);
    char buffer[24];
    text_.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, value).ptr);
    return *this;
  }
  JsonObject& AddCoordinate(std::string_view key, double value) {
    Key(key);
    char buffer[32];
    text_.append(
        buffer,
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 6).ptr);
    return *this;
  }
  JsonObject& AddLocation(const synth::GeoPoint& point) {
    return AddCoordinate("latitude", point.latitude).AddCoordinate("longitude", point.longitude);
  }
  template <typename Strings>
  JsonObject& AddArray(std::string_view key, const Strings& values) {
    Key(key);
    text_ += '[';
    bool first = true;
    for (const auto& value : values) {
      if (!first) text_ += ',';
      first = false;
      Quote(value);
    }
    text_ += ']';
    return *this;
  }
  std::string Take() {
    text_ += '}';
    return std::move(text_);
  }

 private:
  void Key(std::string_view key) {
    text_ += text_.empty() ? '{' : ',';
    Quote(key);
    text_ += ':';
  }
  void Quote(std::string_view value) {
    text_ += '"';
    for (const char c : value) {
      switch (c) {
        case '"':
          text_ += "\\\"";
          break;
        case '\\':
          text_ += "\\\\";
          break;
        case '\n':
          text_ += "\\n";
          break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
            text_ += buffer;
          } else {
            text_ += c;
          }
      }
    }
    text_ += '"';
  }

  std::string text_;
};

const std::string& AreaClassName(v1::AreaClass area_class) {
  return v1::AreaClass_Name(area_class);
}

}  // namespace

JsonlFile::JsonlFile(std::filesystem::path path)
    : path_(std::move(path)), temporary_(path_.string() + ".tmp") {
  out_.open(temporary_, std::ios::binary | std::ios::trunc);
}

JsonlFile::~JsonlFile() {
  if (!committed_) {
    out_.close();
    std::error_code ignored;
    std::filesystem::remove(temporary_, ignored);
  }
}

core::Status JsonlFile::status() const {
  if (!out_) return core::Unavailable("cannot write " + temporary_.string());
  return {};
}

void JsonlFile::WriteLine(std::string_view json) {
  out_.write(json.data(), static_cast<std::streamsize>(json.size()));
  out_.put('\n');
  ++lines_;
}

core::Status JsonlFile::Commit() {
  out_.close();
  if (!out_) return core::Unavailable("cannot write " + temporary_.string());
  std::error_code error;
  std::filesystem::rename(temporary_, path_, error);
  if (error)
    return core::Unavailable("cannot rename to " + path_.string() + ": " + error.message());
  committed_ = true;
  return {};
}

core::Status JsonlCustomerSink::Write(const v1::Customer& customer) {
  if (auto status = ToJson(customer, &json_); !status) return status;
  file_.WriteLine(json_);
  return file_.status();
}

core::Result<int64_t> WriteNetwork(const synth::Utility& utility,
                                   const std::filesystem::path& path) {
  const auto& net = utility.network();
  JsonlFile file(path);
  if (auto status = file.status(); !status) return status.error();
  for (const auto& district : net.districts()) {
    std::vector<std::string> substation_ids;
    for (auto s : district.substations) {
      substation_ids.push_back(net.substations()[static_cast<size_t>(s)].id);
    }
    file.WriteLine(JsonObject()
                       .Add("kind", "district")
                       .Add("id", district.id)
                       .Add("name", district.name)
                       .Add("city", district.city)
                       .Add("area_class", AreaClassName(district.area_class))
                       .AddLocation(district.centre)
                       .AddArray("substation_ids", substation_ids)
                       .Take());
  }
  for (const auto& depot : utility.roster().depots) {
    file.WriteLine(JsonObject()
                       .Add("kind", "depot")
                       .Add("id", depot.id)
                       .Add("name", depot.name)
                       .Add("district_id", net.districts()[static_cast<size_t>(depot.district)].id)
                       .Add("area_class", AreaClassName(depot.area_class))
                       .AddLocation(depot.location)
                       .Add("crew_count", depot.crews.size())
                       .Take());
  }
  for (const auto& substation : net.substations()) {
    file.WriteLine(
        JsonObject()
            .Add("kind", "substation")
            .Add("id", substation.id)
            .Add("name", substation.name)
            .Add("district_id", net.districts()[static_cast<size_t>(substation.district)].id)
            .Add("area_class", AreaClassName(substation.area_class))
            .AddLocation(substation.location)
            .Add("feeder_count", substation.feeders.size())
            .Add("transformer_count", substation.transformers.size())
            .Add("first_customer_index", substation.customers.begin)
            .Add("customer_count", substation.customers.size())
            .Take());
    for (auto f = substation.feeders.begin; f < substation.feeders.end; ++f) {
      const auto& feeder = net.feeders()[static_cast<size_t>(f)];
      file.WriteLine(JsonObject()
                         .Add("kind", "feeder")
                         .Add("id", feeder.id)
                         .Add("name", feeder.name)
                         .Add("substation_id", feeder.substation_id)
                         .Add("area_class", AreaClassName(feeder.area_class))
                         .AddLocation(feeder.location)
                         .Add("transformer_count", feeder.transformers.size())
                         .Add("first_customer_index", feeder.customers.begin)
                         .Add("customer_count", feeder.customers.size())
                         .Take());
      for (auto t = feeder.transformers.begin; t < feeder.transformers.end; ++t) {
        const auto& area = net.transformers()[static_cast<size_t>(t)];
        file.WriteLine(JsonObject()
                           .Add("kind", "transformer")
                           .Add("id", area.id)
                           .Add("name", area.name)
                           .Add("feeder_id", area.feeder_id)
                           .Add("substation_id", area.substation_id)
                           .Add("area_class", AreaClassName(area.area_class))
                           .AddLocation(area.location)
                           .Add("capacity_kva", int64_t{area.capacity_kva})
                           .Add("first_customer_index", area.customers.begin)
                           .Add("customer_count", area.customers.size())
                           .Take());
      }
    }
  }
  if (auto status = file.status(); !status) return status.error();
  const auto lines = file.lines();
  if (auto status = file.Commit(); !status) return status.error();
  return lines;
}

core::Result<int64_t> WriteCrews(const synth::Utility& utility, const std::filesystem::path& path) {
  JsonlFile file(path);
  if (auto status = file.status(); !status) return status.error();
  std::string json;
  for (const auto& crew : utility.crews()) {
    if (auto status = ToJson(crew, &json); !status) return status.error();
    file.WriteLine(json);
  }
  if (auto status = file.status(); !status) return status.error();
  const auto lines = file.lines();
  if (auto status = file.Commit(); !status) return status.error();
  return lines;
}

}  // namespace gridcare::synth_tool
