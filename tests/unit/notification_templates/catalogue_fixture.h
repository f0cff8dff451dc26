#pragma once

// Small builders for the template catalogue tests: a catalogue text with one template, and the
// outcome of parsing a text as one string ("ok" or the error's kind and message).

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "template_catalogue.h"

namespace gridcare::notification::testing {

/// {"templates": [one template]} with the given texts; `extra` is spliced into the template
/// object (e.g. R"("note": "x", )").
inline std::string OneTemplate(std::string_view zh, std::string_view en,
                               std::string_view id = "outage.started",
                               std::string_view message_class = "outage",
                               std::string_view audience = "customer",
                               std::string_view extra = "") {
  return R"({"templates": [{)" + std::string(extra) + R"("id": ")" + std::string(id) +
         R"(", "class": ")" + std::string(message_class) + R"(", "audience": ")" +
         std::string(audience) + R"(", "text": {"zh-CN": ")" + std::string(zh) + R"(", "en": ")" +
         std::string(en) + R"("}}]})";
}

/// "ok" or "<KIND>: <message>" (core::Error::ToString).
inline std::string ParseOutcome(std::string_view json) {
  auto catalogue = TemplateCatalogue::Parse(json);
  return catalogue.ok() ? "ok" : catalogue.error().ToString();
}

/// The catalogue `json` describes; fails the test when it does not load.
inline TemplateCatalogue MustParse(std::string_view json) {
  auto catalogue = TemplateCatalogue::Parse(json);
  if (!catalogue.ok()) throw std::runtime_error(catalogue.error().ToString());
  return std::move(*catalogue);
}

}  // namespace gridcare::notification::testing
