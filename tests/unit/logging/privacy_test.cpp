#include "gridcare/logging/privacy.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "gridcare/core/text.h"

namespace gridcare::logging {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

struct Case {
  std::string input;
  std::string expected;
};

void CheckTable(std::string (*function)(std::string_view), const std::vector<Case>& cases) {
  for (const auto& row : cases) {
    INFO("input: " << row.input);
    const std::string output = function(row.input);
    CHECK(output == row.expected);
    CHECK(core::IsValidUtf8(output));
  }
}

TEST_CASE("MaskPhone keeps 3+4 digits of full numbers and the separators") {
  CheckTable(MaskPhone, {
                            {"13812345678", "138****5678"},
                            {"138 1234 5678", "138 **** 5678"},
                            {"138-1234-5678", "138-****-5678"},
                            {"+86 138 1234 5678", "+86 138 **** 5678"},
                            {"+86-138-1234-5678", "+86-138-****-5678"},
                            {"+8613812345678", "+86138****5678"},
                            {"020-12345678", "020-****5678"},
                            {"(020) 1234 5678", "(020) **** 5678"},
                            {"0755-12345678", "075*-****5678"},
                            {"010-12345678-123", "010-*******8-123"},
                            {"  13812345678 ", "138****5678"},
                            {"１３８１２３４５６７８", "１３８****５６７８"},
                            {"＋８６ １３８１２３４５６７８", "＋８６ １３８****５６７８"},
                            {"+1 415 555 0123", "+1 41* *** 0123"},
                        });
}

TEST_CASE("MaskPhone on short numbers keeps at most the last four digits") {
  CheckTable(MaskPhone, {
                            {"87654321", "****4321"},
                            {"1234567", "***4567"},
                            {"4008208820", "******8820"},
                            {"95598", "*****"},
                            {"123", "***"},
                            {"", ""},
                            {"   ", ""},
                            {"n/a", "n/a"},
                            {"+86 10 1234 5678", "+86 ** **** 5678"},
                        });
}

TEST_CASE("MaskPhone replaces invalid UTF-8") {
  CheckTable(MaskPhone, {
                            {"138\xff"
                             "12345678",
                             "138" + kFffd + "****5678"},
                            {"\xc3"
                             "13812345678",
                             kFffd + "138****5678"},
                        });
}

TEST_CASE("MaskName keeps the first code point only") {
  CheckTable(MaskName, {
                           {"张三丰", "张**"},
                           {"张三", "张*"},
                           {"欧阳娜娜", "欧***"},
                           {"Li Wei", "L*****"},
                           {"  Li Wei  ", "L*****"},
                           {"Ñúñez", "Ñ****"},
                           {"😀ab", "😀**"},
                           {"王", "*"},
                           {"W", "*"},
                           {"", ""},
                           {"　张三　", "张*"},  // ideographic spaces
                           {"\xff张三", kFffd + "**"},
                           {"张\xff", "张*"},
                       });
}

TEST_CASE("RedactFreeText masks phone numbers in Chinese text") {
  CheckTable(
      RedactFreeText,
      {
          {"我的电话是13812345678，请尽快处理", "我的电话是138****5678，请尽快处理"},
          {"13812345678", "138****5678"},
          {"13812345678家里停电了", "138****5678家里停电了"},
          {"联系人电话：13812345678", "联系人电话：138****5678"},
          {"电话138 1234 5678或者138-8765-4321都行", "电话138 **** 5678或者138-****-4321都行"},
          {"两个号码13812345678和13987654321", "两个号码138****5678和139****4321"},
          {"座机010-87654321，手机+86 139 8765 4321", "座机010-****4321，手机+86 139 **** 4321"},
          {"电话１３８１２３４５６７８", "电话１３８****５６７８"},
          {"户号1234567890", "户号******7890"},
          {"身份证11010519491231002X", "身份证110**********1002X"},
          {"打13812345678。", "打138****5678。"},
      });
}

TEST_CASE("RedactFreeText masks phone numbers in English text") {
  CheckTable(RedactFreeText,
             {
                 {"Call me at 138 1234 5678 please", "Call me at 138 **** 5678 please"},
                 {"call +8613812345678 now", "call +86138****5678 now"},
                 {"13812345678 13987654321", "138****5678 139****4321"},
                 {"numbers: 13812345678,13987654321.", "numbers: 138****5678,139****4321."},
                 {"landline 0755-1234-5678 ok", "landline 075*-****-5678 ok"},
                 {"ID13812345678", "ID138****5678"},
                 {"seven 1234567 digits", "seven ***4567 digits"},
             });
}

TEST_CASE("RedactFreeText leaves short numbers, dates and amounts alone") {
  for (const std::string text : {
           "停电时间2026-11-24 08:30，电费123.45元，10kV线路",
           "2026年11月24日下午3点停电",
           "Outage on 2026-11-24 from 08:00 to 18:30, 35kV and 110kV feeders",
           "call 95598 for help",
           "123456 is only six digits",
           "amount 12345678.90 yuan",
           "ratio 0.12345678",
           "1,234,567 customers",
           "12 3456",
           "v1.2.3",
           "",
           "没有数字",
       }) {
    INFO(text);
    CHECK(RedactFreeText(text) == text);
  }
}

TEST_CASE("RedactFreeText keeps a date next to a phone number intact") {
  CheckTable(RedactFreeText,
             {
                 {"2026-11-24 13812345678", "2026-11-24 138****5678"},
                 {"13812345678 2026-11-24", "138****5678 2026-11-24"},
                 {"on 2026-11-24, call 020-87654321", "on 2026-11-24, call 020-****4321"},
             });
}

TEST_CASE("RedactFreeText: compact dates and long codes are masked, erring on privacy") {
  CheckTable(RedactFreeText, {
                                 {"ref 20261124", "ref ****1124"},
                                 {"hotline 400-820-8820", "hotline ***-***-8820"},
                             });
}

TEST_CASE("RedactFreeText replaces invalid UTF-8 and still masks") {
  CheckTable(RedactFreeText, {
                                 {"\xff"
                                  "13812345678\xfe",
                                  kFffd + "138****5678" + kFffd},
                                 {"电话\xe4\xb8"
                                  "13812345678",
                                  "电话" + kFffd + kFffd + "138****5678"},
                                 {"1381234\xff"
                                  "5678",
                                  "138****" + kFffd + "5678"},
                             });
}

TEST_CASE("MaskAddress masks the numbers of Chinese addresses and keeps the street") {
  CheckTable(MaskAddress,
             {
                 {"广州市天河区体育西路191号", "广州市天河区体育西路***号"},
                 {"广东省广州市天河区体育西路 191 号 3 栋 502",
                  "广东省广州市天河区体育西路 *** 号 * 栋 ***"},
                 {"广州市天河区体育西路191号中石化大厦B座2501室",
                  "广州市天河区体育西路***号中石化大厦B座****室"},
                 {"北京市朝阳区建国路88号SOHO现代城3号楼1203A",
                  "北京市朝阳区建国路**号SOHO现代城*号楼*****"},
                 {"广州市从化区太平镇钟落潭村 3 组 15 号", "广州市从化区太平镇钟落潭村 * 组 ** 号"},
                 {"首层 12 号铺", "首层 ** 号铺"},
                 {"体育西路１９１号Ｂ２栋", "体育西路***号**栋"},
                 {"体育西路191-3号", "体育西路***-*号"},
             });
}

TEST_CASE("MaskAddress masks the numbers of English addresses and keeps the words") {
  CheckTable(
      MaskAddress,
      {
          {"Room 502, Building 3, 191 Tiyu West Road, Tianhe District, Guangzhou",
           "Room ***, Building *, *** Tiyu West Road, Tianhe District, Guangzhou"},
          {"Flat 5B, 12 Baker Street", "Flat **, ** Baker Street"},
          {"3rd Floor, No.18 Huaxia Road", "*** Floor, No.** Huaxia Road"},
          {"Unit A2-1503, Zhujiang New Town 510623", "Unit **-****, Zhujiang New Town ******"},
      });
}

TEST_CASE("MaskAddress keeps an address without digits whole and trims it") {
  CheckTable(MaskAddress, {
                              {"  广州市天河区体育西路  ", "广州市天河区体育西路"},
                              {"体育西路一九一号三栋", "体育西路一九一号三栋"},
                              {"Tiyu West Road", "Tiyu West Road"},
                              {"\u3000广州市 ", "广州市"},
                              {"", ""},
                              {"   ", ""},
                          });
}

TEST_CASE("MaskAddress replaces invalid UTF-8 and still masks") {
  CheckTable(MaskAddress, {
                              {"体育西路\xff"
                               "191号",
                               "体育西路" + kFffd + "***号"},
                              {"191\xfe"
                               "号",
                               "***" + kFffd + "号"},
                          });
}

}  // namespace
}  // namespace gridcare::logging
