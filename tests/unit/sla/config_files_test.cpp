// The default configuration shipped in libs/sla/config/ must load and say what we think it says.
#include <catch2/catch.hpp>
#include <string>

#include "gridcare/sla/calendar.h"
#include "gridcare/sla/standards.h"
#include "sla_test_util.h"

using namespace gridcare;
using namespace gridcare::sla;
using namespace gridcare::sla::testing;

namespace {

std::string ReadConfig(const std::string& name) {
  return ReadTextFile(std::string(GRIDCARE_SLA_CONFIG_DIR) + "/" + name);
}

}  // namespace

TEST_CASE("the shipped 2026 calendar loads and matches the State Council arrangement") {
  auto shipped = WorkingCalendar::FromJson(ReadConfig("calendar-cn-2026.json"));
  REQUIRE(shipped.ok());
  CHECK(shipped->time_zone_offset_minutes() == 480);
  const WorkingCalendar expected = Cn2026();
  for (auto day = std::chrono::sys_days{std::chrono::year{2026} / 1 / 1};
       day <= std::chrono::sys_days{std::chrono::year{2026} / 12 / 31};
       day += std::chrono::days{1}) {
    const std::chrono::year_month_day ymd{day};
    const LocalDate date{static_cast<int>(ymd.year()),
                         static_cast<int>(static_cast<unsigned>(ymd.month())),
                         static_cast<int>(static_cast<unsigned>(ymd.day()))};
    INFO(FormatLocalDate(date));
    CHECK(shipped->IsWorkingDay(date) == expected.IsWorkingDay(date));
  }
}

TEST_CASE("the shipped service standards are the built-in defaults") {
  auto shipped = ServiceStandards::FromJson(ReadConfig("service-standards.json"));
  REQUIRE(shipped.ok());
  CHECK(*shipped == ServiceStandards{});
}
