#include "knowledge_base.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "gridcare/config/files.h"
#include "gridcare/config/json_reader.h"
#include "gridcare/core/text.h"
#include "gridcare/core/text_folding.h"
#include "gridcare/core/utf8.h"

namespace gridcare::intake {
namespace {

using nlohmann::json;

// ---- Scoring (docs/services/intake-knowledge-base.md, "Matching") ----
// Each feature (Chinese character pair, Chinese character, English word) weighs its inverse
// document frequency over the articles. For a question q and an article A:
//   coverage = weight of q's features found anywhere in A (phrasings, keywords) / weight of q
//   recall   = max over A's phrasings p of: weight of p's features found in q / weight of p
//   score    = min(1, kCoverageWeight · coverage + kRecallWeight · recall + kKeywordBonus · [a
//   keyword of A in q])
// Fitted on the development paraphrase set (tests/unit/intake_knowledge/paraphrases.h).
constexpr double kCoverageWeight = 0.6;
constexpr double kRecallWeight = 0.4;
constexpr double kKeywordBonus = 0.15;
// The best article must lead the runner-up by this much, or the question is ambiguous and goes to
// an agent.
constexpr double kMinMargin = 0.1;
// Single Chinese characters count, at this fraction of their weight, next to character pairs: they
// let 防止触电 meet 避免家里人触电, while pairs keep word order.
constexpr double kUnigramFactor = 0.5;

// ---- Text ----

// Customers' text and the configured Chinese terms are read alike: folded
// (gridcare/core/text_folding.h), an invalid byte as U+FFFD, which separates like any other symbol.
std::u32string Folded(std::string_view text) {
  return core::FoldText(text, core::InvalidUtf8::kReplace);
}

struct Normalized {
  std::u32string text;         // Han, [a-z0-9] and single spaces, padded: " 电费 怎么交 "
  bool question_mark = false;  // '?' or '？' anywhere
};

// Punctuation, symbols, other scripts and white space all become one separating space.
Normalized Normalize(std::string_view raw) {
  Normalized out;
  out.text.push_back(' ');
  for (const char32_t c : Folded(raw)) {
    if (c == '?') out.question_mark = true;
    if (core::IsHan(c) || core::IsAsciiWordChar(c)) {
      out.text.push_back(c);
    } else if (out.text.back() != ' ') {
      out.text.push_back(' ');
    }
  }
  if (out.text.back() != ' ') out.text.push_back(' ');
  return out;
}

bool AllHan(std::u32string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), core::IsHan);
}

bool AllWordChars(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return core::IsAsciiWordChar(static_cast<unsigned char>(c));
  });
}

bool EndsWith(std::string_view word, std::string_view suffix) {
  return word.size() >= suffix.size() && word.substr(word.size() - suffix.size()) == suffix;
}

// A light English stemmer, enough to make plural, -ing and -ed forms meet (meters/meter,
// charging/charge → "charg", tiered/tier). Applied identically to phrasings and questions.
std::string Stem(std::string word) {
  if (word.size() <= 3) return word;
  if (EndsWith(word, "ies") && word.size() > 4) {
    word.replace(word.size() - 3, 3, "y");
  } else if (EndsWith(word, "sses") || EndsWith(word, "xes") || EndsWith(word, "ches") ||
             EndsWith(word, "shes") || EndsWith(word, "oes") || EndsWith(word, "zes")) {
    word.resize(word.size() - 2);
  } else if (EndsWith(word, "s") && !EndsWith(word, "ss") && !EndsWith(word, "us") &&
             !EndsWith(word, "is")) {
    word.resize(word.size() - 1);
  }
  size_t cut = 0;
  if (EndsWith(word, "ing") && word.size() >= 6) {
    cut = 3;
  } else if (EndsWith(word, "ed") && word.size() >= 5) {
    cut = 2;
  }
  if (cut > 0) {
    word.resize(word.size() - cut);
    const char last = word.back();
    if (word.size() >= 4 && last == word[word.size() - 2] && last != 'l' && last != 's' &&
        last != 'z' && std::string_view("aeiou").find(last) == std::string_view::npos) {
      word.pop_back();  // stopped → stop, running → run
    }
  }
  if (word.size() > 3 && word.back() == 'e') word.pop_back();
  return word;
}

// ---- Analysis: the same pipeline for configured phrasings, keywords and customer questions ----

struct Analysis {
  std::u32string text;              // normalised, synonyms and stop phrases rewritten (zh keywords)
  std::vector<std::string> tokens;  // English tokens in order, stemmed, canonical (en keywords)
  std::vector<std::string> features;  // Han bigrams and tokens, sorted, unique
};

class Analyzer {
 public:
  core::Status Configure(const json& root) {
    if (root.contains("synonyms")) {
      const json& synonyms = root.at("synonyms");
      if (!synonyms.is_object()) return core::InvalidArgument("synonyms: must be an object");
      for (const auto& [key, _] : synonyms.items()) {
        if (key != "zh" && key != "en") {
          return core::InvalidArgument("synonyms: unknown language \"" + key + "\" (zh, en)");
        }
      }
      if (auto status = ConfigureZhSynonyms(synonyms.value("zh", json::object())); !status) {
        return status;
      }
      if (auto status = ConfigureEnSynonyms(synonyms.value("en", json::object())); !status) {
        return status;
      }
    }
    if (root.contains("stop_words")) {
      const json& stop = root.at("stop_words");
      if (!stop.is_object()) return core::InvalidArgument("stop_words: must be an object");
      for (const auto& [language, list] : stop.items()) {
        if (language != "zh" && language != "en") {
          return core::InvalidArgument("stop_words: unknown language \"" + language +
                                       "\" (zh, en)");
        }
        if (!list.is_array()) {
          return core::InvalidArgument("stop_words." + language + ": must be an array of strings");
        }
        for (size_t i = 0; i < list.size(); ++i) {
          const std::string where = "stop_words." + language + "[" + std::to_string(i) + "]";
          if (!list[i].is_string()) return core::InvalidArgument(where + ": must be a string");
          const std::string word = list[i].get<std::string>();
          if (language == "zh") {
            const std::u32string phrase = Folded(word);
            if (!AllHan(phrase))
              return core::InvalidArgument(where + ": must be Chinese characters only");
            for (const Rule& rule : zh_synonyms_[phrase.front()]) {
              if (rule.from == phrase && rule.to != phrase) {
                return core::InvalidArgument(
                    where + ": \"" + word + "\" is rewritten by " + rule.where +
                    " before stop words apply; list its canonical form instead");
              }
            }
            if (auto status = AddZhRule(zh_stops_, phrase, U" ", where); !status) return status;
          } else {
            const std::string lowered = core::AsciiLower(word);
            if (!AllWordChars(lowered))
              return core::InvalidArgument(where + ": must be one word of [a-z0-9]");
            en_stop_.insert(lowered);
          }
        }
      }
    }
    for (auto* table : {&zh_synonyms_, &zh_stops_}) {
      for (auto& [first, rules] : *table) {
        std::stable_sort(rules.begin(), rules.end(), [](const Rule& a, const Rule& b) {
          return a.from.size() > b.from.size();
        });
      }
    }
    return {};
  }

  Analysis Analyze(std::string_view raw) const {
    Analysis out;
    out.text = Rewrite(Rewrite(Normalize(raw).text, zh_synonyms_), zh_stops_);
    const std::u32string& text = out.text;
    size_t i = 0;
    while (i < text.size()) {
      size_t j = i;
      if (core::IsHan(text[i])) {
        while (j < text.size() && core::IsHan(text[j])) ++j;
        for (size_t k = i; k < j; ++k) {
          out.features.push_back(core::EncodeUtf8(text.substr(k, 1)));
          if (k + 1 < j) out.features.push_back(core::EncodeUtf8(text.substr(k, 2)));
        }
      } else if (core::IsAsciiWordChar(text[i])) {
        while (j < text.size() && core::IsAsciiWordChar(text[j])) ++j;
        std::string token = Token(core::EncodeUtf8(text.substr(i, j - i)));
        if (!token.empty()) {
          out.tokens.push_back(token);
          out.features.push_back(std::move(token));
        }
      } else {
        j = i + 1;
      }
      i = j;
    }
    std::sort(out.features.begin(), out.features.end());
    out.features.erase(std::unique(out.features.begin(), out.features.end()), out.features.end());
    return out;
  }

 private:
  struct Rule {
    std::u32string from;
    std::u32string to;  // " " for a stop phrase
    std::string where;
  };

  static core::Status AddZhRule(std::unordered_map<char32_t, std::vector<Rule>>& table,
                                const std::u32string& from, const std::u32string& to,
                                const std::string& where) {
    auto& rules = table[from.front()];
    for (const Rule& rule : rules) {
      if (rule.from == from) {
        if (rule.to == to) return {};
        return core::InvalidArgument(where + ": \"" + core::EncodeUtf8(from) +
                                     "\" is already configured by " + rule.where);
      }
    }
    rules.push_back({from, to, where});
    return {};
  }

  core::Status ConfigureZhSynonyms(const json& table) {
    if (!table.is_object()) return core::InvalidArgument("synonyms.zh: must be an object");
    std::vector<std::u32string> canonicals;
    for (const auto& [canonical_text, variants] : table.items()) {
      const std::string where = "synonyms.zh[\"" + canonical_text + "\"]";
      const std::u32string canonical = Folded(canonical_text);
      if (!AllHan(canonical))
        return core::InvalidArgument(where + ": must be Chinese characters only");
      if (!variants.is_array() || variants.empty()) {
        return core::InvalidArgument(where + ": must be a non-empty array of strings");
      }
      canonicals.push_back(canonical);
      for (size_t i = 0; i < variants.size(); ++i) {
        const std::string item = where + "[" + std::to_string(i) + "]";
        if (!variants[i].is_string()) return core::InvalidArgument(item + ": must be a string");
        const std::u32string variant = Folded(variants[i].get<std::string>());
        if (!AllHan(variant))
          return core::InvalidArgument(item + ": must be Chinese characters only");
        if (variant == canonical) continue;
        if (auto status = AddZhRule(zh_synonyms_, variant, canonical, item); !status) return status;
      }
    }
    // A canonical form is protected from shorter rules inside it ("哪里" is not rewritten by "哪"),
    // and must not itself be rewritten (no chains).
    for (const std::u32string& canonical : canonicals) {
      for (const Rule& rule : zh_synonyms_[canonical.front()]) {
        if (rule.from == canonical) {
          return core::InvalidArgument("synonyms.zh[\"" + core::EncodeUtf8(canonical) +
                                       "\"]: is itself a variant in " + rule.where);
        }
      }
      zh_synonyms_[canonical.front()].push_back({canonical, canonical, "synonyms.zh"});
    }
    return {};
  }

  core::Status ConfigureEnSynonyms(const json& table) {
    if (!table.is_object()) return core::InvalidArgument("synonyms.en: must be an object");
    std::unordered_map<std::string, std::string> where_of;
    for (const auto& [canonical_text, variants] : table.items()) {
      const std::string where = "synonyms.en[\"" + canonical_text + "\"]";
      const std::string canonical_word = core::AsciiLower(canonical_text);
      if (!AllWordChars(canonical_word))
        return core::InvalidArgument(where + ": must be one word of [a-z0-9]");
      const std::string canonical = Stem(canonical_word);
      if (!variants.is_array() || variants.empty()) {
        return core::InvalidArgument(where + ": must be a non-empty array of strings");
      }
      for (size_t i = 0; i < variants.size(); ++i) {
        const std::string item = where + "[" + std::to_string(i) + "]";
        if (!variants[i].is_string()) return core::InvalidArgument(item + ": must be a string");
        const std::string word = core::AsciiLower(variants[i].get<std::string>());
        if (!AllWordChars(word))
          return core::InvalidArgument(item + ": must be one word of [a-z0-9]");
        const std::string variant = Stem(word);
        if (variant == canonical) continue;
        auto [it, inserted] = en_synonyms_.emplace(variant, canonical);
        if (!inserted && it->second != canonical) {
          return core::InvalidArgument(item + ": \"" + word + "\" is already a variant in " +
                                       where_of[variant]);
        }
        where_of.emplace(variant, item);
      }
    }
    for (const auto& [variant, canonical] : en_synonyms_) {
      if (en_synonyms_.count(canonical) > 0) {
        return core::InvalidArgument(where_of[canonical] + ": \"" + canonical +
                                     "\" is a canonical word elsewhere (no chains)");
      }
    }
    return {};
  }

  static std::u32string Rewrite(const std::u32string& text,
                                const std::unordered_map<char32_t, std::vector<Rule>>& table) {
    std::u32string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
      const Rule* match = nullptr;
      if (auto it = table.find(text[i]); it != table.end()) {
        for (const Rule& rule : it->second) {  // longest first
          if (text.compare(i, rule.from.size(), rule.from) == 0) {
            match = &rule;
            break;
          }
        }
      }
      if (match == nullptr) {
        out.push_back(text[i++]);
        continue;
      }
      out += match->to;
      i += match->from.size();
    }
    return out;
  }

  // "" for a stop word.
  std::string Token(const std::string& word) const {
    if (en_stop_.count(word) > 0) return {};
    std::string stem = Stem(word);
    if (en_stop_.count(stem) > 0) return {};
    if (auto it = en_synonyms_.find(stem); it != en_synonyms_.end()) return it->second;
    return stem;
  }

  // By first character, longest first. Synonyms are rewritten first, then stop phrases removed.
  std::unordered_map<char32_t, std::vector<Rule>> zh_synonyms_;
  std::unordered_map<char32_t, std::vector<Rule>> zh_stops_;
  std::unordered_set<std::string> en_stop_;
  std::unordered_map<std::string, std::string> en_synonyms_;  // stemmed variant → stemmed canonical
};

double FeatureFactor(const std::string& feature) {
  const bool single_han = !feature.empty() && static_cast<unsigned char>(feature[0]) >= 0x80 &&
                          core::DecodeUtf8(feature).size() == 1;
  return single_han ? kUnigramFactor : 1.0;
}

// ---- Fault and complaint guard ----
// A consultation answer must never swallow a fault report or a complaint: those become tickets.
// Matched on the normalised text before synonyms: Chinese markers as substrings of the text without
// spaces, English markers as whole words (" power is out ").

constexpr std::string_view kIncidentZh[] = {
    "停电了",   "没电了",   "没有电了",   "断电了",    "没电",         "又停电",     "突然停电",
    "一直停电", "停电好久", "停电半天",   "停电一天",  "停电几个小时", "跳闸了",     "老是跳闸",
    "总是跳闸", "频繁跳闸", "一直跳闸",   "冒烟",      "着火",         "起火",       "失火",
    "打火",     "冒火",     "火花",       "电线断",    "线断了",       "断线",       "电线掉",
    "线掉",     "漏电了",   "触电了",     "被电到",    "电到人",       "电表坏",     "表坏了",
    "烧坏",     "烧了",     "电压不稳",   "电压低",    "电压太低",     "灯一闪一闪", "忽明忽暗",
    "还没来电", "还不来电", "一直没来电", "还没有来电"};
constexpr std::string_view kIncidentEn[] = {" power is out ",
                                            " power s out ",
                                            " power out ",
                                            " power went out ",
                                            " power has gone ",
                                            " power is off ",
                                            " power went off ",
                                            " power s off ",
                                            " power has been off ",
                                            " power has been out ",
                                            " power was cut ",
                                            " power is cut ",
                                            " power has been cut ",
                                            " power cut off ",
                                            " no power ",
                                            " no electricity ",
                                            " lost power ",
                                            " lost electricity ",
                                            " without power ",
                                            " without electricity ",
                                            " lights went out ",
                                            " lights are out ",
                                            " keeps tripping ",
                                            " keep tripping ",
                                            " tripped again ",
                                            " sparks ",
                                            " sparking ",
                                            " smoke ",
                                            " smoking ",
                                            " burning smell ",
                                            " smells burning ",
                                            " on fire ",
                                            " caught fire ",
                                            " wire down ",
                                            " wire is down ",
                                            " wires down ",
                                            " wires are down ",
                                            " fallen wire ",
                                            " line down ",
                                            " line is down ",
                                            " downed ",
                                            " got a shock ",
                                            " got shocked ",
                                            " electrocuted ",
                                            " meter is broken ",
                                            " meter broke ",
                                            " flickering ",
                                            " voltage is low ",
                                            " low voltage ",
                                            " out of power ",
                                            " still no ",
                                            " not back "};
// The situation is the customer's own, now — not a general "what to do if …".
constexpr std::string_view kSituationalZh[] = {
    "我家",   "我们家", "我这",     "我们这", "我那", "我们那", "我们小区", "我们村", "我们楼",
    "我住",   "我的",   "家里",     "家中",   "屋里", "楼里",   "小区",     "整栋",   "整个",
    "这边",   "这里",   "那边",     "现在",   "刚才", "刚刚",   "今天",     "今晚",   "昨天",
    "昨晚",   "早上",   "晚上",     "一直",   "已经", "半天",   "好几",     "又",     "还",
    "为什么", "为啥",   "怎么回事", "咋回事", "到底"};
constexpr std::string_view kSituationalEn[] = {
    " my ",           " our ",          " we ",        " i ",     " us ",
    " mine ",         " here ",         " now ",       " today ", " tonight ",
    " since ",        " still ",        " again ",     " whole ", " entire ",
    " building ",     " street ",       " why ",       " hours ", " all day ",
    " this morning ", " this evening ", " last night "};
constexpr std::string_view kHypotheticalZh[] = {"如果", "要是", "万一", "假如",   "假设", "遇到",
                                                "遇上", "碰到", "的话", "的时候", "一旦", "发生"};
constexpr std::string_view kHypotheticalEn[] = {" if ", " in case ", " whenever ",
                                                " in the event "};
constexpr std::string_view kQuestionZh[] = {
    "怎么", "如何", "怎样", "咋",   "吗",   "么",   "什么",   "啥",     "哪",     "多少",
    "多久", "几",   "是否", "能否", "可否", "可以", "能不能", "有没有", "是不是", "呢"};
constexpr std::string_view kQuestionEn[] = {" how ",   " what ", " where ", " when ",
                                            " which ", " who ",  " whom "};
constexpr std::string_view kQuestionOpenersEn[] = {
    "how",   "what",   "where", "when",  "why", "which", "who",  "can",
    "could", "do",     "does",  "did",   "is",  "are",   "am",   "was",
    "were",  "should", "will",  "would", "may", "shall", "have", "has"};
// Always a complaint, whatever the phrasing.
constexpr std::string_view kAccusationZh[] = {
    "太差",   "很差",     "真差",     "差劲",   "态度恶劣", "态度差",   "态度不好", "骂人",
    "乱收费", "多收",     "多扣",     "乱扣",   "不作为",   "推诿",     "推脱",     "踢皮球",
    "没人管", "没人理",   "没人处理", "不处理", "不来修",   "还没来修", "还没修好", "没修好",
    "曝光",   "找媒体",   "欺负",     "坑人",   "骗人",     "忽悠",     "投诉你们", "要投诉",
    "我投诉", "强烈投诉", "赔偿",     "索赔",   "赔我",     "12345",    "12398"};
constexpr std::string_view kAccusationEn[] = {" rude ",
                                              " terrible ",
                                              " awful ",
                                              " horrible ",
                                              " unacceptable ",
                                              " disgrace",
                                              " ridiculous ",
                                              " useless ",
                                              " incompetent ",
                                              " overcharged ",
                                              " overcharging ",
                                              " ripped off ",
                                              " rip off ",
                                              " scam ",
                                              " nobody came ",
                                              " no one came ",
                                              " never came ",
                                              " still not fixed ",
                                              " not fixed yet ",
                                              " worst ",
                                              " disgusting ",
                                              " fed up ",
                                              " angry ",
                                              " furious ",
                                              " i want to complain ",
                                              " i want to make a complaint ",
                                              " i d like to complain ",
                                              " i am complaining ",
                                              " i m complaining ",
                                              " compensation ",
                                              " compensate ",
                                              " sue ",
                                              " lawyer ",
                                              " shame on "};
// A complaint word is fine in a question about how to complain ("怎么投诉", "how do I complain").
constexpr std::string_view kComplaintZh[] = {"投诉", "举报", "不满", "抗议"};
constexpr std::string_view kComplaintEn[] = {" complain",       " complaint",
                                             " grievance",      " report your",
                                             " report a staff", " report an employee"};
constexpr std::string_view kHowToZh[] = {"怎么", "如何", "怎样", "咋",   "哪",
                                         "渠道", "电话", "流程", "方式", "途径",
                                         "谁",   "多久", "进度", "步骤", "可以"};
constexpr std::string_view kHowToEn[] = {
    " how ",    " where ",    " who ", " which ", " channel", " hotline", " number ",
    " process", " procedure", " way ", " ways ",  " long ",   " reply "};

template <size_t N>
bool ContainsAny(const std::string& text, const std::string_view (&markers)[N]) {
  return std::any_of(std::begin(markers), std::end(markers), [&](std::string_view marker) {
    return text.find(marker) != std::string::npos;
  });
}

// True when the text reports a fault or makes a complaint rather than asking a question.
bool IsFaultOrComplaint(std::string_view raw) {
  const Normalized normalized = Normalize(raw);
  const std::string padded = core::EncodeUtf8(normalized.text);  // " my power is out "
  std::string compact;                                           // "我家停电了"
  for (const char c : padded) {
    if (c != ' ') compact.push_back(c);
  }
  const std::string first_word = padded.substr(1, padded.find(' ', 1) - 1);

  if (ContainsAny(compact, kAccusationZh) || ContainsAny(padded, kAccusationEn)) return true;
  const bool how_to = ContainsAny(compact, kHowToZh) || ContainsAny(padded, kHowToEn);
  if ((ContainsAny(compact, kComplaintZh) || ContainsAny(padded, kComplaintEn)) && !how_to) {
    return true;
  }

  if (ContainsAny(compact, kIncidentZh) || ContainsAny(padded, kIncidentEn)) {
    if (ContainsAny(compact, kHypotheticalZh) || ContainsAny(padded, kHypotheticalEn)) return false;
    const bool question = normalized.question_mark || ContainsAny(compact, kQuestionZh) ||
                          ContainsAny(padded, kQuestionEn) ||
                          std::find(std::begin(kQuestionOpenersEn), std::end(kQuestionOpenersEn),
                                    first_word) != std::end(kQuestionOpenersEn);
    const bool situational =
        ContainsAny(compact, kSituationalZh) || ContainsAny(padded, kSituationalEn);
    return situational || !question;
  }
  return false;
}

// ---- Loaded data ----

struct Keyword {
  std::u32string zh;                // matched as a substring of the rewritten question
  std::vector<std::string> tokens;  // matched as a run of the question's tokens
};

struct Article {
  std::string id;
  v1::LocalizedText answer;
  std::vector<std::vector<int>> phrasings;  // feature ids, sorted
  std::vector<double> phrasing_weights;     // Σ weight of each phrasing's features
  std::vector<int> vocabulary;  // union of the phrasings' and keywords' features, sorted
  std::vector<Keyword> keywords;
};

struct QueryFeature {
  int id;  // -1: not in any phrasing
  double weight;
};

double Overlap(const std::vector<QueryFeature>& query, const std::vector<int>& ids,
               const std::vector<double>& weights) {
  double sum = 0;
  auto q = query.begin();
  auto p = ids.begin();
  while (q != query.end() && p != ids.end()) {
    if (q->id < *p) {
      ++q;
    } else if (*p < q->id) {
      ++p;
    } else {
      sum += weights[static_cast<size_t>(*p)];
      ++q;
      ++p;
    }
  }
  return sum;
}

bool HasTokenRun(const std::vector<std::string>& tokens, const std::vector<std::string>& run) {
  if (run.empty() || run.size() > tokens.size()) return false;
  return std::search(tokens.begin(), tokens.end(), run.begin(), run.end()) != tokens.end();
}

std::u32string Trimmed(const std::u32string& text) {
  const size_t first = text.find_first_not_of(U' ');
  if (first == std::u32string::npos) return {};
  const size_t last = text.find_last_not_of(U' ');
  return text.substr(first, last - first + 1);
}

// Chinese terms match as substrings of the rewritten question, English ones as runs of its tokens.
Keyword ToKeyword(const Analysis& analysis, bool zh) {
  Keyword keyword;
  if (zh) {
    keyword.zh = Trimmed(analysis.text);
  } else {
    keyword.tokens = analysis.tokens;
  }
  return keyword;
}

bool Mentions(const Analysis& question, const Keyword& keyword) {
  return keyword.zh.empty() ? HasTokenRun(question.tokens, keyword.tokens)
                            : question.text.find(keyword.zh) != std::u32string::npos;
}

bool IsValidId(const std::string& id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

// "<where>: unknown key ..." naming the known keys.
core::Status CheckKeys(const json& object, std::initializer_list<std::string_view> allowed,
                       const std::string& where) {
  return config::JsonReader(where).RejectUnknownKeys(object, {allowed.begin(), allowed.size()});
}

// A {"zh": "...", "en": "..."} object with both texts set.
core::Result<v1::LocalizedText> ParseLocalized(const json& value, const std::string& where) {
  if (!value.is_object())
    return core::InvalidArgument(where + ": must be an object with zh and en");
  if (auto status = CheckKeys(value, {"zh", "en"}, where); !status) return status.error();
  v1::LocalizedText text;
  for (const char* language : {"zh", "en"}) {
    if (!value.contains(language) || !value.at(language).is_string() ||
        value.at(language).get<std::string>().find_first_not_of(" \t\r\n") == std::string::npos) {
      return core::InvalidArgument(where + "." + language + ": missing or empty");
    }
  }
  text.set_zh_cn(value.at("zh").get<std::string>());
  text.set_en(value.at("en").get<std::string>());
  return text;
}

// The {"zh": [...], "en": [...]} lists of an article; both required when `required`.
core::Result<std::vector<std::pair<bool, std::string>>> ParseBilingualList(const json& value,
                                                                           const std::string& where,
                                                                           bool required) {
  if (!value.is_object())
    return core::InvalidArgument(where + ": must be an object with zh and en lists");
  if (auto status = CheckKeys(value, {"zh", "en"}, where); !status) return status.error();
  std::vector<std::pair<bool, std::string>> out;  // (is zh, text)
  for (const char* language : {"zh", "en"}) {
    const std::string list_where = where + "." + language;
    if (!value.contains(language)) {
      if (required) return core::InvalidArgument(list_where + ": missing");
      continue;
    }
    const json& list = value.at(language);
    if (!list.is_array() || (required && list.empty())) {
      return core::InvalidArgument(list_where + ": must be a non-empty array of strings");
    }
    for (size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string() || list[i].get<std::string>().empty()) {
        return core::InvalidArgument(list_where + "[" + std::to_string(i) +
                                     "]: must be a non-empty string");
      }
      out.emplace_back(std::string_view(language) == "zh", list[i].get<std::string>());
    }
  }
  return out;
}

// An enum value by its proto name, with or without the prefix ("NEW_CONNECTION" or
// "SERVICE_APPLICATION_KIND_NEW_CONNECTION"); never the zero (UNSPECIFIED) value.
template <typename Enum, typename Parse>
std::optional<Enum> ParseEnumName(const std::string& name, const std::string& prefix, Parse parse) {
  Enum value{};
  if (parse(name, &value) || parse(prefix + name, &value)) {
    if (static_cast<int>(value) != 0) return value;
  }
  return std::nullopt;
}

// ---- Loading ----

struct ParsedArticle {
  Article article;
  std::vector<std::vector<std::string>> phrasings;  // features of each configured question
  std::vector<std::string> keyword_features;        // count towards the vocabulary only
};

core::Result<ParsedArticle> ParseArticle(const json& entry, std::string where,
                                         const Analyzer& analyzer) {
  if (!entry.is_object()) return core::InvalidArgument(where + ": must be an object");
  if (!entry.contains("id") || !entry.at("id").is_string() ||
      !IsValidId(entry.at("id").get<std::string>())) {
    return core::InvalidArgument(where + ".id: missing or not 1-64 characters of [A-Za-z0-9_.-]");
  }
  ParsedArticle parsed;
  Article& article = parsed.article;
  article.id = entry.at("id").get<std::string>();
  where += " (\"" + article.id + "\")";
  if (auto status = CheckKeys(entry, {"id", "comment", "questions", "keywords", "answer"}, where);
      !status) {
    return status.error();
  }
  if (!entry.contains("answer")) return core::InvalidArgument(where + ".answer: missing");
  auto answer = ParseLocalized(entry.at("answer"), where + ".answer");
  if (!answer) return answer.error();
  article.answer = std::move(*answer);

  if (!entry.contains("questions")) return core::InvalidArgument(where + ".questions: missing");
  auto questions = ParseBilingualList(entry.at("questions"), where + ".questions", true);
  if (!questions) return questions.error();
  size_t index[2] = {0, 0};  // zh, en
  for (const auto& [zh, question] : *questions) {
    Analysis analysis = analyzer.Analyze(question);
    const size_t i = index[zh ? 0 : 1]++;
    if (analysis.features.empty()) {
      return core::InvalidArgument(
          where + ".questions." + (zh ? "zh[" : "en[") + std::to_string(i) +
          "]: nothing left to match after normalisation (only stop words?)");
    }
    parsed.phrasings.push_back(std::move(analysis.features));
  }

  if (entry.contains("keywords")) {
    auto keywords = ParseBilingualList(entry.at("keywords"), where + ".keywords", false);
    if (!keywords) return keywords.error();
    for (const auto& [zh, text] : *keywords) {
      const Analysis analysis = analyzer.Analyze(text);
      Keyword keyword = ToKeyword(analysis, zh);
      if (keyword.zh.empty() && keyword.tokens.empty()) {
        return core::InvalidArgument(where + ".keywords: \"" + text +
                                     "\" has nothing left to match");
      }
      // Keywords that normalise alike ("recharge", "top up" → one canonical token) count once.
      if (std::none_of(article.keywords.begin(), article.keywords.end(), [&](const Keyword& k) {
            return k.zh == keyword.zh && k.tokens == keyword.tokens;
          })) {
        article.keywords.push_back(std::move(keyword));
      }
      parsed.keyword_features.insert(parsed.keyword_features.end(), analysis.features.begin(),
                                     analysis.features.end());
    }
  }
  return parsed;
}

struct FeatureIndex {
  std::unordered_map<std::string, int> ids;
  std::vector<double> weights;  // by id
  double unseen_weight = 1;     // a question's feature no article uses

  QueryFeature Lookup(const std::string& feature) const {
    if (auto it = ids.find(feature); it != ids.end()) {
      return {it->second, weights[static_cast<size_t>(it->second)]};
    }
    return {-1, FeatureFactor(feature) * unseen_weight};
  }
};

// Weights: inverse document frequency over articles (phrasings and keywords), ln(1 + N / df),
// halved for single Chinese characters. A question's feature that the knowledge base never uses
// weighs as much as the rarest known one (df = 1): it is evidence the question is about something
// else. Fills each article's phrasings and vocabulary with feature ids.
FeatureIndex IndexFeatures(std::vector<ParsedArticle>& parsed) {
  FeatureIndex index;
  std::vector<int> document_frequency;
  auto id_of = [&](const std::string& feature) {
    auto [it, inserted] = index.ids.emplace(feature, static_cast<int>(document_frequency.size()));
    if (inserted) document_frequency.push_back(0);
    return it->second;
  };
  for (ParsedArticle& entry : parsed) {
    std::vector<int> seen;
    for (const auto& phrasing : entry.phrasings) {
      for (const std::string& feature : phrasing) seen.push_back(id_of(feature));
    }
    for (const std::string& feature : entry.keyword_features) seen.push_back(id_of(feature));
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    for (const int id : seen) ++document_frequency[static_cast<size_t>(id)];
    entry.article.vocabulary = std::move(seen);
  }
  const double articles = static_cast<double>(parsed.size());
  index.weights.resize(document_frequency.size());
  for (const auto& [feature, id] : index.ids) {
    const auto i = static_cast<size_t>(id);
    index.weights[i] = FeatureFactor(feature) * std::log(1 + articles / document_frequency[i]);
  }
  index.unseen_weight = std::log(1 + articles);
  for (ParsedArticle& entry : parsed) {
    for (const auto& phrasing : entry.phrasings) {
      std::vector<int> ids;
      double total = 0;
      for (const std::string& feature : phrasing) {
        ids.push_back(index.ids.at(feature));
        total += index.weights[static_cast<size_t>(ids.back())];
      }
      std::sort(ids.begin(), ids.end());
      entry.article.phrasings.push_back(std::move(ids));
      entry.article.phrasing_weights.push_back(total);
    }
  }
  return index;
}

core::Result<std::vector<Keyword>> ParseOutOfScope(const json& root, const Analyzer& analyzer) {
  std::vector<Keyword> out;
  if (!root.contains("out_of_scope")) return out;
  auto terms = ParseBilingualList(root.at("out_of_scope"), "out_of_scope", false);
  if (!terms) return terms.error();
  for (const auto& [zh, term] : *terms) {
    Keyword keyword = ToKeyword(analyzer.Analyze(term), zh);
    if (keyword.zh.empty() && keyword.tokens.empty()) {
      return core::InvalidArgument("out_of_scope: \"" + term + "\" has nothing left to match");
    }
    out.push_back(std::move(keyword));
  }
  return out;
}

// (kind, account type) → documents; account type 0 holds the kind's default list.
using DocumentLists = std::map<std::pair<int, int>, std::vector<v1::LocalizedText>>;

core::Result<DocumentLists> ParseDocumentLists(const json& root) {
  DocumentLists lists;
  if (!root.contains("required_documents")) return lists;
  const json& entries = root.at("required_documents");
  if (!entries.is_array()) return core::InvalidArgument("required_documents: must be an array");
  std::map<std::pair<int, int>, size_t> entry_of;
  for (size_t i = 0; i < entries.size(); ++i) {
    const json& entry = entries[i];
    std::string where = "required_documents[" + std::to_string(i) + "]";
    if (!entry.is_object()) return core::InvalidArgument(where + ": must be an object");
    if (auto status = CheckKeys(entry, {"kind", "account_types", "documents", "comment"}, where);
        !status) {
      return status.error();
    }
    if (!entry.contains("kind") || !entry.at("kind").is_string()) {
      return core::InvalidArgument(where + ".kind: missing or not a string");
    }
    const std::string kind_name = entry.at("kind").get<std::string>();
    const auto kind = ParseEnumName<v1::ServiceApplicationKind>(
        kind_name, "SERVICE_APPLICATION_KIND_", v1::ServiceApplicationKind_Parse);
    if (!kind) {
      return core::InvalidArgument(where + ".kind: unknown application kind \"" + kind_name +
                                   "\" (e.g. NEW_CONNECTION, METER_CHECK)");
    }
    where += " (" + kind_name + ")";

    std::vector<int> account_types;
    if (!entry.contains("account_types")) {
      account_types.push_back(0);
    } else {
      const json& types = entry.at("account_types");
      if (!types.is_array() || types.empty()) {
        return core::InvalidArgument(
            where + ".account_types: must be a non-empty array (omit it for the default list)");
      }
      for (size_t t = 0; t < types.size(); ++t) {
        const std::string item = where + ".account_types[" + std::to_string(t) + "]";
        if (!types[t].is_string()) return core::InvalidArgument(item + ": must be a string");
        const std::string type_name = types[t].get<std::string>();
        const auto type =
            ParseEnumName<v1::AccountType>(type_name, "ACCOUNT_TYPE_", v1::AccountType_Parse);
        if (!type) {
          return core::InvalidArgument(item + ": unknown account type \"" + type_name +
                                       "\" (RESIDENTIAL, COMMERCIAL, INDUSTRIAL, AGRICULTURAL)");
        }
        account_types.push_back(static_cast<int>(*type));
      }
    }

    const json* items = entry.contains("documents") ? &entry.at("documents") : nullptr;
    if (items == nullptr || !items->is_array() || items->empty()) {
      return core::InvalidArgument(where + ".documents: missing or empty");
    }
    std::vector<v1::LocalizedText> documents;
    for (size_t d = 0; d < items->size(); ++d) {
      auto document = ParseLocalized((*items)[d], where + ".documents[" + std::to_string(d) + "]");
      if (!document) return document.error();
      documents.push_back(std::move(*document));
    }
    for (const int type : account_types) {
      const std::pair<int, int> key{static_cast<int>(*kind), type};
      if (auto [it, inserted] = entry_of.emplace(key, i); !inserted) {
        const std::string whose =
            type == 0 ? "the default list"
                      : "account type " + v1::AccountType_Name(static_cast<v1::AccountType>(type));
        return core::InvalidArgument(where + ": " + whose +
                                     " is already configured by required_documents[" +
                                     std::to_string(it->second) + "]");
      }
      lists[key] = documents;
    }
  }
  return lists;
}

}  // namespace

struct KnowledgeBase::Data {
  KnowledgeBaseSettings settings;
  Analyzer analyzer;
  FeatureIndex index;
  std::vector<Article> articles;
  std::vector<Keyword> out_of_scope;  // a question mentioning one is never answered
  DocumentLists documents;
};

KnowledgeBase::KnowledgeBase(std::shared_ptr<const Data> data) : data_(std::move(data)) {}

core::Result<KnowledgeBase> KnowledgeBase::FromJson(std::string_view text,
                                                    KnowledgeBaseSettings settings) {
  if (!(settings.min_confidence >= 0 && settings.min_confidence <= 1)) {
    return core::InvalidArgument("min_confidence must be within 0..1");
  }
  auto document = config::JsonReader("knowledge base").Parse(text);
  if (!document.ok()) return document.error();
  const json root = std::move(document).value();
  if (!root.is_object()) return core::InvalidArgument("knowledge base: must be a JSON object");
  if (auto status = CheckKeys(root,
                              {"version", "comment", "synonyms", "stop_words", "out_of_scope",
                               "articles", "required_documents"},
                              "knowledge base");
      !status) {
    return status.error();
  }

  auto data = std::make_shared<Data>();
  data->settings = settings;
  if (auto status = data->analyzer.Configure(root); !status) return status.error();
  auto out_of_scope = ParseOutOfScope(root, data->analyzer);
  if (!out_of_scope) return out_of_scope.error();
  data->out_of_scope = std::move(*out_of_scope);

  if (!root.contains("articles") || !root.at("articles").is_array()) {
    return core::InvalidArgument("articles: missing or not an array");
  }
  std::vector<ParsedArticle> parsed;
  std::unordered_map<std::string, size_t> index_of_id;
  for (const json& entry : root.at("articles")) {
    const std::string where = "articles[" + std::to_string(parsed.size()) + "]";
    auto article = ParseArticle(entry, where, data->analyzer);
    if (!article) return article.error();
    const std::string& id = article->article.id;
    if (auto [it, inserted] = index_of_id.emplace(id, parsed.size()); !inserted) {
      return core::InvalidArgument(where + " (\"" + id + "\"): duplicate id, also articles[" +
                                   std::to_string(it->second) + "]");
    }
    parsed.push_back(std::move(*article));
  }
  data->index = IndexFeatures(parsed);
  for (ParsedArticle& entry : parsed) data->articles.push_back(std::move(entry.article));

  auto documents = ParseDocumentLists(root);
  if (!documents) return documents.error();
  data->documents = std::move(*documents);
  return KnowledgeBase(std::move(data));
}

core::Result<KnowledgeBase> KnowledgeBase::FromFile(const std::string& path,
                                                    KnowledgeBaseSettings settings) {
  auto content = config::ReadTextFile(path);
  if (!content.ok()) return core::NotFound("knowledge base: " + content.error().message);
  auto loaded = FromJson(*content, settings);
  if (!loaded) return core::Error{loaded.error().kind, path + ": " + loaded.error().message};
  return loaded;
}

std::optional<KnowledgeAnswer> KnowledgeBase::Answer(std::string_view question,
                                                     v1::Language /*language*/) const {
  const Data& data = *data_;
  if (data.articles.empty() || IsFaultOrComplaint(question)) return std::nullopt;
  const Analysis analysis = data.analyzer.Analyze(question);
  if (analysis.features.empty()) return std::nullopt;
  for (const Keyword& term : data.out_of_scope) {
    if (Mentions(analysis, term)) return std::nullopt;  // water, gas...: an agent redirects
  }

  std::vector<QueryFeature> query;
  double query_weight = 0;
  for (const std::string& feature : analysis.features) {
    query.push_back(data.index.Lookup(feature));
    query_weight += query.back().weight;
  }
  std::sort(query.begin(), query.end(),
            [](const QueryFeature& a, const QueryFeature& b) { return a.id < b.id; });

  const Article* best = nullptr;
  double best_score = 0;
  double runner_up = 0;
  for (const Article& article : data.articles) {
    double recall = 0;
    for (size_t p = 0; p < article.phrasings.size(); ++p) {
      const double found = Overlap(query, article.phrasings[p], data.index.weights);
      recall = std::max(recall, found / article.phrasing_weights[p]);
    }
    const double coverage = Overlap(query, article.vocabulary, data.index.weights) / query_weight;
    const bool keyword = std::any_of(article.keywords.begin(), article.keywords.end(),
                                     [&](const Keyword& k) { return Mentions(analysis, k); });
    const double score = std::min(
        1.0, kCoverageWeight * coverage + kRecallWeight * recall + (keyword ? kKeywordBonus : 0.0));
    if (score > best_score) {
      runner_up = best_score;
      best_score = score;
      best = &article;
    } else if (score > runner_up) {
      runner_up = score;
    }
  }
  if (best == nullptr || best_score < data.settings.min_confidence ||
      best_score - runner_up < kMinMargin) {
    return std::nullopt;
  }
  return KnowledgeAnswer{best->id, best->answer, best_score};
}

std::vector<v1::LocalizedText> KnowledgeBase::RequiredDocuments(
    v1::ServiceApplicationKind kind, v1::AccountType account_type) const {
  const DocumentLists& lists = data_->documents;
  const int k = static_cast<int>(kind);
  if (auto it = lists.find({k, static_cast<int>(account_type)}); it != lists.end()) {
    return it->second;
  }
  if (auto it = lists.find({k, 0}); it != lists.end()) return it->second;
  return {};
}

size_t KnowledgeBase::article_count() const { return data_->articles.size(); }

}  // namespace gridcare::intake
