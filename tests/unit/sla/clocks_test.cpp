#include "gridcare/sla/clocks.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <vector>

#include "sla_test_util.h"

using namespace gridcare;
using namespace gridcare::sla;
using namespace gridcare::sla::testing;
using namespace std::chrono_literals;
using Kind = v1::ServiceClock;

namespace {

std::vector<v1::ServiceClock> Clocks(TicketFacts facts, core::TimePoint opened,
                                     const ServiceStandards& standards = {}) {
  return ClocksFor(facts, opened, standards, Cn2026());
}

TicketFacts Application(v1::ServiceApplicationKind kind,
                        v1::AccountType account = v1::ACCOUNT_TYPE_RESIDENTIAL) {
  return {v1::REQUEST_TYPE_SERVICE_APPLICATION, kind, v1::AREA_CLASS_URBAN, account};
}

// Checks the invariants every fresh clock has and returns its due time.
core::TimePoint Due(const v1::ServiceClock& clock, core::TimePoint opened) {
  CHECK(clock.has_starts_at());
  CHECK(FromTimestamp(clock.starts_at()) == opened);
  CHECK_FALSE(clock.has_met_at());
  REQUIRE(clock.has_due_at());
  return FromTimestamp(clock.due_at());
}

v1::ServiceClock ClockDue(core::TimePoint due) {
  v1::ServiceClock clock;
  clock.set_kind(Kind::KIND_ARRIVAL);
  *clock.mutable_starts_at() = ToTimestamp(due - 45min);
  *clock.mutable_due_at() = ToTimestamp(due);
  return clock;
}

}  // namespace

TEST_CASE("timestamps convert both ways with nanosecond precision") {
  const core::TimePoint t = At(2026, 9, 30, 16) + 123456789ns;
  const google::protobuf::Timestamp ts = ToTimestamp(t);
  CHECK(ts.seconds() == 1790755200);
  CHECK(ts.nanos() == 123456789);
  CHECK(FromTimestamp(ts) == t);
  const core::TimePoint before_epoch = Utc(1969, 12, 31, 23, 59) + 30500ms;
  CHECK(FromTimestamp(ToTimestamp(before_epoch)) == before_epoch);
  CHECK(FromTimestamp(google::protobuf::Timestamp{}) == core::TimePoint{});
}

TEST_CASE("a fault repair gets an arrival clock by area class") {
  const core::TimePoint opened = At(2026, 10, 1, 2, 30);  // holidays do not matter: wall time
  struct Row {
    v1::AreaClass area;
    std::chrono::minutes limit;
  };
  for (const Row row :
       {Row{v1::AREA_CLASS_URBAN, 45min}, Row{v1::AREA_CLASS_RURAL, 90min},
        Row{v1::AREA_CLASS_REMOTE, 120min}, Row{v1::AREA_CLASS_UNSPECIFIED, 45min},  // strictest
        Row{static_cast<v1::AreaClass>(42), 45min}}) {
    INFO("area " << row.area);
    const auto clocks = Clocks({v1::REQUEST_TYPE_FAULT_REPAIR, {}, row.area, {}}, opened);
    REQUIRE(clocks.size() == 1);
    CHECK(clocks[0].kind() == Kind::KIND_ARRIVAL);
    CHECK_FALSE(clocks[0].working_days());
    CHECK(Due(clocks[0], opened) == opened + row.limit);
  }
}

TEST_CASE("arrival limits follow the standards") {
  ServiceStandards standards;
  standards.arrival_urban = 30min;
  standards.arrival_rural = 60min;
  standards.arrival_remote = 180min;
  const core::TimePoint opened = At(2026, 3, 2, 10);
  auto due = [&](v1::AreaClass area) {
    const auto clocks = Clocks({v1::REQUEST_TYPE_FAULT_REPAIR, {}, area, {}}, opened, standards);
    REQUIRE(clocks.size() == 1);
    return FromTimestamp(clocks[0].due_at());
  };
  CHECK(due(v1::AREA_CLASS_URBAN) == opened + 30min);
  CHECK(due(v1::AREA_CLASS_RURAL) == opened + 60min);
  CHECK(due(v1::AREA_CLASS_REMOTE) == opened + 180min);
  CHECK(due(v1::AREA_CLASS_UNSPECIFIED) == opened + 30min);
}

TEST_CASE("restoration clocks start at arrival") {
  const core::TimePoint arrived = At(2026, 10, 3, 23);
  struct Row {
    v1::AreaClass area;
    std::chrono::minutes limit;
  };
  for (const Row row :
       {Row{v1::AREA_CLASS_URBAN, 180min}, Row{v1::AREA_CLASS_RURAL, 240min},
        Row{v1::AREA_CLASS_REMOTE, 240min}, Row{v1::AREA_CLASS_UNSPECIFIED, 180min}}) {
    INFO("area " << row.area);
    const v1::ServiceClock clock = RestorationClock(row.area, arrived, ServiceStandards{});
    CHECK(clock.kind() == Kind::KIND_RESTORATION);
    CHECK_FALSE(clock.working_days());
    CHECK(Due(clock, arrived) == arrived + row.limit);
  }
  ServiceStandards csg;
  csg.restoration_urban = 4h;
  csg.restoration_rural = 5h;
  csg.restoration_remote = 6h;
  CHECK(FromTimestamp(RestorationClock(v1::AREA_CLASS_URBAN, arrived, csg).due_at()) ==
        arrived + 4h);
  CHECK(FromTimestamp(RestorationClock(v1::AREA_CLASS_RURAL, arrived, csg).due_at()) ==
        arrived + 5h);
  CHECK(FromTimestamp(RestorationClock(v1::AREA_CLASS_REMOTE, arrived, csg).due_at()) ==
        arrived + 6h);
}

TEST_CASE("a complaint gets a 24 h contact clock and a 5-working-day reply clock") {
  const core::TimePoint opened = At(2026, 9, 30, 16);
  const auto clocks = Clocks({v1::REQUEST_TYPE_COMPLAINT, {}, v1::AREA_CLASS_RURAL, {}}, opened);
  REQUIRE(clocks.size() == 2);
  CHECK(clocks[0].kind() == Kind::KIND_COMPLAINT_CONTACT);
  CHECK_FALSE(clocks[0].working_days());
  CHECK(Due(clocks[0], opened) == At(2026, 10, 1, 16));  // wall time, even on a holiday
  CHECK(clocks[1].kind() == Kind::KIND_COMPLAINT_REPLY);
  CHECK(clocks[1].working_days());
  CHECK(Due(clocks[1], opened) == At(2026, 10, 13, 16));

  ServiceStandards standards;
  standards.complaint_contact = 2h;
  standards.complaint_reply_working_days = 1;
  const auto tight = Clocks({v1::REQUEST_TYPE_COMPLAINT, {}, {}, {}}, opened, standards);
  REQUIRE(tight.size() == 2);
  CHECK(FromTimestamp(tight[0].due_at()) == At(2026, 9, 30, 18));
  CHECK(FromTimestamp(tight[1].due_at()) == At(2026, 10, 8, 16));
}

TEST_CASE("a complaint opened on a holiday starts counting on the next working day") {
  const core::TimePoint opened = At(2026, 10, 2, 9);
  const auto clocks = Clocks({v1::REQUEST_TYPE_COMPLAINT, {}, {}, {}}, opened);
  REQUIRE(clocks.size() == 2);
  CHECK(Due(clocks[0], opened) == At(2026, 10, 3, 9));
  // 10-08, 09, 10 (Sat), 12, 13 -> end of 10-13 = 10-14 00:00.
  CHECK(Due(clocks[1], opened) == At(2026, 10, 14));
}

TEST_CASE("reports, opinions and suggestions get a reply clock") {
  ServiceStandards standards;
  standards.report_reply_working_days = 3;
  standards.opinion_reply_working_days = 3;
  standards.complaint_reply_working_days = 9;         // must not be used
  const core::TimePoint opened = At(2026, 3, 5, 11);  // Thursday
  for (const v1::RequestType type :
       {v1::REQUEST_TYPE_REPORT, v1::REQUEST_TYPE_OPINION, v1::REQUEST_TYPE_SUGGESTION}) {
    INFO("type " << type);
    const auto clocks = Clocks({type, {}, v1::AREA_CLASS_REMOTE, {}}, opened, standards);
    REQUIRE(clocks.size() == 1);
    CHECK(clocks[0].kind() == Kind::KIND_COMPLAINT_REPLY);
    CHECK(clocks[0].working_days());
    CHECK(Due(clocks[0], opened) == At(2026, 3, 10, 11));
  }
  // Defaults: reports 9 working days, opinions and suggestions 5.
  const auto defaults = Clocks({v1::REQUEST_TYPE_REPORT, {}, {}, {}}, opened);
  REQUIRE(defaults.size() == 1);
  CHECK(FromTimestamp(defaults[0].due_at()) == At(2026, 3, 18, 11));
  const auto opinion = Clocks({v1::REQUEST_TYPE_OPINION, {}, {}, {}}, opened);
  REQUIRE(opinion.size() == 1);
  CHECK(FromTimestamp(opinion[0].due_at()) == At(2026, 3, 12, 11));
}

TEST_CASE("a consultation gets a wall-time reply clock") {
  const core::TimePoint opened = At(2026, 3, 6, 17);  // Friday evening
  const auto clocks = Clocks({v1::REQUEST_TYPE_CONSULTATION, {}, {}, {}}, opened);
  REQUIRE(clocks.size() == 1);
  CHECK(clocks[0].kind() == Kind::KIND_CONSULTATION_REPLY);
  CHECK_FALSE(clocks[0].working_days());
  CHECK(Due(clocks[0], opened) == At(2026, 3, 7, 17));
  ServiceStandards standards;
  standards.consultation_reply = 4h;
  CHECK(FromTimestamp(
            Clocks({v1::REQUEST_TYPE_CONSULTATION, {}, {}, {}}, opened, standards)[0].due_at()) ==
        At(2026, 3, 6, 21));
}

TEST_CASE("praise, urging and unknown request types get no clock") {
  const core::TimePoint opened = At(2026, 3, 2, 10);
  for (const v1::RequestType type :
       {v1::REQUEST_TYPE_PRAISE, v1::REQUEST_TYPE_URGING, v1::REQUEST_TYPE_UNSPECIFIED,
        static_cast<v1::RequestType>(99)}) {
    INFO("type " << type);
    CHECK(Clocks({type, v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION, v1::AREA_CLASS_URBAN,
                  v1::ACCOUNT_TYPE_RESIDENTIAL},
                 opened)
              .empty());
  }
}

TEST_CASE("a new connection is due in 5 or 6 working days by account type") {
  ServiceStandards standards;
  standards.new_connection_residential_working_days = 5;
  standards.new_connection_non_residential_working_days = 6;
  standards.other_application_working_days = 9;  // must not be used
  const core::TimePoint opened = At(2026, 9, 30, 16);
  struct Row {
    v1::AccountType account;
    core::TimePoint due;
  };
  // Working days after 09-30: 10-08, 09, 10 (Sat), 12, 13, 14.
  for (const Row row : {Row{v1::ACCOUNT_TYPE_RESIDENTIAL, At(2026, 10, 13, 16)},
                        Row{v1::ACCOUNT_TYPE_UNSPECIFIED, At(2026, 10, 13, 16)},  // strictest
                        Row{v1::ACCOUNT_TYPE_COMMERCIAL, At(2026, 10, 14, 16)},
                        Row{v1::ACCOUNT_TYPE_INDUSTRIAL, At(2026, 10, 14, 16)},
                        Row{v1::ACCOUNT_TYPE_AGRICULTURAL, At(2026, 10, 14, 16)}}) {
    INFO("account " << row.account);
    const auto clocks = Clocks(
        Application(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION, row.account), opened, standards);
    REQUIRE(clocks.size() == 1);
    CHECK(clocks[0].kind() == Kind::KIND_APPLICATION_COMPLETION);
    CHECK(clocks[0].working_days());
    CHECK(Show(Due(clocks[0], opened)) == Show(row.due));
  }
}

TEST_CASE("a meter check gets a meter dispute result clock") {
  ServiceStandards standards;
  standards.meter_dispute_working_days = 2;
  const core::TimePoint opened = At(2026, 2, 13, 9);  // Friday before Spring Festival
  for (const v1::AccountType account :
       {v1::ACCOUNT_TYPE_RESIDENTIAL, v1::ACCOUNT_TYPE_INDUSTRIAL}) {
    const auto clocks =
        Clocks(Application(v1::SERVICE_APPLICATION_KIND_METER_CHECK, account), opened, standards);
    REQUIRE(clocks.size() == 1);
    CHECK(clocks[0].kind() == Kind::KIND_METER_DISPUTE_RESULT);
    CHECK(clocks[0].working_days());
    CHECK(Due(clocks[0], opened) == At(2026, 2, 24, 9));  // working Sat 02-14, then 02-24
  }
  const auto defaults = Clocks(Application(v1::SERVICE_APPLICATION_KIND_METER_CHECK), opened);
  REQUIRE(defaults.size() == 1);
  CHECK(FromTimestamp(defaults[0].due_at()) == At(2026, 2, 27, 9));
}

TEST_CASE("every other application kind gets the other-application completion clock") {
  ServiceStandards standards;
  standards.other_application_working_days = 2;
  standards.new_connection_residential_working_days = 9;  // must not be used
  standards.new_connection_non_residential_working_days = 9;
  const core::TimePoint opened = At(2026, 3, 5, 11);  // Thursday
  for (const v1::ServiceApplicationKind kind :
       {v1::SERVICE_APPLICATION_KIND_CAPACITY_CHANGE, v1::SERVICE_APPLICATION_KIND_ACCOUNT_TRANSFER,
        v1::SERVICE_APPLICATION_KIND_METER_RELOCATION, v1::SERVICE_APPLICATION_KIND_TARIFF_CHANGE,
        v1::SERVICE_APPLICATION_KIND_TEMPORARY_SUPPLY, v1::SERVICE_APPLICATION_KIND_DISCONNECTION,
        v1::SERVICE_APPLICATION_KIND_UNSPECIFIED, static_cast<v1::ServiceApplicationKind>(77)}) {
    for (const v1::AccountType account :
         {v1::ACCOUNT_TYPE_RESIDENTIAL, v1::ACCOUNT_TYPE_COMMERCIAL}) {
      INFO("kind " << kind << " account " << account);
      const auto clocks = Clocks(Application(kind, account), opened, standards);
      REQUIRE(clocks.size() == 1);
      CHECK(clocks[0].kind() == Kind::KIND_APPLICATION_COMPLETION);
      CHECK(clocks[0].working_days());
      CHECK(Due(clocks[0], opened) == At(2026, 3, 9, 11));
    }
  }
}

TEST_CASE("every application kind and request type is covered") {
  // Guards against a new enum value in common.proto going unnoticed: each known value must be
  // handled deliberately (either a clock or, for praise/urging/unspecified, none).
  const core::TimePoint opened = At(2026, 3, 2, 10);
  for (int value = v1::RequestType_MIN; value <= v1::RequestType_MAX; ++value) {
    const auto type = static_cast<v1::RequestType>(value);
    const bool none = type == v1::REQUEST_TYPE_PRAISE || type == v1::REQUEST_TYPE_URGING ||
                      type == v1::REQUEST_TYPE_UNSPECIFIED;
    INFO(v1::RequestType_Name(type));
    CHECK(Clocks({type, {}, {}, {}}, opened).empty() == none);
  }
  CHECK(v1::RequestType_MAX == v1::REQUEST_TYPE_URGING);
  CHECK(v1::ServiceApplicationKind_MAX == v1::SERVICE_APPLICATION_KIND_DISCONNECTION);
  CHECK(v1::AreaClass_MAX == v1::AREA_CLASS_REMOTE);
  CHECK(v1::AccountType_MAX == v1::ACCOUNT_TYPE_AGRICULTURAL);
}

TEST_CASE("clock state boundaries") {
  const core::TimePoint due = At(2026, 3, 2, 12);
  const v1::ServiceClock clock = ClockDue(due);
  SECTION("on time, due soon, overdue") {
    CHECK(StateOf(clock, due - 2h, 30min) == ClockState::kOnTime);
    CHECK(StateOf(clock, due - 30min - 1ns, 30min) == ClockState::kOnTime);
    CHECK(StateOf(clock, due - 30min, 30min) == ClockState::kDueSoon);
    CHECK(StateOf(clock, due - 1min, 30min) == ClockState::kDueSoon);
    CHECK(StateOf(clock, due, 30min) == ClockState::kDueSoon);
    CHECK(StateOf(clock, due + 1ns, 30min) == ClockState::kOverdue);
    CHECK(StateOf(clock, due + 48h, 30min) == ClockState::kOverdue);
  }
  SECTION("zero and negative warnings") {
    CHECK(StateOf(clock, due - 1ns, 0min) == ClockState::kOnTime);
    CHECK(StateOf(clock, due, 0min) == ClockState::kDueSoon);
    CHECK(StateOf(clock, due - 1ns, -10min) == ClockState::kOnTime);
    CHECK(StateOf(clock, due + 1ns, -10min) == ClockState::kOverdue);
  }
  SECTION("a met clock is met, early or late") {
    v1::ServiceClock met = clock;
    *met.mutable_met_at() = ToTimestamp(due - 10min);
    CHECK(StateOf(met, due - 1h, 30min) == ClockState::kMet);
    CHECK(StateOf(met, due + 1h, 30min) == ClockState::kMet);
    *met.mutable_met_at() = ToTimestamp(due + 10min);
    CHECK(StateOf(met, due + 1h, 30min) == ClockState::kMet);
  }
  SECTION("a clock without a deadline is never overdue") {
    v1::ServiceClock open_ended;
    open_ended.set_kind(Kind::KIND_RESTORATION);
    CHECK(StateOf(open_ended, due, 30min) == ClockState::kOnTime);
  }
  SECTION("a working-day clock turns overdue at its due instant, not at the end of a day") {
    const auto clocks = Clocks({v1::REQUEST_TYPE_COMPLAINT, {}, {}, {}}, At(2026, 9, 30, 16));
    REQUIRE(clocks.size() == 2);
    const v1::ServiceClock& reply = clocks[1];
    CHECK(StateOf(reply, At(2026, 10, 12, 15, 59), 24h) == ClockState::kOnTime);
    CHECK(StateOf(reply, At(2026, 10, 12, 16), 24h) == ClockState::kDueSoon);
    CHECK(StateOf(reply, At(2026, 10, 13, 16), 24h) == ClockState::kDueSoon);
    CHECK(StateOf(reply, At(2026, 10, 13, 16, 1), 24h) == ClockState::kOverdue);
  }
}

TEST_CASE("area classes are named as the arrival clocks treat them", "[clocks]") {
  CHECK(AreaClassLabel(v1::AREA_CLASS_URBAN) == "urban");
  CHECK(AreaClassLabel(v1::AREA_CLASS_RURAL) == "rural");
  CHECK(AreaClassLabel(v1::AREA_CLASS_REMOTE) == "remote");
  CHECK(AreaClassLabel(v1::AREA_CLASS_UNSPECIFIED) == "urban");
  CHECK(AreaClassLabel(static_cast<v1::AreaClass>(99)) == "urban");
}
