#include "gridcare/core/stable_hash.h"

#include <catch2/catch.hpp>
#include <string>

namespace gridcare::core {
namespace {

// Published FNV-1a 64 test vectors (draft-eastlake-fnv).
static_assert(Fnv1a64("") == 0xcbf29ce484222325ULL);
static_assert(Fnv1a64("a") == 0xaf63dc4c8601ec8cULL);
static_assert(Fnv1a64("foobar") == 0x85944171f73967e8ULL);
static_assert(Mix64(0) == 0);

TEST_CASE("FNV-1a continues a hash piece by piece") {
  CHECK(Fnv1a64("bar", Fnv1a64("foo")) == Fnv1a64("foobar"));
}

TEST_CASE("An integer is hashed as its eight little-endian bytes") {
  const std::string bytes("\x01\x02\x03\x04\x05\x06\x07\x08", 8);
  CHECK(Fnv1a64(0x0807060504030201ULL, kFnv1a64OffsetBasis) == Fnv1a64(bytes));
  CHECK(Fnv1a64(uint64_t{0}, kFnv1a64OffsetBasis) == Fnv1a64(std::string(8, '\0')));
}

TEST_CASE("The finalizer spreads neighbouring hashes over the high bits") {
  CHECK(Mix64(1) == 0xb456bcfc34c2cb2cULL);
  CHECK((Mix64(Fnv1a64("id-1")) >> 60) != (Mix64(Fnv1a64("id-2")) >> 60));
}

TEST_CASE("The unit interval stays below one") {
  CHECK(UnitInterval(0) == 0.0);
  CHECK(UnitInterval(~uint64_t{0}) < 1.0);
  CHECK(UnitInterval(uint64_t{1} << 63) == 0.5);
}

}  // namespace
}  // namespace gridcare::core
