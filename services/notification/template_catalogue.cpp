#include "template_catalogue.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <utility>

#include "gridcare/config/json_reader.h"
#include "gridcare/core/text.h"

namespace gridcare::notification {
namespace {

using Json = nlohmann::json;
using Segment = MessageTemplate::Segment;

const config::JsonReader kReader("templates");

constexpr std::string_view kTopKeys[] = {"templates", "note"};
constexpr std::string_view kTemplateKeys[] = {"id", "class", "audience", "text", "note"};
constexpr size_t kMaxIdLength = 64;

struct LanguageKey {
  std::string_view tag;
  v1::Language language;
};
// zh-CN first: it is the fallback and the reference for the placeholder check.
constexpr std::array<LanguageKey, 2> kLanguages = {{
    {"zh-CN", v1::LANGUAGE_ZH_CN},
    {"en", v1::LANGUAGE_EN},
}};
constexpr std::string_view kLanguageTags[] = {"zh-CN", "en"};

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

bool IsValidId(std::string_view id) {
  return !id.empty() && id.size() <= kMaxIdLength && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

// 1-based position, in code points, of the byte at `pos`.
std::string CharacterAt(std::string_view text, size_t pos) {
  return "character " + std::to_string(core::CountCodePoints(text.substr(0, pos)) + 1);
}

// One text compiled: its segments and the placeholder names in order of first use, once each.
struct CompiledText {
  std::vector<Segment> segments;
  std::vector<std::string_view> names;
};

void AddLiteral(CompiledText& out, std::string& literal) {
  if (literal.empty()) return;
  out.segments.push_back({std::move(literal), nullptr});
  literal.clear();
}

void AddPlaceholder(CompiledText& out, const PlaceholderSpec& spec) {
  out.segments.push_back({{}, &spec});
  if (std::find(out.names.begin(), out.names.end(), spec.name) == out.names.end()) {
    out.names.push_back(spec.name);
  }
}

// `text` split into literals and placeholders; an error message (without the template's label)
// for a brace that does not pair up or a name outside the registry.
core::Result<CompiledText> Compile(std::string_view text) {
  CompiledText out;
  std::string literal;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const bool doubled = i + 1 < text.size() && text[i + 1] == c;
    if ((c == '{' || c == '}') && doubled) {
      literal += c;
      i += 2;
    } else if (c == '}') {
      return core::InvalidArgument("\"}\" at " + CharacterAt(text, i) +
                                   " has no opening \"{\" (write \"}}\" for a literal brace)");
    } else if (c == '{') {
      const size_t close = text.find_first_of("{}", i + 1);
      if (close == std::string_view::npos || text[close] == '{') {
        return core::InvalidArgument("\"{\" at " + CharacterAt(text, i) +
                                     " has no closing \"}\" (write \"{{\" for a literal brace)");
      }
      const std::string_view name = text.substr(i + 1, close - i - 1);
      if (name.empty()) {
        return core::InvalidArgument("empty placeholder {} at " + CharacterAt(text, i));
      }
      const PlaceholderSpec* spec = FindPlaceholder(name);
      if (spec == nullptr) {
        return core::InvalidArgument("unknown placeholder {" + std::string(name) + "}");
      }
      AddLiteral(out, literal);
      AddPlaceholder(out, *spec);
      i = close + 1;
    } else {
      literal += c;
      ++i;
    }
  }
  AddLiteral(out, literal);
  return out;
}

bool Uses(const std::vector<std::string_view>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Every language names the same placeholders as zh-CN (a translation that drops the ETR is a
// mistake, not a choice).
core::Status CheckSamePlaceholders(const std::string& label, std::string_view tag,
                                   const std::vector<std::string_view>& names,
                                   const std::vector<std::string_view>& reference) {
  for (const std::string_view name : reference) {
    if (!Uses(names, name)) {
      return kReader.Error(label + " (" + std::string(tag) + "): lacks {" + std::string(name) +
                           "}, which zh-CN has");
    }
  }
  for (const std::string_view name : names) {
    if (!Uses(reference, name)) {
      return kReader.Error(label + " (" + std::string(tag) + "): uses {" + std::string(name) +
                           "}, which zh-CN does not");
    }
  }
  return core::Status::Ok();
}

// One language's text of a template, compiled.
core::Result<CompiledText> ReadText(const std::string& label, const Json& texts,
                                    std::string_view tag) {
  const std::string where = label + " (" + std::string(tag) + "): ";
  const auto it = texts.find(tag);
  if (it == texts.end()) return kReader.Error(where + "missing text");
  if (!it->is_string()) return kReader.Error(where + "text must be a string, got " + it->dump());
  const std::string& text = it->get_ref<const std::string&>();
  if (core::TrimAsciiSpace(text).empty()) return kReader.Error(where + "text is empty");
  auto compiled = Compile(text);
  if (!compiled.ok()) return kReader.Error(where + compiled.error().message);
  return compiled;
}

// "text": {"zh-CN": ..., "en": ...} into `out`.
core::Status ReadTexts(const std::string& label, const Json& entry, MessageTemplate& out) {
  const auto it = entry.find("text");
  if (it == entry.end()) return kReader.Error(label + ": missing \"text\"");
  if (!it->is_object()) {
    return kReader.Error(label + ": \"text\" must be an object, got " + it->dump());
  }
  if (auto status = kReader.RejectUnknownKeys(*it, kLanguageTags, label + ": text"); !status.ok()) {
    return status;
  }
  for (const LanguageKey& key : kLanguages) {
    auto compiled = ReadText(label, *it, key.tag);
    if (!compiled.ok()) return compiled.error();
    if (key.language == v1::LANGUAGE_ZH_CN) {
      out.placeholders = compiled->names;
    } else if (auto status =
                   CheckSamePlaceholders(label, key.tag, compiled->names, out.placeholders);
               !status.ok()) {
      return status;
    }
    out.texts[key.language] = std::move(compiled->segments);
  }
  return core::Status::Ok();
}

// The string at `key` of `entry`: "<label>: missing \"key\"" or a type error.
core::Result<std::string> RequiredString(const std::string& label, const Json& entry,
                                         std::string_view key) {
  const auto it = entry.find(key);
  if (it == entry.end()) return kReader.Error(label + ": missing " + Quoted(key));
  return config::JsonReader(kReader.what() + ": " + label).String(*it, key);
}

core::Status ReadClassAndAudience(const std::string& label, const Json& entry,
                                  MessageTemplate& out) {
  auto class_name = RequiredString(label, entry, "class");
  if (!class_name.ok()) return class_name.error();
  const std::optional<MessageClass> message_class = ParseMessageClass(*class_name);
  if (!message_class) {
    return kReader.Error(label + ": unknown class " + Quoted(*class_name) +
                         " (known: safety, outage, service, marketing, staff)");
  }
  out.message_class = *message_class;
  auto audience = RequiredString(label, entry, "audience");
  if (!audience.ok()) return audience.error();
  if (*audience == AudienceName(Audience::kCustomer)) {
    out.audience = Audience::kCustomer;
  } else if (*audience == AudienceName(Audience::kStaff)) {
    out.audience = Audience::kStaff;
  } else {
    return kReader.Error(label + ": unknown audience " + Quoted(*audience) +
                         " (known: customer, staff)");
  }
  const bool staff_class = out.message_class == MessageClass::kStaff;
  if (staff_class && out.audience != Audience::kStaff) {
    return kReader.Error(label + ": class \"staff\" is only for audience \"staff\"");
  }
  if (!staff_class && out.audience == Audience::kStaff) {
    return kReader.Error(label + ": audience \"staff\" needs class \"staff\"");
  }
  return core::Status::Ok();
}

core::Result<MessageTemplate> ReadTemplate(const Json& entry, size_t index) {
  std::string label = "templates[" + std::to_string(index) + "]";
  if (!entry.is_object()) return kReader.Error(label + ": must be an object, got " + entry.dump());
  MessageTemplate out;
  auto id = RequiredString(label, entry, "id");
  if (!id.ok()) return id.error();
  if (!IsValidId(*id)) {
    return kReader.Error(label + ": \"id\" must be 1-64 characters of [a-z0-9._-], got " +
                         Quoted(*id));
  }
  out.id = std::move(*id);
  label = Quoted(out.id);
  if (auto status = kReader.RejectUnknownKeys(entry, kTemplateKeys, label); !status.ok()) {
    return status.error();
  }
  if (auto status = ReadClassAndAudience(label, entry, out); !status.ok()) return status.error();
  if (const auto note = entry.find("note"); note != entry.end() && !note->is_string()) {
    return kReader.Error(label + ": \"note\" must be a string, got " + note->dump());
  }
  if (auto status = ReadTexts(label, entry, out); !status.ok()) return status.error();
  return out;
}

// Where template `id` sits in the list, for the duplicate message.
size_t IndexOf(const Json& list, const std::string& id) {
  for (size_t i = 0; i < list.size(); ++i) {
    const Json& entry = list[i];
    if (entry.is_object() && entry.contains("id") && entry.at("id") == id) return i;
  }
  return list.size();
}

}  // namespace

std::string_view AudienceName(Audience audience) {
  return audience == Audience::kStaff ? "staff" : "customer";
}

std::string_view LanguageTag(v1::Language language) {
  for (const LanguageKey& key : kLanguages) {
    if (key.language == language) return key.tag;
  }
  return {};
}

core::Result<TemplateCatalogue> TemplateCatalogue::Parse(std::string_view json_text) {
  auto root = kReader.ParseObject(json_text);
  if (!root.ok()) return root.error();
  if (auto status = kReader.RejectUnknownKeys(*root, kTopKeys); !status.ok()) {
    return status.error();
  }
  if (const auto note = root->find("note"); note != root->end() && !note->is_string()) {
    return kReader.Error("\"note\" must be a string, got " + note->dump());
  }
  const auto list = root->find("templates");
  if (list == root->end() || !list->is_array() || list->empty()) {
    return kReader.Error("\"templates\" must be a non-empty array");
  }
  TemplateCatalogue catalogue;
  for (size_t i = 0; i < list->size(); ++i) {
    auto entry = ReadTemplate(list->at(i), i);
    if (!entry.ok()) return entry.error();
    const std::string id = entry->id;
    if (!catalogue.templates_.emplace(id, std::move(*entry)).second) {
      return kReader.Error(Quoted(id) + ": id given twice (templates[" +
                           std::to_string(IndexOf(*list, id)) + "] and templates[" +
                           std::to_string(i) + "])");
    }
  }
  return catalogue;
}

const MessageTemplate* TemplateCatalogue::Find(std::string_view id) const {
  const auto it = templates_.find(id);
  return it == templates_.end() ? nullptr : &it->second;
}

std::optional<MessageClass> TemplateCatalogue::ClassOf(std::string_view id) const {
  const MessageTemplate* t = Find(id);
  if (t == nullptr) return std::nullopt;
  return t->message_class;
}

std::optional<Audience> TemplateCatalogue::AudienceOf(std::string_view id) const {
  const MessageTemplate* t = Find(id);
  if (t == nullptr) return std::nullopt;
  return t->audience;
}

std::vector<std::string_view> TemplateCatalogue::Placeholders(std::string_view id) const {
  const MessageTemplate* t = Find(id);
  return t == nullptr ? std::vector<std::string_view>() : t->placeholders;
}

std::vector<std::string_view> TemplateCatalogue::Ids() const {
  std::vector<std::string_view> ids;
  ids.reserve(templates_.size());
  for (const auto& [id, t] : templates_) ids.push_back(id);
  return ids;
}

v1::Language TemplateCatalogue::LanguageFor(std::string_view id, v1::Language requested) const {
  const MessageTemplate* t = Find(id);
  if (t != nullptr && !LanguageTag(requested).empty() && t->texts.count(requested) > 0) {
    return requested;
  }
  return v1::LANGUAGE_ZH_CN;
}

core::Result<RenderedMessage> TemplateCatalogue::Render(std::string_view id, v1::Language requested,
                                                        const PlaceholderValues& values,
                                                        const TimeContext& time) const {
  const MessageTemplate* t = Find(id);
  if (t == nullptr) return core::NotFound("unknown template " + Quoted(id));
  if (std::abs(time.utc_offset_minutes) > kMaxUtcOffsetMinutes) {
    return core::InvalidArgument("template " + Quoted(id) + ": UTC offset must be within ±" +
                                 std::to_string(kMaxUtcOffsetMinutes) + " minutes, got " +
                                 std::to_string(time.utc_offset_minutes));
  }
  RenderedMessage message{t->id, LanguageFor(id, requested), {}};
  for (const Segment& segment : t->texts.at(message.language)) {
    if (segment.placeholder == nullptr) {
      message.text += segment.literal;
      continue;
    }
    auto text = RenderPlaceholder(*segment.placeholder, values, message.language, time);
    if (!text.ok()) {
      return core::Error{text.error().kind, "template " + Quoted(id) + " (" +
                                                std::string(LanguageTag(message.language)) +
                                                "): " + text.error().message};
    }
    message.text += *text;
  }
  return message;
}

}  // namespace gridcare::notification
