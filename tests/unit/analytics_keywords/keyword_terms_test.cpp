#include "keyword_terms.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "gridcare/core/utf8.h"

namespace gridcare::analytics {
namespace {

using Terms = std::vector<std::string>;

// The expected terms in ExtractTerms' order (sorted bytewise).
Terms Sorted(Terms terms) {
  std::sort(terms.begin(), terms.end());
  return terms;
}

TEST_CASE("A Han run becomes its character bigrams") {
  CHECK(ExtractTerms("变压器冒烟") == Sorted({"变压", "压器", "器冒", "冒烟"}));
  CHECK(ExtractTerms("停电") == Terms{"停电"});
}

TEST_CASE("A run of one Han character gives no term") {
  CHECK(ExtractTerms("电").empty());
  CHECK(ExtractTerms("电 费").empty());
  CHECK(ExtractTerms("停，电。跳！闸").empty());
  CHECK(ExtractTerms("A电B").empty());
  CHECK(ExtractTerms("3号").empty());
}

TEST_CASE("Chinese stop characters split runs and never join a bigram") {
  // 请问 and 我 and 了 are stop words: only the matter is left.
  CHECK(ExtractTerms("请问我家停电了") == Sorted({"家停", "停电"}));
  CHECK(ExtractTerms("停电了吗") == Terms{"停电"});
  CHECK(ExtractTerms("你们的电费是多少") == Sorted({"电费", "多少"}));
  // A stop character leaves a single character on either side: nothing.
  CHECK(ExtractTerms("电的费").empty());
}

TEST_CASE("Chinese stop phrases are dropped and split runs") {
  CHECK(ExtractTerms("请问一下电费") == Terms{"电费"});
  CHECK(ExtractTerms("谢谢").empty());
  CHECK(ExtractTerms("电话打不通谢谢") == Sorted({"打不", "不通"}));
  CHECK(ExtractTerms("麻烦尽快处理跳闸问题") == Sorted({"处理", "理跳", "跳闸"}));
}

TEST_CASE("The longest stop phrase wins") {
  // 为什么 rather than 什么: no 为什 is left behind.
  CHECK(ExtractTerms("为什么停电") == Terms{"停电"});
  CHECK(ExtractTerms("怎么办停电") == Terms{"停电"});
  CHECK(ExtractTerms("不好意思电压低") == Sorted({"电压", "压低"}));
}

TEST_CASE("Characters that start place names are not stop words") {
  CHECK(ExtractTerms("和平路停电") == Sorted({"和平", "平路", "路停", "停电"}));
  CHECK(ExtractTerms("成都停电") == Sorted({"成都", "都停", "停电"}));
}

TEST_CASE("English words are lower-cased and need three letters") {
  CHECK(ExtractTerms("Billing ERROR") == Sorted({"billing", "error"}));
  CHECK(ExtractTerms("my TV is ok").empty());
  CHECK(ExtractTerms("low").size() == 1);
}

TEST_CASE("English stop words are dropped") {
  CHECK(ExtractTerms("The meter and the bill") == Sorted({"meter", "bill"}));
  CHECK(ExtractTerms("Please help with my bill, thanks").size() == 1);
  CHECK(ExtractTerms("Please, for our home, with THE voltage") == Sorted({"home", "voltage"}));
}

TEST_CASE("Overlong Latin runs are not words") {
  CHECK(ExtractTerms(std::string(30, 'x')) == Terms{std::string(30, 'x')});
  CHECK(ExtractTerms(std::string(31, 'x')).empty());
}

TEST_CASE("Digits and punctuation split runs") {
  CHECK(ExtractTerms("abc123def") == Sorted({"abc", "def"}));
  CHECK(ExtractTerms("10kV线路") == Terms{"线路"});
  CHECK(ExtractTerms("220V").empty());
  CHECK(ExtractTerms("停电3跳闸") == Sorted({"停电", "跳闸"}));
  CHECK(ExtractTerms("e-mail") == Terms{"mail"});
  CHECK(ExtractTerms("over-voltage") == Terms{"voltage"});
}

TEST_CASE("Mixed Chinese and English text gives both kinds of terms") {
  CHECK(ExtractTerms("电费billing问题 Voltage too HIGH，电压不稳") ==
        Sorted({"电费", "billing", "voltage", "high", "电压", "压不", "不稳"}));
  CHECK(ExtractTerms("智能电表reset后没电") ==
        Sorted({"智能", "能电", "电表", "reset", "后没", "没电"}));
}

TEST_CASE("Full-width letters and punctuation read like ASCII") {
  CHECK(ExtractTerms("ＢＩＬＬＩＮＧ，停电！跳闸。") == Sorted({"billing", "停电", "跳闸"}));
  CHECK(ExtractTerms("【停电】「跳闸」《电费》") == Sorted({"停电", "跳闸", "电费"}));
  // The ideographic space separates.
  CHECK(ExtractTerms("停电\u3000跳闸") == Sorted({"停电", "跳闸"}));
}

TEST_CASE("Traditional characters meet their simplified terms") {
  CHECK(ExtractTerms("停電") == Terms{"停电"});
  CHECK(ExtractTerms("電費太貴") == ExtractTerms("电费太贵"));
}

TEST_CASE("Emoji and other symbols split runs") {
  CHECK(ExtractTerms("停电😡😡跳闸") == Sorted({"停电", "跳闸"}));
  CHECK(ExtractTerms("停😡电").empty());
  CHECK(ExtractTerms("👍🏻voltage🔥") == Terms{"voltage"});
}

TEST_CASE("Other scripts are separators") {
  // Kana and Hangul are not Han; the Han run between them still counts.
  CHECK(ExtractTerms("停电ですか") == Terms{"停电"});
  CHECK(ExtractTerms("정전停电") == Terms{"停电"});
}

TEST_CASE("Invalid UTF-8 bytes separate and never throw") {
  // A lost byte between two characters does not join them into a bigram never written.
  CHECK(ExtractTerms("停\xff电").empty());
  CHECK(ExtractTerms("\xe5\x81跳闸") == Terms{"跳闸"});  // truncated sequence before
  CHECK(ExtractTerms("bil\x80ling") == Sorted({"bil", "ling"}));
  CHECK(ExtractTerms("\xc0\xaf\xed\xa0\x80停电\xf4\x90\x80\x80") == Terms{"停电"});
}

TEST_CASE("Arbitrary bytes give valid UTF-8 terms") {
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  std::string garbage;
  uint32_t state = 12345;
  for (int i = 0; i < 20000; ++i) {
    state = state * 1103515245U + 12345U;
    garbage.push_back(static_cast<char>(state >> 16));
  }
  for (const std::string& text : {all, garbage, all + "停电" + all}) {
    const Terms terms = ExtractTerms(text);
    for (const std::string& term : terms) CHECK(core::IsValidUtf8(term));
  }
  CHECK(ExtractTerms(all + "停电" + all) == Sorted({"停电", "abcdefghijklmnopqrstuvwxyz"}));
}

TEST_CASE("Empty and blank texts give no terms") {
  CHECK(ExtractTerms("").empty());
  CHECK(ExtractTerms(" \t\n\u3000 ").empty());
  CHECK(ExtractTerms("。，！？").empty());
}

TEST_CASE("Terms are distinct and sorted") {
  CHECK(ExtractTerms("停电停电停电") == Sorted({"停电", "电停"}));
  CHECK(ExtractTerms("bill BILL Bill") == Terms{"bill"});
  const Terms terms = ExtractTerms("跳闸 billing 停电 voltage 电费 跳闸 arrears");
  CHECK(std::is_sorted(terms.begin(), terms.end()));
  CHECK(std::adjacent_find(terms.begin(), terms.end()) == terms.end());
  CHECK(terms == ExtractTerms("跳闸 billing 停电 voltage 电费 跳闸 arrears"));
}

TEST_CASE("Only the first kMaxTermTextCodePoints code points are read") {
  const std::string padding(kMaxTermTextCodePoints - 7, ' ');
  CHECK(ExtractTerms(padding + "billing") == Terms{"billing"});
  CHECK(ExtractTerms(padding + std::string(7, ' ') + "billing").empty());
}

TEST_CASE("AddTermCounts counts each text once per term") {
  std::map<std::string, int64_t> counts;
  AddTermCounts("停电停电停电", counts);
  AddTermCounts("又停电了 billing billing", counts);
  AddTermCounts("", counts);
  CHECK(counts ==
        std::map<std::string, int64_t>{{"停电", 2}, {"电停", 1}, {"又停", 1}, {"billing", 1}});
}

}  // namespace
}  // namespace gridcare::analytics
