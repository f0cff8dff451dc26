#include "appointment_desk.h"

#include <algorithm>

#include "gridcare/kafka/cloud_events.h"
#include "gridcare/sla/clocks.h"

namespace gridcare::dispatch {
namespace {

using sla::FromTimestamp;
using sla::ToTimestamp;

/// Visits that found no slot are tried again at most this many per tick (the slot search looks
/// at every crew's two weeks).
constexpr int kRetriesPerTick = 20;

const v1::ServiceClock* CompletionClockOf(const v1::Ticket& ticket) {
  for (const auto& clock : ticket.clocks()) {
    if (clock.kind() == v1::ServiceClock::KIND_APPLICATION_COMPLETION ||
        clock.kind() == v1::ServiceClock::KIND_METER_DISPUTE_RESULT) {
      return &clock;
    }
  }
  return nullptr;
}

int CompletionDays(v1::ServiceApplicationKind kind, const sla::ServiceStandards& standards) {
  switch (kind) {
    case v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION:
      return standards.new_connection_residential_working_days;
    case v1::SERVICE_APPLICATION_KIND_METER_CHECK:
      return standards.meter_dispute_working_days;
    default:
      return standards.other_application_working_days;
  }
}

/// The application key its clocks' alarms are kept under.
std::string ApplicationKey(const v1::WorkOrder& order) {
  return "APP-" + order.application().ticket_id();
}

bool WaitingForDocuments(const v1::WorkOrder& order) {
  return order.application().has_clock_stop();
}

}  // namespace

std::string VisitOrderId(const std::string& ticket_id, int visit_number) {
  return std::string(kVisitOrderPrefix) + ticket_id + "-" + std::to_string(visit_number);
}

bool IsVisitOrderId(std::string_view work_order_id) {
  return work_order_id.starts_with(kVisitOrderPrefix);
}

AppointmentDesk::AppointmentDesk(WorkOrderBook& work_orders, const CrewRoster& crews,
                                 const CrewAssigner& assigner, AlarmBook& alarms,
                                 const DispatchSettings& settings, DispatchMetrics* metrics)
    : work_orders_(work_orders),
      crews_(crews),
      assigner_(assigner),
      alarms_(alarms),
      settings_(settings),
      metrics_(metrics) {}

bool AppointmentDesk::Takes(const v1::Ticket& ticket) {
  return ticket.type() == v1::REQUEST_TYPE_SERVICE_APPLICATION &&
         NeedsFieldWork(ticket.application_kind());
}

v1::WorkOrder* AppointmentDesk::OpenVisitOf(const std::string& ticket_id) {
  for (const auto& [id, order] : work_orders_.open()) {
    if (order.has_application() && order.application().ticket_id() == ticket_id) {
      return work_orders_.Find(id);
    }
  }
  return nullptr;
}

std::string AppointmentDesk::EmitId(const v1::WorkOrder& order, std::string_view what) const {
  return kafka::DeriveEventId("dispatch-appointment",
                              order.work_order_id() + "/" + std::string(what) + "/" +
                                  std::to_string(order.application().booking_count()));
}

// ---- opening an application ------------------------------------------------------------------

void AppointmentDesk::Open(DispatchPass& pass, const v1::Ticket& ticket) {
  if (!Takes(ticket) || ticket.ticket_id().empty()) return;
  if (OpenVisitOf(ticket.ticket_id()) != nullptr) return;
  const auto now = pass.Now();
  const auto kind = ticket.application_kind();
  const auto accepted_at = ticket.has_opened_at() ? FromTimestamp(ticket.opened_at()) : now;
  v1::WorkOrder order;
  order.set_work_order_id(VisitOrderId(ticket.ticket_id(), 1));
  order.set_kind(WorkOrderKindFor(kind));
  order.set_state(v1::WORK_ORDER_STATE_QUEUED);
  order.set_ticket_id(ticket.ticket_id());
  order.set_required_skill(v1::CREW_SKILL_METERING);
  order.set_priority(ticket.priority());
  *order.mutable_location() = ticket.location().geo();
  *order.mutable_address() = ticket.location();
  order.set_area_class(ticket.area_class());
  *order.mutable_created_at() = ToTimestamp(now);
  order.set_tenant_id(ticket.tenant_id());
  for (auto& clock : ApplicationClocks(kind, accepted_at, CompletionClockOf(ticket),
                                       CompletionDays(kind, settings_.standards),
                                       settings_.applications, settings_.calendar)) {
    *order.add_clocks() = std::move(clock);
  }
  auto* application = order.mutable_application();
  application->set_ticket_id(ticket.ticket_id());
  application->set_customer_id(ticket.customer_id());
  application->set_kind(kind);
  application->set_visit(VisitsFor(kind).front());
  application->set_visit_number(1);
  if (ticket.has_preferred_appointment_start() && ticket.has_preferred_appointment_end()) {
    *application->mutable_preferred_start() = ticket.preferred_appointment_start();
    *application->mutable_preferred_end() = ticket.preferred_appointment_end();
  }
  ReachStage(*application, order.mutable_clocks(), v1::APPLICATION_STAGE_ACCEPTED, accepted_at,
             order.work_order_id());
  v1::WorkOrder& kept = work_orders_.Add(pass, std::move(order));
  AnnounceStages(pass, kept, 0);
  if (metrics_) metrics_->Action("application_opened");
  Book(pass, kept, "", {});
}

// ---- booking ---------------------------------------------------------------------------------

std::vector<Booking> AppointmentDesk::Bookings(core::TimePoint now) const {
  std::vector<Booking> bookings;
  for (const auto& [id, order] : work_orders_.open()) {
    if (auto booking = BookingOf(order)) {
      bookings.push_back(std::move(*booking));
    } else if (!IsAppointmentWork(order) && HeldByCrew(order.state())) {
      // Fault work blocks the crew from now for a repair's usual length (assignment.h's
      // default), wherever it is.
      Booking fault;
      fault.crew_id = order.crew_id();
      fault.work_order_id = id;
      fault.kind = Booking::Kind::kFault;
      fault.start = now;
      fault.end = now + settings_.default_repair_time;
      fault.location = {order.location().latitude(), order.location().longitude()};
      fault.area_class = order.area_class();
      bookings.push_back(std::move(fault));
    }
  }
  return bookings;
}

core::Result<std::optional<SlotOffer>> AppointmentDesk::FindOffer(
    const v1::WorkOrder& order, const std::vector<std::string>& excluded, core::TimePoint now,
    core::TimePoint not_before) const {
  const auto& application = order.application();
  const auto& ranges = settings_.applications;
  AppointmentRequest request;
  request.work_order_id = order.work_order_id();
  request.skill = order.required_skill();
  request.location = assigner_.JobOf(order).location;  // an order without a geo point: depots
  request.area_class = order.area_class();
  request.duration = VisitDuration(application.visit(), ranges);
  request.not_before = not_before;
  request.deadline = VisitDeadline(order.clocks(), application.visit());
  request.window_start = not_before;
  request.window_end = not_before + ranges.slots.horizon;
  if (application.has_preferred_start() && application.has_preferred_end()) {
    const auto start = FromTimestamp(application.preferred_start());
    const auto end = FromTimestamp(application.preferred_end());
    if (end > not_before && end > start) {
      request.window_start = std::max(start, not_before);
      request.window_end = end;
    }
  }
  std::vector<CrewState> crews = assigner_.CrewStates();
  const auto& declined = work_orders_.declined();
  const auto declined_here = declined.find(order.work_order_id());
  std::erase_if(crews, [&](const CrewState& crew) {
    if (std::find(excluded.begin(), excluded.end(), crew.crew_id) != excluded.end()) return true;
    return declined_here != declined.end() && declined_here->second.count(crew.crew_id) > 0;
  });
  auto search = FindSlots(request, crews, Bookings(now), ranges.slots);
  if (!search) return search.error();
  if (search->offers.empty()) return std::optional<SlotOffer>();
  return std::optional<SlotOffer>(search->offers.front());
}

bool AppointmentDesk::Book(DispatchPass& pass, v1::WorkOrder& order, const std::string& reason,
                           const std::vector<std::string>& excluded) {
  const auto now = pass.Now();
  auto offer = FindOffer(order, excluded, now, now + settings_.applications.booking_notice);
  if (!offer || !offer->has_value()) {
    QueueUnbooked(pass, order,
                  offer ? "no metering crew has a free slot in the next " +
                              std::to_string(settings_.applications.slots.horizon.count() / 24) +
                              " days"
                        : offer.error().message);
    return false;
  }
  Apply(pass, order, **offer, reason);
  return true;
}

bool AppointmentDesk::RebookAwayFromFaults(DispatchPass& pass, v1::WorkOrder& order,
                                           const std::string& reason,
                                           const std::set<std::string>& on_fault_work) {
  const auto now = pass.Now();
  const auto& ranges = settings_.applications;
  // First another crew that is not on fault work, at the earliest time the notice allows (the
  // customer keeps the time where possible); else any other crew, but only after the lead, so the
  // new booking is not taken away again by the same storm at once.
  std::vector<std::string> busy(on_fault_work.begin(), on_fault_work.end());
  busy.push_back(order.crew_id());
  auto offer = FindOffer(order, busy, now, now + ranges.booking_notice);
  if (!offer || !offer->has_value()) {
    offer = FindOffer(order, {order.crew_id()}, now,
                      now + std::max(ranges.booking_notice, ranges.rebook_lead));
  }
  if (!offer || !offer->has_value()) {
    QueueUnbooked(pass, order, reason + "; no other metering crew has a free slot");
    return false;
  }
  Apply(pass, order, **offer, reason);
  return true;
}

void AppointmentDesk::Apply(DispatchPass& pass, v1::WorkOrder& order, const SlotOffer& offer,
                            const std::string& reason) {
  const std::string previous_crew = HeldByCrew(order.state()) ? order.crew_id() : "";
  order.set_state(v1::WORK_ORDER_STATE_ASSIGNED);
  order.set_crew_id(offer.crew_id);
  order.clear_assigned_by();
  *order.mutable_appointment_start() = ToTimestamp(offer.start);
  *order.mutable_appointment_end() = ToTimestamp(offer.end);
  auto* booked = order.mutable_application();
  booked->set_booking_count(booked->booking_count() + 1);
  booked->set_preferred_window_met(offer.in_preferred_window);
  booked->set_after_deadline(!offer.meets_deadline);
  booked->clear_reminded();
  if (!previous_crew.empty() && previous_crew != offer.crew_id) {
    order.set_reassignment_count(order.reassignment_count() + 1);
  }
  work_orders_.Record(pass, order);
  AnnounceBooking(pass, order, previous_crew, reason);
}

void AppointmentDesk::AnnounceBooking(DispatchPass& pass, const v1::WorkOrder& order,
                                      const std::string& previous_crew, const std::string& reason) {
  v1::DispatchEvent assignment;
  if (previous_crew.empty() || previous_crew == order.crew_id()) {
    auto* assigned = assignment.mutable_work_order_assigned();
    *assigned->mutable_work_order() = order;
    assigned->set_crew_id(order.crew_id());
    assigned->add_ranking_reasons("appointment slot: the crew with the least travel");
    pass.Emit(EventKey(order), "gridcare.work_order.assigned.v1", order.work_order_id(), assignment,
              EmitId(order, "assigned"));
  } else {
    auto* reassigned = assignment.mutable_work_order_reassigned();
    *reassigned->mutable_work_order() = order;
    reassigned->set_previous_crew_id(previous_crew);
    reassigned->set_crew_id(order.crew_id());
    reassigned->set_reason(reason);
    pass.Emit(EventKey(order), "gridcare.work_order.reassigned.v1", order.work_order_id(),
              assignment, EmitId(order, "reassigned"));
  }
  v1::DispatchEvent event;
  auto* booked = event.mutable_appointment_booked();
  *booked->mutable_work_order() = order;
  booked->set_rebooked(order.application().booking_count() > 1);
  booked->set_reason(reason);
  pass.Emit(EventKey(order), "gridcare.appointment.booked.v1", order.work_order_id(), event,
            EmitId(order, "booked"));
  if (metrics_)
    metrics_->Action(booked->rebooked() ? "appointment_rebooked" : "appointment_booked");
}

void AppointmentDesk::QueueUnbooked(DispatchPass& pass, v1::WorkOrder& order,
                                    const std::string& reason) {
  // Waiting already (queued without a crew) and not opened by this pass: said so before, nothing
  // to write.
  const bool announced = order.state() == v1::WORK_ORDER_STATE_QUEUED && order.crew_id().empty() &&
                         pass.batch.work_orders.count(order.work_order_id()) == 0;
  if (announced) return;
  order.set_state(v1::WORK_ORDER_STATE_QUEUED);
  order.clear_crew_id();
  order.clear_appointment_start();
  order.clear_appointment_end();
  work_orders_.Record(pass, order);
  v1::DispatchEvent event;
  auto* queued = event.mutable_work_order_queued();
  *queued->mutable_work_order() = order;
  queued->set_reason(reason);
  pass.Emit(EventKey(order), "gridcare.work_order.queued.v1", order.work_order_id(), event);
  if (metrics_) metrics_->Action("appointment_unbooked");
}

// ---- stages ----------------------------------------------------------------------------------

void AppointmentDesk::AnnounceStages(DispatchPass& pass, const v1::WorkOrder& order,
                                     int reached_before) {
  const auto& application = order.application();
  for (int i = reached_before; i < application.stages_size(); ++i) {
    const auto& record = application.stages(i);
    v1::DispatchEvent event;
    auto* reached = event.mutable_application_stage_reached();
    *reached->mutable_work_order() = order;
    reached->set_stage(record.stage());
    *reached->mutable_reached_at() = record.reached_at();
    *reached->mutable_description() = StageDescription(application.kind(), record.stage());
    pass.Emit(EventKey(order), "gridcare.application.stage_reached.v1", order.work_order_id(),
              event,
              kafka::DeriveEventId(
                  "dispatch-application-stage",
                  application.ticket_id() + "/" + std::string(StageName(record.stage()))));
    if (metrics_) metrics_->Action("application_stage_reached");
  }
}

// ---- the crew's reports ----------------------------------------------------------------------

void AppointmentDesk::OnCrewReport(DispatchPass& pass, v1::WorkOrder& order,
                                   const v1::CrewEvent& event) {
  switch (event.event_case()) {
    case v1::CrewEvent::kJobAccepted:
      if (order.state() != v1::WORK_ORDER_STATE_ASSIGNED) return;
      order.set_state(v1::WORK_ORDER_STATE_ACCEPTED);
      work_orders_.Record(pass, order);
      return;
    case v1::CrewEvent::kJobDeclined: {
      if (order.state() != v1::WORK_ORDER_STATE_ASSIGNED &&
          order.state() != v1::WORK_ORDER_STATE_ACCEPTED) {
        return;
      }
      const std::string crew = event.job_declined().crew_id();
      work_orders_.AddDecline(pass, order.work_order_id(), crew);
      Book(pass, order, "crew " + crew + " declined: " + event.job_declined().reason(), {crew});
      return;
    }
    case v1::CrewEvent::kEnRoute:
      if (order.state() != v1::WORK_ORDER_STATE_ASSIGNED &&
          order.state() != v1::WORK_ORDER_STATE_ACCEPTED) {
        return;
      }
      order.set_state(v1::WORK_ORDER_STATE_EN_ROUTE);
      work_orders_.Record(pass, order);
      return;
    case v1::CrewEvent::kOnSite:
      if (order.state() == v1::WORK_ORDER_STATE_ON_SITE) return;
      order.set_state(v1::WORK_ORDER_STATE_ON_SITE);
      work_orders_.Record(pass, order);
      return;
    case v1::CrewEvent::kJobCompleted:
      FinishVisit(pass, order, event.job_completed());
      return;
    default:
      return;
  }
}

void AppointmentDesk::FinishVisit(DispatchPass& pass, const v1::WorkOrder& order,
                                  const v1::JobCompleted& report) {
  const auto now = pass.Now();
  const std::string id = order.work_order_id();
  const auto& result = report.appointment();
  if (result.customer_absent()) {
    const v1::WorkOrder done = work_orders_.Close(pass, id, v1::WORK_ORDER_STATE_COMPLETED);
    if (metrics_) metrics_->Action("appointment_customer_absent");
    OpenNextVisit(pass, done, done.application().visit(), "customer absent");
    return;
  }
  v1::WorkOrder updated = order;
  auto* application = updated.mutable_application();
  const int reached_before = application->stages_size();
  if (result.documents_verified() && application->has_clock_stop()) {
    ResumeClocks(*application, updated.mutable_clocks(), now, settings_.calendar);
  }
  // Documents still missing after the survey: the survey counts, the document check does not.
  ReachStage(*application, updated.mutable_clocks(), StageAfter(application->visit()), now, id,
             !application->has_clock_stop());
  if (!result.meter_number().empty()) application->set_meter_number(result.meter_number());
  if (result.verdict() != v1::METER_CHECK_VERDICT_UNSPECIFIED) {
    application->set_meter_check_verdict(result.verdict());
  }
  *work_orders_.Find(id) = updated;
  const v1::WorkOrder done = work_orders_.Close(pass, id, v1::WORK_ORDER_STATE_COMPLETED);
  AnnounceStages(pass, done, reached_before);
  if (const auto next = NextVisit(done.application().kind(), done.application().visit())) {
    OpenNextVisit(pass, done, *next, "");
  } else {
    CloseApplication(pass, done);
  }
}

void AppointmentDesk::OpenNextVisit(DispatchPass& pass, const v1::WorkOrder& done,
                                    v1::VisitKind visit, const std::string& reason) {
  v1::WorkOrder next = done;
  const int number = done.application().visit_number() + 1;
  next.set_work_order_id(VisitOrderId(done.application().ticket_id(), number));
  next.set_state(v1::WORK_ORDER_STATE_QUEUED);
  next.clear_crew_id();
  next.clear_appointment_start();
  next.clear_appointment_end();
  next.clear_assigned_by();
  next.set_reassignment_count(0);
  *next.mutable_created_at() = ToTimestamp(pass.Now());
  auto* application = next.mutable_application();
  application->set_visit(visit);
  application->set_visit_number(number);
  application->clear_reminded();
  if (reason.empty()) {
    application->set_booking_count(0);
  } else {
    application->set_absent_count(application->absent_count() + 1);
  }
  v1::WorkOrder& kept = work_orders_.Add(pass, std::move(next));
  if (WaitingForDocuments(kept)) {
    QueueUnbooked(pass, kept, "waiting for the customer's documents");
    return;
  }
  Book(pass, kept, reason, {});
}

void AppointmentDesk::CloseApplication(DispatchPass& pass, const v1::WorkOrder& done) {
  v1::WorkOrder closed = done;
  auto* application = closed.mutable_application();
  const int reached_before = application->stages_size();
  ReachStage(*application, closed.mutable_clocks(), v1::APPLICATION_STAGE_CLOSED, pass.Now(),
             closed.work_order_id());
  work_orders_.Record(pass, closed);  // the archived visit keeps the closed application
  AnnounceStages(pass, closed, reached_before);
  for (const auto& clock : closed.clocks()) {
    alarms_.ForgetClock(pass, ApplicationKey(closed) + "/" + clock.stage(), clock.kind());
  }
  if (metrics_) metrics_->Action("application_closed");
}

// ---- the tick --------------------------------------------------------------------------------

std::set<std::string> AppointmentDesk::CrewsOnFaultWork() const {
  std::set<std::string> busy;
  for (const auto& [id, order] : work_orders_.open()) {
    if (!IsAppointmentWork(order) && HeldByCrew(order.state())) busy.insert(order.crew_id());
  }
  // Fault jobs of other territories (another dispatcher's): in the crew's queue as repair-crew
  // last reported it (the roster refresh), not open here.
  for (const auto& [crew_id, crew] : crews_.crews()) {
    for (const auto& queued : crew.work_order_ids()) {
      if (!IsVisitOrderId(queued) && work_orders_.Find(queued) == nullptr) {
        busy.insert(crew_id);
        break;
      }
    }
  }
  return busy;
}

CrewSituation AppointmentDesk::SituationOf(const std::string& crew_id,
                                           const std::set<std::string>& on_fault_work) const {
  CrewSituation situation;
  const v1::Crew* crew = crews_.Find(crew_id);
  situation.on_roster = crew != nullptr;
  situation.reachable =
      crew != nullptr && crew->availability() != v1::CREW_AVAILABILITY_UNREACHABLE;
  situation.on_fault_work = on_fault_work.count(crew_id) > 0;
  return situation;
}

void AppointmentDesk::Tick(DispatchPass& pass) {
  const auto now = pass.Now();
  std::vector<std::string> visits;
  for (const auto& [id, order] : work_orders_.open()) {
    if (IsAppointmentWork(order)) visits.push_back(id);
  }
  if (visits.empty()) return;
  // Computed once per tick: a storm's thousands of fault orders are scanned once, not per visit.
  const std::set<std::string> on_fault_work = CrewsOnFaultWork();
  int retries = 0;
  for (const auto& id : visits) {
    v1::WorkOrder& order = *work_orders_.Find(id);
    RaiseClockAlarms(pass, order);
    if (order.state() == v1::WORK_ORDER_STATE_QUEUED) {
      if (!WaitingForDocuments(order) && !crews_.empty() && retries++ < kRetriesPerTick) {
        Book(pass, order, order.application().booking_count() > 0 ? "booked again" : "", {});
      }
      continue;
    }
    if (!crews_.empty()) {
      if (auto reason = RebookReason(order, SituationOf(order.crew_id(), on_fault_work), now,
                                     settings_.applications)) {
        RebookAwayFromFaults(pass, order, *reason, on_fault_work);
        continue;
      }
    }
    Remind(pass, order);
  }
}

void AppointmentDesk::Remind(DispatchPass& pass, v1::WorkOrder& order) {
  const auto due = RemindersDue(order, pass.Now(), settings_.applications);
  if (due.empty()) return;
  for (const auto& audience : due) {
    // Recorded first: the event's order says who has been reminded (repair-crew shows it).
    order.mutable_application()->add_reminded(audience);
    v1::DispatchEvent event;
    auto* reminder = event.mutable_appointment_reminder();
    *reminder->mutable_work_order() = order;
    reminder->set_audience(audience);
    pass.Emit(EventKey(order), "gridcare.appointment.reminder.v1", order.work_order_id(), event,
              EmitId(order, "reminder-" + audience));
    if (metrics_) metrics_->Action("appointment_reminder");
  }
  work_orders_.Record(pass, order);
}

void AppointmentDesk::RaiseClockAlarms(DispatchPass& pass, const v1::WorkOrder& order) {
  if (WaitingForDocuments(order)) return;  // the clocks stand still
  for (const auto& clock : order.clocks()) {
    if (clock.has_met_at()) continue;
    alarms_.RaiseClock(pass, ApplicationKey(order) + "/" + clock.stage(), clock, EventKey(order),
                       order.work_order_id(), pass.Now());
  }
}

// ---- console actions -------------------------------------------------------------------------

core::Result<v1::WorkOrder> AppointmentDesk::Move(DispatchPass& pass,
                                                  const v1::MoveAppointmentRequest& request) {
  v1::WorkOrder* order = work_orders_.Find(request.work_order_id());
  if (order == nullptr) return core::NotFound("no open work order " + request.work_order_id());
  if (!IsAppointmentWork(*order)) {
    return core::FailedPrecondition(order->work_order_id() +
                                    " is fault repair: it is assigned, not booked");
  }
  if (order->state() != v1::WORK_ORDER_STATE_ASSIGNED &&
      order->state() != v1::WORK_ORDER_STATE_ACCEPTED &&
      order->state() != v1::WORK_ORDER_STATE_QUEUED) {
    return core::FailedPrecondition("the visit " + order->work_order_id() + " is under way");
  }
  if (!request.has_start()) return core::InvalidArgument("start is required");
  const auto start = FromTimestamp(request.start());
  if (start < pass.Now()) return core::InvalidArgument("start lies in the past");
  const std::string crew_id = request.crew_id().empty() ? order->crew_id() : request.crew_id();
  const v1::Crew* crew = crews_.Find(crew_id);
  if (crew == nullptr) {
    return crew_id.empty() ? core::InvalidArgument("crew_id is required for an unbooked visit")
                           : core::NotFound("no crew " + crew_id);
  }
  const auto end = start + VisitDuration(order->application().visit(), settings_.applications);
  const auto shifts = CrewStateFromProto(*crew).shifts;
  const auto offset = settings_.assignment.utc_offset;
  if (!OnShift(shifts, start, offset) || !OnShift(shifts, end - std::chrono::minutes{1}, offset)) {
    return core::InvalidArgument("crew " + crew_id + " is not on shift for the whole visit");
  }
  const std::string previous_crew = HeldByCrew(order->state()) ? order->crew_id() : "";
  order->set_state(v1::WORK_ORDER_STATE_ASSIGNED);
  order->set_crew_id(crew_id);
  order->set_assigned_by(request.dispatcher_id().empty() ? "dispatcher" : request.dispatcher_id());
  *order->mutable_appointment_start() = ToTimestamp(start);
  *order->mutable_appointment_end() = ToTimestamp(end);
  auto* application = order->mutable_application();
  application->set_booking_count(application->booking_count() + 1);
  application->clear_reminded();
  work_orders_.Record(pass, *order);
  std::string reason = "moved by dispatcher";
  if (!request.dispatcher_id().empty()) reason += " " + request.dispatcher_id();
  if (!request.reason().empty()) reason += ": " + request.reason();
  AnnounceBooking(pass, *order, previous_crew, reason);
  return *order;
}

core::Result<v1::WorkOrder> AppointmentDesk::RecordDocumentCheck(
    DispatchPass& pass, const v1::RecordDocumentCheckRequest& request) {
  if (request.ticket_id().empty()) return core::InvalidArgument("ticket_id is required");
  v1::WorkOrder* order = OpenVisitOf(request.ticket_id());
  if (order == nullptr) {
    return core::NotFound("no open application with ticket " + request.ticket_id());
  }
  auto* application = order->mutable_application();
  const auto now = pass.Now();
  v1::DispatchEvent event;
  auto* changed = event.mutable_application_clock_changed();
  if (!request.complete()) {
    v1::ClockStop stop;
    stop.set_reason(request.reason());
    *stop.mutable_missing_documents() = request.missing_documents();
    *stop.mutable_stopped_at() = ToTimestamp(now);
    stop.set_recorded_by(request.clerk_id());
    if (auto status = StopClocks(*application, stop); !status) return status.error();
    changed->set_stopped(true);
    *changed->mutable_stop() = stop;
  } else {
    const int reached_before = application->stages_size();
    const v1::ClockStop ended = application->clock_stop();
    const bool was_stopped = application->has_clock_stop();
    const int days = ResumeClocks(*application, order->mutable_clocks(), now, settings_.calendar);
    ReachStage(*application, order->mutable_clocks(), v1::APPLICATION_STAGE_DOCUMENTS_CHECKED, now,
               "");
    work_orders_.Record(pass, *order);
    AnnounceStages(pass, *order, reached_before);
    if (!was_stopped) return *order;
    changed->set_stopped(false);
    *changed->mutable_stop() = ended;
    changed->set_stopped_working_days(days);
  }
  work_orders_.Record(pass, *order);
  *changed->mutable_work_order() = *order;
  pass.Emit(EventKey(*order), "gridcare.application.clock_changed.v1", order->work_order_id(),
            event);
  if (metrics_)
    metrics_->Action(changed->stopped() ? "application_clock_stopped"
                                        : "application_clock_resumed");
  if (!changed->stopped() && order->state() == v1::WORK_ORDER_STATE_QUEUED) {
    Book(pass, *order, "", {});
  }
  return *order;
}

}  // namespace gridcare::dispatch
