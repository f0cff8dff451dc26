// The department desk end to end: the local stack, a complaint through intake, the desk page in
// headless Chromium acting as the marketing office's handler.

#include <google/protobuf/util/time_util.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "gridcare/rpc/client.h"
#include "gridcare/synth/utility.h"
#include "gridcare/testing/local_stack.h"
#include "gridcare/testing/process.h"
#include "gridcare/v1/complaint.grpc.pb.h"
#include "gridcare/v1/intake.grpc.pb.h"

namespace {

using namespace std::chrono_literals;
using gridcare::testing::ChildProcess;
using gridcare::testing::LocalStack;
using gridcare::testing::WaitUntil;
namespace v1 = gridcare::v1;

}  // namespace

TEST_CASE("a handler takes, contacts and replies to a complaint through the desk page",
          "[e2e][desk]") {
  const char* node = "/usr/bin/node";
  const std::string check =
      std::string(GRIDCARE_SOURCE_DIR) + "/tools/browser-check/desk_check.mjs";
  REQUIRE(std::filesystem::exists(node));
  REQUIRE(std::filesystem::exists(std::string(GRIDCARE_SOURCE_DIR) +
                                  "/tools/browser-check/node_modules/playwright-core"));
  LocalStack stack;
  const auto utility = gridcare::synth::Utility::Create({.seed = 42, .customers = 2000}).value();
  // A residential customer of the first district (文乐区): routed to its marketing office.
  const std::string district = utility.network().districts().front().name;
  v1::Customer customer;
  for (int64_t i = 20; i < utility.customer_count(); ++i) {
    customer = utility.CustomerAt(i);
    if (customer.address().district() == district && customer.tags().empty() &&
        customer.account_type() == v1::ACCOUNT_TYPE_RESIDENTIAL) {
      break;
    }
  }
  auto intake = v1::IntakeService::NewStub(
      gridcare::rpc::MakeChannel(stack.Endpoint("GRIDCARE_INTAKE_GRPC")));
  v1::SubmitRequest submit;
  auto* request = submit.mutable_request();
  request->set_request_id("DESK-E2E-1");
  request->set_channel(v1::CHANNEL_HOTLINE_AGENT);
  request->set_explicit_type(v1::REQUEST_TYPE_COMPLAINT);
  request->set_text("这个月电费比平时高了一倍，肯定是估抄的，请打13812345678联系我");
  request->mutable_customer()->set_customer_id(customer.customer_id());
  *request->mutable_received_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  v1::SubmitResponse submitted;
  {
    grpc::ClientContext context;
    REQUIRE(intake->Submit(&context, submit, &submitted).ok());
  }
  const std::string case_id = "CC-" + submitted.ticket_id();
  auto desk = v1::ComplaintService::NewStub(
      gridcare::rpc::MakeChannel(stack.Endpoint("GRIDCARE_COMPLAINT_GRPC")));
  v1::ComplaintCase routed;
  REQUIRE(WaitUntil(
      [&] {
        grpc::ClientContext context;
        v1::GetCaseRequest get;
        get.set_case_id(case_id);
        return desk->GetCase(&context, get, &routed).ok();
      },
      30s));
  INFO(stack.Logs());
  REQUIRE(routed.department_id() == "marketing");

  ChildProcess browser(
      node,
      {check, "--url", stack.Endpoint("GRIDCARE_COMPLAINT_CONSOLE"), "--case-id", case_id,
       "--act-as", "mkt-wl-01", "--take", "--contact", "--reply", "--cause", "billing-estimate",
       "--timeout-ms", "60000", "--screenshot-dir", (stack.run_dir() / "screenshots").string()},
      stack.run_dir() / "logs" / "desk-check.log");
  REQUIRE(WaitUntil([&] { return !browser.Running(); }, 150s));
  const int exit_code = browser.Stop();
  INFO(browser.ReadLog());
  CHECK(exit_code == 0);

  grpc::ClientContext context;
  v1::GetCaseRequest get;
  get.set_case_id(case_id);
  v1::ComplaintCase after;
  REQUIRE(desk->GetCase(&context, get, &after).ok());
  CHECK(after.state() == v1::CASE_STATE_REPLIED);
  CHECK(after.handler_id() == "mkt-wl-01");
  CHECK(after.root_cause() == "billing-estimate");
}
