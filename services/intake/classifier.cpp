#include "classifier.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "gridcare/config/files.h"
#include "gridcare/config/json_reader.h"
#include "gridcare/core/text_folding.h"
#include "gridcare/core/utf8.h"

namespace gridcare::intake {

namespace {

using Json = nlohmann::json;

constexpr size_t kMaxCodePoints = 4096;  // longer texts are classified on their beginning
constexpr int kTypeCount = 10;           // RequestType values 0..9
constexpr int kKindCount = 9;            // ServiceApplicationKind values 0..8

// ---------------------------------------------------------------------------------------------
// Text: the two views rules match against.

// Code points of `text` as rules see them (gridcare/core/text_folding.h), at most `limit`;
// malformed sequences are skipped byte by byte.
std::u32string Folded(std::string_view text, size_t limit) {
  return core::FoldText(text, core::InvalidUtf8::kSkip, limit);
}

bool IsAsciiLetter(char32_t cp) { return cp >= 'a' && cp <= 'z'; }
bool IsAsciiDigit(char32_t cp) { return cp >= '0' && cp <= '9'; }

// Spaces, punctuation, symbols, emoji and invisible marks: removed for Chinese matching.
bool IsNoise(char32_t cp) {
  if (cp < 0x80) return !IsAsciiLetter(cp) && !IsAsciiDigit(cp);  // folded: no upper case
  if (cp <= 0xBF) return true;                                    // Latin-1 punctuation, NBSP
  if (cp >= 0x2000 && cp <= 0x2BFF) return true;                  // general punctuation..symbols
  if (cp >= 0x3000 && cp <= 0x303F) return cp != 0x3005 && cp != 0x3007;  // keep 々 〇
  if (cp >= 0xFE00 && cp <= 0xFE4F) return true;    // variation selectors, vertical/compat forms
  if (cp >= 0xFF00 && cp <= 0xFFEF) return true;    // remaining half/full-width punctuation
  if (cp >= 0x1F000 && cp <= 0x1FAFF) return true;  // emoji, pictographs
  return false;
}

bool IsApostrophe(char32_t cp) { return cp == '\'' || cp == 0x2019; }

// English words: runs of ASCII letters or of digits ("400kva" → "400", "kva"); "'s" at the end of a
// word becomes the word "is" ("power's out" → "power is out", "what's" → "what is"; possessives
// read oddly but harmlessly); any other apostrophe inside a word is dropped ("don't" → "dont",
// "I'd" → "id"); everything else separates.
std::vector<std::string> Words(const std::u32string& cps) {  // folded code points
  std::vector<std::string> words;
  std::string current;
  int current_class = 0;  // 0 none, 1 letters, 2 digits
  auto flush = [&] {
    if (!current.empty()) words.push_back(std::move(current));
    current.clear();
    current_class = 0;
  };
  for (size_t i = 0; i < cps.size(); ++i) {
    const char32_t cp = cps[i];
    const int cls = IsAsciiLetter(cp) ? 1 : IsAsciiDigit(cp) ? 2 : 0;
    if (cls == 0) {
      const bool inside_word =
          IsApostrophe(cp) && current_class == 1 && i + 1 < cps.size() && IsAsciiLetter(cps[i + 1]);
      const bool is_s =
          inside_word && cps[i + 1] == 's' && (i + 2 >= cps.size() || !IsAsciiLetter(cps[i + 2]));
      if (is_s) {
        flush();
        words.emplace_back("is");
        ++i;  // the "s"
      } else if (!inside_word) {
        flush();
      }
      continue;
    }
    if (cls != current_class) flush();
    current.push_back(static_cast<char>(cp));
    current_class = cls;
  }
  flush();
  return words;
}

std::string NormalizeCodePoints(const std::u32string& cps) {
  std::string out;
  out.reserve(cps.size() * 3);
  for (const char32_t cp : cps) {
    if (!IsNoise(cp)) core::AppendUtf8(out, cp);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Phrases.

// A place in one of the two views: bytes of the normalised text, or word indices.
struct Span {
  size_t begin = 0;
  size_t end = 0;
};

// One phrase of a rule. Containing a non-ASCII character makes it a Chinese phrase, matched as a
// substring of the normalised text ("*" = up to gap_chars characters); otherwise it is an English
// phrase, matched as whole words ("word*" = a word starting so, "*" alone = up to gap_words words).
struct Phrase {
  std::string source;
  bool chinese = false;
  std::vector<std::string> parts;  // Chinese: normalised pieces between "*"
  struct Word {
    std::string text;  // empty for a gap
    bool prefix = false;
    bool gap = false;
  };
  std::vector<Word> words;  // English
};

struct Rule {
  std::string id;
  v1::RequestType type = v1::REQUEST_TYPE_UNSPECIFIED;
  v1::ServiceApplicationKind kind = v1::SERVICE_APPLICATION_KIND_UNSPECIFIED;
  bool zh = true;  // active for Chinese text
  bool en = true;  // active for English text
  std::vector<Phrase> phrases;
  std::vector<std::vector<Phrase>> with;  // every group must have an occurrence somewhere
  std::vector<Phrase> unless;             // occurrences inside these do not count
  double weight = 1.0;
  int priority = 0;
  std::string category;  // what the request is about, e.g. "billing"; may be empty
};

struct TextView {
  std::string normalized;
  std::vector<size_t> char_starts;  // byte offset of each code point of `normalized`, plus end
  std::vector<std::string> words;
  bool has_cjk = false;  // written (at least partly) in Chinese
};

TextView MakeView(std::string_view text) {
  const auto cps = Folded(text, kMaxCodePoints);
  TextView view;
  view.normalized = NormalizeCodePoints(cps);
  for (size_t i = 0; i < view.normalized.size(); ++i) {
    if ((static_cast<unsigned char>(view.normalized[i]) & 0xC0) != 0x80)
      view.char_starts.push_back(i);
  }
  view.char_starts.push_back(view.normalized.size());
  view.words = Words(cps);
  view.has_cjk = std::any_of(cps.begin(), cps.end(), core::IsHan);
  return view;
}

}  // namespace

struct Classifier::Model {
  std::vector<Rule> rules;
  double evidence_scale = 2.0;
  double override_damping = 0.25;
  int gap_chars = 6;
  int gap_words = 3;
};

namespace {

using Model = Classifier::Model;

// Byte offset `count` characters after `from` in the normalised text (clamped to its end).
size_t AdvanceChars(const TextView& view, size_t from, int count) {
  auto it = std::lower_bound(view.char_starts.begin(), view.char_starts.end(), from);
  const auto remaining = view.char_starts.end() - 1 - it;
  it += std::min<std::ptrdiff_t>(count, remaining);
  return *it;
}

void FindChinese(const Phrase& phrase, const TextView& view, int gap_chars,
                 std::vector<Span>& out) {
  const std::string& text = view.normalized;
  const std::string& first = phrase.parts.front();
  for (size_t at = text.find(first); at != std::string::npos; at = text.find(first, at + 1)) {
    size_t end = at + first.size();
    bool ok = true;
    for (size_t i = 1; ok && i < phrase.parts.size(); ++i) {
      const size_t limit = AdvanceChars(view, end, gap_chars);
      const size_t next = text.find(phrase.parts[i], end);
      if (next == std::string::npos || next > limit)
        ok = false;
      else
        end = next + phrase.parts[i].size();
    }
    if (ok) out.push_back({at, end});
  }
}

bool WordMatches(const Phrase::Word& word, const std::string& text) {
  if (word.prefix)
    return text.size() >= word.text.size() && text.compare(0, word.text.size(), word.text) == 0;
  return text == word.text;
}

// End (exclusive word index) of a match of words[k..] starting at text word `at`, or 0.
size_t MatchWordsFrom(const Phrase& phrase, size_t k, const std::vector<std::string>& words,
                      size_t at, int gap_words) {
  if (k == phrase.words.size()) return at;
  const auto& word = phrase.words[k];
  if (word.gap) {
    for (int skip = 0; skip <= gap_words && at + skip <= words.size(); ++skip) {
      if (size_t end = MatchWordsFrom(phrase, k + 1, words, at + skip, gap_words)) return end;
    }
    return 0;
  }
  if (at >= words.size() || !WordMatches(word, words[at])) return 0;
  return MatchWordsFrom(phrase, k + 1, words, at + 1, gap_words);
}

void FindEnglish(const Phrase& phrase, const TextView& view, int gap_words,
                 std::vector<Span>& out) {
  for (size_t at = 0; at < view.words.size(); ++at) {
    if (size_t end = MatchWordsFrom(phrase, 0, view.words, at, gap_words)) out.push_back({at, end});
  }
}

// Occurrences of `phrase`, in the phrase's own view (bytes or words).
std::vector<Span> Find(const Phrase& phrase, const TextView& view, const Model& model) {
  std::vector<Span> spans;
  if (phrase.chinese)
    FindChinese(phrase, view, model.gap_chars, spans);
  else
    FindEnglish(phrase, view, model.gap_words, spans);
  return spans;
}

bool Occurs(const std::vector<Phrase>& phrases, const TextView& view, const Model& model) {
  return std::any_of(phrases.begin(), phrases.end(),
                     [&](const Phrase& p) { return !Find(p, view, model).empty(); });
}

bool RuleFires(const Rule& rule, const TextView& view, const Model& model) {
  std::vector<Span> masks_zh;
  std::vector<Span> masks_en;
  for (const auto& u : rule.unless) {
    for (const auto& span : Find(u, view, model)) (u.chinese ? masks_zh : masks_en).push_back(span);
  }
  bool found = false;
  for (const auto& phrase : rule.phrases) {
    const auto& masks = phrase.chinese ? masks_zh : masks_en;
    for (const auto& span : Find(phrase, view, model)) {
      const bool masked = std::any_of(masks.begin(), masks.end(), [&](const Span& m) {
        return m.begin <= span.begin && span.end <= m.end;
      });
      if (!masked) {
        found = true;
        break;
      }
    }
    if (found) break;
  }
  if (!found) return false;
  return std::all_of(rule.with.begin(), rule.with.end(),
                     [&](const std::vector<Phrase>& group) { return Occurs(group, view, model); });
}

// ---------------------------------------------------------------------------------------------
// Loading.

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

core::Result<Phrase> CompilePhrase(const Json& value, const std::string& where) {
  if (!value.is_string()) return core::InvalidArgument(where + ": must be a string");
  Phrase phrase;
  phrase.source = value.get<std::string>();
  if (!core::IsValidUtf8(phrase.source)) return core::InvalidArgument(where + ": not valid UTF-8");
  const auto cps = Folded(phrase.source, SIZE_MAX);
  phrase.chinese = std::any_of(cps.begin(), cps.end(), [](char32_t cp) { return cp >= 0x80; });
  if (phrase.chinese) {
    size_t start = 0;
    const std::string& s = phrase.source;
    while (true) {
      const size_t star = s.find('*', start);
      const std::string piece =
          s.substr(start, star == std::string::npos ? std::string::npos : star - start);
      std::string normalized = NormalizeForMatching(piece);
      if (normalized.empty()) {
        return core::InvalidArgument(where + " " + Quote(s) +
                                     ": empty after normalisation (or \"*\" at an end / doubled)");
      }
      phrase.parts.push_back(std::move(normalized));
      if (star == std::string::npos) break;
      start = star + 1;
    }
    return phrase;
  }
  std::istringstream pieces(phrase.source);
  std::string piece;
  while (pieces >> piece) {
    if (piece == "*") {
      phrase.words.push_back({"", false, true});
      continue;
    }
    const bool prefix = piece.back() == '*';
    if (prefix) piece.pop_back();
    if (piece.find('*') != std::string::npos) {
      return core::InvalidArgument(where + " " + Quote(phrase.source) +
                                   ": \"*\" goes alone or at the end of a word");
    }
    const auto words = Words(Folded(piece, SIZE_MAX));
    if (prefix && (words.size() != 1 || words.front().size() < 3)) {
      return core::InvalidArgument(where + " " + Quote(phrase.source) +
                                   ": a \"word*\" prefix needs one word of at least 3 letters");
    }
    for (const auto& w : words) phrase.words.push_back({w, prefix, false});
  }
  if (phrase.words.empty()) {
    return core::InvalidArgument(where + " " + Quote(phrase.source) +
                                 ": no words (empty after normalisation)");
  }
  if (phrase.words.front().gap || phrase.words.back().gap) {
    return core::InvalidArgument(where + " " + Quote(phrase.source) +
                                 ": \"*\" cannot start or end a phrase");
  }
  return phrase;
}

core::Result<std::vector<Phrase>> CompilePhrases(const Json& value, const std::string& where,
                                                 bool allow_empty) {
  if (!value.is_array()) return core::InvalidArgument(where + ": must be an array of strings");
  if (value.empty() && !allow_empty) return core::InvalidArgument(where + ": must not be empty");
  std::vector<Phrase> phrases;
  for (size_t i = 0; i < value.size(); ++i) {
    auto phrase = CompilePhrase(value[i], where + "[" + std::to_string(i) + "]");
    if (!phrase.ok()) return phrase.error();
    phrases.push_back(std::move(phrase).value());
  }
  return phrases;
}

bool ValidId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

core::Result<Rule> CompileRule(const Json& json, size_t index) {
  std::string where = "rules[" + std::to_string(index) + "]";
  if (!json.is_object()) return core::InvalidArgument(where + ": must be an object");
  static const std::set<std::string> kKnown = {"id",       "type", "application_kind", "language",
                                               "phrases",  "with", "unless",           "weight",
                                               "priority", "note", "category"};
  const auto id_it = json.find("id");
  if (id_it == json.end() || !id_it->is_string() || !ValidId(id_it->get<std::string>())) {
    return core::InvalidArgument(where + ": \"id\" must be 1-64 characters of [a-z0-9._-]");
  }
  Rule rule;
  rule.id = id_it->get<std::string>();
  where = "rule " + Quote(rule.id) + " (" + where + ")";
  for (const auto& [key, value] : json.items()) {
    if (!kKnown.contains(key))
      return core::InvalidArgument(where + ": unknown field " + Quote(key));
  }

  const auto type_it = json.find("type");
  if (type_it == json.end() || !type_it->is_string()) {
    return core::InvalidArgument(where + ": \"type\" must be a request type name");
  }
  std::string type_name = type_it->get<std::string>();
  if (type_name.rfind("REQUEST_TYPE_", 0) != 0) type_name = "REQUEST_TYPE_" + type_name;
  if (!v1::RequestType_Parse(type_name, &rule.type) || rule.type == v1::REQUEST_TYPE_UNSPECIFIED) {
    return core::InvalidArgument(where + ": unknown type " + Quote(type_it->get<std::string>()));
  }

  if (const auto it = json.find("application_kind"); it != json.end()) {
    if (!it->is_string())
      return core::InvalidArgument(where + ": \"application_kind\" must be a string");
    std::string kind_name = it->get<std::string>();
    if (kind_name.rfind("SERVICE_APPLICATION_KIND_", 0) != 0)
      kind_name = "SERVICE_APPLICATION_KIND_" + kind_name;
    if (!v1::ServiceApplicationKind_Parse(kind_name, &rule.kind) ||
        rule.kind == v1::SERVICE_APPLICATION_KIND_UNSPECIFIED) {
      return core::InvalidArgument(where + ": unknown application_kind " +
                                   Quote(it->get<std::string>()));
    }
    if (rule.type != v1::REQUEST_TYPE_SERVICE_APPLICATION) {
      return core::InvalidArgument(where +
                                   ": application_kind is only for type SERVICE_APPLICATION");
    }
  }

  const auto language_it = json.find("language");
  const std::string language =
      language_it != json.end() && language_it->is_string() ? language_it->get<std::string>() : "";
  if (language == "zh")
    rule.en = false;
  else if (language == "en")
    rule.zh = false;
  else if (language != "any")
    return core::InvalidArgument(where + ": \"language\" must be zh, en or any");

  const auto phrases_it = json.find("phrases");
  if (phrases_it == json.end()) return core::InvalidArgument(where + ": \"phrases\" is missing");
  auto phrases = CompilePhrases(*phrases_it, where + " phrases", false);
  if (!phrases.ok()) return phrases.error();
  rule.phrases = std::move(phrases).value();

  if (const auto it = json.find("unless"); it != json.end()) {
    auto unless = CompilePhrases(*it, where + " unless", true);
    if (!unless.ok()) return unless.error();
    rule.unless = std::move(unless).value();
  }
  if (const auto it = json.find("with"); it != json.end()) {
    if (!it->is_array())
      return core::InvalidArgument(where + ": \"with\" must be an array of arrays");
    for (size_t g = 0; g < it->size(); ++g) {
      auto group = CompilePhrases((*it)[g], where + " with[" + std::to_string(g) + "]", false);
      if (!group.ok()) return group.error();
      rule.with.push_back(std::move(group).value());
    }
  }
  if (const auto it = json.find("weight"); it != json.end()) {
    if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() <= 0 ||
        it->get<double>() > 10) {
      return core::InvalidArgument(where + ": \"weight\" must be a number in (0, 10]");
    }
    rule.weight = it->get<double>();
  }
  if (const auto it = json.find("priority"); it != json.end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > 9) {
      return core::InvalidArgument(where + ": \"priority\" must be an integer 0..9");
    }
    rule.priority = static_cast<int>(it->get<int64_t>());
  }
  if (const auto it = json.find("note"); it != json.end() && !it->is_string()) {
    return core::InvalidArgument(where + ": \"note\" must be a string");
  }
  if (const auto it = json.find("category"); it != json.end()) {
    if (!it->is_string() || !ValidId(it->get<std::string>())) {
      return core::InvalidArgument(where + ": \"category\" must be 1-64 characters of [a-z0-9._-]");
    }
    rule.category = it->get<std::string>();
  }
  return rule;
}

core::Status ReadScoring(const Json& json, Model& model) {
  if (!json.is_object()) return core::InvalidArgument("scoring: must be an object");
  for (const auto& [key, value] : json.items()) {
    if (key == "evidence_scale") {
      if (!value.is_number() || !(value.get<double>() > 0) || value.get<double>() > 100) {
        return core::InvalidArgument("scoring.evidence_scale: must be a number in (0, 100]");
      }
      model.evidence_scale = value.get<double>();
    } else if (key == "override_damping") {
      if (!value.is_number() || value.get<double>() < 0 || value.get<double>() > 1) {
        return core::InvalidArgument("scoring.override_damping: must be a number in [0, 1]");
      }
      model.override_damping = value.get<double>();
    } else if (key == "gap_chars" || key == "gap_words") {
      if (!value.is_number_integer() || value.get<int64_t>() < 0 || value.get<int64_t>() > 20) {
        return core::InvalidArgument("scoring." + key + ": must be an integer 0..20");
      }
      (key == "gap_chars" ? model.gap_chars : model.gap_words) =
          static_cast<int>(value.get<int64_t>());
    } else {
      return core::InvalidArgument("scoring: unknown field " + Quote(key));
    }
  }
  return core::Status::Ok();
}

}  // namespace

std::string NormalizeForMatching(std::string_view text) {
  return NormalizeCodePoints(Folded(text, SIZE_MAX));
}

core::Result<Classifier> Classifier::FromJson(std::string_view json_text,
                                              ClassifierSettings settings) {
  if (!(settings.min_confidence >= 0 && settings.min_confidence <= 1) ||
      !(settings.min_margin >= 0 && settings.min_margin <= 1)) {
    return core::InvalidArgument(
        "classifier settings: min_confidence and min_margin must be in [0, 1]");
  }
  auto parsed = config::JsonReader("classifier rules").Parse(json_text);
  if (!parsed.ok()) return parsed.error();
  const Json json = std::move(parsed).value();
  if (!json.is_object())
    return core::InvalidArgument("classifier rules: top level must be an object");
  auto model = std::make_shared<Model>();
  for (const auto& [key, value] : json.items()) {
    if (key == "scoring") {
      if (auto status = ReadScoring(value, *model); !status.ok()) return status.error();
    } else if (key != "rules" && key != "format" && key != "description") {
      return core::InvalidArgument("classifier rules: unknown top-level field " + Quote(key));
    }
  }
  const auto rules_it = json.find("rules");
  if (rules_it == json.end() || !rules_it->is_array() || rules_it->empty()) {
    return core::InvalidArgument("classifier rules: \"rules\" must be a non-empty array");
  }
  std::set<std::string> ids;
  for (size_t i = 0; i < rules_it->size(); ++i) {
    auto rule = CompileRule((*rules_it)[i], i);
    if (!rule.ok()) return rule.error();
    if (!ids.insert(rule->id).second) {
      return core::InvalidArgument("rule " + Quote(rule->id) + " (rules[" + std::to_string(i) +
                                   "]): duplicate id");
    }
    model->rules.push_back(std::move(rule).value());
  }
  return Classifier(std::move(model), settings);
}

core::Result<Classifier> Classifier::FromFile(const std::string& path,
                                              ClassifierSettings settings) {
  auto content = config::ReadTextFile(path);
  if (!content.ok()) return core::NotFound("classifier rules: " + content.error().message);
  auto classifier = FromJson(*content, settings);
  if (!classifier.ok()) {
    return core::Error{classifier.error().kind, path + ": " + classifier.error().message};
  }
  return classifier;
}

size_t Classifier::rule_count() const { return model_->rules.size(); }

v1::Classification Classifier::Classify(std::string_view text, v1::Language language) const {
  v1::Classification result;
  result.set_type(v1::REQUEST_TYPE_UNSPECIFIED);
  result.set_needs_agent_review(true);
  const TextView view = MakeView(text);

  // Which rule sets apply: the declared language, plus the script the text is written in.
  const bool zh_active = language == v1::LANGUAGE_ZH_CN || view.has_cjk;
  const bool en_active = language == v1::LANGUAGE_EN || (!view.has_cjk && !view.words.empty());

  std::array<double, kTypeCount> score{};
  std::array<int, kTypeCount> priority{};
  std::array<double, kKindCount> kind_score{};
  std::vector<const Rule*> fired;
  for (const auto& rule : model_->rules) {
    if (!((rule.zh && zh_active) || (rule.en && en_active))) continue;
    if (!RuleFires(rule, view, *model_)) continue;
    fired.push_back(&rule);
    score[rule.type] += rule.weight;
    priority[rule.type] = std::max(priority[rule.type], rule.priority);
    if (rule.kind != v1::SERVICE_APPLICATION_KIND_UNSPECIFIED) kind_score[rule.kind] += rule.weight;
  }
  if (fired.empty()) return result;

  // Explicit intent overrides topic: types below the highest fired priority count only partly.
  const int top_priority = *std::max_element(priority.begin(), priority.end());
  double total = 0;
  for (int t = 1; t < kTypeCount; ++t) {
    if (score[t] > 0 && priority[t] < top_priority) score[t] *= model_->override_damping;
    total += score[t];
  }
  int best = 0;
  int second = 0;
  for (int t = 1; t < kTypeCount; ++t) {
    if (score[t] > score[best]) {
      second = best;
      best = t;
    } else if (score[t] > score[second]) {
      second = t;
    }
  }
  if (best == 0 || total <= 0) return result;
  const double share = score[best] / total;
  const double margin = share - (second == 0 ? 0.0 : score[second] / total);
  const double confidence = share * (1.0 - std::exp(-score[best] / model_->evidence_scale));
  bool review = confidence < settings_.min_confidence || margin < settings_.min_margin;

  const auto winner = static_cast<v1::RequestType>(best);
  result.set_type(winner);
  result.set_confidence(std::clamp(confidence, 0.0, 1.0));
  if (winner == v1::REQUEST_TYPE_SERVICE_APPLICATION) {
    int best_kind = 0;
    double kind_total = 0;
    double runner_up = 0;
    for (int k = 1; k < kKindCount; ++k) {
      kind_total += kind_score[k];
      if (kind_score[k] > kind_score[best_kind]) {
        runner_up = kind_score[best_kind];
        best_kind = k;
      } else {
        runner_up = std::max(runner_up, kind_score[k]);
      }
    }
    if (best_kind == 0 || (kind_score[best_kind] - runner_up) / kind_total < settings_.min_margin) {
      review = true;  // an application whose kind is unknown or unclear
    }
    result.set_application_kind(static_cast<v1::ServiceApplicationKind>(best_kind));
  }
  result.set_needs_agent_review(review);

  // The winner's rules first (heaviest first), then the rest, so the reason reads top-down.
  std::stable_sort(fired.begin(), fired.end(), [&](const Rule* a, const Rule* b) {
    const bool a_wins = a->type == winner;
    const bool b_wins = b->type == winner;
    if (a_wins != b_wins) return a_wins;
    if (score[a->type] != score[b->type]) return score[a->type] > score[b->type];
    if (a->type != b->type) return a->type < b->type;
    return a->weight > b->weight;
  });
  for (const Rule* rule : fired) {
    result.add_matched_rules(rule->id);
    if (result.category().empty() && rule->type == winner && !rule->category.empty()) {
      result.set_category(rule->category);
    }
  }
  return result;
}

}  // namespace gridcare::intake
