// gridcare-scenario: a realistic walk through the running local stack that a newcomer can watch.
// It exercises the profile service, intake, a storm through dispatch and the repair crews, a
// complaint's closed loop, and analytics' early warning and KPIs.
#include <google/protobuf/util/time_util.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <thread>

#include "application_walkthrough.h"
#include "complaint_walkthrough.h"
#include "early_warning_walkthrough.h"
#include "gridcare/config/files.h"
#include "gridcare/core/clock.h"
#include "gridcare/core/ids.h"
#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/producer.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/logging/privacy.h"
#include "gridcare/rpc/client.h"
#include "gridcare/synth/utility.h"
#include "gridcare/v1/intake.pb.h"
#include "gridcare/v1/profile.grpc.pb.h"
#include "intake_walkthrough.h"
#include "storm_walkthrough.h"

namespace {

namespace v1 = gridcare::v1;
using namespace std::chrono_literals;

void Section(const char* title) { std::printf("\n== %s\n", title); }

const char* AreaName(v1::AreaClass area) {
  switch (area) {
    case v1::AREA_CLASS_URBAN:
      return "urban (arrival within 45 min)";
    case v1::AREA_CLASS_RURAL:
      return "rural (arrival within 90 min)";
    case v1::AREA_CLASS_REMOTE:
      return "remote (arrival within 120 min)";
    default:
      return "unknown";
  }
}

std::string Tags(const v1::Customer& customer) {
  std::string out;
  for (const int tag : customer.tags()) {
    if (!out.empty()) out += ", ";
    out += v1::CustomerTag_Name(static_cast<v1::CustomerTag>(tag)).substr(13);
  }
  return out.empty() ? "-" : out;
}

// Personal data is shown masked, as everywhere in GridCare's output.
void PrintCustomer(const v1::Customer& c) {
  std::printf("   %s  %s  %s  phone %s\n", c.customer_id().c_str(),
              gridcare::logging::MaskName(c.name()).c_str(),
              v1::AccountType_Name(c.account_type()).substr(13).c_str(),
              gridcare::logging::MaskPhone(c.phones(0)).c_str());
  std::printf("      %s | %s\n", c.address().full_text().c_str(), AreaName(c.area_class()));
  std::printf("      supply %s > %s > %s | meter %s | tags %s\n",
              c.supply().substation_id().c_str(), c.supply().feeder_id().c_str(),
              c.supply().transformer_id().c_str(), c.meter_number().c_str(), Tags(c).c_str());
  const auto& h = c.history();
  std::printf(
      "      history: open tickets %d, faults in 12 months %d, complaints in 30 days %d, "
      "urgings %d\n",
      h.open_tickets(), h.faults_last_12_months(), h.complaints_last_30_days(),
      h.urgings_last_30_days());
}

bool Fail(const std::string& what) {
  std::fprintf(stderr, "scenario: %s\n", what.c_str());
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  std::string endpoints_file = ".run/endpoints.env";
  gridcare::synth::UtilitySpec spec;
  spec.seed = 42;
  spec.customers = 2000;
  CLI::App app{
      "gridcare-scenario: walks through the running local stack (deploy/run.sh starts it): checks "
      "the profile service's health, identifies callers by phone and meter as intake will, lists "
      "a transformer area's customers as dispatch will, and drives history counters with events "
      "through the broker. The utility must be the one loaded with gridcare-synth (same --seed "
      "and --customers)."};
  app.add_option("--endpoints", endpoints_file, "endpoints.env written by deploy/local/stack.sh")
      ->capture_default_str();
  app.add_option("--seed", spec.seed, "Seed of the loaded synthetic utility")
      ->capture_default_str();
  app.add_option("--customers", spec.customers, "Customers of the loaded synthetic utility")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  auto endpoints = gridcare::config::ReadEnvFile(endpoints_file);
  if (!endpoints) return Fail(endpoints.error().ToString() + " (is the local stack running?)"), 1;
  const std::string profile_target = (*endpoints)["GRIDCARE_PROFILE_GRPC"];
  const std::string bootstrap = (*endpoints)["GRIDCARE_KAFKA_BOOTSTRAP_SERVERS"];
  if (profile_target.empty() || bootstrap.empty()) {
    return Fail("endpoints.env lacks GRIDCARE_PROFILE_GRPC or GRIDCARE_KAFKA_BOOTSTRAP_SERVERS"), 1;
  }
  auto utility = gridcare::synth::Utility::Create(spec);
  if (!utility) return Fail(utility.error().ToString()), 1;

  auto channel = gridcare::rpc::MakeChannel(profile_target);
  auto stub = v1::ProfileService::NewStub(channel);

  Section("1. Is the profile service up? (grpc.health.v1.Health/Check, as Kubernetes probes it)");
  for (const std::string service : {"", "gridcare.v1.ProfileService"}) {
    auto health = gridcare::rpc::CheckHealth(channel, service, 5s);
    if (!health) return Fail("health check failed: " + health.error().ToString()), 1;
    std::printf("   %-28s %s\n", service.empty() ? "(server)" : service.c_str(),
                gridcare::rpc::HealthStatusName(*health));
    if (*health != gridcare::rpc::HealthStatus::kServing) return 1;
  }

  Section("2. A customer calls 95598: who is it? (LookupByPhone on the caller id)");
  const int64_t caller = spec.customers / 3;
  v1::LookupByPhoneResponse by_phone;
  {
    grpc::ClientContext context;
    gridcare::rpc::SetDeadline(context, 5s);
    v1::LookupByPhoneRequest request;
    request.set_phone(utility->PrimaryPhone(caller));
    auto status = stub->LookupByPhone(&context, request, &by_phone);
    if (!status.ok()) return Fail("LookupByPhone: " + status.error_message()), 1;
  }
  std::printf("   caller id %s matches %d account(s):\n",
              gridcare::logging::MaskPhone(utility->PrimaryPhone(caller)).c_str(),
              by_phone.customers_size());
  for (const auto& customer : by_phone.customers()) PrintCustomer(customer);

  Section("3. A phone shared by a family: several accounts, so intake must ask which one");
  for (int64_t i = 0; i < utility->customer_count(); ++i) {
    if (utility->CustomersSharingPhoneWith(i).size() < 2) continue;
    grpc::ClientContext context;
    gridcare::rpc::SetDeadline(context, 5s);
    v1::LookupByPhoneRequest request;
    request.set_phone(utility->CustomerAt(i).phones(0));  // the phone it shares
    v1::LookupByPhoneResponse shared;
    if (!stub->LookupByPhone(&context, request, &shared).ok()) return 1;
    std::printf("   %s -> %d accounts:", gridcare::logging::MaskPhone(request.phone()).c_str(),
                shared.customers_size());
    for (const auto& c : shared.customers()) std::printf(" %s", c.customer_id().c_str());
    std::printf("\n");
    break;
  }

  Section("4. A smart meter sends a last gasp: whose meter is it? (LookupByMeter)");
  const auto meter_owner = utility->CustomerAt(spec.customers - 1);
  v1::Customer by_meter;
  {
    grpc::ClientContext context;
    gridcare::rpc::SetDeadline(context, 5s);
    v1::LookupByMeterRequest request;
    request.set_meter_number(meter_owner.meter_number());
    auto status = stub->LookupByMeter(&context, request, &by_meter);
    if (!status.ok()) return Fail("LookupByMeter: " + status.error_message()), 1;
  }
  PrintCustomer(by_meter);

  Section("5. An outage on a transformer area: who is affected? (ListCustomersBySupply)");
  const auto& transformer =
      utility->network().transformers()[utility->network().transformers().size() / 2];
  {
    grpc::ClientContext context;
    gridcare::rpc::SetDeadline(context, 5s);
    v1::ListCustomersBySupplyRequest request;
    request.set_transformer_id(transformer.id);
    request.set_page_size(3);
    v1::ListCustomersBySupplyResponse page;
    auto status = stub->ListCustomersBySupply(&context, request, &page);
    if (!status.ok()) return Fail("ListCustomersBySupply: " + status.error_message()), 1;
    std::printf("   %s (%s): %lld customers; first %d:\n", transformer.id.c_str(),
                transformer.name.c_str(), static_cast<long long>(page.total_count()),
                page.customers_size());
    for (const auto& c : page.customers()) {
      std::printf("   - %s %s tags %s\n", c.customer_id().c_str(),
                  gridcare::logging::MaskName(c.name()).c_str(), Tags(c).c_str());
    }
  }

  Section("6. History follows events: one fault and two complaints for the caller");
  auto producer =
      gridcare::kafka::KafkaProducer::Create({bootstrap, "gridcare-scenario", {}}, nullptr);
  if (!producer) return Fail(producer.error().ToString()), 1;
  const auto& customer = by_phone.customers(0);
  gridcare::core::SystemClock clock;
  gridcare::core::UuidV7Generator ids(clock);
  const std::string run = ids.NewId().substr(0, 8);
  const std::pair<const char*, v1::RequestType> tickets[] = {
      {"fault", v1::REQUEST_TYPE_FAULT_REPAIR},
      {"complaint-1", v1::REQUEST_TYPE_COMPLAINT},
      {"complaint-2", v1::REQUEST_TYPE_COMPLAINT}};
  for (const auto& [label, type] : tickets) {
    v1::IntakeEvent event;
    auto* ticket = event.mutable_ticket_opened()->mutable_ticket();
    ticket->set_ticket_id("GC-DEMO-" + run + "-" + label);
    ticket->set_request_id("R-DEMO-" + run + "-" + label);
    ticket->set_customer_id(customer.customer_id());
    ticket->set_type(type);
    // These tickets stand in for intake's own, which dispatch would act on: the fault is one
    // already repaired (closed), so no crew is sent to a ticket intake never saw.
    ticket->set_state(type == v1::REQUEST_TYPE_FAULT_REPAIR ? v1::TICKET_STATE_CLOSED
                                                            : v1::TICKET_STATE_OPEN);
    *ticket->mutable_opened_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
    gridcare::kafka::EventMetadata metadata{ids.NewId(),          "gridcare.ticket.opened.v1",
                                            "/gridcare/scenario", ticket->ticket_id(),
                                            clock.Now(),          ""};
    auto status = (*producer)->PublishAndWait(
        gridcare::kafka::MakeRecord(std::string(gridcare::kafka::kIntakeTopic), ticket->ticket_id(),
                                    metadata, event),
        10s);
    if (!status) return Fail("publish: " + status.error().ToString()), 1;
    std::printf("   published gridcare.ticket.opened.v1 for %s (%s)\n", ticket->ticket_id().c_str(),
                v1::RequestType_Name(type).c_str());
  }
  v1::Customer after;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  bool sensitive = false;
  while (std::chrono::steady_clock::now() < deadline) {
    grpc::ClientContext context;
    gridcare::rpc::SetDeadline(context, 5s);
    v1::GetCustomerRequest request;
    request.set_customer_id(customer.customer_id());
    if (stub->GetCustomer(&context, request, &after).ok()) {
      for (const int tag : after.tags()) sensitive |= tag == v1::CUSTOMER_TAG_SENSITIVE;
      if (sensitive && after.history().open_tickets() >= customer.history().open_tickets() + 3)
        break;
    }
    std::this_thread::sleep_for(200ms);
  }
  std::printf("   the profile service consumed them from gridcare.intake.v1:\n");
  PrintCustomer(after);
  if (!sensitive) return Fail("the customer was not tagged sensitive within 30 s"), 1;
  std::printf("   a second complaint within 30 days tagged the customer SENSITIVE (敏感客户)\n");

  Section("7. Customers contact 95598 through every channel: intake turns each into one outcome");
  if (!gridcare::scenario::RunIntakeWalkthrough(*endpoints, *utility)) {
    return Fail("the intake walkthrough did not behave as expected"), 1;
  }

  Section("8. A storm trips a feeder: dispatch correlates the calls, crews restore supply");
  if (!gridcare::scenario::RunStormWalkthrough(*endpoints, *utility)) {
    return Fail("the storm walkthrough did not behave as expected"), 1;
  }

  Section(
      "9. A disputed bill: the complaint's closed loop (route, remind, supervise, reply, "
      "return visit, reopen, close)");
  if (!gridcare::scenario::RunComplaintWalkthrough(*endpoints, *utility)) {
    return Fail("the complaint walkthrough did not behave as expected"), 1;
  }

  Section(
      "10. Early warning: a surge of one matter in one district becomes a risk-warning order; "
      "the KPIs of the day");
  if (!gridcare::scenario::RunEarlyWarningWalkthrough(*endpoints, *utility)) {
    return Fail("the early-warning walkthrough did not behave as expected"), 1;
  }

  Section(
      "11. A new connection by appointment: booked in the customer's window, surveyed, meter "
      "installed, supply connected, closed");
  if (!gridcare::scenario::RunApplicationWalkthrough(*endpoints, *utility)) {
    return Fail("the new-connection walkthrough did not behave as expected"), 1;
  }

  Section("Done");
  std::printf("   metrics: curl -s http://%s/metrics | grep gridcare_\n",
              (*endpoints)["GRIDCARE_PROFILE_METRICS"].c_str());
  return 0;
}
