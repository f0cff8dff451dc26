#include "classifier.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "gridcare/core/text.h"

namespace gridcare::intake {

namespace {

using Json = nlohmann::json;

constexpr size_t kMaxCodePoints = 4096;  // longer texts are classified on their beginning
constexpr int kTypeCount = 10;           // RequestType values 0..9
constexpr int kKindCount = 9;            // ServiceApplicationKind values 0..8

// ---------------------------------------------------------------------------------------------
// Text: UTF-8 decoding, width folding, the two views rules match against.

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Code points of `text`, at most `limit`; malformed sequences are skipped byte by byte.
std::vector<uint32_t> Decode(std::string_view text, size_t limit) {
  std::vector<uint32_t> out;
  out.reserve(std::min(text.size(), limit));
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end && out.size() < limit) {
    const unsigned char lead = *p;
    int continuation = 0;
    uint32_t cp = 0;
    uint32_t minimum = 0;
    if (lead < 0x80) {
      out.push_back(lead);
      ++p;
      continue;
    } else if ((lead & 0xE0) == 0xC0) {
      continuation = 1;
      cp = lead & 0x1F;
      minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      continuation = 2;
      cp = lead & 0x0F;
      minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      continuation = 3;
      cp = lead & 0x07;
      minimum = 0x10000;
    } else {
      ++p;
      continue;
    }
    bool ok = end - p > continuation;
    for (int i = 1; ok && i <= continuation; ++i) {
      if ((p[i] & 0xC0) != 0x80) {
        ok = false;
      } else {
        cp = (cp << 6) | (p[i] & 0x3F);
      }
    }
    if (!ok || cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      ++p;
      continue;
    }
    out.push_back(cp);
    p += continuation + 1;
  }
  return out;
}

// Traditional characters common in utility calls → simplified (電→电, 費→费, 報→报 …), so text
// typed on a traditional-character input method meets the simplified rules. Sorted by the first.
constexpr std::pair<uint32_t, uint32_t> kTraditional[] = {
    {0x4E82, 0x4E71}, {0x4F86, 0x6765}, {0x500B, 0x4E2A}, {0x5011, 0x4EEC}, {0x50B7, 0x4F24},
    {0x50F9, 0x4EF7}, {0x5104, 0x4EBF}, {0x512A, 0x4F18}, {0x5132, 0x50A8}, {0x5283, 0x5212},
    {0x52D5, 0x52A8}, {0x52D9, 0x52A1}, {0x5340, 0x533A}, {0x53B2, 0x5389}, {0x54E1, 0x5458},
    {0x554F, 0x95EE}, {0x555F, 0x542F}, {0x55AE, 0x5355}, {0x55CE, 0x5417}, {0x5678, 0x5428},
    {0x5687, 0x5413}, {0x56B4, 0x4E25}, {0x570B, 0x56FD}, {0x570D, 0x56F4}, {0x5712, 0x56ED},
    {0x5718, 0x56E2}, {0x5831, 0x62A5}, {0x5834, 0x573A}, {0x58D3, 0x538B}, {0x58DE, 0x574F},
    {0x5B6B, 0x5B59}, {0x5BE6, 0x5B9E}, {0x5C07, 0x5C06}, {0x5C08, 0x4E13}, {0x5C0D, 0x5BF9},
    {0x5C0E, 0x5BFC}, {0x5C64, 0x5C42}, {0x5E2B, 0x5E08}, {0x5E33, 0x8D26}, {0x5E63, 0x5E01},
    {0x5E6B, 0x5E2E}, {0x5E7E, 0x51E0}, {0x5EE0, 0x5382}, {0x5EE3, 0x5E7F}, {0x5EF3, 0x5385},
    {0x5F48, 0x5F39}, {0x611B, 0x7231}, {0x614B, 0x6001}, {0x616E, 0x8651}, {0x6182, 0x5FE7},
    {0x61C9, 0x5E94}, {0x6236, 0x6237}, {0x639B, 0x6302}, {0x63DA, 0x626C}, {0x63DB, 0x6362},
    {0x6436, 0x62A2}, {0x64D4, 0x62C5}, {0x64DA, 0x636E}, {0x64F4, 0x6269}, {0x65B7, 0x65AD},
    {0x6642, 0x65F6}, {0x66F8, 0x4E66}, {0x6703, 0x4F1A}, {0x6771, 0x4E1C}, {0x687F, 0x6746},
    {0x689D, 0x6761}, {0x696D, 0x4E1A}, {0x69CB, 0x6784}, {0x6A02, 0x4E50}, {0x6A13, 0x697C},
    {0x6A19, 0x6807}, {0x6A23, 0x6837}, {0x6A5F, 0x673A}, {0x6AA2, 0x68C0}, {0x6B0A, 0x6743},
    {0x6B61, 0x6B22}, {0x6B72, 0x5C81}, {0x6B77, 0x5386}, {0x6B78, 0x5F52}, {0x6BBA, 0x6740},
    {0x6C23, 0x6C14}, {0x6C92, 0x6CA1}, {0x6E1B, 0x51CF}, {0x6E2C, 0x6D4B}, {0x6E96, 0x51C6},
    {0x6EAB, 0x6E29}, {0x6EFF, 0x6EE1}, {0x6F32, 0x6DA8}, {0x6FD5, 0x6E7F}, {0x6FDF, 0x6D4E},
    {0x7063, 0x6E7E}, {0x707D, 0x707E}, {0x70BA, 0x4E3A}, {0x7121, 0x65E0}, {0x7159, 0x70DF},
    {0x71B1, 0x70ED}, {0x71C8, 0x706F}, {0x71D2, 0x70E7}, {0x71DF, 0x8425}, {0x721B, 0x70C2},
    {0x73FE, 0x73B0}, {0x7570, 0x5F02}, {0x767C, 0x53D1}, {0x76E1, 0x5C3D}, {0x78BA, 0x786E},
    {0x7A2E, 0x79CD}, {0x7A31, 0x79F0}, {0x7A40, 0x8C37}, {0x7ACA, 0x7A83}, {0x7BC9, 0x7B51},
    {0x7C3D, 0x7B7E}, {0x7D04, 0x7EA6}, {0x7D05, 0x7EA2}, {0x7D19, 0x7EB8}, {0x7D1A, 0x7EA7},
    {0x7D61, 0x7EDC}, {0x7D66, 0x7ED9}, {0x7DA0, 0x7EFF}, {0x7DAD, 0x7EF4}, {0x7DB2, 0x7F51},
    {0x7DCA, 0x7D27}, {0x7DDA, 0x7EBF}, {0x7E23, 0x53BF}, {0x7E3D, 0x603B}, {0x7E6B, 0x7CFB},
    {0x7E73, 0x7F34}, {0x7E8C, 0x7EED}, {0x7E9C, 0x7F06}, {0x7F70, 0x7F5A}, {0x805E, 0x95FB},
    {0x806F, 0x8054}, {0x8072, 0x58F0}, {0x807D, 0x542C}, {0x8166, 0x8111}, {0x81E8, 0x4E34},
    {0x8207, 0x4E0E}, {0x8209, 0x4E3E}, {0x83EF, 0x534E}, {0x842C, 0x4E07}, {0x84CB, 0x76D6},
    {0x8655, 0x5904}, {0x865F, 0x53F7}, {0x885B, 0x536B}, {0x88CF, 0x91CC}, {0x88DC, 0x8865},
    {0x88DD, 0x88C5}, {0x88E1, 0x91CC}, {0x898B, 0x89C1}, {0x8996, 0x89C6}, {0x89F8, 0x89E6},
    {0x8A02, 0x8BA2}, {0x8A08, 0x8BA1}, {0x8A18, 0x8BB0}, {0x8A34, 0x8BC9}, {0x8A62, 0x8BE2},
    {0x8A71, 0x8BDD}, {0x8A72, 0x8BE5}, {0x8A8D, 0x8BA4}, {0x8AA4, 0x8BEF}, {0x8AAA, 0x8BF4},
    {0x8ABF, 0x8C03}, {0x8ACB, 0x8BF7}, {0x8AEE, 0x54A8}, {0x8B1B, 0x8BB2}, {0x8B1D, 0x8C22},
    {0x8B49, 0x8BC1}, {0x8B58, 0x8BC6}, {0x8B70, 0x8BAE}, {0x8B77, 0x62A4}, {0x8B8A, 0x53D8},
    {0x8B93, 0x8BA9}, {0x8B9A, 0x8D5E}, {0x8C50, 0x4E30}, {0x8CA8, 0x8D27}, {0x8CB4, 0x8D35},
    {0x8CB7, 0x4E70}, {0x8CBB, 0x8D39}, {0x8CBC, 0x8D34}, {0x8CC4, 0x8D3F}, {0x8CE3, 0x5356},
    {0x8CEC, 0x8D26}, {0x8D95, 0x8D76}, {0x8ECA, 0x8F66}, {0x8F49, 0x8F6C}, {0x8FA6, 0x529E},
    {0x8FAD, 0x8F9E}, {0x9019, 0x8FD9}, {0x9032, 0x8FDB}, {0x904E, 0x8FC7}, {0x9054, 0x8FBE},
    {0x9060, 0x8FDC}, {0x9072, 0x8FDF}, {0x9077, 0x8FC1}, {0x9084, 0x8FD8}, {0x908A, 0x8FB9},
    {0x9109, 0x4E61}, {0x9130, 0x90BB}, {0x92B7, 0x9500}, {0x92EA, 0x94FA}, {0x9304, 0x5F55},
    {0x9322, 0x94B1}, {0x932F, 0x9519}, {0x9336, 0x8868}, {0x93AE, 0x9547}, {0x9418, 0x949F},
    {0x9435, 0x94C1}, {0x9580, 0x95E8}, {0x9583, 0x95EA}, {0x958B, 0x5F00}, {0x9593, 0x95F4},
    {0x9598, 0x95F8}, {0x95DC, 0x5173}, {0x967D, 0x9633}, {0x968A, 0x961F}, {0x968E, 0x9636},
    {0x969B, 0x9645}, {0x96AA, 0x9669}, {0x96D6, 0x867D}, {0x96D9, 0x53CC}, {0x96DC, 0x6742},
    {0x96E3, 0x96BE}, {0x96FB, 0x7535}, {0x9748, 0x7075}, {0x97FF, 0x54CD}, {0x9810, 0x9884},
    {0x982D, 0x5934}, {0x984C, 0x9898}, {0x984D, 0x989D}, {0x9858, 0x613F}, {0x985E, 0x7C7B},
    {0x9867, 0x987E}, {0x986F, 0x663E}, {0x98DB, 0x98DE}, {0x990A, 0x517B}, {0x9913, 0x997F},
    {0x9918, 0x4F59}, {0x9928, 0x9986}, {0x9952, 0x9976}, {0x9A57, 0x9A8C}, {0x9A5A, 0x60CA},
    {0x9AD4, 0x4F53}, {0x9E97, 0x4E3D}, {0x9EA5, 0x9EA6}, {0x9EBC, 0x4E48}, {0x9EDE, 0x70B9},
    {0x9EE8, 0x515A}, {0x9F4A, 0x9F50}, {0x9F8D, 0x9F99}, {0x9F9C, 0x9F9F},
};

// Full-width ASCII forms and the ideographic space to their half-width forms; ASCII lower-cased;
// common traditional characters simplified.
uint32_t Fold(uint32_t cp) {
  if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
  if (cp == 0x3000) cp = ' ';
  if (cp >= 'A' && cp <= 'Z') cp = cp - 'A' + 'a';
  if (cp >= 0x4E00 && cp <= 0x9FFF) {
    const auto* end = std::end(kTraditional);
    const auto* it =
        std::lower_bound(std::begin(kTraditional), end, cp,
                         [](const auto& pair, uint32_t value) { return pair.first < value; });
    if (it != end && it->first == cp) cp = it->second;
  }
  return cp;
}

bool IsAsciiLetter(uint32_t cp) { return cp >= 'a' && cp <= 'z'; }
bool IsAsciiDigit(uint32_t cp) { return cp >= '0' && cp <= '9'; }

// Spaces, punctuation, symbols, emoji and invisible marks: removed for Chinese matching.
bool IsNoise(uint32_t cp) {
  if (cp < 0x80) return !IsAsciiLetter(cp) && !IsAsciiDigit(cp);  // after Fold: no upper case
  if (cp <= 0xBF) return true;                                    // Latin-1 punctuation, NBSP
  if (cp >= 0x2000 && cp <= 0x2BFF) return true;                  // general punctuation..symbols
  if (cp >= 0x3000 && cp <= 0x303F) return cp != 0x3005 && cp != 0x3007;  // keep 々 〇
  if (cp >= 0xFE00 && cp <= 0xFE4F) return true;    // variation selectors, vertical/compat forms
  if (cp >= 0xFF00 && cp <= 0xFFEF) return true;    // remaining half/full-width punctuation
  if (cp >= 0x1F000 && cp <= 0x1FAFF) return true;  // emoji, pictographs
  return false;
}

bool IsCjk(uint32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FA1F);
}

bool IsApostrophe(uint32_t cp) { return cp == '\'' || cp == 0x2019; }

// English words: runs of ASCII letters or of digits ("400kva" → "400", "kva"); "'s" at the end of a
// word becomes the word "is" ("power's out" → "power is out", "what's" → "what is"; possessives
// read oddly but harmlessly); any other apostrophe inside a word is dropped ("don't" → "dont",
// "I'd" → "id"); everything else separates.
std::vector<std::string> Words(const std::vector<uint32_t>& cps) {
  std::vector<std::string> words;
  std::string current;
  int current_class = 0;  // 0 none, 1 letters, 2 digits
  auto flush = [&] {
    if (!current.empty()) words.push_back(std::move(current));
    current.clear();
    current_class = 0;
  };
  for (size_t i = 0; i < cps.size(); ++i) {
    const uint32_t cp = Fold(cps[i]);
    const int cls = IsAsciiLetter(cp) ? 1 : IsAsciiDigit(cp) ? 2 : 0;
    if (cls == 0) {
      const bool inside_word = IsApostrophe(cp) && current_class == 1 && i + 1 < cps.size() &&
                               IsAsciiLetter(Fold(cps[i + 1]));
      const bool is_s = inside_word && Fold(cps[i + 1]) == 's' &&
                        (i + 2 >= cps.size() || !IsAsciiLetter(Fold(cps[i + 2])));
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

std::string NormalizeCodePoints(const std::vector<uint32_t>& cps) {
  std::string out;
  out.reserve(cps.size() * 3);
  for (uint32_t cp : cps) {
    cp = Fold(cp);
    if (!IsNoise(cp)) AppendUtf8(out, cp);
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
};

struct TextView {
  std::string normalized;
  std::vector<size_t> char_starts;  // byte offset of each code point of `normalized`, plus end
  std::vector<std::string> words;
  bool has_cjk = false;  // written (at least partly) in Chinese
};

TextView MakeView(std::string_view text) {
  const auto cps = Decode(text, kMaxCodePoints);
  TextView view;
  view.normalized = NormalizeCodePoints(cps);
  for (size_t i = 0; i < view.normalized.size(); ++i) {
    if ((static_cast<unsigned char>(view.normalized[i]) & 0xC0) != 0x80)
      view.char_starts.push_back(i);
  }
  view.char_starts.push_back(view.normalized.size());
  view.words = Words(cps);
  view.has_cjk = std::any_of(cps.begin(), cps.end(), IsCjk);
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
  const auto cps = Decode(phrase.source, SIZE_MAX);
  phrase.chinese =
      std::any_of(cps.begin(), cps.end(), [](uint32_t cp) { return Fold(cp) >= 0x80; });
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
    const auto words = Words(Decode(piece, SIZE_MAX));
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
                                               "priority", "note"};
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
  return NormalizeCodePoints(Decode(text, SIZE_MAX));
}

core::Result<Classifier> Classifier::FromJson(std::string_view json_text,
                                              ClassifierSettings settings) {
  if (!(settings.min_confidence >= 0 && settings.min_confidence <= 1) ||
      !(settings.min_margin >= 0 && settings.min_margin <= 1)) {
    return core::InvalidArgument(
        "classifier settings: min_confidence and min_margin must be in [0, 1]");
  }
  Json json;
  try {
    json = Json::parse(json_text);
  } catch (const Json::parse_error& e) {
    return core::InvalidArgument(std::string("classifier rules: not valid JSON: ") + e.what());
  }
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
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::NotFound("classifier rules: cannot read " + path);
  std::ostringstream content;
  content << in.rdbuf();
  auto classifier = FromJson(content.str(), settings);
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
  for (const Rule* rule : fired) result.add_matched_rules(rule->id);
  return result;
}

}  // namespace gridcare::intake
