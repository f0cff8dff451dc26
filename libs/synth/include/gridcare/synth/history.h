#pragma once

// Request history (issue 15): N weeks of customer contacts per request category and district, with
// daily and weekly seasonality, holidays, storms and injected surges whose ground truth comes with
// the data, so surge detection and keyword hotspots can be measured instead of guessed.
//
//   auto spec = gridcare::synth::DefaultHistorySpec({.seed = 7});       // 20 districts × 12
//   categories gridcare::synth::AddRandomEvents(spec, {.surges = 30});            // storms,
//   holidays, surges auto history = gridcare::synth::GenerateHistory(spec);             // contacts
//   + truth
//
// The model, per series (category c, district d) and local hour t (UTC+8):
//   rate(t) = c.hourly_rate × d.weight × daily[hour of day] × weekly[weekday] × holiday factor
//             × day wobble (one draw per series and day: mean 1, standard deviation day_noise)
// contacts in hour t ~ Poisson(rate(t)), at uniform times within the hour. A surge adds
// Poisson(rate(t) × (multiplier(t) − 1)) contacts over its window; a storm adds fault-repair (and
// some outage-information) contacts in its district, explained by an incident.
//
// Determinism: a pure function of the spec. Randomness is SplitMix64 keyed by (seed, purpose,
// entity), the exponential is our own, and the library is built with -ffp-contract=off, so the
// same spec gives the same contacts on every machine and compiler.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/synth/network.h"
#include "gridcare/v1/common.pb.h"
#include "gridcare/v1/request.pb.h"

namespace gridcare::synth {

class Utility;

/// A text a customer might write, in both languages.
struct Phrase {
  std::string zh;
  std::string en;
};

/// A request category: what intake's classifier would call the matter ("billing").
struct HistoryCategory {
  std::string name;  ///< classification category, e.g. "billing", "fault_repair"
  v1::RequestType type = v1::REQUEST_TYPE_UNSPECIFIED;
  /// Mean contacts per hour in a district of weight 1, averaged over a whole ordinary week.
  double hourly_rate = 1;
  /// Per local hour of the day, relative (normalized to mean 1 when generating). Empty: the spec's.
  std::vector<double> daily;
  std::vector<Phrase> phrases;        ///< ordinary contacts; at least one
  std::vector<Phrase> burst_phrases;  ///< what a surge of this category is about; one per surge
};

struct HistoryDistrict {
  std::string id;     ///< "DIST-001"
  std::string name;   ///< "天河区"
  double weight = 1;  ///< contact volume relative to a district of weight 1
  /// Customers to draw callers from (index ranges of a Utility); empty: contacts name no customer.
  std::vector<IndexRange> customers;
};

/// A public holiday: every series has `factor` × its usual volume that day; left out of baselines.
struct HistoryHoliday {
  int day = 0;  ///< days after the spec's start (0 = the first Monday)
  double factor = 0.5;
  std::string name;
};

/// Weather trips part of a district: fault-repair contacts jump, outage questions follow; the
/// utility knows (an incident is open), so this is explained, not a surge.
struct HistoryStorm {
  std::string district_id;
  core::TimePoint start;
  double hours = 6;         ///< extra calls from start to start + hours, peaking in the first hour
  double peak_rate = 60;    ///< extra fault-repair contacts per hour at the peak
  std::string incident_id;  ///< "INC-STORM-01"
};

enum class SurgeShape {
  kSudden,  ///< multiplier from the first minute
  kRamp,    ///< rises linearly from 1 to the multiplier over ramp_hours, then holds
};

/// An unexplained rise of one category in one district: what detection must find.
struct HistorySurge {
  std::string category;
  std::string district_id;
  core::TimePoint start;
  double hours = 24;      ///< duration, ramp included
  double multiplier = 3;  ///< of the series' usual rate at each hour
  SurgeShape shape = SurgeShape::kSudden;
  double ramp_hours = 0;  ///< kRamp only; <= hours
  /// Index into the category's burst_phrases (the matter); -1: pick one by seed.
  int topic = -1;
};

struct HistorySpec {
  uint64_t seed = 1;
  int weeks = 8;
  /// Monday 00:00 local (UTC+8) of the first week. Default 2026-03-02.
  core::TimePoint start = core::TimePoint(std::chrono::seconds(1772380800));
  std::vector<HistoryDistrict> districts;
  std::vector<HistoryCategory> categories;
  /// Relative volume per local hour of the day (24 values) and per weekday (7, Monday first);
  /// both normalized to mean 1 when generating.
  std::vector<double> daily;
  std::vector<double> weekly;
  /// Standard deviation of the per-series, per-day volume wobble (0 = pure Poisson).
  double day_noise = 0.1;
  double english_share = 0.1;  ///< contacts written in English; the rest zh-CN
  /// Share of a surge's extra contacts that name the surge's matter (its burst phrase).
  double burst_phrase_share = 0.7;
  std::vector<HistoryHoliday> holidays;
  std::vector<HistoryStorm> storms;
  std::vector<HistorySurge> surges;
};

/// One contact. Times are whole milliseconds; `text` is the customer's words in `language`.
struct HistoryContact {
  core::TimePoint received_at;
  int32_t category = 0;  ///< index into History::categories
  int32_t district = 0;  ///< index into History::districts
  v1::RequestType type = v1::REQUEST_TYPE_UNSPECIFIED;
  v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
  v1::Language language = v1::LANGUAGE_ZH_CN;
  std::string text;
  int64_t customer_index = -1;  ///< into the Utility of the district's range; -1: none
  int32_t surge = -1;           ///< index into History::surges when the surge added it
  int32_t storm = -1;           ///< index into History::storms when the storm added it
};

/// A surge as generated: the spec's entry resolved, with what it added.
struct SurgeTruth {
  HistorySurge spec;
  int32_t category = 0;
  int32_t district = 0;
  core::TimePoint end;
  std::string topic_zh;  ///< the burst phrase it is about
  std::string topic_en;
  int64_t extra_contacts = 0;  ///< contacts it added
};

struct StormTruth {
  HistoryStorm spec;
  int32_t district = 0;
  core::TimePoint end;
  int64_t extra_contacts = 0;
};

struct HolidayTruth {
  HistoryHoliday spec;
  core::TimePoint start;  ///< local midnight
  core::TimePoint end;    ///< the next local midnight
};

/// Contacts in time order (ties in generation order) and the ground truth.
struct History {
  core::TimePoint start;
  core::TimePoint end;  ///< start + weeks
  std::vector<HistoryCategory> categories;
  std::vector<HistoryDistrict> districts;
  std::vector<HistoryContact> contacts;
  std::vector<SurgeTruth> surges;
  std::vector<StormTruth> storms;
  std::vector<HolidayTruth> holidays;
};

/// INVALID_ARGUMENT naming the first offending field: weeks 1..104, a start that is not a Monday
/// 00:00 local, no districts or categories, a category without phrases or a negative rate,
/// profiles of the wrong length, surges or storms naming unknown series or outside the history.
core::Status ValidateHistorySpec(const HistorySpec& spec);

/// Generates the contacts. INVALID_ARGUMENT as ValidateHistorySpec.
core::Result<History> GenerateHistory(const HistorySpec& spec);

struct DefaultHistoryOptions {
  uint64_t seed = 1;
  int weeks = 8;
  int districts = 20;  ///< "DIST-001".. with weights 0.5..2 (when no utility is given)
  /// Scales every category's rate (1 = a district of weight 1 has ~21 contacts an hour).
  double volume = 1;
};

/// Twelve categories of a 95598 centre (fault_repair, outage_info, billing, payment, meter,
/// outage_frequency, power_quality, new_connection, staff_conduct, urging, tariff, power_theft)
/// with zh-CN/en phrases and burst topics, typical daily and weekly profiles, and districts: those
/// of `utility` when given (weights by customers, callers drawn from them), else generic ones.
/// No holidays, storms or surges: see AddRandomEvents.
HistorySpec DefaultHistorySpec(const DefaultHistoryOptions& options,
                               const Utility* utility = nullptr);

struct RandomEventOptions {
  int surges = 30;
  /// Surge sizes cycle through these multipliers; shapes alternate sudden / ramp.
  std::vector<double> multipliers = {2, 3, 4, 5, 6};
  double min_hours = 12;  ///< surge durations are uniform in [min_hours, max_hours]
  double max_hours = 48;
  double min_ramp_hours = 4;  ///< ramps last uniform in [min, max] (capped at half the surge)
  double max_ramp_hours = 12;
  /// Surges start at or after this week (the weeks before are the detector's baseline) and end
  /// before the history does. Start hours follow the contact volume (surges start when people
  /// call), at a random minute.
  int first_surge_week = 4;
  /// Only series whose usual rate is at least this (contacts per hour, weekly mean) get surges.
  double min_series_rate = 0;
  int storms = 4;
  int holidays = 2;  ///< single days, one every few weeks, factor 0.5
};

/// Adds storms, holidays and surges drawn from spec.seed to `spec`: at most one surge per series,
/// no surge overlapping a storm of its district or a holiday, storms in any week.
void AddRandomEvents(HistorySpec& spec, const RandomEventOptions& options);

/// The contact as gridcare.requests.v1 would carry it: request_id "hist-<seed>-<n>" (n = its
/// index in history.contacts), channel, received_at, text, language and, with a utility, the
/// customer's id. The type and category are left to intake's classifier, as on a real channel.
v1::ServiceRequest ToServiceRequest(const History& history, size_t index, uint64_t seed,
                                    const Utility* utility);

}  // namespace gridcare::synth
