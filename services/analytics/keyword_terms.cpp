#include "keyword_terms.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "gridcare/core/text_folding.h"
#include "gridcare/core/utf8.h"

namespace gridcare::analytics {
namespace {

constexpr size_t kMinWordLetters = 3;
// Longer "words" are tokens, hashes or pasted garbage, not what a matter is called.
constexpr size_t kMaxWordLetters = 30;

// Particles and pronouns: they split a Han run, so no bigram holds one ("停电了" gives no "电了").
// Characters that also start content words often (和 in 和平路, 都 in 成都) are not listed.
// Sorted by code point; the entries are folded (simplified) forms, as the text is folded first.
constexpr char32_t kStopChars[] = {
    U'么', U'也', U'了', U'他', U'们', U'你', U'吗', U'吧', U'呀', U'呢', U'哦',
    U'啊', U'嗯', U'在', U'她', U'它', U'就', U'很', U'您', U'我', U'是', U'的',
};
static_assert(std::is_sorted(std::begin(kStopChars), std::end(kStopChars)));

// Courtesy, filler and generic phrases of request texts: they split a Han run like the characters
// above. Longest match wins at each position ("为什么" before "什么").
constexpr std::u32string_view kStopPhrases[] = {
    U"不好意思", U"为什么", U"怎么办", U"怎么样", U"请问", U"一下", U"电话", U"号码",
    U"谢谢",     U"麻烦",   U"帮忙",   U"帮助",   U"什么", U"怎么", U"这个", U"那个",
    U"一个",     U"这边",   U"那边",   U"这样",   U"那样", U"可以", U"现在", U"已经",
    U"没有",     U"不是",   U"还是",   U"但是",   U"因为", U"所以", U"如果", U"时候",
    U"今天",     U"昨天",   U"一直",   U"问题",   U"情况", U"客服", U"工作", U"人员",
    U"联系",     U"知道",   U"希望",   U"需要",   U"尽快", U"反映", U"咨询",
};

// English words that say nothing about the matter. Sorted (binary search).
constexpr std::string_view kEnglishStopWords[] = {
    "about", "after",     "again",  "all",   "also",   "and",    "any",     "are",  "because",
    "been",  "before",    "being",  "but",   "call",   "called", "calling", "can",  "could",
    "dear",  "did",       "does",   "doing", "for",    "from",   "get",     "got",  "had",
    "has",   "have",      "hello",  "help",  "her",    "here",   "him",     "his",  "how",
    "into",  "its",       "just",   "madam", "not",    "one",    "our",     "ours", "out",
    "over",  "phone",     "please", "she",   "should", "since",  "sir",     "some", "still",
    "than",  "thank",     "thanks", "that",  "the",    "their",  "them",    "then", "there",
    "these", "they",      "this",   "those", "today",  "too",    "very",    "was",  "were",
    "what",  "when",      "where",  "which", "who",    "why",    "will",    "with", "would",
    "yes",   "yesterday", "you",    "your",  "yours",
};
static_assert(std::is_sorted(std::begin(kEnglishStopWords), std::end(kEnglishStopWords)));

bool IsLetter(char32_t c) { return c >= 'a' && c <= 'z'; }  // after folding

// Length of the stop phrase or character at run[at], or 0.
size_t StopLength(std::u32string_view run, size_t at) {
  size_t longest = 0;
  for (const std::u32string_view phrase : kStopPhrases) {
    if (phrase.size() > longest && run.substr(at, phrase.size()) == phrase) {
      longest = phrase.size();
    }
  }
  if (longest == 0 && std::binary_search(std::begin(kStopChars), std::end(kStopChars), run[at])) {
    longest = 1;
  }
  return longest;
}

// The bigrams of one Han run, split at stop words.
void AddHanTerms(std::u32string_view run, std::vector<std::string>& terms) {
  size_t segment = 0;
  auto flush = [&run, &terms, &segment](size_t end) {
    for (size_t k = segment; k + 1 < end; ++k) terms.push_back(core::EncodeUtf8(run.substr(k, 2)));
  };
  size_t i = 0;
  while (i < run.size()) {
    const size_t stop = StopLength(run, i);
    if (stop == 0) {
      ++i;
      continue;
    }
    flush(i);
    i += stop;
    segment = i;
  }
  flush(run.size());
}

void AddWord(std::u32string_view word, std::vector<std::string>& terms) {
  if (word.size() < kMinWordLetters || word.size() > kMaxWordLetters) return;
  std::string ascii(word.begin(), word.end());  // a-z only
  if (std::binary_search(std::begin(kEnglishStopWords), std::end(kEnglishStopWords),
                         std::string_view(ascii))) {
    return;
  }
  terms.push_back(std::move(ascii));
}

}  // namespace

std::vector<std::string> ExtractTerms(std::string_view text) {
  // An invalid byte reads as U+FFFD, which separates like any symbol: a lost byte must not join
  // the characters around it into a bigram that was never written.
  const std::u32string folded =
      core::FoldText(text, core::InvalidUtf8::kReplace, kMaxTermTextCodePoints);
  const std::u32string_view view = folded;
  std::vector<std::string> terms;
  size_t i = 0;
  while (i < view.size()) {
    size_t end = i + 1;
    if (core::IsHan(view[i])) {
      while (end < view.size() && core::IsHan(view[end])) ++end;
      AddHanTerms(view.substr(i, end - i), terms);
    } else if (IsLetter(view[i])) {
      while (end < view.size() && IsLetter(view[end])) ++end;
      AddWord(view.substr(i, end - i), terms);
    }
    i = end;
  }
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

void AddTermCounts(std::string_view text, std::map<std::string, int64_t>& counts) {
  for (std::string& term : ExtractTerms(text)) ++counts[std::move(term)];
}

}  // namespace gridcare::analytics
