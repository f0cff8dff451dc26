// MentionsPublicSafetyHazard / FindPublicSafetyHazard: hazard keywords in Chinese and English, and
// the everyday phrases that contain them without meaning a hazard.
#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "priority_rules.h"

using gridcare::intake::FindPublicSafetyHazard;
using gridcare::intake::MentionsPublicSafetyHazard;

namespace {

struct Row {
  const char* text;
  const char* keyword;  // the keyword expected to be found
};

}  // namespace

TEST_CASE("Chinese hazard reports", "[hazard][zh]") {
  const Row rows[] = {
      {"楼下电线断了，掉在路上", "电线断"},
      {"高压线断了！", "高压线断"},
      {"门口的电线掉下来了", "电线掉"},
      {"村口高压线掉在地上", "高压线掉"},
      {"有根电线落地了", "电线落地"},
      {"路边掉线了，很危险", "掉线"},
      {"小区里有一根断线挂在树上", "断线"},
      {"台风把电线杆倒了", "电线杆倒"},
      {"电杆倒在马路中间", "电杆倒"},
      {"电表箱在冒烟", "冒烟"},
      {"变压器起火了", "起火"},
      {"配电房着火了，快来", "着火"},
      {"仓库失火", "失火"},
      {"发生火灾", "火灾"},
      {"电线一直冒火花", "火花"},
      {"插座打火", "打火"},
      {"变压器爆炸了，声音很大", "爆炸"},
      {"有人触电了！", "触电"},
      {"路灯杆漏电", "漏电"},
      // ASCII whitespace inside a Chinese keyword is ignored.
      {"电线 断了", "电线断"},
      {"触\t电", "触电"},
      {"电线\n 掉下来", "电线掉"},
  };
  for (const Row& row : rows) {
    INFO(row.text);
    CHECK(MentionsPublicSafetyHazard(row.text));
    CHECK(FindPublicSafetyHazard(row.text) == std::optional<std::string_view>(row.keyword));
  }
}

TEST_CASE("traditional characters and full-width forms are read as the classifier reads them",
          "[hazard][zh]") {
  const Row rows[] = {
      {"樓下電線斷了，掉在路上", "电线断"},
      {"有人觸電了！", "触电"},
      {"路燈桿漏電", "漏电"},
      {"發生火災", "火灾"},
      {"电线\u3000断了", "电线断"},  // ideographic space
      {"ＦＩＲＥ at the substation", "fire"},
      {"Ｓｐａｒｋｓ from the box", "sparks"},
  };
  for (const Row& row : rows) {
    INFO(row.text);
    CHECK(MentionsPublicSafetyHazard(row.text));
    CHECK(FindPublicSafetyHazard(row.text) == std::optional<std::string_view>(row.keyword));
  }
  CHECK_FALSE(MentionsPublicSafetyHazard("漏電保護器跳閘了"));
}

TEST_CASE("English hazard reports, any case, whole words", "[hazard][en]") {
  const Row rows[] = {
      {"There is a wire down on Elm Street", "wire down"},
      {"wires down after the storm", "wires down"},
      {"Power line down across the road", "line down"},
      {"LINES DOWN near the school", "lines down"},
      {"a downed wire by the bus stop", "downed wire"},
      {"downed wires everywhere", "downed wires"},
      {"Downed line!", "downed line"},
      {"two downed lines", "downed lines"},
      {"downed power line on 5th", "downed power line"},
      {"downed power lines on 5th", "downed power lines"},
      {"fallen wire in the yard", "fallen wire"},
      {"fallen wires in the yard", "fallen wires"},
      {"a fallen line", "fallen line"},
      {"fallen lines", "fallen lines"},
      {"fallen power line", "fallen power line"},
      {"fallen power lines", "fallen power lines"},
      {"utility pole down", "pole down"},
      {"the transformer is sparking", "sparking"},
      {"sparks from the meter", "sparks"},
      {"I saw a spark.", "spark"},
      {"the cable is arcing", "arcing"},
      {"Smoke coming out of the meter box", "smoke"},
      {"the pole is smoking", "smoking"},
      {"the transformer is on fire", "fire"},
      {"two fires started", "fires"},
      {"flames on the pole", "flames"},
      {"a wildfire near the line", "wildfire"},
      {"my neighbour got an electric shock", "electric shock"},
      {"a dog was electrocuted", "electrocuted"},
      {"risk of electrocution", "electrocution"},
      {"loud explosion at the substation", "explosion"},
      {"the transformer exploded", "exploded"},
      {"a live wire on the ground", "live wire"},
      {"live wires", "live wires"},
      {"exposed wire at the base of the pole", "exposed wire"},
      {"exposed wires", "exposed wires"},
      // Whitespace runs, tabs and newlines count as one space.
      {"wire   down", "wire down"},
      {"WIRE\n\tDOWN", "wire down"},
      {"electric\r\nshock", "electric shock"},
      // Punctuation and Chinese next to an English keyword are boundaries.
      {"fire!!", "fire"},
      {"(smoke)", "smoke"},
      {"着fire了", "fire"},
  };
  for (const Row& row : rows) {
    INFO(row.text);
    CHECK(MentionsPublicSafetyHazard(row.text));
    CHECK(FindPublicSafetyHazard(row.text) == std::optional<std::string_view>(row.keyword));
  }
}

TEST_CASE("non-hazard texts", "[hazard][negative]") {
  const char* texts[] = {
      // Ordinary contacts.
      "",
      "停电了，什么时候来电？",
      "电费太高了，我要投诉",
      "我想办理新装",
      "表扬抢修班的师傅",
      "The power is out since 3 pm",
      "Please check my bill",
      // 火花塞 is a spark plug, a car part: not a hazard (decided; see priority_rules.h).
      "我的车火花塞坏了，能不能充电桩上修",
      "spark plug",
      "my car needs new spark plugs",
      // Lighters and appliances that will not light.
      "打火机没气了",
      "燃气灶打不着火",
      "车子点不着火",
      // Dropped calls and connections.
      "刚才电话掉线了，再打一次",
      "网络掉线",
      "宽带老是断线",
      "手机信号掉线",
      "通话断线了",
      "家里网掉线了",
      "游戏掉线",
      "宽带老是断线",  // a connection word earlier in the same clause
      "WiFi 总是掉线",
      "手机打过去老是断线，麻烦查一下",
      "路由器一直掉线",
      // The residual-current breaker itself.
      "漏电保护器跳闸了",
      "漏电开关一直跳",
      "漏电断路器坏了",
      // Idioms.
      "说得我嗓子冒烟",
      // English everyday phrases.
      "my smoke alarm keeps beeping since the outage",
      "smoke detectors need power",
      "the fire alarm went off when power returned",
      "No smoking sign at the hall",
      "you should fire him",
      "fire them all",
      "I was shocked by the bill",
      "the phone line down the street",  // "phone line down" is excluded
      "internet lines down again",
      // Whole words only.
      "I got fired",
      "firewall settings",
      "by the fireplace",
      "a bonfire party",
      "sparkling water",
      "smoked salmon",
      "wire downloads",
      "online download",
  };
  for (const char* text : texts) {
    INFO(text);
    CHECK_FALSE(MentionsPublicSafetyHazard(text));
    CHECK(FindPublicSafetyHazard(text) == std::nullopt);
  }
}

TEST_CASE("an excluded phrase does not hide a real hazard in the same text", "[hazard][mixed]") {
  const Row rows[] = {
      {"漏电保护器跳闸了，外面电线杆还漏电", "漏电"},
      {"火花塞旁边的电线冒火花", "火花"},
      {"刚才电话掉线了。路边有掉线", "掉线"},
      {"打火机点不着，插座打火", "打火"},
      {"电话断了。路边有断线", "断线"},  // the connection word is in another clause
      {"打电话报修：路边有断线", "断线"},
      {"宽带没问题, 门口掉线了", "掉线"},
      {"smoke alarm beeping and smoke from the meter", "smoke"},
      {"fire him! also the pole is on fire", "fire"},
      {"spark plug? no, sparks from the box", "sparks"},
      {"the phone line down the road, and a line down by the school", "line down"},
  };
  for (const Row& row : rows) {
    INFO(row.text);
    CHECK(MentionsPublicSafetyHazard(row.text));
    CHECK(FindPublicSafetyHazard(row.text) == std::optional<std::string_view>(row.keyword));
  }
}

TEST_CASE("exceptions need whole words too", "[hazard][mixed]") {
  // "casino smoking" ends in "no smoking" but is not that phrase.
  CHECK(MentionsPublicSafetyHazard("casino smoking"));
  // "spark plugged" is not "spark plug".
  CHECK(MentionsPublicSafetyHazard("a spark plugged into the socket"));
}

TEST_CASE("the first keyword in table order is reported, Chinese before English",
          "[hazard][order]") {
  CHECK(FindPublicSafetyHazard("fire 触电 电线断") == std::optional<std::string_view>("电线断"));
  CHECK(FindPublicSafetyHazard("smoke and sparks") == std::optional<std::string_view>("sparks"));
}

TEST_CASE("invalid UTF-8 and binary text are handled", "[hazard][robust]") {
  const std::string junk("\xff\xfe\x80 fire \xc3", 10);
  CHECK(MentionsPublicSafetyHazard(junk));
  const std::string nul("a\0b", 3);
  CHECK_FALSE(MentionsPublicSafetyHazard(nul));
  // A truncated keyword is not a match.
  const std::string cut = std::string("触电").substr(0, 4);
  CHECK_FALSE(MentionsPublicSafetyHazard(cut));
}
