#pragma once

// The message templates of the notification service (issue 14), loaded from config/templates.json
// and validated at start: every template has a zh-CN and an en text, names its message class and
// audience, and uses only placeholders of the registry (placeholders.h), the same ones in both
// languages. A message is rendered in the recipient's language, falling back to zh-CN. Pure: the
// caller reads the file and passes the text. The format is documented in config/README.md.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/v1/common.pb.h"
#include "message_class.h"
#include "placeholders.h"

namespace gridcare::notification {

/// Who a template is written for. Staff templates are exactly those of class staff.
enum class Audience { kCustomer, kStaff };

/// "customer", "staff".
std::string_view AudienceName(Audience audience);

/// "zh-CN" for LANGUAGE_ZH_CN, "en" for LANGUAGE_EN, "" otherwise: the keys of templates.json.
std::string_view LanguageTag(v1::Language language);

/// One template as loaded: its texts compiled into literal runs and placeholders.
struct MessageTemplate {
  /// A literal run (escapes already resolved) or, when `placeholder` is set, a placeholder.
  struct Segment {
    std::string literal;
    const PlaceholderSpec* placeholder = nullptr;  ///< points into the static registry
  };

  std::string id;  ///< e.g. "outage.started"
  MessageClass message_class = MessageClass::kService;
  Audience audience = Audience::kCustomer;
  std::map<v1::Language, std::vector<Segment>> texts;  ///< zh-CN and en
  std::vector<std::string_view> placeholders;  ///< names, in order of first use in zh-CN, once
};

/// A rendered message.
struct RenderedMessage {
  std::string template_id;
  v1::Language language = v1::LANGUAGE_UNSPECIFIED;  ///< the language actually used
  std::string text;
};

/// Immutable after Parse; every method is const and safe to call from several threads.
class TemplateCatalogue {
 public:
  /// templates.json: {"templates": [{"id", "class", "audience", "text": {"zh-CN", "en"}, "note"}],
  /// "note"}. Every error is INVALID_ARGUMENT, starts "templates: " and names the template
  /// ("outage.started", or templates[3] before its id is known) and, for a text, the language:
  ///   templates: "outage.started" (en): unknown placeholder {etx}
  ///   templates: "outage.started" (zh-CN): "{" at character 12 has no closing "}" (write "{{" for
  ///   a literal brace)
  ///   templates: "outage.started" (en): "}" at character 7 has no opening "{" (write "}}" for a
  ///   literal brace)
  ///   templates: "outage.started" (en): empty placeholder {} at character 3
  ///   templates: "outage.started" (en): missing text · text is empty · text must be a string
  ///   templates: "outage.started" (en): lacks {etr}, which zh-CN has · uses {area}, which zh-CN
  ///   does not
  ///   templates: "outage.started": unknown class "urgent" (known: safety, outage, service,
  ///   marketing, staff) · unknown audience "crew" (known: customer, staff) · class "staff" is
  ///   only for audience "staff" · audience "staff" needs class "staff"
  ///   templates: "outage.started": unknown key "lang" (known: id, class, audience, text, note)
  ///   templates: "outage.started": text: unknown key "fr" (known: zh-CN, en)
  ///   templates: "outage.started": id given twice (templates[0] and templates[4])
  ///   templates: templates[3]: "id" must be 1-64 characters of [a-z0-9._-], got "Outage"
  /// plus the JsonReader errors (not valid JSON, a key given twice, unknown top-level keys) and
  /// "\"templates\" must be a non-empty array".
  static core::Result<TemplateCatalogue> Parse(std::string_view json_text);

  bool Has(std::string_view id) const { return Find(id) != nullptr; }
  /// The template `id`, or nullptr. Valid as long as the catalogue.
  const MessageTemplate* Find(std::string_view id) const;
  /// The class of template `id`, nullopt when there is none (compares with a MessageClass).
  std::optional<MessageClass> ClassOf(std::string_view id) const;
  std::optional<Audience> AudienceOf(std::string_view id) const;
  /// The placeholder names template `id` uses (both languages use the same), in order of first
  /// use; empty when there is no such template. For checking rule configs against templates.
  std::vector<std::string_view> Placeholders(std::string_view id) const;
  /// Every template id, sorted.
  std::vector<std::string_view> Ids() const;

  /// The language template `id` is rendered in for `requested`: the requested one when the
  /// template has it, zh-CN otherwise (LANGUAGE_UNSPECIFIED, values this build does not know).
  v1::Language LanguageFor(std::string_view id, v1::Language requested) const;

  /// Template `id` in LanguageFor(id, requested), its placeholders filled from `values` (values it
  /// does not use are ignored). Errors name the template and language and keep the placeholder's
  /// kind (RenderPlaceholder): NOT_FOUND unknown template "x"; INVALID_ARGUMENT for a UTC offset
  /// beyond ±14 h or a value of the wrong type; FAILED_PRECONDITION for a missing or empty value,
  /// e.g. "template \"outage.started\" (en): placeholder {etr} has no value".
  core::Result<RenderedMessage> Render(std::string_view id, v1::Language requested,
                                       const PlaceholderValues& values,
                                       const TimeContext& time) const;

 private:
  std::map<std::string, MessageTemplate, std::less<>> templates_;
};

}  // namespace gridcare::notification
