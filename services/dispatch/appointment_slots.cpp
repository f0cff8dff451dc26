#include "appointment_slots.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace gridcare::dispatch {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

/// The local day (days since 1970-01-01 in local time) of `t`.
int64_t LocalDay(core::TimePoint t, minutes utc_offset) {
  const auto local = std::chrono::floor<minutes>(t.time_since_epoch()) + utc_offset;
  return std::chrono::floor<std::chrono::days>(local).count();
}

/// The first grid time (multiples of `step` in local time) at or after `t`.
core::TimePoint CeilToGrid(core::TimePoint t, minutes step, minutes utc_offset) {
  const auto local = t.time_since_epoch() + utc_offset;
  const auto steps = (local + step - std::chrono::system_clock::duration(1)) / step;
  return core::TimePoint(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(step * steps - utc_offset));
}

seconds Travel(const LatLon& from, const LatLon& to, v1::AreaClass area,
               const SlotSettings& settings) {
  return TravelTime(HaversineKm(from, to), area, settings.travel, /*with_overhead=*/false);
}

/// One crew's bookings (start order) and what a local day already holds.
class CrewPlan {
 public:
  CrewPlan(const CrewState& crew, std::vector<const Booking*> bookings,
           const SlotSettings& settings)
      : crew_(crew), bookings_(std::move(bookings)), settings_(settings) {
    std::sort(bookings_.begin(), bookings_.end(), [](const Booking* a, const Booking* b) {
      return std::tie(a->start, a->work_order_id) < std::tie(b->start, b->work_order_id);
    });
  }

  /// Whether the crew can do `request` from `start`; the travel to it when it can.
  std::optional<seconds> Fits(const AppointmentRequest& request, core::TimePoint start) {
    const core::TimePoint end = start + request.duration;
    const minutes offset = settings_.travel.utc_offset;
    const Booking* previous = nullptr;
    for (const Booking* booking : bookings_) {
      if (booking->end <= start) {
        if (LocalDay(booking->end, offset) == LocalDay(start, offset)) previous = booking;
        continue;
      }
      if (booking->start >= end) {  // the next one: reachable afterwards?
        const auto onward =
            Travel(request.location, booking->location, booking->area_class, settings_);
        if (end + onward > booking->start) return std::nullopt;
        break;
      }
      return std::nullopt;  // overlaps
    }
    const LatLon from = previous != nullptr ? previous->location : crew_.position;
    const seconds travel = Travel(from, request.location, request.area_class, settings_);
    const core::TimePoint leave = start - travel;
    if (previous != nullptr && previous->end > leave) return std::nullopt;
    if (!CoveredByShifts(leave, end)) return std::nullopt;
    const int64_t day = LocalDay(start, offset);
    const double allowed =
        (1.0 - settings_.fault_reserve) * static_cast<double>(ShiftMinutes(day).count());
    const auto booked = static_cast<double>((AppointmentMinutes(day) + request.duration).count());
    if (booked > allowed) return std::nullopt;
    return travel;
  }

  minutes AppointmentMinutes(int64_t day) const {
    minutes total{0};
    for (const Booking* booking : bookings_) {
      if (booking->kind == Booking::Kind::kAppointment &&
          LocalDay(booking->start, settings_.travel.utc_offset) == day) {
        total += std::chrono::duration_cast<minutes>(booking->end - booking->start);
      }
    }
    return total;
  }

  const CrewState& crew() const { return crew_; }

 private:
  /// On shift at every grid step from `from` to just before `to`.
  bool CoveredByShifts(core::TimePoint from, core::TimePoint to) const {
    const minutes offset = settings_.travel.utc_offset;
    if (!OnShift(crew_.shifts, from, offset)) return false;
    for (auto t = CeilToGrid(from, settings_.granularity, offset); t < to;
         t += settings_.granularity) {
      if (!OnShift(crew_.shifts, t, offset)) return false;
    }
    return OnShift(crew_.shifts, to - seconds(1), offset);
  }

  /// Shift time on local day `day`, counted on the grid.
  minutes ShiftMinutes(int64_t day) {
    auto found = shift_minutes_.find(day);
    if (found != shift_minutes_.end()) return found->second;
    const minutes offset = settings_.travel.utc_offset;
    const core::TimePoint midnight(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(hours(24) * day - offset));
    minutes total{0};
    for (auto t = midnight; t < midnight + hours(24); t += settings_.granularity) {
      if (OnShift(crew_.shifts, t, offset)) total += settings_.granularity;
    }
    return shift_minutes_[day] = total;
  }

  const CrewState& crew_;
  std::vector<const Booking*> bookings_;
  const SlotSettings& settings_;
  std::map<int64_t, minutes> shift_minutes_;
};

bool HasSkill(const CrewState& crew, v1::CrewSkill skill) {
  return skill == v1::CREW_SKILL_UNSPECIFIED ||
         std::find(crew.skills.begin(), crew.skills.end(), skill) != crew.skills.end();
}

}  // namespace

core::Status Validate(const SlotSettings& settings) {
  if (settings.granularity < minutes(5) || settings.granularity > hours(4)) {
    return core::InvalidArgument("slot granularity must be 5 min .. 4 h");
  }
  if (settings.max_offers < 1 || settings.max_offers > 20) {
    return core::InvalidArgument("slot max_offers must be 1 .. 20");
  }
  if (settings.horizon < hours(1) || settings.horizon > hours(24 * 60)) {
    return core::InvalidArgument("slot horizon must be 1 h .. 60 days");
  }
  if (!(settings.fault_reserve >= 0 && settings.fault_reserve <= 0.9)) {
    return core::InvalidArgument("slot fault_reserve must be 0 .. 0.9");
  }
  return Validate(settings.travel);
}

core::Result<SlotSearch> FindSlots(const AppointmentRequest& request,
                                   const std::vector<CrewState>& crews,
                                   const std::vector<Booking>& bookings,
                                   const SlotSettings& settings) {
  if (auto valid = Validate(settings); !valid) return valid.error();
  if (request.duration <= minutes(0)) {
    return core::InvalidArgument("appointment duration must be positive");
  }
  if (request.window_end <= request.window_start) {
    return core::InvalidArgument("the preferred window must end after it starts");
  }
  std::vector<const CrewState*> by_id;
  for (const CrewState& crew : crews) by_id.push_back(&crew);
  std::sort(by_id.begin(), by_id.end(),
            [](const CrewState* a, const CrewState* b) { return a->crew_id < b->crew_id; });
  std::vector<CrewPlan> plans;
  plans.reserve(by_id.size());
  for (const CrewState* crew_pointer : by_id) {
    const CrewState& crew = *crew_pointer;
    if (!HasSkill(crew, request.skill) || crew.availability == v1::CREW_AVAILABILITY_UNREACHABLE) {
      continue;
    }
    std::vector<const Booking*> own;
    for (const Booking& booking : bookings) {
      if (booking.crew_id == crew.crew_id && booking.work_order_id != request.work_order_id) {
        own.push_back(&booking);
      }
    }
    plans.emplace_back(crew, std::move(own), settings);
  }
  const auto offers = static_cast<size_t>(settings.max_offers);
  std::vector<SlotOffer> in_window;
  std::vector<SlotOffer> earliest;
  const minutes offset = settings.travel.utc_offset;
  const core::TimePoint last = request.not_before + settings.horizon;
  for (auto start = CeilToGrid(request.not_before, settings.granularity, offset); start < last;
       start += settings.granularity) {
    if (in_window.size() >= offers || (earliest.size() >= offers && start >= request.window_end)) {
      break;
    }
    std::optional<SlotOffer> best;
    minutes best_booked{0};
    for (CrewPlan& plan : plans) {
      const auto travel = plan.Fits(request, start);
      if (!travel) continue;
      const minutes booked = plan.AppointmentMinutes(LocalDay(start, offset));
      if (best && std::tie(best->travel, best_booked) <= std::tie(*travel, booked)) continue;
      best = SlotOffer{plan.crew().crew_id, start, start + request.duration, *travel};
      best_booked = booked;
    }
    if (!best) continue;
    best->in_preferred_window = start >= request.window_start && best->end <= request.window_end;
    best->meets_deadline = !request.deadline || best->end <= *request.deadline;
    if (best->in_preferred_window && in_window.size() < offers) in_window.push_back(*best);
    if (earliest.size() < offers) earliest.push_back(*best);
  }
  SlotSearch search;
  search.reproposed = in_window.empty();
  search.offers = search.reproposed ? std::move(earliest) : std::move(in_window);
  return search;
}

}  // namespace gridcare::dispatch
