// The real intake binary running with the 2026 calendar directory: a complaint whose reply
// deadline crosses into 2027 is provisional; dropping the (FIXTURE) official 2027 file into the
// directory makes intake reload, republish the changed deadline once as clocks_changed and show it
// on the ticket's timeline.
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "gridcare/kafka/topics.h"
#include "gridcare/rpc/client.h"
#include "intake_stack.h"

namespace v1 = gridcare::v1;
namespace kafka = gridcare::kafka;
namespace fs = std::filesystem;
using gridcare::testing::WaitUntil;
using namespace std::chrono_literals;

namespace {

std::string Source(const std::string& relative) {
  return std::string(GRIDCARE_SOURCE_DIR) + "/" + relative;
}

// The shared intake stack, with intake reading its calendar from a directory of the stack's and
// a complaint reply limit of 30 working days (from any December 2026 day, a deadline in 2027).
struct CalendarStack {
  fs::path calendars;
  gridcare::testing::IntakeStack stack{
      {.customers = 50, .intake_args = [this](const fs::path& dir) {
         calendars = dir / "calendars";
         fs::create_directories(calendars);
         fs::copy_file(Source("libs/sla/config/calendar-cn-2026.json"), calendars / "cn-2026.json");
         std::ofstream(dir / "standards.json") << R"({"complaint_reply_working_days": 30})";
         return std::vector<std::string>{"--working-calendar", calendars.string(),
                                         "--service-standards", (dir / "standards.json").string()};
       }}};

  v1::TrackResponse Track(const std::string& ticket_id) {
    grpc::ClientContext context;
    gridcare::rpc::SetDeadline(context, 10s);
    v1::TrackRequest request;
    request.set_ticket_id(ticket_id);
    v1::TrackResponse response;
    const auto status = stack.stub->Track(&context, request, &response);
    INFO(status.error_message());
    REQUIRE(status.ok());
    return response;
  }
};

const v1::ServiceClock* ReplyClock(const v1::Ticket& ticket) {
  for (const auto& clock : ticket.clocks()) {
    if (clock.kind() == v1::ServiceClock::KIND_COMPLAINT_REPLY) return &clock;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("intake reloads a new calendar file and republishes the changed deadlines once") {
  CalendarStack calendar_stack;
  auto& stack = calendar_stack.stack;
  v1::SubmitRequest submit;
  auto* request = submit.mutable_request();
  request->set_request_id("REQ-CALENDAR-1");
  request->set_channel(v1::CHANNEL_HOTLINE_IVR);
  request->set_explicit_type(v1::REQUEST_TYPE_COMPLAINT);
  request->set_text("我要投诉，营业厅工作人员态度很差");
  request->set_language(v1::LANGUAGE_ZH_CN);
  request->mutable_customer()->set_phone(stack.utility.CustomerAt(10).phones(0));
  *request->mutable_received_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  v1::SubmitResponse response;
  {
    grpc::ClientContext context;
    gridcare::rpc::SetDeadline(context, 10s);
    const auto status = stack.stub->Submit(&context, submit, &response);
    INFO(status.error_message() << "\n" << stack.intake->ReadLog());
    REQUIRE(status.ok());
  }
  const auto* opened = ReplyClock(response.ticket());
  REQUIRE(opened != nullptr);
  REQUIRE(opened->provisional());
  const std::string ticket_id = response.ticket_id();

  // The operator loads the (fixture) official 2027 notice: intake polls the directory.
  fs::copy_file(Source("tests/data/calendar-cn-2027-FIXTURE.json"),
                calendar_stack.calendars / "cn-2027.json");
  auto changes = [&] {
    return stack.reader->Matching([&](const kafka::ConsumedMessage& m) {
      return m.key == ticket_id && m.Header("ce_type") == "gridcare.ticket.clocks_changed.v1";
    });
  };
  REQUIRE(WaitUntil([&] { return !changes().empty(); }, 40s));
  // A SIGHUP reload of the same files publishes nothing new.
  REQUIRE(kill(stack.intake->pid(), SIGHUP) == 0);
  std::this_thread::sleep_for(3s);
  const auto events = changes();
  std::set<std::string> ids;
  for (const auto& e : events) ids.insert(std::string(*e.Header("ce_id")));
  CHECK(ids.size() == 1);

  v1::IntakeEvent event;
  REQUIRE(event.ParseFromString(events.front().value));
  REQUIRE(event.has_clocks_changed());
  const auto& change = event.clocks_changed();
  REQUIRE(change.changes_size() == 1);
  CHECK(change.changes(0).previous_due_at().seconds() == opened->due_at().seconds());
  CHECK_FALSE(change.changes(0).provisional());
  CHECK(change.calendar_name() == "cn-2026+cn-2027-FIXTURE");

  const auto tracked = calendar_stack.Track(ticket_id);
  const auto* reply = ReplyClock(tracked.ticket());
  REQUIRE(reply != nullptr);
  CHECK_FALSE(reply->provisional());
  CHECK(reply->due_at().seconds() == change.changes(0).due_at().seconds());
  bool shown = false;
  for (const auto& step : tracked.timeline()) {
    if (step.event_type() == "gridcare.ticket.clocks_changed.v1") {
      shown = true;
      CHECK_THAT(step.description().en(),
                 Catch::Contains("final under the official holiday schedule"));
    }
  }
  CHECK(shown);
  const std::string log = stack.intake->ReadLog();
  CHECK_THAT(log, Catch::Contains("working calendar loaded"));
}
