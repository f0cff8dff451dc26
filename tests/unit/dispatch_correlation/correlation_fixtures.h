#pragma once

// Builders shared by the correlation tests: calls on a small synthetic topology, and a runner that
// fails the test when Correlate returns an error.

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "correlation.h"

namespace gridcare::dispatch::testing {

/// 2026-09-21T08:00:00Z, a fixed start so reasons and ids are stable.
inline core::TimePoint T0() { return core::FromUnixMillis(1'789'977'600'000); }

inline core::TimePoint At(std::chrono::seconds offset) { return T0() + offset; }

inline v1::SupplyPoint Supply(const std::string& feeder, const std::string& transformer) {
  v1::SupplyPoint supply;
  supply.set_substation_id("SUB-1");
  supply.set_feeder_id(feeder);
  supply.set_transformer_id(transformer);
  return supply;
}

/// A customer's call from `transformer` on `feeder`, `offset` after T0. Topology: 100 customers per
/// transformer area, 1,000 per feeder, 10 areas per feeder (so the count thresholds decide).
inline FaultCall Call(const std::string& ticket, const std::string& customer,
                      const std::string& feeder, const std::string& transformer,
                      std::chrono::seconds offset = std::chrono::seconds(0)) {
  FaultCall call;
  call.ticket_id = ticket;
  call.customer_id = customer;
  call.supply = Supply(feeder, transformer);
  call.area_class = v1::AREA_CLASS_URBAN;
  call.location.set_latitude(23.13);
  call.location.set_longitude(113.26);
  call.received_at = At(offset);
  call.topology = {100, 1000, 10};
  return call;
}

/// A smart-meter last gasp from the customer's meter.
inline FaultCall LastGasp(const std::string& ticket, const std::string& customer,
                          const std::string& feeder, const std::string& transformer,
                          std::chrono::seconds offset = std::chrono::seconds(0)) {
  FaultCall call = Call(ticket, customer, feeder, transformer, offset);
  call.last_gasp = true;
  return call;
}

/// Correlates and requires success.
inline CorrelationDecision Run(const Correlator& correlator, CorrelationState& state,
                               const FaultCall& call) {
  auto decision = correlator.Correlate(state, call);
  REQUIRE(decision.ok());
  return std::move(decision).value();
}

inline std::vector<EffectKind> Kinds(const CorrelationDecision& decision) {
  std::vector<EffectKind> kinds;
  for (const CorrelationEffect& effect : decision.effects) kinds.push_back(effect.kind);
  return kinds;
}

/// Open (not merged) incidents of one level.
inline std::vector<const IncidentRecord*> OpenOfLevel(const CorrelationState& state,
                                                      v1::IncidentLevel level) {
  std::vector<const IncidentRecord*> out;
  for (const auto& [id, incident] : state.incidents()) {
    if (incident.level == level && incident.state == v1::INCIDENT_STATE_OPEN) {
      out.push_back(&incident);
    }
  }
  return out;
}

}  // namespace gridcare::dispatch::testing

namespace Catch {
template <>
struct StringMaker<gridcare::dispatch::EffectKind> {
  static std::string convert(gridcare::dispatch::EffectKind kind) {
    return std::string(gridcare::dispatch::EffectKindName(kind));
  }
};
}  // namespace Catch
