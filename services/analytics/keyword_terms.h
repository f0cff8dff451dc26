#pragma once

// Request text to terms, for keyword hotspots (issue 15): the words a burst is looked for in.
//
// Chinese is not segmented into words: every Han run becomes its character bigrams ("变压器冒烟" ->
// 变压, 压器, 器冒, 冒烟). Bigrams need no dictionary, never meet an unknown word (street and
// compound names, new slang) and a matter that bursts bursts in its bigrams too; the price is a
// few noise bigrams across word edges, which rarely burst on their own and are cut by the stop
// list below. Trigrams were left out: they add no term a supervisor needs that its two bigrams do
// not already show, and they triple the vocabulary the baseline must count.
//
// Why not libfriso (the Debian segmenter the issue names): libfriso-dev 1.6.4 (Debian 12) depends
// on libfriso0, which depends on friso-dict (a 4.7 MB lexicon package); a friso instance is set up
// at run time from a friso.ini that points at those lexicon files (friso_init_from_ifile), and its
// API only splits text into tokens (friso_next) — it has no keyword extraction, so the burst test
// would still be ours. Bigrams need no files and no configuration and are robust for burst
// detection. (Checked with `apt-cache show libfriso-dev libfriso0 friso-dict` and friso's source;
// nothing was installed.)
//
// English (and other Latin-letter text) is split into words of ASCII letters, lower-cased; words
// of fewer than 3 letters are dropped. Text is read as the rest of GridCare reads customers' text
// (core::FoldText): full-width forms become ASCII, upper case lower, common traditional characters
// simplified, so "停電", "停电" and "ＢＩＬＬＩＮＧ"/"billing" are the same term.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace gridcare::analytics {

/// At most this many code points of a text are read (a complaint is a few hundred): the cost of
/// one pathological event stays bounded.
inline constexpr size_t kMaxTermTextCodePoints = 4000;

/// The distinct terms of one request text (UTF-8), sorted bytewise, each once however often it
/// occurs, so counting the result counts texts (document frequency), not repetitions.
/// - A Han run gives its character bigrams; a run of one Han character gives nothing.
/// - Chinese stop words split runs and never become or join a term: particles and pronouns
///   (的 了 吗 呢 我 你 您 们 是 在 …) and courtesy or filler phrases (请问 一下 电话 谢谢 麻烦
///   什么 怎么 现在 已经 没有 今天 …): "请问我家停电了" -> 家停, 停电.
/// - A run of ASCII letters is a word, lower-cased; words of 3 to 30 letters that are not English
///   stop words (the and for with please my our you this that …) are terms.
/// - Digits, punctuation (ASCII, full-width and CJK), white space, emoji, other scripts and invalid
///   bytes split runs and are never part of a term (invalid bytes do not throw).
/// Pure and thread-safe.
std::vector<std::string> ExtractTerms(std::string_view text);

/// Adds 1 to `counts[term]` for every distinct term of `text` (ExtractTerms): how the current and
/// baseline counts of FindBursts are built, one call per request text.
void AddTermCounts(std::string_view text, std::map<std::string, int64_t>& counts);

}  // namespace gridcare::analytics
