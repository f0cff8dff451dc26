// The saved-event encoding: exact round trip, deterministic bytes, corrupt data refused.
#include "outbox.h"

#include <catch2/catch.hpp>

#include "crew_fixture.h"

namespace gridcare::repair_crew {
namespace {

using namespace std::chrono_literals;

OutboxEntry Entry() {
  OutboxEntry entry;
  entry.record.topic = "gridcare.crew.v1";
  entry.record.key = "CREW-001-01";
  entry.record.value = std::string("\x0a\x03\x00\xff\n", 5);  // binary, with NUL
  entry.record.headers = {{"ce_id", "e-1"},
                          {"ce_type", "gridcare.crew.job_accepted.v1"},
                          {"ce_subject", ""},
                          {"ce_id", "repeated-key"}};
  entry.saved_at = testing::StartTime() + std::chrono::milliseconds(123);
  return entry;
}

}  // namespace

TEST_CASE("a saved event decodes to exactly what was saved") {
  const OutboxEntry entry = Entry();
  const std::string bytes = EncodeOutboxEntry(entry);
  auto decoded = DecodeOutboxEntry(bytes);
  REQUIRE(decoded.ok());
  CHECK(decoded->record.topic == entry.record.topic);
  CHECK(decoded->record.key == entry.record.key);
  CHECK(decoded->record.value == entry.record.value);
  CHECK(decoded->record.headers == entry.record.headers);
  CHECK(decoded->saved_at == entry.saved_at);
  CHECK(EncodeOutboxEntry(*decoded) == bytes);  // deterministic: found again by its bytes
}

TEST_CASE("an empty record round-trips too") {
  OutboxEntry entry;
  entry.saved_at = testing::StartTime();
  auto decoded = DecodeOutboxEntry(EncodeOutboxEntry(entry));
  REQUIRE(decoded.ok());
  CHECK(decoded->record.headers.empty());
  CHECK(decoded->record.value.empty());
}

TEST_CASE("bytes the encoder did not produce are INTERNAL") {
  const std::string bytes = EncodeOutboxEntry(Entry());
  for (size_t cut : {size_t{0}, size_t{3}, size_t{5}, size_t{20}, bytes.size() - 1}) {
    INFO("cut at " << cut);
    auto decoded = DecodeOutboxEntry(bytes.substr(0, cut));
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().kind == core::ErrorKind::kInternal);
  }
  CHECK_FALSE(DecodeOutboxEntry(bytes + "x").ok());
  std::string wrong_magic = bytes;
  wrong_magic[0] = 'X';
  CHECK_FALSE(DecodeOutboxEntry(wrong_magic).ok());
  // A length that points past the end.
  std::string huge = bytes;
  huge[5 + 8] = '\x7f';
  CHECK_FALSE(DecodeOutboxEntry(huge).ok());
}

}  // namespace gridcare::repair_crew
