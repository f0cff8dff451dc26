// Normalized: the record as stored.
#include <google/protobuf/util/message_differencer.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "customer_validation.h"
#include "profile_fixtures.h"

namespace profile = gridcare::profile;
namespace v1 = gridcare::v1;
using google::protobuf::util::MessageDifferencer;
using gridcare::profile::testing::ValidCustomer;

namespace {

std::vector<std::string> Phones(const v1::Customer& customer) {
  return {customer.phones().begin(), customer.phones().end()};
}

std::vector<int> Tags(const v1::Customer& customer) {
  return {customer.tags().begin(), customer.tags().end()};
}

// Compares two messages and, on a difference, shows it.
void CheckSameMessage(const google::protobuf::Message& actual,
                      const google::protobuf::Message& expected) {
  std::string difference;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&difference);
  const bool same = differencer.Compare(actual, expected);
  INFO(difference);
  CHECK(same);
}

v1::Customer WithHistory(v1::Customer customer) {
  auto* history = customer.mutable_history();
  history->set_open_tickets(3);
  history->set_faults_last_12_months(4);
  history->set_complaints_last_30_days(2);
  history->set_last_satisfaction_score(5);
  history->mutable_last_contact_at()->set_seconds(1'795'000'000);
  history->set_urgings_last_30_days(1);
  return customer;
}

}  // namespace

TEST_CASE("normalising a customer normalises every phone in order") {
  auto customer = ValidCustomer();
  customer.clear_phones();
  customer.add_phones("+86 138-1234-5678");
  customer.add_phones("(020) 1234 5678");
  customer.add_phones("0086 139 0000 1111");
  customer.add_phones("8613700001111");
  customer.add_phones("1234567");
  CHECK(Phones(profile::Normalized(customer)) ==
        std::vector<std::string>{"13812345678", "02012345678", "13900001111", "13700001111",
                                 "1234567"});
}

TEST_CASE("a phone that cannot be normalised is kept as written") {
  // Validation rejects such a record first; Normalized itself leaves the text alone.
  auto customer = ValidCustomer();
  customer.clear_phones();
  customer.add_phones("138-1234-5678");
  customer.add_phones("not a phone");
  customer.add_phones("123");
  CHECK(Phones(profile::Normalized(customer)) ==
        std::vector<std::string>{"13812345678", "not a phone", "123"});
}

TEST_CASE("two spellings of one phone stay as two entries after normalisation") {
  // Only tags are de-duplicated; the phone list keeps its length.
  auto customer = ValidCustomer();
  customer.clear_phones();
  customer.add_phones("+86 138 1234 5678");
  customer.add_phones("13812345678");
  CHECK(Phones(profile::Normalized(customer)) ==
        std::vector<std::string>{"13812345678", "13812345678"});
}

TEST_CASE("duplicate tags are removed keeping the first-seen order") {
  auto customer = ValidCustomer();
  customer.clear_tags();
  for (const auto tag :
       {v1::CUSTOMER_TAG_ELDERLY, v1::CUSTOMER_TAG_IMPORTANT, v1::CUSTOMER_TAG_ELDERLY,
        v1::CUSTOMER_TAG_SENSITIVE, v1::CUSTOMER_TAG_IMPORTANT, v1::CUSTOMER_TAG_SENSITIVE,
        v1::CUSTOMER_TAG_LIFE_SUPPORT}) {
    customer.add_tags(tag);
  }
  CHECK(Tags(profile::Normalized(customer)) ==
        std::vector<int>{v1::CUSTOMER_TAG_ELDERLY, v1::CUSTOMER_TAG_IMPORTANT,
                         v1::CUSTOMER_TAG_SENSITIVE, v1::CUSTOMER_TAG_LIFE_SUPPORT});
}

TEST_CASE("tags without duplicates keep their order, including an unsorted one") {
  auto customer = ValidCustomer();
  customer.clear_tags();
  customer.add_tags(v1::CUSTOMER_TAG_VIP_ACCOUNT);
  customer.add_tags(v1::CUSTOMER_TAG_IMPORTANT);
  CHECK(Tags(profile::Normalized(customer)) ==
        std::vector<int>{v1::CUSTOMER_TAG_VIP_ACCOUNT, v1::CUSTOMER_TAG_IMPORTANT});

  customer.clear_tags();
  CHECK(profile::Normalized(customer).tags().empty());

  for (int i = 0; i < 4; ++i) customer.add_tags(v1::CUSTOMER_TAG_SENSITIVE);
  CHECK(Tags(profile::Normalized(customer)) == std::vector<int>{v1::CUSTOMER_TAG_SENSITIVE});
}

TEST_CASE("normalising clears the history counters") {
  const auto normalized = profile::Normalized(WithHistory(ValidCustomer()));
  CHECK_FALSE(normalized.has_history());
  CheckSameMessage(normalized.history(), v1::HistoryCounters());
}

TEST_CASE("normalising leaves every other field untouched") {
  auto input = WithHistory(ValidCustomer());
  input.add_tags(v1::CUSTOMER_TAG_IMPORTANT);  // a duplicate, removed
  input.mutable_updated_at()->set_seconds(1'795'000'000);
  input.mutable_updated_at()->set_nanos(5);

  // Expected: the input with exactly the three documented changes applied by hand.
  auto expected = input;
  expected.set_phones(0, "13812345678");
  expected.set_phones(1, "02012345678");
  expected.clear_tags();
  expected.add_tags(v1::CUSTOMER_TAG_IMPORTANT);
  expected.add_tags(v1::CUSTOMER_TAG_ELDERLY);
  expected.clear_history();

  CheckSameMessage(profile::Normalized(input), expected);
}

TEST_CASE("normalising a normalised customer changes nothing") {
  const auto once = profile::Normalized(WithHistory(ValidCustomer()));
  CheckSameMessage(profile::Normalized(once), once);
}

TEST_CASE("a valid customer is still valid after normalisation") {
  const auto normalized = profile::Normalized(ValidCustomer());
  const auto status = profile::ValidateCustomer(normalized);
  INFO((status.ok() ? std::string("ok") : status.error().message));
  CHECK(status.ok());
}
