#include "application_walkthrough.h"

#include <google/protobuf/util/time_util.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "gridcare/core/clock.h"
#include "gridcare/core/ids.h"
#include "gridcare/rpc/client.h"
#include "gridcare/v1/intake.grpc.pb.h"

namespace gridcare::scenario {
namespace {

using namespace std::chrono_literals;
using google::protobuf::util::TimeUtil;
namespace v1 = gridcare::v1;

/// How long the walkthrough waits for the application to close: two visits, each a drive and up
/// to 90 simulated minutes on site at the simulator's 60x.
constexpr auto kPatience = 6min;

/// Tomorrow `hour`:00 in Beijing.
google::protobuf::Timestamp TomorrowAt(int hour) {
  using namespace std::chrono;
  const auto beijing_now = system_clock::now() + hours(8);
  const auto tomorrow = floor<days>(beijing_now) + days(1);
  const auto at = tomorrow + hours(hour) - hours(8);
  return TimeUtil::SecondsToTimestamp(duration_cast<seconds>(at.time_since_epoch()).count());
}

std::string Beijing(const google::protobuf::Timestamp& at) {
  return TimeUtil::ToString(TimeUtil::SecondsToTimestamp(at.seconds() + 8 * 3600)).substr(11, 8);
}

}  // namespace

bool RunApplicationWalkthrough(const std::map<std::string, std::string>& endpoints,
                               const synth::Utility& utility) {
  const auto found = endpoints.find("GRIDCARE_INTAKE_GRPC");
  if (found == endpoints.end() || found->second.empty()) {
    std::printf("   (intake is not running; skipped)\n");
    return true;
  }
  auto stub = v1::IntakeService::NewStub(rpc::MakeChannel(found->second));
  core::SystemClock clock;
  core::UuidV7Generator ids(clock);
  const auto applicant = utility.CustomerAt(utility.customer_count() / 5);

  v1::ServiceRequest request;
  request.set_request_id("DEMO-" + ids.NewId().substr(0, 8) + "-new-connection");
  request.set_channel(v1::CHANNEL_MOBILE_APP);
  request.mutable_customer()->set_customer_id(applicant.customer_id());
  request.set_explicit_type(v1::REQUEST_TYPE_SERVICE_APPLICATION);
  request.set_application_kind(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION);
  request.set_text("新建住宅申请新装用电，一户一表，明天上午在家");
  request.set_language(v1::LANGUAGE_ZH_CN);
  *request.mutable_received_at() = TimeUtil::GetCurrentTime();
  *request.mutable_preferred_appointment_start() = TomorrowAt(9);
  *request.mutable_preferred_appointment_end() = TomorrowAt(12);
  v1::SubmitResponse submitted;
  {
    grpc::ClientContext context;
    rpc::SetDeadline(context, 10s);
    v1::SubmitRequest submit;
    *submit.mutable_request() = request;
    const auto status = stub->Submit(&context, submit, &submitted);
    if (!status.ok()) {
      std::printf("   the application was refused: %s\n", status.error_message().c_str());
      return false;
    }
  }
  const std::string ticket_id = submitted.ticket_id();
  std::printf(
      "   customer %s applies in the 网上国网 app for a new connection, preferring tomorrow "
      "09:00-12:00: ticket %s\n",
      applicant.customer_id().c_str(), ticket_id.c_str());
  for (const auto& document : submitted.required_documents()) {
    std::printf("      bring: %s / %s\n", document.zh_cn().c_str(), document.en().c_str());
  }
  std::printf(
      "   dispatch books the site survey with a metering crew; the crew simulator does "
      "booked visits as soon as the crew is free (a demo cannot wait for tomorrow):\n");

  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  int shown = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    grpc::ClientContext context;
    rpc::SetDeadline(context, 5s);
    v1::TrackRequest track;
    track.set_ticket_id(ticket_id);
    v1::TrackResponse where;
    if (stub->Track(&context, track, &where).ok()) {
      for (; shown < where.timeline_size(); ++shown) {
        const auto& step = where.timeline(shown);
        std::printf("   %s  %-12s %s\n      %s\n", Beijing(step.at()).c_str(),
                    v1::TicketState_Name(step.state()).substr(13).c_str(),
                    step.description().zh_cn().c_str(), step.description().en().c_str());
      }
      if (where.ticket().state() == v1::TICKET_STATE_CLOSED) {
        std::printf(
            "   closed: from application to supply connected; every stage above is what "
            "the customer sees in IntakeService.Track\n");
        return true;
      }
    }
    std::this_thread::sleep_for(2s);
  }
  std::printf(
      "   the application %s did not close within %lld s: is gridcare-crew-sim running "
      "with GRIDCARE_CREW_SIM_VISITS_EARLY=1? (logs: .run/logs/dispatch.log, "
      "crew-sim.log)\n",
      ticket_id.c_str(),
      static_cast<long long>(std::chrono::duration_cast<std::chrono::seconds>(kPatience).count()));
  return false;
}

}  // namespace gridcare::scenario
