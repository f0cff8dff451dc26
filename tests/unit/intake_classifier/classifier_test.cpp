// Classifier: the matching and scoring mechanics on small inline rule sets, and the shipped rules
// (services/intake/config/classifier.json) on clear examples of every type in Chinese and English.
#include "classifier.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

namespace intake = gridcare::intake;
namespace v1 = gridcare::v1;
using intake::Classifier;

namespace {

constexpr auto kZh = v1::LANGUAGE_ZH_CN;
constexpr auto kEn = v1::LANGUAGE_EN;

// A small rule set exercising every rule feature.
const char* kMechanics = R"json({
  "rules": [
    {"id": "fault.zh.no_power", "type": "FAULT_REPAIR", "language": "zh", "weight": 3,
     "phrases": ["停电", "没电"], "unless": ["计划停电"]},
    {"id": "fault.en.no_power", "type": "FAULT_REPAIR", "language": "en", "weight": 3,
     "phrases": ["no power", "outage*"]},
    {"id": "complaint.zh.explicit", "type": "COMPLAINT", "language": "zh", "weight": 4, "priority": 2,
     "phrases": ["投诉"]},
    {"id": "complaint.en.explicit", "type": "REQUEST_TYPE_COMPLAINT", "language": "en", "weight": 4, "priority": 2,
     "phrases": ["complain*"], "unless": ["not complaining"]},
    {"id": "consult.zh.billing", "type": "CONSULTATION", "language": "zh", "weight": 1, "phrases": ["电费"]},
    {"id": "consult.zh.app", "type": "CONSULTATION", "language": "zh", "weight": 2, "phrases": ["app"]},
    {"id": "apply.zh.meter_check", "type": "SERVICE_APPLICATION", "application_kind": "METER_CHECK",
     "language": "zh", "weight": 3, "phrases": ["电表*快"]},
    {"id": "apply.zh.relocation", "type": "SERVICE_APPLICATION",
     "application_kind": "SERVICE_APPLICATION_KIND_METER_RELOCATION", "language": "zh", "weight": 3,
     "phrases": ["挪到"], "with": [["电表", "表箱"]]},
    {"id": "apply.zh.intent", "type": "SERVICE_APPLICATION", "language": "zh", "weight": 2, "phrases": ["申请"]},
    {"id": "urging.en.waiting", "type": "URGING", "language": "en", "weight": 3, "priority": 1,
     "phrases": ["still * waiting"]}
  ]
})json";

const Classifier& Mechanics() {
  static const Classifier classifier = [] {
    auto loaded = Classifier::FromJson(kMechanics);
    if (!loaded.ok()) FAIL(loaded.error().ToString());
    return std::move(loaded).value();
  }();
  return classifier;
}

const Classifier& Shipped() {
  static const Classifier classifier = [] {
    auto loaded = Classifier::FromFile(std::string(GRIDCARE_SOURCE_DIR) +
                                       "/services/intake/config/classifier.json");
    if (!loaded.ok()) FAIL(loaded.error().ToString());
    return std::move(loaded).value();
  }();
  return classifier;
}

std::vector<std::string> Rules(const v1::Classification& c) {
  return {c.matched_rules().begin(), c.matched_rules().end()};
}

std::string Describe(const v1::Classification& c) {
  std::string rules;
  for (const auto& r : c.matched_rules()) rules += r + " ";
  return v1::RequestType_Name(c.type()) + " / " +
         v1::ServiceApplicationKind_Name(c.application_kind()) +
         " conf=" + std::to_string(c.confidence()) + (c.needs_agent_review() ? " REVIEW" : "") +
         " rules: " + rules;
}

struct Case {
  const char* text;
  v1::Language language;
  v1::RequestType type;
  v1::ServiceApplicationKind kind = v1::SERVICE_APPLICATION_KIND_UNSPECIFIED;
};

void CheckDecided(const Classifier& classifier, const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    const auto result = classifier.Classify(c.text, c.language);
    INFO(c.text << " → " << Describe(result));
    CHECK(result.type() == c.type);
    CHECK(result.application_kind() == c.kind);
    CHECK_FALSE(result.needs_agent_review());
    CHECK(result.confidence() >= 0.5);
    CHECK(result.confidence() <= 1.0);
    CHECK_FALSE(result.matched_rules().empty());
  }
}

}  // namespace

TEST_CASE("a single decisive rule classifies and explains itself") {
  const auto c = Mechanics().Classify("没电了", kZh);
  CHECK(c.type() == v1::REQUEST_TYPE_FAULT_REPAIR);
  CHECK_FALSE(c.needs_agent_review());
  CHECK(c.confidence() == Approx(1.0 - std::exp(-1.5)));  // share 1 × (1 − e^(−3/2))
  CHECK(Rules(c) == std::vector<std::string>{"fault.zh.no_power"});
  CHECK(c.application_kind() == v1::SERVICE_APPLICATION_KIND_UNSPECIFIED);
  CHECK_FALSE(c.from_channel());
}

TEST_CASE("empty, blank and unrecognisable text goes to an agent as UNSPECIFIED") {
  for (const char* text : {"", "   ", "！！？？。。", "嗯嗯", "hello?"}) {
    for (const auto language : {kZh, kEn, v1::LANGUAGE_UNSPECIFIED}) {
      const auto c = Mechanics().Classify(text, language);
      INFO("\"" << text << "\" → " << Describe(c));
      CHECK(c.type() == v1::REQUEST_TYPE_UNSPECIFIED);
      CHECK(c.needs_agent_review());
      CHECK(c.confidence() == 0.0);
      CHECK(c.matched_rules().empty());
    }
  }
}

TEST_CASE("Chinese matching ignores width, case, spaces and punctuation") {
  for (const char* text :
       {"停电了", "停　电　了！！", "停 电 了", "“停”电…了", "停\t电\n了", "停電了"}) {
    const auto c = Mechanics().Classify(text, kZh);
    INFO(text << " → " << Describe(c));
    CHECK(c.type() == v1::REQUEST_TYPE_FAULT_REPAIR);
  }
  // Full-width Latin letters meet an ASCII phrase of a Chinese rule.
  CHECK(Mechanics().Classify("ＡＰＰ里怎么交", kZh).type() == v1::REQUEST_TYPE_CONSULTATION);
  CHECK(intake::NormalizeForMatching("停　电 了！！ＡＢＣ，１２３") == "停电了abc123");
  CHECK(intake::NormalizeForMatching("電費") == "电费");
  CHECK(intake::NormalizeForMatching("😀 OK") == "ok");
  CHECK(intake::NormalizeForMatching("") == "");
}

TEST_CASE("English matching is on whole words, case-insensitive, with word* prefixes") {
  CHECK(Mechanics().Classify("NO POWER on Elm Street", kEn).type() ==
        v1::REQUEST_TYPE_FAULT_REPAIR);
  CHECK(Mechanics().Classify("No-power!!", kEn).type() == v1::REQUEST_TYPE_FAULT_REPAIR);
  CHECK(Mechanics().Classify("Ｎｏ ｐｏｗｅｒ", kEn).type() == v1::REQUEST_TYPE_FAULT_REPAIR);
  CHECK(Mechanics().Classify("outages again", kEn).type() == v1::REQUEST_TYPE_FAULT_REPAIR);
  // Parts of words do not match.
  CHECK(Mechanics().Classify("no powerhouse nearby", kEn).type() == v1::REQUEST_TYPE_UNSPECIFIED);
  CHECK(Mechanics().Classify("uncomplaining", kEn).type() == v1::REQUEST_TYPE_UNSPECIFIED);
  // "*" alone is a gap of up to three words.
  CHECK(Mechanics().Classify("I am still here waiting", kEn).type() == v1::REQUEST_TYPE_URGING);
  CHECK(Mechanics().Classify("still one two three waiting", kEn).type() == v1::REQUEST_TYPE_URGING);
  CHECK(Mechanics().Classify("still one two three four waiting", kEn).type() ==
        v1::REQUEST_TYPE_UNSPECIFIED);
}

TEST_CASE("a Chinese \"*\" allows a few characters in between") {
  const auto near = Mechanics().Classify("电表走得特别快", kZh);
  CHECK(near.type() == v1::REQUEST_TYPE_SERVICE_APPLICATION);
  CHECK(near.application_kind() == v1::SERVICE_APPLICATION_KIND_METER_CHECK);
  // More than gap_chars (6) characters apart: no match.
  CHECK(Mechanics().Classify("电表在我家一楼客厅里走得快", kZh).type() ==
        v1::REQUEST_TYPE_UNSPECIFIED);
}

TEST_CASE("unless masks only the occurrences it contains") {
  CHECK(Mechanics().Classify("明天计划停电吗", kZh).type() == v1::REQUEST_TYPE_UNSPECIFIED);
  // The second 停电 is not inside 计划停电, so it counts.
  CHECK(Mechanics().Classify("计划停电早结束了，现在又停电了", kZh).type() ==
        v1::REQUEST_TYPE_FAULT_REPAIR);
  CHECK(Mechanics().Classify("I'm not complaining, just saying", kEn).type() ==
        v1::REQUEST_TYPE_UNSPECIFIED);
  CHECK(Mechanics().Classify("I'm complaining", kEn).type() == v1::REQUEST_TYPE_COMPLAINT);
}

TEST_CASE("with requires a co-occurring phrase anywhere in the text") {
  CHECK(Mechanics().Classify("能不能挪到楼道里", kZh).type() == v1::REQUEST_TYPE_UNSPECIFIED);
  const auto c = Mechanics().Classify("表箱太碍事，能不能挪到楼道里", kZh);
  CHECK(c.type() == v1::REQUEST_TYPE_SERVICE_APPLICATION);
  CHECK(c.application_kind() == v1::SERVICE_APPLICATION_KIND_METER_RELOCATION);
  CHECK(Rules(c) == std::vector<std::string>{"apply.zh.relocation"});
}

TEST_CASE("explicit intent overrides the topic and the reason lists both") {
  // 投诉 (priority 2, weight 4) against 停电 (priority 0, weight 3 → 0.75 after damping).
  const auto c = Mechanics().Classify("停电三天了，我要投诉", kZh);
  CHECK(c.type() == v1::REQUEST_TYPE_COMPLAINT);
  CHECK_FALSE(c.needs_agent_review());
  const double share = 4.0 / (4.0 + 0.75);
  CHECK(c.confidence() == Approx(share * (1.0 - std::exp(-2.0))));
  CHECK(Rules(c) == std::vector<std::string>{"complaint.zh.explicit", "fault.zh.no_power"});
}

TEST_CASE("two equally supported types go to an agent") {
  const auto c = Mechanics().Classify("停电了，还有电表走得快", kZh);
  CHECK(c.needs_agent_review());
  CHECK(c.matched_rules_size() == 2);
}

TEST_CASE("weak evidence goes to an agent unless the thresholds allow it") {
  const auto weak = Mechanics().Classify("电费", kZh);
  CHECK(weak.type() == v1::REQUEST_TYPE_CONSULTATION);
  CHECK(weak.confidence() == Approx(1.0 - std::exp(-0.5)));
  CHECK(weak.needs_agent_review());

  auto lenient = Classifier::FromJson(kMechanics, {.min_confidence = 0.3, .min_margin = 0.1});
  REQUIRE(lenient.ok());
  CHECK_FALSE(lenient->Classify("电费", kZh).needs_agent_review());
  CHECK(lenient->settings().min_confidence == 0.3);
}

TEST_CASE("a service application without a known kind goes to an agent") {
  const auto c = Mechanics().Classify("我要申请", kZh);
  CHECK(c.type() == v1::REQUEST_TYPE_SERVICE_APPLICATION);
  CHECK(c.application_kind() == v1::SERVICE_APPLICATION_KIND_UNSPECIFIED);
  CHECK(c.needs_agent_review());

  const auto known = Mechanics().Classify("我要申请，电表走得快", kZh);
  CHECK(known.application_kind() == v1::SERVICE_APPLICATION_KIND_METER_CHECK);
  CHECK_FALSE(known.needs_agent_review());
  CHECK(Rules(known) == std::vector<std::string>{"apply.zh.meter_check", "apply.zh.intent"});
}

TEST_CASE("the declared language selects rules, and the text's own script adds its rules") {
  // English text sent as Chinese (or undeclared) still meets the English rules.
  CHECK(Mechanics().Classify("no power", kZh).type() == v1::REQUEST_TYPE_FAULT_REPAIR);
  CHECK(Mechanics().Classify("no power", v1::LANGUAGE_UNSPECIFIED).type() ==
        v1::REQUEST_TYPE_FAULT_REPAIR);
  // Chinese text sent as English meets the Chinese rules.
  CHECK(Mechanics().Classify("没电了", kEn).type() == v1::REQUEST_TYPE_FAULT_REPAIR);
  // A Chinese rule's ASCII phrase does not fire on English text declared English ...
  CHECK(Mechanics().Classify("the app crashed", kEn).type() == v1::REQUEST_TYPE_UNSPECIFIED);
  // ... but does when the channel says the customer writes Chinese.
  CHECK(Mechanics().Classify("app", kZh).type() == v1::REQUEST_TYPE_CONSULTATION);
}

TEST_CASE("invalid UTF-8 bytes are skipped, not fatal") {
  const std::string text =
      std::string("没电") + "\xff\xfe" + "了" + "\xe6";  // stray bytes, truncated sequence
  const auto c = Mechanics().Classify(text, kZh);
  CHECK(c.type() == v1::REQUEST_TYPE_FAULT_REPAIR);
  CHECK(intake::NormalizeForMatching(text) == "没电了");
}

TEST_CASE("very long text is read up to its first 4096 characters") {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "啊";
  CHECK(Mechanics().Classify(text + "停电了", kZh).type() == v1::REQUEST_TYPE_UNSPECIFIED);
  CHECK(Mechanics().Classify("停电了" + text, kZh).type() == v1::REQUEST_TYPE_FAULT_REPAIR);
}

TEST_CASE("Classify is safe to call from many threads on one classifier") {
  const Classifier& classifier = Shipped();
  const std::vector<std::pair<std::string, v1::Language>> texts = {
      {"停电三天了还没人来修，我要投诉", kZh},
      {"No power since 7pm", kEn},
      {"申请移表", kZh},
      {"Any update on my ticket?", kEn}};
  std::vector<std::string> expected;
  for (const auto& [text, language] : texts)
    expected.push_back(classifier.Classify(text, language).SerializeAsString());
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        const auto& [text, language] = texts[(i + t) % texts.size()];
        if (classifier.Classify(text, language).SerializeAsString() !=
            expected[(i + t) % texts.size()])
          ++mismatches[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(mismatches == std::vector<int>(4, 0));
}

// ---- The shipped rules -------------------------------------------------------------------------

TEST_CASE("shipped rules: every request type on clear Chinese and English examples") {
  CheckDecided(Shipped(),
               {
                   {"家里停电了", kZh, v1::REQUEST_TYPE_FAULT_REPAIR},
                   {"电线掉在地上了，还在冒火花", kZh, v1::REQUEST_TYPE_FAULT_REPAIR},
                   {"There is no power in my house.", kEn, v1::REQUEST_TYPE_FAULT_REPAIR},
                   {"The power's out on my street", kEn, v1::REQUEST_TYPE_FAULT_REPAIR},
                   {"我要投诉你们的抄表员", kZh, v1::REQUEST_TYPE_COMPLAINT},
                   {"I want to complain about your staff.", kEn, v1::REQUEST_TYPE_COMPLAINT},
                   {"我要举报有人偷电", kZh, v1::REQUEST_TYPE_REPORT},
                   {"I want to report electricity theft.", kEn, v1::REQUEST_TYPE_REPORT},
                   {"我对电价政策有意见", kZh, v1::REQUEST_TYPE_OPINION},
                   {"I have some feedback about your website.", kEn, v1::REQUEST_TYPE_OPINION},
                   {"建议营业厅延长营业时间", kZh, v1::REQUEST_TYPE_SUGGESTION},
                   {"I suggest you open more service halls.", kEn, v1::REQUEST_TYPE_SUGGESTION},
                   {"我要表扬你们的抢修师傅", kZh, v1::REQUEST_TYPE_PRAISE},
                   {"I want to praise the engineer who came today.", kEn, v1::REQUEST_TYPE_PRAISE},
                   {"请问居民电价是多少", kZh, v1::REQUEST_TYPE_CONSULTATION},
                   {"How much is the electricity tariff?", kEn, v1::REQUEST_TYPE_CONSULTATION},
                   {"我昨天报修的，怎么还没人来", kZh, v1::REQUEST_TYPE_URGING},
                   {"Any update on my ticket?", kEn, v1::REQUEST_TYPE_URGING},
               });
}

TEST_CASE("shipped rules: every kind of service application in Chinese and English") {
  constexpr auto kApp = v1::REQUEST_TYPE_SERVICE_APPLICATION;
  CheckDecided(
      Shipped(),
      {
          {"我要申请新装电表", kZh, kApp, v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION},
          {"I want to apply for a new connection.", kEn, kApp,
           v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION},
          {"我家要增容", kZh, kApp, v1::SERVICE_APPLICATION_KIND_CAPACITY_CHANGE},
          {"I need to increase the capacity of my supply.", kEn, kApp,
           v1::SERVICE_APPLICATION_KIND_CAPACITY_CHANGE},
          {"申请校验电表", kZh, kApp, v1::SERVICE_APPLICATION_KIND_METER_CHECK},
          {"Please test my meter, I think it is inaccurate.", kEn, kApp,
           v1::SERVICE_APPLICATION_KIND_METER_CHECK},
          {"我要办理过户", kZh, kApp, v1::SERVICE_APPLICATION_KIND_ACCOUNT_TRANSFER},
          {"Please transfer the account into my name.", kEn, kApp,
           v1::SERVICE_APPLICATION_KIND_ACCOUNT_TRANSFER},
          {"申请移表", kZh, kApp, v1::SERVICE_APPLICATION_KIND_METER_RELOCATION},
          {"Please move my meter to the garage.", kEn, kApp,
           v1::SERVICE_APPLICATION_KIND_METER_RELOCATION},
          {"申请改类，商业电改成居民用电", kZh, kApp, v1::SERVICE_APPLICATION_KIND_TARIFF_CHANGE},
          {"I want to change my tariff category.", kEn, kApp,
           v1::SERVICE_APPLICATION_KIND_TARIFF_CHANGE},
          {"工地要申请临时用电", kZh, kApp, v1::SERVICE_APPLICATION_KIND_TEMPORARY_SUPPLY},
          {"We need temporary power for an event.", kEn, kApp,
           v1::SERVICE_APPLICATION_KIND_TEMPORARY_SUPPLY},
          {"房子卖了，我要销户", kZh, kApp, v1::SERVICE_APPLICATION_KIND_DISCONNECTION},
          {"Please close my electricity account.", kEn, kApp,
           v1::SERVICE_APPLICATION_KIND_DISCONNECTION},
      });
}

TEST_CASE("shipped rules: the documented decisions on ambiguous requests") {
  CheckDecided(Shipped(),
               {
                   // Explicit complaint words override the topic (a fault, a meter, an urging).
                   {"停电三天了还没人来修，我要投诉", kZh, v1::REQUEST_TYPE_COMPLAINT},
                   {"电表走得快，我要投诉", kZh, v1::REQUEST_TYPE_COMPLAINT},
                   // 电表走得快 alone is a meter check: the remedy is a test.
                   {"电表走得快", kZh, v1::REQUEST_TYPE_SERVICE_APPLICATION,
                    v1::SERVICE_APPLICATION_KIND_METER_CHECK},
                   // Waiting plus a reference to an earlier contact is urging; waiting alone is
                   // still the fault.
                   {"我昨天报修了，到现在还没人来", kZh, v1::REQUEST_TYPE_URGING},
                   {"停电了，到现在还没来电", kZh, v1::REQUEST_TYPE_FAULT_REPAIR},
                   {"I reported an outage this morning and still nobody has come.", kEn,
                    v1::REQUEST_TYPE_URGING},
                   // A planned outage is a question, not a fault.
                   {"明天我们小区计划停电吗", kZh, v1::REQUEST_TYPE_CONSULTATION},
                   // A negated complaint is not a complaint.
                   {"我不是要投诉，就是想问问电价怎么算", kZh, v1::REQUEST_TYPE_CONSULTATION},
                   // Staff corruption is a report, not a complaint.
                   {"供电所的人办事要红包", kZh, v1::REQUEST_TYPE_REPORT},
                   // A question about what an application needs is a consultation.
                   {"办理过户需要带什么材料", kZh, v1::REQUEST_TYPE_CONSULTATION},
               });
}

TEST_CASE("shipped rules: matched_rules name the reasons, the winner's first") {
  const auto c = Shipped().Classify("停电三天了还没人来修，我要投诉", kZh);
  const auto rules = Rules(c);
  REQUIRE_FALSE(rules.empty());
  CHECK(rules.front() == "complaint.zh.explicit");
  CHECK(std::find(rules.begin(), rules.end(), "fault.zh.no_power") != rules.end());
}

TEST_CASE("shipped rules: noise and two requests in one message go to an agent") {
  for (const char* text : {"喂？喂？听得到吗", "你好", "嗯"}) {
    INFO(text);
    CHECK(Shipped().Classify(text, kZh).needs_agent_review());
  }
  CHECK(Shipped().Classify("hello?", kEn).needs_agent_review());
  CHECK(Shipped().Classify("停电了，另外我想过户", kZh).needs_agent_review());
}

TEST_CASE("the category comes from the winning type's first rule that names one") {
  const Classifier& classifier = Shipped();
  struct Case {
    const char* text;
    v1::Language language;
    v1::RequestType type;
    const char* category;
  };
  for (const Case& c : {
           Case{"你们营业厅的工作人员态度太差了，我要投诉", kZh, v1::REQUEST_TYPE_COMPLAINT,
                "staff_conduct"},
           Case{"我要投诉，这个月电费乱收费，多扣了两百块", kZh, v1::REQUEST_TYPE_COMPLAINT,
                "billing"},
           Case{"我们小区经常停电，一个月停了五次，我要投诉", kZh, v1::REQUEST_TYPE_COMPLAINT,
                "outage_frequency"},
           Case{"I want to complain, I was charged twice for last month's bill", kEn,
                v1::REQUEST_TYPE_COMPLAINT, "billing"},
           Case{"我要举报隔壁工厂偷电，私拉电线绕过电表", kZh, v1::REQUEST_TYPE_REPORT,
                "power_theft"},
           Case{"I want to report a meter reader who asked me for money", kEn,
                v1::REQUEST_TYPE_REPORT, "misconduct"},
           // A complaint no categorised rule supports: no category (routing falls to keywords).
           Case{"我要投诉", kZh, v1::REQUEST_TYPE_COMPLAINT, ""},
           // The category belongs to the winning type only.
           Case{"家里停电了", kZh, v1::REQUEST_TYPE_FAULT_REPAIR, ""},
       }) {
    INFO(c.text);
    const auto result = classifier.Classify(c.text, c.language);
    CHECK(result.type() == c.type);
    CHECK(result.category() == c.category);
  }
}
