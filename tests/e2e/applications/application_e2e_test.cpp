// Issue 19's end-to-end flow on the local stack: a customer applies for a new connection through
// intake with a preferred window; dispatch books the site survey with a metering crew; a fault
// given to that crew (the storm's share) re-books the survey once with another crew; the crew
// simulator surveys, dispatch books the installation, the crew installs the meter and connects
// the supply; the application closes within its clock, IntakeService.Track shows every stage, and
// the profile finds the customer by the new meter.
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <thread>

#include "gridcare/kafka/topics.h"
#include "gridcare/rpc/client.h"
#include "gridcare/synth/utility.h"
#include "gridcare/testing/local_stack.h"
#include "gridcare/testing/servers.h"
#include "gridcare/testing/stack_calls.h"
#include "gridcare/testing/topic_reader.h"
#include "gridcare/v1/dispatch.grpc.pb.h"
#include "gridcare/v1/intake.grpc.pb.h"
#include "gridcare/v1/notification.pb.h"
#include "gridcare/v1/profile.grpc.pb.h"

namespace v1 = gridcare::v1;
namespace synth = gridcare::synth;
using google::protobuf::util::TimeUtil;
using gridcare::testing::ChildProcess;
using gridcare::testing::DispatchEvents;
using gridcare::testing::LocalStack;
using gridcare::testing::TopicReader;
using gridcare::testing::Track;
using gridcare::testing::WaitUntil;
using namespace std::chrono_literals;

namespace {

synth::Utility Fixture() {
  return std::move(synth::Utility::Create({.seed = 42, .customers = 2000}).value());
}

v1::SubmitResponse Submit(v1::IntakeService::Stub& intake, const v1::ServiceRequest& request) {
  v1::SubmitRequest submit;
  *submit.mutable_request() = request;
  grpc::ClientContext context;
  gridcare::rpc::SetDeadline(context, 10s);
  v1::SubmitResponse response;
  const auto status = intake.Submit(&context, submit, &response);
  if (!status.ok()) throw std::runtime_error("Submit failed: " + status.error_message());
  return response;
}

v1::ServiceRequest Request(const std::string& request_id, const std::string& customer_id) {
  v1::ServiceRequest request;
  request.set_request_id(request_id);
  request.mutable_customer()->set_customer_id(customer_id);
  request.set_language(v1::LANGUAGE_ZH_CN);
  *request.mutable_received_at() = TimeUtil::GetCurrentTime();
  return request;
}

/// The bookings of the application of `ticket_id`, one per distinct (visit, booking count).
std::vector<v1::AppointmentBooked> Bookings(const TopicReader& reader,
                                            const std::string& ticket_id) {
  std::vector<v1::AppointmentBooked> out;
  std::set<std::pair<std::string, int>> seen;
  for (const auto& event : DispatchEvents(reader, "gridcare.appointment.booked.v1")) {
    const auto& booked = event.appointment_booked();
    const auto& order = booked.work_order();
    if (order.application().ticket_id() != ticket_id) continue;
    if (!seen.insert({order.work_order_id(), order.application().booking_count()}).second) continue;
    out.push_back(booked);
  }
  return out;
}

/// Customers of `district` on transformers other than `except_transformer`, one per transformer.
std::vector<int64_t> Neighbours(const synth::Utility& utility, const std::string& district,
                                const std::string& except_transformer, size_t count) {
  std::vector<int64_t> out;
  std::set<std::string> transformers = {except_transformer};
  for (int64_t i = 0; i < utility.customer_count() && out.size() < count; ++i) {
    const auto customer = utility.CustomerAt(i);
    if (customer.address().district() != district) continue;
    if (!transformers.insert(customer.supply().transformer_id()).second) continue;
    out.push_back(i);
  }
  return out;
}

/// A new-connection application of `customer_id` through the app, preferring the next four hours;
/// returns its ticket id.
std::string ApplyForNewConnection(v1::IntakeService::Stub& intake, const std::string& customer_id) {
  auto application = Request("APP-E2E-1", customer_id);
  application.set_channel(v1::CHANNEL_MOBILE_APP);
  application.set_explicit_type(v1::REQUEST_TYPE_SERVICE_APPLICATION);
  application.set_application_kind(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION);
  application.set_text("新建住宅申请新装用电");
  *application.mutable_preferred_appointment_start() = TimeUtil::GetCurrentTime();
  *application.mutable_preferred_appointment_end() =
      TimeUtil::SecondsToTimestamp(TimeUtil::GetCurrentTime().seconds() + 4 * 3600);
  return Submit(intake, application).ticket_id();
}

/// A dispatcher gives the first fault job dispatch assigned to `crew_id` (the storm's share of
/// that crew); false when no fault job appeared or the console refused.
bool GiveAFaultTo(v1::DispatchConsoleService::Stub& console, const TopicReader& reader,
                  const std::string& crew_id) {
  std::string fault_order;
  const bool assigned = WaitUntil(
      [&] {
        for (const auto& event : DispatchEvents(reader, "gridcare.work_order.assigned.v1")) {
          const auto& order = event.work_order_assigned().work_order();
          if (order.kind() == v1::WORK_ORDER_KIND_REPAIR) fault_order = order.work_order_id();
        }
        return !fault_order.empty();
      },
      60s);
  if (!assigned) return false;
  v1::AssignWorkOrderRequest request;
  request.set_work_order_id(fault_order);
  request.set_crew_id(crew_id);
  request.set_dispatcher_id("e2e-dispatcher");
  request.set_reason("storm: the nearest crew takes the fault");
  grpc::ClientContext context;
  gridcare::rpc::SetDeadline(context, 10s);
  v1::AssignWorkOrderResponse response;
  const auto status = console.AssignWorkOrder(&context, request, &response);
  UNSCOPED_INFO("AssignWorkOrder: " << status.error_message());
  return status.ok();
}

/// Distinct notifications queued with `template_id` about `ticket_id`.
size_t NoticesQueued(const TopicReader& reader, const std::string& template_id,
                     const std::string& ticket_id) {
  std::set<std::string> ids;
  for (const auto& message : reader.Matching([](const gridcare::kafka::ConsumedMessage& m) {
         return m.Header("ce_type").value_or("") == "gridcare.notification.queued.v1";
       })) {
    v1::NotificationEvent event;
    if (!event.ParseFromString(message.value)) continue;
    const auto& queued = event.queued();
    if (queued.template_id() == template_id && queued.subject_id() == ticket_id) {
      ids.insert(queued.notification_id());
    }
  }
  return ids.size();
}

/// The application of `ticket_id` reached all five stages, its completion clock was met on time;
/// returns the meter installed (empty when something is missing).
std::string MeterInstalledInTime(const TopicReader& reader, const std::string& ticket_id) {
  std::set<v1::ApplicationStage> stages;
  v1::WorkOrder last;
  for (const auto& event : DispatchEvents(reader, "gridcare.application.stage_reached.v1")) {
    const auto& reached = event.application_stage_reached();
    if (reached.work_order().application().ticket_id() != ticket_id) continue;
    stages.insert(reached.stage());
    last = reached.work_order();
  }
  CHECK(stages.size() == 5);
  const v1::ServiceClock* completion = nullptr;
  for (const auto& clock : last.clocks()) {
    if (clock.kind() == v1::ServiceClock::KIND_APPLICATION_COMPLETION) completion = &clock;
  }
  if (completion == nullptr || !completion->has_met_at()) return "";
  CHECK(completion->met_at().seconds() <= completion->due_at().seconds());
  return last.application().meter_number();
}

/// Track shows every stage of a new connection in the customer's words.
void CheckEveryStageShown(const v1::TrackResponse& tracked) {
  std::vector<std::string> said;
  for (const auto& entry : tracked.timeline()) said.push_back(entry.description().en());
  const auto says = [&](const std::string& words) {
    return std::any_of(said.begin(), said.end(), [&](const std::string& line) {
      return line.find(words) != std::string::npos;
    });
  };
  CHECK(says("Your site survey is booked for"));
  CHECK(says("Your site survey is moved to"));
  CHECK(says("Your documents are checked and complete"));
  CHECK(says("The site survey is done"));
  CHECK(says("Your meter installation is booked for"));
  CHECK(says("Your meter is installed and the supply is connected"));
  CHECK(says("Your application is complete and closed"));
}

}  // namespace

TEST_CASE(
    "a new connection through intake is booked and surveyed and installed and closed while a "
    "fault takes its crew once",
    "[e2e][applications]") {
  // Visits may be booked from 10 minutes ahead, and a crew on fault work loses a visit less than
  // 20 hours away (the first slot may be the next morning's shift): the test need not wait.
  LocalStack stack({.extra_env = "GRIDCARE_APPOINTMENT_BOOKING_NOTICE=10m "
                                 "GRIDCARE_APPOINTMENT_REBOOK_LEAD=20h"});
  const auto utility = Fixture();
  TopicReader reader(stack.Endpoint("GRIDCARE_KAFKA_BOOTSTRAP_SERVERS"),
                     {std::string(gridcare::kafka::kDispatchTopic),
                      std::string(gridcare::kafka::kNotificationTopic)});
  auto intake = v1::IntakeService::NewStub(
      gridcare::rpc::MakeChannel(stack.Endpoint("GRIDCARE_INTAKE_GRPC")));
  auto console = v1::DispatchConsoleService::NewStub(
      gridcare::rpc::MakeChannel(stack.Endpoint("GRIDCARE_DISPATCH_GRPC")));
  auto profile = v1::ProfileService::NewStub(
      gridcare::rpc::MakeChannel(stack.Endpoint("GRIDCARE_PROFILE_GRPC")));

  // 1. The application, preferring the next four hours.
  const auto applicant = utility.CustomerAt(321);
  const std::string ticket_id = ApplyForNewConnection(*intake, applicant.customer_id());
  INFO("application ticket " << ticket_id);

  // 2. Booked with a metering crew.
  std::vector<v1::AppointmentBooked> bookings;
  if (!WaitUntil([&] { return !(bookings = Bookings(reader, ticket_id)).empty(); }, 60s)) {
    FAIL("no booking for " << ticket_id << "\n" << stack.Logs());
  }
  const auto first = bookings.front().work_order();
  CHECK_FALSE(bookings.front().rebooked());
  CHECK(first.application().visit() == v1::VISIT_KIND_SITE_SURVEY);
  CHECK(first.required_skill() == v1::CREW_SKILL_METERING);
  const std::string first_crew = first.crew_id();
  INFO("survey booked with " << first_crew << " in "
                             << (first.appointment_start().seconds() -
                                 TimeUtil::GetCurrentTime().seconds()) /
                                    60
                             << " min");

  // 3. Faults around the applicant; one of them is given to the booked crew by a dispatcher.
  int sequence = 0;
  for (const auto index : Neighbours(utility, applicant.address().district(),
                                     applicant.supply().transformer_id(), 3)) {
    auto fault = Request("APP-E2E-FAULT-" + std::to_string(++sequence), utility.CustomerId(index));
    fault.set_channel(v1::CHANNEL_HOTLINE_IVR);
    fault.set_explicit_type(v1::REQUEST_TYPE_FAULT_REPAIR);
    fault.set_text("家里停电了");
    Submit(*intake, fault);
  }
  if (!GiveAFaultTo(*console, reader, first_crew)) {
    FAIL("no fault job could be given to " << first_crew << "\n" << stack.Logs());
  }

  // 4. The survey moves to another crew, once.
  const bool moved = WaitUntil(
      [&] {
        bookings = Bookings(reader, ticket_id);
        return std::any_of(bookings.begin(), bookings.end(),
                           [](const auto& b) { return b.rebooked(); });
      },
      60s);
  if (!moved) FAIL("the survey was not booked again\n" << stack.Logs());
  const auto rebooked =
      std::find_if(bookings.begin(), bookings.end(), [](const auto& b) { return b.rebooked(); });
  CHECK(rebooked->reason() == "crew " + first_crew + " taken by fault repair");
  CHECK(rebooked->work_order().crew_id() != first_crew);

  // 5. Crews do the work: the fault first, visits as soon as a crew is free.
  ChildProcess crews(gridcare::testing::ProgramPath("gridcare-crew-sim"),
                     {"--crew-service", stack.Endpoint("GRIDCARE_REPAIR_CREW_GRPC"), "--time-scale",
                      "600", "--seed", "42", "--visits-early"},
                     stack.run_dir() / "logs" / "crew-sim.log");
  v1::TrackResponse tracked;
  const bool closed = WaitUntil(
      [&] {
        tracked = Track(*intake, ticket_id);
        return tracked.ticket().state() == v1::TICKET_STATE_CLOSED;
      },
      180s);
  if (!closed) {
    std::string steps;
    for (const auto& entry : tracked.timeline()) steps += " | " + entry.description().en();
    const std::string crew_log = crews.ReadLog();
    FAIL("the application did not close: "
         << steps << "\n"
         << stack.Logs() << "\n--- crew-sim.log (tail)\n"
         << crew_log.substr(crew_log.size() > 4000 ? crew_log.size() - 4000 : 0));
  }

  CheckEveryStageShown(tracked);

  // The survey re-booked once; each stage announced.
  bookings = Bookings(reader, ticket_id);
  CHECK(std::count_if(bookings.begin(), bookings.end(), [&](const auto& b) {
          return b.rebooked() && b.work_order().work_order_id() == first.work_order_id();
        }) == 1);
  const std::string meter = MeterInstalledInTime(reader, ticket_id);
  REQUIRE_FALSE(meter.empty());

  // The customer is told of the move once (one notification queued for it, whatever quiet hours
  // then do with it), and of the first booking.
  WaitUntil([&] { return NoticesQueued(reader, "appointment.rebooked", ticket_id) >= 1; }, 30s);
  CHECK(NoticesQueued(reader, "appointment.rebooked", ticket_id) == 1);
  CHECK(NoticesQueued(reader, "appointment.booked", ticket_id) >= 1);

  // The profile finds the customer by the new meter.
  const bool found = WaitUntil(
      [&] {
        v1::LookupByMeterRequest request;
        request.set_meter_number(meter);
        grpc::ClientContext context;
        gridcare::rpc::SetDeadline(context, 5s);
        v1::Customer customer;
        return profile->LookupByMeter(&context, request, &customer).ok() &&
               customer.customer_id() == applicant.customer_id();
      },
      30s);
  CHECK(found);
}
