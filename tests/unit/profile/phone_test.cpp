// NormalizePhone and ValidateCustomerId: the canonical phone form used by the phone index and the
// customer id rule shared by every profile RPC.
#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "customer_validation.h"
#include "profile_fixtures.h"

namespace profile = gridcare::profile;
using gridcare::profile::testing::CheckInvalid;

namespace {

using Expectation = std::pair<std::string, std::optional<std::string>>;

// Printable form of a NormalizePhone result, so failures show the value.
std::string Show(const std::optional<std::string>& phone) {
  return phone ? "\"" + *phone + "\"" : "nullopt";
}

void CheckAll(const std::vector<Expectation>& cases) {
  for (const auto& [input, expected] : cases) {
    INFO("input: \"" << input << "\"");
    CHECK(Show(profile::NormalizePhone(input)) == Show(expected));
  }
}

void CheckAllRejected(const std::vector<std::string>& inputs) {
  for (const auto& input : inputs) {
    INFO("input: \"" << input << "\"");
    CHECK(Show(profile::NormalizePhone(input)) == "nullopt");
  }
}

}  // namespace

TEST_CASE("mainland mobiles lose the +86, 0086 and bare 86 country prefixes") {
  CheckAll({
      {"13812345678", "13812345678"},
      {"+8613812345678", "13812345678"},
      {"+86 138 1234 5678", "13812345678"},
      {"+86 138-1234-5678", "13812345678"},  // the header's own example
      {"+86-138-1234-5678", "13812345678"},
      {"+86 (138) 1234.5678", "13812345678"},
      {"+ 86 138 1234 5678", "13812345678"},
      {"   +86 138 1234 5678", "13812345678"},  // leading blanks before the plus
      {"+86 138 1234 5678   ", "13812345678"},
      {"0086 138 1234 5678", "13812345678"},
      {"0086-138-1234-5678", "13812345678"},
      {"(0086) 13812345678", "13812345678"},
      {"008613812345678", "13812345678"},
      {"86 138 1234 5678", "13812345678"},
      {"8613812345678", "13812345678"},
      {"86-138.1234.5678", "13812345678"},
  });
}

TEST_CASE("mobiles written with spaces, dashes, parentheses and dots keep all their digits") {
  CheckAll({
      {"138 1234 5678", "13812345678"},
      {"138-1234-5678", "13812345678"},
      {"138.1234.5678", "13812345678"},
      {"(138) 1234-5678", "13812345678"},
      {"1 3 8 1 2 3 4 5 6 7 8", "13812345678"},
      {"138--1234..5678", "13812345678"},
      {"((138))12345678", "13812345678"},
  });
}

TEST_CASE("landlines keep their area code and trunk zero") {
  CheckAll({
      {"020-12345678", "02012345678"},  // the header's own example
      {"(020) 1234 5678", "02012345678"},
      {"020 1234 5678", "02012345678"},
      {"020.1234.5678", "02012345678"},
      {"02012345678", "02012345678"},
      {"010-88888888", "01088888888"},
      {"0571-8888888", "05718888888"},
      {"0755 8888 8888", "075588888888"},
      {"12345678", "12345678"},  // local number without area code
      {"8888888", "8888888"},
  });
}

TEST_CASE("the bare 86 prefix is removed from 13-digit numbers only") {
  CheckAll({
      {"8613812345678", "13812345678"},      // 86 + an 11-digit mobile
      {"86 199 0000 0000", "19900000000"},   // 86 + another mobile range
      {"862012345678", "862012345678"},      // 12 digits: kept as it is
      {"86138123456789", "86138123456789"},  // 14 digits: kept as it is
      {"861381234567", "861381234567"},      // 12 digits: kept as it is
      {"1064812345678", "1064812345678"},    // 13-digit M2M number without 86: kept
      {"8512345678901", "8512345678901"},    // 13 digits starting 85: kept
  });
  // Without '+' or 00, "86" is only a country code when an 11-digit mobile follows.
  CheckAll({
      {"8657188888888", "8657188888888"},
      {"8602012345678", "8602012345678"},
  });
}

TEST_CASE("the 0086 prefix is removed whatever the length that follows") {
  CheckAll({
      // The prefix goes and a landline gets back its trunk zero: the same as "020-12345678".
      {"0086 20 1234 5678", "02012345678"},
      {"00861234567", "1234567"},
      {"0086 1234 5678 9012 345", "123456789012345"},  // 19 digits before, 15 after
  });
  CheckAllRejected({"0086123456", "0086 1234 5678 9012 3456", "0086"});
}

TEST_CASE("phones need 7 to 15 digits after normalisation") {
  CheckAll({
      {"1234567", "1234567"},
      {"123-4567", "1234567"},
      {"123456789012345", "123456789012345"},
      {"+123 4567 8901 2345", "+123456789012345"},  // foreign numbers keep their country code
  });
  CheckAllRejected({
      "123456",            // 6 digits
      "123-456",           // 6 digits with a separator
      "95598",             // the utility's hotline short number
      "1",                 //
      "1234567890123456",  // 16 digits
  });
  // The country code does not count: 14 digits remain.
  CheckAll({{"+86 1381 2345 6789 01", "13812345678901"}});
}

TEST_CASE("letters and other punctuation make a phone invalid") {
  CheckAllRejected({
      "138-1234-567a",
      "TEL 13812345678",
      "13812345678 ext 12",
      "13812345678#123",
      "138_1234_5678",
      "138/1234/5678",
      "138,1234,5678",
      "138\t1234\t5678",
      "13812345678\n",
      "O2O-12345678",  // letter O instead of zero
      std::string("138\0"
                  "12345678",
                  12),
  });
}

TEST_CASE("a plus sign is accepted only as the first non-blank character") {
  CheckAllRejected({
      "138+12345678", "13812345678+", "++8613812345678", "+86+13812345678",
      "(+86) 138 1234 5678",  // a parenthesised prefix puts '(' before the plus
      "-+8613812345678",
      "\t+8613812345678",  // a tab is not a blank here (and is rejected anyway)
  });
  CheckAll({{"+-86-138-1234-5678", "13812345678"}});
}

TEST_CASE("empty and blank input is not a phone number") {
  CheckAllRejected({"", " ", "   ", "-", "---", "()", ".", "+", "  +  "});
}

TEST_CASE("full-width digits and separators are rejected rather than converted") {
  // The header promises "digits only"; the code accepts ASCII 0-9 and rejects every other byte,
  // so the UTF-8 of full-width forms (U+FF10..U+FF19, U+FF0B, U+FF0D, U+FF08) and the ideographic
  // space (U+3000) is refused.
  CheckAllRejected({
      "１３８１２３４５６７８",
      "138１２３４５６７８",
      "＋86 13812345678",
      "138－1234－5678",
      "（020）12345678",
      "138\u30001234\u30005678",
  });
}

TEST_CASE("normalising a normalised phone changes nothing") {
  for (const std::string input :
       {"+86 138-1234-5678", "0086 138 1234 5678", "8613812345678", "020-12345678",
        "(020) 1234 5678", "1234567", "123456789012345", "862012345678", "1064812345678"}) {
    INFO("input: \"" << input << "\"");
    const auto once = profile::NormalizePhone(input);
    REQUIRE(once.has_value());
    CHECK(Show(profile::NormalizePhone(*once)) == Show(once));
  }
}

// BUG: the header says the mainland prefix "+86 / 0086" is removed, but '+' is dropped before the
// prefix is examined and a bare "86" is stripped only from 13-digit numbers. A landline written
// internationally therefore keeps its "86" with '+' but loses it with "00": the same number gets
// two canonical forms ("862012345678" vs "2012345678"), and neither matches "020-12345678".
TEST_CASE("a landline written with +86 and with 0086 normalises to the same form", ) {
  CHECK(Show(profile::NormalizePhone("+86 20 1234 5678")) ==
        Show(profile::NormalizePhone("0086 20 1234 5678")));
}

TEST_CASE("a customer id is 1 to 64 characters of letters, digits, dash and underscore") {
  CHECK(profile::ValidateCustomerId("C").ok());
  CHECK(profile::ValidateCustomerId("0").ok());
  CHECK(profile::ValidateCustomerId("-").ok());
  CHECK(profile::ValidateCustomerId("_").ok());
  CHECK(profile::ValidateCustomerId("C-0001_ab").ok());
  CHECK(profile::ValidateCustomerId(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
            .ok());  // every allowed character, 64 of them
  CHECK(profile::ValidateCustomerId(std::string(64, 'x')).ok());
}

TEST_CASE("an empty customer id is rejected as required") {
  const auto status = profile::ValidateCustomerId("");
  CheckInvalid(status, "customer_id");
  CHECK_THAT(status.error().message, Catch::Contains("required"));
}

TEST_CASE("a customer id of 65 characters is too long") {
  CheckInvalid(profile::ValidateCustomerId(std::string(65, 'x')), "customer_id");
  CheckInvalid(profile::ValidateCustomerId(std::string(200, '1')), "customer_id");
}

TEST_CASE("a customer id with spaces, CJK, slashes or other punctuation is rejected") {
  for (const std::string id : {" C1", "C1 ", "C 1", "客户1", "电力", "C/1", "/", "../C1", "C.1",
                               "C@1", "C:1", "C+1", "C*1", "C%201", "C\t1", "C1\n", "Ｃ1"}) {
    INFO("customer id: \"" << id << "\"");
    CheckInvalid(profile::ValidateCustomerId(id), "customer_id");
  }
  CheckInvalid(profile::ValidateCustomerId(std::string("C\0"
                                                       "1",
                                                       3)),
               "customer_id");
}

TEST_CASE("the customer id limit counts bytes, so 22 CJK characters are too long anyway") {
  // 21 x 3 bytes = 63 bytes, still rejected for the characters; 22 x 3 = 66 for both reasons.
  CheckInvalid(profile::ValidateCustomerId(gridcare::profile::testing::Cjk(21)), "customer_id");
  CheckInvalid(profile::ValidateCustomerId(gridcare::profile::testing::Cjk(22)), "customer_id");
}
