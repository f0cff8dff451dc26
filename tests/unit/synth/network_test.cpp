#include "gridcare/synth/network.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "fixtures.h"

using namespace gridcare::synth;
using gridcare::synth::testing::Fixture2k;
using gridcare::synth::testing::SpecFor;

TEST_CASE("specs outside the supported range are rejected with the field named") {
  CHECK(ValidateSpec(SpecFor(1)).ok());
  CHECK(ValidateSpec(SpecFor(kMaxCustomers)).ok());
  const auto customers = ValidateSpec(SpecFor(0));
  REQUIRE_FALSE(customers.ok());
  CHECK(customers.error().kind == gridcare::core::ErrorKind::kInvalidArgument);
  CHECK(customers.error().message.find("customers") != std::string::npos);
  CHECK_FALSE(ValidateSpec(SpecFor(kMaxCustomers + 1)).ok());
  auto spec = SpecFor(100);
  spec.important_rate = 1.5;
  CHECK_FALSE(ValidateSpec(spec).ok());
  spec = SpecFor(100);
  spec.shared_phone_rate = -0.1;
  CHECK_FALSE(ValidateSpec(spec).ok());
  spec = SpecFor(100);
  spec.sensitive_rate = std::numeric_limits<double>::quiet_NaN();
  CHECK_FALSE(ValidateSpec(spec).ok());
  spec = SpecFor(100);
  spec.centre = {89.0, 113.0};
  CHECK_FALSE(ValidateSpec(spec).ok());
  CHECK_FALSE(Utility::Create(SpecFor(0)).ok());
}

TEST_CASE("the 2,000-customer fixture is a small but complete network") {
  const auto& net = Fixture2k().network();
  std::set<gridcare::v1::AreaClass> classes;
  for (const auto& area : net.transformers()) classes.insert(area.area_class);
  CHECK(classes.size() == 3);
  CHECK(net.substations().size() >= 3);
  for (const auto& substation : net.substations()) CHECK(substation.feeders.size() >= 3);
  for (const auto& feeder : net.feeders()) CHECK(feeder.transformers.size() >= 2);
  CHECK(net.customer_count() == 2'000);
}

TEST_CASE("every level nests: areas in feeders in substations, customer ranges contiguous") {
  const auto& net = Fixture2k().network();
  int64_t next_customer = 0;
  for (size_t s = 0; s < net.substations().size(); ++s) {
    const auto& substation = net.substations()[s];
    CHECK(substation.customers.begin == next_customer);
    for (auto f = substation.feeders.begin; f < substation.feeders.end; ++f) {
      const auto& feeder = net.feeders()[static_cast<size_t>(f)];
      CHECK(feeder.substation == static_cast<int32_t>(s));
      CHECK(feeder.substation_id == substation.id);
      CHECK(feeder.area_class == substation.area_class);
      for (auto t = feeder.transformers.begin; t < feeder.transformers.end; ++t) {
        const auto& area = net.transformers()[static_cast<size_t>(t)];
        CHECK(area.feeder == f);
        CHECK(area.feeder_id == feeder.id);
        CHECK(area.substation_id == substation.id);
        CHECK(area.customers.begin == next_customer);
        next_customer = area.customers.end;
        CHECK(net.TransformerIndexOf(area.customers.begin) == t);
        CHECK(area.capacity_kva >= 30);
      }
      CHECK(feeder.customers.end == next_customer);
    }
    CHECK(substation.customers.end == next_customer);
  }
  CHECK(next_customer == net.customer_count());
}

TEST_CASE("ids are regular and found again by id") {
  const auto& net = Fixture2k().network();
  CHECK(net.substations()[0].id == "SUB-0001");
  CHECK(net.feeders()[2].id == "FDR-0001-03");
  CHECK(net.transformers()[0].id == "TA-0001-01-001");
  for (const auto& substation : net.substations()) {
    CHECK(net.FindSubstation(substation.id) == &substation);
    CHECK(substation.name.ends_with("变电站"));
  }
  for (const auto& feeder : net.feeders()) {
    CHECK(net.FindFeeder(feeder.id) == &feeder);
    CHECK(feeder.name.starts_with("10kV "));
  }
  for (const auto& area : net.transformers()) {
    CHECK(net.FindTransformer(area.id) == &area);
    CHECK(area.name.ends_with("号台区"));
  }
  for (const char* bad : {"", "SUB-", "SUB-0000", "SUB-9999", "SUB-01", "SUB-0001x", "FDR-0001",
                          "FDR-0001-99", "TA-0001-01-999", "TA-0001-01", "sub-0001", "SUB--1"}) {
    CHECK(net.FindSubstation(bad) == nullptr);
    CHECK(net.FindFeeder(bad) == nullptr);
    CHECK(net.FindTransformer(bad) == nullptr);
  }
}

TEST_CASE("areas lie in their class's ring and cluster around their feeder") {
  const auto& net = Fixture2k().network();
  for (const auto& area : net.transformers()) {
    const double from_centre = DistanceKm(area.location, net.centre());
    switch (area.area_class) {
      case gridcare::v1::AREA_CLASS_URBAN:
        CHECK(from_centre <= 15.5);
        break;
      case gridcare::v1::AREA_CLASS_RURAL:
        CHECK((from_centre >= 14.5 && from_centre <= 60.5));
        break;
      default:
        CHECK((from_centre >= 59.5 && from_centre <= 150.5));
    }
    const auto& feeder = net.feeders()[static_cast<size_t>(area.feeder)];
    CHECK(DistanceKm(area.location, feeder.location) <= 10.0);
  }
}

TEST_CASE("a million customers need more than 2,000 transformer areas (network only)") {
  auto built = BuildNetwork(SpecFor(1'000'000));
  REQUIRE(built.ok());
  const auto& net = *built;
  CHECK(net.transformers().size() >= 2'000);
  CHECK(net.customer_count() == 1'000'000);
  for (const auto& substation : net.substations()) {
    CHECK(substation.feeders.size() >= 7);
    CHECK(substation.feeders.size() <= 16);
  }
  int64_t by_class[4] = {};
  int64_t areas_by_class[4] = {};
  for (const auto& area : net.transformers()) {
    by_class[area.area_class] += area.customers.size();
    ++areas_by_class[area.area_class];
  }
  // Full-scale area sizes: urban 200-500, rural 50-150, remote 10-50 on average.
  const auto mean = [&](int c) { return static_cast<double>(by_class[c]) / areas_by_class[c]; };
  CHECK((mean(gridcare::v1::AREA_CLASS_URBAN) > 200 && mean(gridcare::v1::AREA_CLASS_URBAN) < 500));
  CHECK((mean(gridcare::v1::AREA_CLASS_RURAL) > 50 && mean(gridcare::v1::AREA_CLASS_RURAL) < 150));
  CHECK((mean(gridcare::v1::AREA_CLASS_REMOTE) > 10 && mean(gridcare::v1::AREA_CLASS_REMOTE) < 50));
}

TEST_CASE("a one-customer utility still builds") {
  const auto utility = gridcare::synth::testing::Make(SpecFor(1));
  CHECK(utility.customer_count() == 1);
  CHECK(utility.network().substations().size() == 3);
  const auto customer = utility.CustomerAt(0);
  CHECK(customer.customer_id().size() == 10);
  CHECK(utility.CustomersSharingPhoneWith(0) == std::vector<int64_t>{0});
}
