// The real profile binary against a real redis-server and devbroker: every ProfileService call,
// its error cases, and history counters driven by events through the broker.
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>

#include <catch2/catch.hpp>
#include <memory>
#include <optional>
#include <string>

#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/consumer.h"
#include "gridcare/kafka/dead_letter.h"
#include "gridcare/kafka/producer.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/redis/client.h"
#include "gridcare/rpc/client.h"
#include "gridcare/testing/servers.h"
#include "gridcare/v1/complaint.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "gridcare/v1/intake.pb.h"
#include "gridcare/v1/profile.grpc.pb.h"
#include "redis_profile_store.h"

namespace v1 = gridcare::v1;
namespace kafka = gridcare::kafka;
using google::protobuf::util::TimeUtil;
using gridcare::testing::ChildProcess;
using gridcare::testing::DevBroker;
using gridcare::testing::LoopbackAddress;
using gridcare::testing::RedisServer;
using gridcare::testing::WaitUntil;
using namespace std::chrono_literals;

namespace {

// Redis, devbroker and the profile binary, started once for the whole file (each test uses its
// own customer ids) and stopped by pid at exit.
struct Stack {
  RedisServer redis;
  DevBroker broker;
  gridcare::testing::TempDir dir;
  int grpc_port = 0;  // bound by the service on port 0, read back from its "ready" line
  std::unique_ptr<ChildProcess> profile;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::ProfileService::Stub> stub;

  Stack() {
    profile = std::make_unique<ChildProcess>(
        gridcare::testing::ProgramPath("profile"),
        std::vector<std::string>{"--kafka-bootstrap-servers", broker.bootstrap_servers(),
                                 "--redis-address", redis.address(), "--grpc-listen-address",
                                 LoopbackAddress(0), "--metrics-listen-address",
                                 LoopbackAddress(0)},
        dir.path() / "profile.log");
    grpc_port = gridcare::testing::WaitForServiceReady(*profile).grpc;
    channel = gridcare::rpc::MakeChannel(LoopbackAddress(grpc_port));
    if (!gridcare::rpc::WaitForReady(channel, 20s)) {
      throw std::runtime_error("profile did not start: " + profile->ReadLog());
    }
    stub = v1::ProfileService::NewStub(channel);
  }
};

Stack& TheStack() {
  static Stack stack;
  return stack;
}

v1::Customer MakeCustomer(const std::string& id, const std::string& phone,
                          const std::string& transformer = "TA-T1",
                          const std::string& feeder = "FDR-T1") {
  v1::Customer customer;
  customer.set_customer_id(id);
  customer.set_account_type(v1::ACCOUNT_TYPE_RESIDENTIAL);
  customer.set_name("王小明");
  customer.add_phones(phone);
  customer.set_preferred_language(v1::LANGUAGE_ZH_CN);
  customer.mutable_address()->set_full_text("广州市天河区体育西路 191 号 3 栋 502");
  customer.mutable_address()->mutable_geo()->set_latitude(23.135);
  customer.mutable_address()->mutable_geo()->set_longitude(113.32);
  customer.set_area_class(v1::AREA_CLASS_URBAN);
  customer.mutable_supply()->set_substation_id("SUB-T");
  customer.mutable_supply()->set_feeder_id(feeder);
  customer.mutable_supply()->set_transformer_id(transformer);
  customer.set_meter_number("MTR-" + id);
  return customer;
}

grpc::Status Upsert(const v1::Customer& customer, v1::UpsertCustomerResponse* response = nullptr,
                    int64_t expected_version = 0) {
  auto& stack = TheStack();  // before the deadline starts: the first call starts the stack
  grpc::ClientContext context;
  gridcare::rpc::SetDeadline(context, 5s);
  v1::UpsertCustomerRequest request;
  *request.mutable_customer() = customer;
  request.set_expected_version(expected_version);
  v1::UpsertCustomerResponse ignored;
  return stack.stub->UpsertCustomer(&context, request, response ? response : &ignored);
}

grpc::Status Get(const std::string& id, v1::Customer* out) {
  auto& stack = TheStack();
  grpc::ClientContext context;
  gridcare::rpc::SetDeadline(context, 5s);
  v1::GetCustomerRequest request;
  request.set_customer_id(id);
  return stack.stub->GetCustomer(&context, request, out);
}

grpc::Status LookupMeter(const std::string& meter, v1::Customer* out) {
  auto& stack = TheStack();
  grpc::ClientContext context;
  gridcare::rpc::SetDeadline(context, 5s);
  v1::LookupByMeterRequest request;
  request.set_meter_number(meter);
  return stack.stub->LookupByMeter(&context, request, out);
}

// Dispatch's announcement that an application's field work is done, as AppointmentDesk emits it.
v1::DispatchEvent WorkDone(const std::string& ticket_id, const std::string& customer_id,
                           const std::string& meter, const google::protobuf::Timestamp& at,
                           v1::ApplicationStage stage = v1::APPLICATION_STAGE_WORK_DONE) {
  v1::DispatchEvent event;
  auto* reached = event.mutable_application_stage_reached();
  auto* order = reached->mutable_work_order();
  order->set_work_order_id("WO-" + ticket_id);
  order->set_ticket_id(ticket_id);
  auto* application = order->mutable_application();
  application->set_ticket_id(ticket_id);
  application->set_customer_id(customer_id);
  application->set_kind(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION);
  application->set_visit(v1::VISIT_KIND_INSTALLATION);
  application->set_stage(stage);
  application->set_meter_number(meter);
  reached->set_stage(stage);
  *reached->mutable_reached_at() = at;
  return event;
}

// A RedisProfileStore on the stack's Redis: the service's own store, driven directly.
std::unique_ptr<gridcare::redis::RedisClient> StoreRedis() {
  auto redis = gridcare::redis::RedisClient::Create(
      {"127.0.0.1", TheStack().redis.port(), "", 0, 500ms, 1000ms, 2, 2000ms});
  REQUIRE(redis.ok());
  return std::move(redis).value();
}

gridcare::profile::HistoryFact MeterFact(const std::string& customer_id, const std::string& meter,
                                         int64_t at_unix_ms) {
  gridcare::profile::HistoryFact fact{gridcare::profile::HistoryFact::Kind::kMeterInstalled,
                                      customer_id, "GC-APP-" + customer_id, at_unix_ms};
  fact.meter_number = meter;
  return fact;
}

}  // namespace

TEST_CASE("upsert creates, versions and normalises a customer, get returns it") {
  auto customer = MakeCustomer("C-UP-1", "+86 138-0013-8000");
  customer.add_tags(v1::CUSTOMER_TAG_LIFE_SUPPORT);
  customer.add_tags(v1::CUSTOMER_TAG_LIFE_SUPPORT);
  v1::UpsertCustomerResponse created;
  REQUIRE(Upsert(customer, &created).ok());
  CHECK(created.created());
  CHECK(created.customer().version() == 1);
  CHECK(created.customer().phones(0) == "13800138000");
  CHECK(created.customer().tags_size() == 1);

  v1::Customer got;
  REQUIRE(Get("C-UP-1", &got).ok());
  CHECK(got.name() == "王小明");
  CHECK(got.version() == 1);
  CHECK(got.area_class() == v1::AREA_CLASS_URBAN);
  CHECK(got.supply().transformer_id() == "TA-T1");
  CHECK(got.history().open_tickets() == 0);
  CHECK(got.has_updated_at());

  v1::UpsertCustomerResponse updated;
  customer.set_name("王大明");
  REQUIRE(Upsert(customer, &updated, 1).ok());
  CHECK_FALSE(updated.created());
  CHECK(updated.customer().version() == 2);

  // A stale writer is told so rather than overwriting.
  auto stale = Upsert(customer, nullptr, 1);
  CHECK(stale.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK_THAT(stale.error_message(), Catch::Contains("version 2"));
}

TEST_CASE("unknown and malformed customer ids get NOT_FOUND and INVALID_ARGUMENT") {
  v1::Customer out;
  auto missing = Get("C-NOBODY", &out);
  CHECK(missing.error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK_THAT(missing.error_message(), Catch::Contains("C-NOBODY"));
  auto malformed = Get("bad id with spaces", &out);
  CHECK(malformed.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK_THAT(malformed.error_message(), Catch::Contains("customer_id"));
  CHECK(Get("", &out).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("invalid upserts name the offending field") {
  auto no_phone = MakeCustomer("C-BAD-1", "13800000001");
  no_phone.clear_phones();
  auto status = Upsert(no_phone);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK_THAT(status.error_message(), Catch::Contains("phones"));

  auto bad_phone = MakeCustomer("C-BAD-2", "call me maybe");
  CHECK_THAT(Upsert(bad_phone).error_message(), Catch::Contains("phones[0]"));

  auto no_area = MakeCustomer("C-BAD-3", "13800000003");
  no_area.set_area_class(v1::AREA_CLASS_UNSPECIFIED);
  CHECK_THAT(Upsert(no_area).error_message(), Catch::Contains("area_class"));

  auto bad_enum = MakeCustomer("C-BAD-4", "13800000004");
  bad_enum.set_account_type(static_cast<v1::AccountType>(99));
  CHECK_THAT(Upsert(bad_enum).error_message(), Catch::Contains("account_type"));

  auto long_name = MakeCustomer("C-BAD-5", "13800000005");
  long_name.set_name(std::string(101 * 3, 'x'));
  CHECK_THAT(Upsert(long_name).error_message(), Catch::Contains("name: is longer than 100"));

  grpc::ClientContext context;
  v1::UpsertCustomerRequest empty;
  v1::UpsertCustomerResponse response;
  CHECK(TheStack().stub->UpsertCustomer(&context, empty, &response).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("a phone shared by several accounts returns all of them, unknown phones none") {
  REQUIRE(Upsert(MakeCustomer("C-PH-1", "13900001111")).ok());
  REQUIRE(Upsert(MakeCustomer("C-PH-2", "139 0000 1111")).ok());
  REQUIRE(Upsert(MakeCustomer("C-PH-3", "13900002222")).ok());

  auto lookup = [](const std::string& phone, v1::LookupByPhoneResponse* out) {
    grpc::ClientContext context;
    gridcare::rpc::SetDeadline(context, 5s);
    v1::LookupByPhoneRequest request;
    request.set_phone(phone);
    return TheStack().stub->LookupByPhone(&context, request, out);
  };
  v1::LookupByPhoneResponse shared;
  REQUIRE(lookup("+8613900001111", &shared).ok());
  REQUIRE(shared.customers_size() == 2);
  CHECK(shared.customers(0).customer_id() == "C-PH-1");
  CHECK(shared.customers(1).customer_id() == "C-PH-2");

  v1::LookupByPhoneResponse none;
  REQUIRE(lookup("13700000000", &none).ok());
  CHECK(none.customers_size() == 0);
  v1::LookupByPhoneResponse ignored;
  CHECK(lookup("not-a-phone", &ignored).error_code() == grpc::StatusCode::INVALID_ARGUMENT);

  // Changing a phone moves the index entry.
  auto moved = MakeCustomer("C-PH-2", "13900003333");
  REQUIRE(Upsert(moved).ok());
  v1::LookupByPhoneResponse after;
  REQUIRE(lookup("13900001111", &after).ok());
  CHECK(after.customers_size() == 1);
}

TEST_CASE("lookup by meter finds the customer and follows meter changes") {
  REQUIRE(Upsert(MakeCustomer("C-MT-1", "13600000001")).ok());
  auto lookup = [](const std::string& meter, v1::Customer* out) {
    grpc::ClientContext context;
    gridcare::rpc::SetDeadline(context, 5s);
    v1::LookupByMeterRequest request;
    request.set_meter_number(meter);
    return TheStack().stub->LookupByMeter(&context, request, out);
  };
  v1::Customer found;
  REQUIRE(lookup("MTR-C-MT-1", &found).ok());
  CHECK(found.customer_id() == "C-MT-1");
  CHECK(lookup("MTR-NONE", &found).error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK(lookup("", &found).error_code() == grpc::StatusCode::INVALID_ARGUMENT);

  auto replaced = MakeCustomer("C-MT-1", "13600000001");
  replaced.set_meter_number("MTR-NEW-1");
  REQUIRE(Upsert(replaced).ok());
  CHECK(lookup("MTR-C-MT-1", &found).error_code() == grpc::StatusCode::NOT_FOUND);
  REQUIRE(lookup("MTR-NEW-1", &found).ok());
}

TEST_CASE("customers are counted per district and in all and follow a move between districts") {
  auto count = [](const std::string& district) {
    auto& stack = TheStack();  // before the deadline starts: the first call starts the stack
    grpc::ClientContext context;
    gridcare::rpc::SetDeadline(context, 5s);
    v1::CountCustomersRequest request;
    request.set_district(district);
    v1::CountCustomersResponse response;
    const auto status = stack.stub->CountCustomers(&context, request, &response);
    REQUIRE(status.ok());
    return response.count();
  };
  auto in = [](const std::string& id, const std::string& district) {
    auto customer = MakeCustomer(id, "13700000" + id.substr(id.size() - 3));
    customer.mutable_address()->set_district(district);
    return customer;
  };
  const int64_t all_before = count("");
  REQUIRE(Upsert(in("C-CNT-001", "测试甲区")).ok());
  REQUIRE(Upsert(in("C-CNT-002", "测试甲区")).ok());
  REQUIRE(Upsert(in("C-CNT-003", "测试乙区")).ok());
  CHECK(count("测试甲区") == 2);
  CHECK(count("测试乙区") == 1);
  CHECK(count("测试丙区") == 0);
  CHECK(count("") == all_before + 3);
  // A customer who moves is counted in the new district only; an update is not a new customer.
  REQUIRE(Upsert(in("C-CNT-002", "测试乙区")).ok());
  CHECK(count("测试甲区") == 1);
  CHECK(count("测试乙区") == 2);
  CHECK(count("") == all_before + 3);
  grpc::ClientContext context;
  v1::CountCustomersRequest too_long;
  too_long.set_district(std::string(200, 'x'));
  v1::CountCustomersResponse ignored;
  CHECK(TheStack().stub->CountCustomers(&context, too_long, &ignored).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("batch get returns the found customers and names the missing ones") {
  REQUIRE(Upsert(MakeCustomer("C-BG-1", "13500000001")).ok());
  REQUIRE(Upsert(MakeCustomer("C-BG-2", "13500000002")).ok());
  grpc::ClientContext context;
  v1::BatchGetCustomersRequest request;
  for (const char* id : {"C-BG-1", "C-BG-MISSING", "C-BG-2"}) request.add_customer_ids(id);
  v1::BatchGetCustomersResponse response;
  REQUIRE(TheStack().stub->BatchGetCustomers(&context, request, &response).ok());
  REQUIRE(response.customers_size() == 2);
  CHECK(response.customers(0).customer_id() == "C-BG-1");
  CHECK(response.customers(1).customer_id() == "C-BG-2");
  REQUIRE(response.missing_customer_ids_size() == 1);
  CHECK(response.missing_customer_ids(0) == "C-BG-MISSING");

  grpc::ClientContext too_many_context;
  v1::BatchGetCustomersRequest too_many;
  for (int i = 0; i < 1001; ++i) too_many.add_customer_ids("C" + std::to_string(i));
  CHECK(TheStack().stub->BatchGetCustomers(&too_many_context, too_many, &response).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("customers of a transformer area and a feeder are listed in pages and streamed") {
  // Loaded through the bulk path, as the synthetic utility loader does.
  auto redis = gridcare::redis::RedisClient::Create(
      {"127.0.0.1", TheStack().redis.port(), "", 0, 500ms, 1000ms, 2, 2000ms});
  REQUIRE(redis.ok());
  gridcare::core::SystemClock clock;
  gridcare::profile::RedisProfileStore store(**redis, clock, {});
  std::vector<v1::Customer> batch;
  for (int i = 0; i < 25; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "C-LS-%02d", i);
    batch.push_back(MakeCustomer(id, "1370000" + std::to_string(1000 + i),
                                 i < 20 ? "TA-LS-A" : "TA-LS-B", "FDR-LS"));
  }
  REQUIRE(store.BulkLoad(batch).ok());

  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    grpc::ClientContext context;
    v1::ListCustomersBySupplyRequest request;
    request.set_transformer_id("TA-LS-A");
    request.set_page_size(8);
    request.set_page_token(token);
    v1::ListCustomersBySupplyResponse response;
    REQUIRE(TheStack().stub->ListCustomersBySupply(&context, request, &response).ok());
    CHECK(response.total_count() == 20);
    for (const auto& c : response.customers()) seen.push_back(c.customer_id());
    token = response.next_page_token();
    ++pages;
  } while (!token.empty());
  CHECK(pages == 3);
  REQUIRE(seen.size() == 20);
  CHECK(seen.front() == "C-LS-00");
  CHECK(seen.back() == "C-LS-19");

  grpc::ClientContext stream_context;
  v1::ListCustomersBySupplyRequest feeder;
  feeder.set_feeder_id("FDR-LS");
  auto reader = TheStack().stub->StreamCustomersBySupply(&stream_context, feeder);
  v1::Customer customer;
  int streamed = 0;
  while (reader->Read(&customer)) ++streamed;
  REQUIRE(reader->Finish().ok());
  CHECK(streamed == 25);

  grpc::ClientContext bad_context;
  v1::ListCustomersBySupplyRequest no_scope;
  v1::ListCustomersBySupplyResponse response;
  auto status = TheStack().stub->ListCustomersBySupply(&bad_context, no_scope, &response);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK_THAT(status.error_message(), Catch::Contains("transformer_id or feeder_id"));

  // Moving a customer to another transformer moves it between the lists.
  REQUIRE(Upsert(MakeCustomer("C-LS-00", "13700001000", "TA-LS-B", "FDR-LS")).ok());
  grpc::ClientContext moved_context;
  v1::ListCustomersBySupplyRequest b;
  b.set_transformer_id("TA-LS-B");
  REQUIRE(TheStack().stub->ListCustomersBySupply(&moved_context, b, &response).ok());
  CHECK(response.total_count() == 6);
}

TEST_CASE("a call whose deadline has passed is not answered late") {
  TheStack();
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() - 1s);
  v1::GetCustomerRequest request;
  request.set_customer_id("C-UP-1");
  v1::Customer out;
  CHECK(TheStack().stub->GetCustomer(&context, request, &out).error_code() ==
        grpc::StatusCode::DEADLINE_EXCEEDED);
}

TEST_CASE("history counters follow intake, dispatch and complaint events, idempotently") {
  REQUIRE(Upsert(MakeCustomer("C-HI-1", "13300000001")).ok());
  auto producer = kafka::KafkaProducer::Create(
      {TheStack().broker.bootstrap_servers(), "history-test", {}}, nullptr);
  REQUIRE(producer.ok());
  const auto now = TimeUtil::GetCurrentTime();
  auto publish = [&](const std::string& topic, const std::string& key, const std::string& id,
                     const google::protobuf::MessageLite& event) {
    kafka::EventMetadata metadata{
        id, "gridcare.test.v1", "/gridcare/test", key, std::chrono::system_clock::now(), ""};
    REQUIRE((*producer)->PublishAndWait(kafka::MakeRecord(topic, key, metadata, event), 10s).ok());
  };
  auto opened = [&](const std::string& ticket, v1::RequestType type) {
    v1::IntakeEvent event;
    auto* t = event.mutable_ticket_opened()->mutable_ticket();
    t->set_ticket_id(ticket);
    t->set_request_id("R-" + ticket);
    t->set_customer_id("C-HI-1");
    t->set_type(type);
    t->set_state(v1::TICKET_STATE_OPEN);
    *t->mutable_opened_at() = now;
    return event;
  };
  const std::string intake(kafka::kIntakeTopic);
  publish(intake, "T-HI-1", "e1", opened("T-HI-1", v1::REQUEST_TYPE_FAULT_REPAIR));
  publish(intake, "T-HI-2", "e2", opened("T-HI-2", v1::REQUEST_TYPE_COMPLAINT));
  publish(intake, "T-HI-3", "e3", opened("T-HI-3", v1::REQUEST_TYPE_COMPLAINT));
  publish(intake, "T-HI-3", "e3", opened("T-HI-3", v1::REQUEST_TYPE_COMPLAINT));  // redelivery

  // The three tickets have different keys, so they sit on different partitions and are applied
  // in any order: wait for all of them (waiting for the complaints alone raced the fault).
  v1::Customer customer;
  WaitUntil(
      [&] {
        return Get("C-HI-1", &customer).ok() && customer.history().complaints_last_30_days() == 2 &&
               customer.history().open_tickets() == 3 &&
               customer.history().faults_last_12_months() == 1;
      },
      30s);
  CHECK(customer.history().complaints_last_30_days() == 2);
  CHECK(customer.history().open_tickets() == 3);
  CHECK(customer.history().faults_last_12_months() == 1);
  CHECK(customer.history().has_last_contact_at());
  // A second complaint within 30 days marks the customer sensitive.
  REQUIRE(WaitUntil([&] {
    Get("C-HI-1", &customer);
    for (int tag : customer.tags()) {
      if (tag == v1::CUSTOMER_TAG_SENSITIVE) return true;
    }
    return false;
  }));

  // Intake closes one ticket; dispatch restores the incident holding another.
  v1::IntakeEvent closed;
  closed.mutable_ticket_state_changed()->set_ticket_id("T-HI-2");
  closed.mutable_ticket_state_changed()->set_customer_id("C-HI-1");
  closed.mutable_ticket_state_changed()->set_state(v1::TICKET_STATE_CLOSED);
  publish(intake, "T-HI-2", "e4", closed);
  v1::DispatchEvent restored;
  restored.mutable_incident_restored()->mutable_incident()->set_incident_id("INC-1");
  restored.mutable_incident_restored()->add_ticket_ids("T-HI-1");
  publish(std::string(kafka::kDispatchTopic), "INC-1", "e5", restored);
  REQUIRE(WaitUntil(
      [&] { return Get("C-HI-1", &customer).ok() && customer.history().open_tickets() == 1; },
      30s));

  v1::IntakeEvent urged;
  urged.mutable_contact_added()->set_ticket_id("T-HI-3");
  urged.mutable_contact_added()->set_request_id("R-URGE-1");
  urged.mutable_contact_added()->set_customer_id("C-HI-1");
  urged.mutable_contact_added()->set_urging(true);
  *urged.mutable_contact_added()->mutable_received_at() = now;
  publish(intake, "T-HI-3", "e6", urged);
  v1::ComplaintEvent visit;
  visit.mutable_return_visit_recorded()->set_case_id("CASE-1");
  visit.mutable_return_visit_recorded()->set_customer_id("C-HI-1");
  visit.mutable_return_visit_recorded()->set_satisfaction_score(4);
  publish(std::string(kafka::kComplaintTopic), "CASE-1", "e7", visit);
  REQUIRE(WaitUntil(
      [&] {
        return Get("C-HI-1", &customer).ok() && customer.history().urgings_last_30_days() == 1 &&
               customer.history().last_satisfaction_score() == 4;
      },
      30s));
  CHECK(customer.history().complaints_last_30_days() == 2);
  CHECK(customer.history().open_tickets() == 1);
}

TEST_CASE("events about an unknown customer or undecodable bytes are dead-lettered, not dropped") {
  auto producer = kafka::KafkaProducer::Create(
      {TheStack().broker.bootstrap_servers(), "dlq-test", {}}, nullptr);
  REQUIRE(producer.ok());
  v1::IntakeEvent event;
  auto* t = event.mutable_ticket_opened()->mutable_ticket();
  t->set_ticket_id("T-UNKNOWN");
  t->set_customer_id("C-DOES-NOT-EXIST");
  t->set_type(v1::REQUEST_TYPE_FAULT_REPAIR);
  kafka::EventMetadata metadata{"e-unknown", "gridcare.ticket.opened.v1",      "/gridcare/test",
                                "T-UNKNOWN", std::chrono::system_clock::now(), ""};
  const std::string intake(kafka::kIntakeTopic);
  REQUIRE((*producer)
              ->PublishAndWait(kafka::MakeRecord(intake, "T-UNKNOWN", metadata, event), 10s)
              .ok());
  REQUIRE(
      (*producer)
          ->PublishAndWait(
              {intake, "T-GARBAGE", std::string("\xff\xfe garbage", 10), {{"ce_id", "e-garbage"}}},
              10s)
          .ok());
  // Finished installations: one for a customer the profile does not know, one whose meter number
  // a profile cannot hold.
  REQUIRE(Upsert(MakeCustomer("C-DLQ-1", "13100000009")).ok());
  const std::string dispatch(kafka::kDispatchTopic);
  const auto now = TimeUtil::GetCurrentTime();
  auto work_done = [&](const std::string& id, const std::string& customer,
                       const std::string& meter) {
    kafka::EventMetadata meta{id,         "gridcare.application.stage_reached.v1", "/gridcare/test",
                              "GC-DLQ-1", std::chrono::system_clock::now(),        ""};
    REQUIRE((*producer)
                ->PublishAndWait(kafka::MakeRecord(dispatch, "GC-DLQ-1", meta,
                                                   WorkDone("GC-DLQ-1", customer, meter, now)),
                                 10s)
                .ok());
  };
  work_done("e-unknown-meter", "C-DOES-NOT-EXIST", "M-DLQ-1");
  work_done("e-bad-meter", "C-DLQ-1", "M DLQ/2");

  std::mutex mutex;
  std::map<std::string, std::string> reasons;
  kafka::FunctionHandler reader([&](const kafka::ConsumedMessage& m) {
    std::lock_guard lock(mutex);
    reasons[std::string(m.Header("ce_id").value_or(""))] =
        std::string(m.Header(kafka::kDeadLetterReason).value_or(""));
    return kafka::HandleResult::Done();
  });
  kafka::RecordingPublisher unused;
  prometheus::Registry registry;
  gridcare::metrics::StageMetrics metrics(registry, "test");
  gridcare::core::SystemClock clock;
  kafka::ConsumerSettings settings;
  settings.bootstrap_servers = TheStack().broker.bootstrap_servers();
  settings.group_id = "profile-dlq-reader";
  settings.topics = {kafka::DeadLetterTopic("profile")};
  kafka::ConsumerLoop loop(settings, reader, unused, nullptr, metrics, clock);
  REQUIRE(loop.Start().ok());
  std::thread thread([&] { loop.Run(); });
  const bool all = WaitUntil(
      [&] {
        std::lock_guard lock(mutex);
        return reasons.size() >= 4;
      },
      30s);
  loop.Stop();
  thread.join();
  REQUIRE(all);
  CHECK(reasons["e-unknown"] == "unknown_customer");
  CHECK(reasons["e-garbage"] == "malformed_protobuf");
  CHECK(reasons["e-unknown-meter"] == "unknown_customer");
  CHECK(reasons["e-bad-meter"] == "invalid_event");
  v1::Customer kept;
  REQUIRE(Get("C-DLQ-1", &kept).ok());
  CHECK(kept.meter_number() == "MTR-C-DLQ-1");
}

TEST_CASE("the store takes an installed meter and moves the meter index exactly once") {
  using Outcome = gridcare::profile::MeterChange::Outcome;
  auto redis = StoreRedis();
  gridcare::core::SystemClock clock;
  gridcare::profile::RedisProfileStore store(*redis, clock, {});
  REQUIRE(store.Upsert(MakeCustomer("C-MS-1", "13200000001"), 0).ok());  // meter MTR-C-MS-1
  const int64_t t = gridcare::core::ToUnixMillis(clock.Now()) + 60'000;  // after the upsert
  auto apply = [&](const gridcare::profile::HistoryFact& fact) {
    auto applied = store.ApplyAll({fact});
    REQUIRE(applied.ok());
    REQUIRE(applied->meters.size() == 1);
    CHECK(applied->tagged_sensitive.empty());
    return applied->meters[0];
  };
  auto version = [&] {
    auto customer = store.Get("C-MS-1");
    REQUIRE(customer.ok());
    return customer->version();
  };

  const auto changed = apply(MeterFact("C-MS-1", "M-MS-NEW", t));
  CHECK(changed.outcome == Outcome::kChanged);
  CHECK(changed.previous_meter_number == "MTR-C-MS-1");
  CHECK(changed.ticket_id == "GC-APP-C-MS-1");
  CHECK(*store.IdByMeter("M-MS-NEW") == std::optional<std::string>("C-MS-1"));
  CHECK_FALSE(store.IdByMeter("MTR-C-MS-1")->has_value());
  CHECK(store.Get("C-MS-1")->meter_number() == "M-MS-NEW");
  CHECK(version() == 2);

  // Redelivered, then an older installation: nothing changes, not even the version.
  CHECK(apply(MeterFact("C-MS-1", "M-MS-NEW", t)).outcome == Outcome::kNotNewer);
  CHECK(apply(MeterFact("C-MS-1", "M-MS-OLDER", t - 1)).outcome == Outcome::kNotNewer);
  CHECK(version() == 2);
  CHECK(*store.IdByMeter("M-MS-NEW") == std::optional<std::string>("C-MS-1"));
  CHECK_FALSE(store.IdByMeter("M-MS-OLDER")->has_value());
  CHECK_FALSE(store.IdByMeter("MTR-C-MS-1")->has_value());

  // A newer installation of the same meter moves its time on, so an older one stays out.
  CHECK(apply(MeterFact("C-MS-1", "M-MS-NEW", t + 1)).outcome == Outcome::kConfirmed);
  CHECK(version() == 3);
  CHECK(apply(MeterFact("C-MS-1", "M-MS-OLDER", t)).outcome == Outcome::kNotNewer);
  CHECK(store.Get("C-MS-1")->meter_number() == "M-MS-NEW");

  // An old number another customer has taken since keeps pointing there.
  auto other = MakeCustomer("C-MS-2", "13200000002");
  other.set_meter_number("M-MS-NEW");
  REQUIRE(store.Upsert(other, 0).ok());
  CHECK(apply(MeterFact("C-MS-1", "M-MS-THIRD", t + 2)).outcome == Outcome::kChanged);
  CHECK(*store.IdByMeter("M-MS-NEW") == std::optional<std::string>("C-MS-2"));
  CHECK(*store.IdByMeter("M-MS-THIRD") == std::optional<std::string>("C-MS-1"));
}

TEST_CASE("an operator's meter edit is newer than an installation reached before it") {
  using Outcome = gridcare::profile::MeterChange::Outcome;
  auto redis = StoreRedis();
  gridcare::core::SystemClock clock;
  gridcare::profile::RedisProfileStore store(*redis, clock, {});
  const int64_t before = gridcare::core::ToUnixMillis(clock.Now()) - 60'000;
  auto customer = MakeCustomer("C-MS-3", "13200000003");
  REQUIRE(store.Upsert(customer, 0).ok());
  // A new customer's meter has no time yet: a late installation still applies.
  auto first = store.ApplyAll({MeterFact("C-MS-3", "M-MS-3A", before - 60'000)});
  REQUIRE(first.ok());
  CHECK(first->meters.at(0).outcome == Outcome::kChanged);
  customer.set_meter_number("M-MS-3-EDITED");
  REQUIRE(store.Upsert(customer, 0).ok());
  auto late = store.ApplyAll({MeterFact("C-MS-3", "M-MS-3B", before)});
  REQUIRE(late.ok());
  CHECK(late->meters.at(0).outcome == Outcome::kNotNewer);
  CHECK(*store.IdByMeter("M-MS-3-EDITED") == std::optional<std::string>("C-MS-3"));
  CHECK_FALSE(store.IdByMeter("M-MS-3A")->has_value());
  CHECK_FALSE(store.IdByMeter("M-MS-3B")->has_value());
}

TEST_CASE("the store refuses an installed meter for an unknown customer or with a bad number") {
  auto redis = StoreRedis();
  gridcare::core::SystemClock clock;
  gridcare::profile::RedisProfileStore store(*redis, clock, {});
  auto unknown = store.ApplyAll({MeterFact("C-MS-NOBODY", "M-MS-X", 1)});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().kind == gridcare::core::ErrorKind::kNotFound);
  CHECK_FALSE(store.IdByMeter("M-MS-X")->has_value());

  REQUIRE(store.Upsert(MakeCustomer("C-MS-4", "13200000004"), 0).ok());
  auto bad = store.ApplyAll({MeterFact("C-MS-4", "M 4/5", 1)});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == gridcare::core::ErrorKind::kInvalidArgument);
  CHECK_THAT(bad.error().message, Catch::Contains("meter_number"));
  CHECK(*store.IdByMeter("MTR-C-MS-4") == std::optional<std::string>("C-MS-4"));
}

TEST_CASE("a finished installation on the dispatch topic moves lookup by meter to the new meter") {
  REQUIRE(Upsert(MakeCustomer("C-MI-1", "13100000001")).ok());  // meter MTR-C-MI-1, version 1
  auto producer = kafka::KafkaProducer::Create(
      {TheStack().broker.bootstrap_servers(), "meter-test", {}}, nullptr);
  REQUIRE(producer.ok());
  // One key (the application's ticket), so the events are applied in the order published.
  const std::string key = "GC-APP-MI-1";
  auto publish = [&](const std::string& id, const v1::DispatchEvent& event) {
    kafka::EventMetadata metadata{id,  "gridcare.application.stage_reached.v1", "/gridcare/test",
                                  key, std::chrono::system_clock::now(),        ""};
    REQUIRE(
        (*producer)
            ->PublishAndWait(
                kafka::MakeRecord(std::string(kafka::kDispatchTopic), key, metadata, event), 10s)
            .ok());
  };
  const auto now = TimeUtil::GetCurrentTime();
  const auto installed = WorkDone(key, "C-MI-1", "M-MI-A", now + TimeUtil::SecondsToDuration(60));
  publish("e-mi-survey", WorkDone(key, "C-MI-1", "M-MI-SURVEY", now,
                                  v1::APPLICATION_STAGE_SITE_SURVEYED));  // no meter fact
  publish("e-mi-1", installed);

  v1::Customer found;
  REQUIRE(WaitUntil([&] { return LookupMeter("M-MI-A", &found).ok(); }, 30s));
  CHECK(found.customer_id() == "C-MI-1");
  CHECK(found.meter_number() == "M-MI-A");
  CHECK(found.version() == 2);
  CHECK(LookupMeter("MTR-C-MI-1", &found).error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK(LookupMeter("M-MI-SURVEY", &found).error_code() == grpc::StatusCode::NOT_FOUND);

  // Redelivered (same id: the consumer's guard; new id: the store's), an older installation, then
  // a newer one to wait for: only the newer one writes.
  publish("e-mi-1", installed);
  publish("e-mi-1-again", installed);
  publish("e-mi-older", WorkDone(key, "C-MI-1", "M-MI-OLDER", now));
  publish("e-mi-2", WorkDone(key, "C-MI-1", "M-MI-B", now + TimeUtil::SecondsToDuration(120)));
  REQUIRE(WaitUntil([&] { return LookupMeter("M-MI-B", &found).ok(); }, 30s));
  CHECK(found.customer_id() == "C-MI-1");
  CHECK(found.version() == 3);
  CHECK(LookupMeter("M-MI-A", &found).error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK(LookupMeter("M-MI-OLDER", &found).error_code() == grpc::StatusCode::NOT_FOUND);
  v1::Customer customer;
  REQUIRE(Get("C-MI-1", &customer).ok());
  CHECK(customer.meter_number() == "M-MI-B");
  CHECK(customer.phones(0) == "13100000001");  // the rest of the record is kept
}

TEST_CASE("the profile binary stops cleanly on SIGTERM") {
  // Last in the file: ends the shared stack's service.
  auto& stack = TheStack();
  CHECK(stack.profile->Stop(10s) == 0);
  CHECK_THAT(stack.profile->ReadLog(), Catch::Contains("\"msg\":\"stopped\""));
}
