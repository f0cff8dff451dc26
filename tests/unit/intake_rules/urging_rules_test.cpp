// MatchOpenTicket: named tickets, urgings, same-matter repeats, counting and escalation.
#include "urging_rules.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "rules_fixtures.h"

namespace v1 = gridcare::v1;
using gridcare::intake::IncomingContact;
using gridcare::intake::MatchDecision;
using gridcare::intake::MatchOpenTicket;
using gridcare::intake::OpenTicket;
using gridcare::intake::RequestTypeLabel;
using gridcare::intake::UrgingRules;
using gridcare::intake::testing::At;
using gridcare::intake::testing::Contact;
using gridcare::intake::testing::Ticket;
using std::chrono::hours;
using std::chrono::milliseconds;

namespace {

constexpr auto kFault = v1::REQUEST_TYPE_FAULT_REPAIR;
constexpr auto kComplaint = v1::REQUEST_TYPE_COMPLAINT;
constexpr auto kApplication = v1::REQUEST_TYPE_SERVICE_APPLICATION;
constexpr auto kUrging = v1::REQUEST_TYPE_URGING;
constexpr auto kUnspecified = v1::REQUEST_TYPE_UNSPECIFIED;
constexpr auto kNoKind = v1::SERVICE_APPLICATION_KIND_UNSPECIFIED;
constexpr auto kNewConnection = v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION;
constexpr auto kMeterCheck = v1::SERVICE_APPLICATION_KIND_METER_CHECK;

constexpr milliseconds H(int64_t n) { return hours(n); }

const std::vector<v1::RequestType>& AllTypes() {
  static const auto* const kTypes = new std::vector<v1::RequestType>{
      v1::REQUEST_TYPE_UNSPECIFIED,
      v1::REQUEST_TYPE_FAULT_REPAIR,
      v1::REQUEST_TYPE_COMPLAINT,
      v1::REQUEST_TYPE_REPORT,
      v1::REQUEST_TYPE_OPINION,
      v1::REQUEST_TYPE_SUGGESTION,
      v1::REQUEST_TYPE_PRAISE,
      v1::REQUEST_TYPE_CONSULTATION,
      v1::REQUEST_TYPE_SERVICE_APPLICATION,
      v1::REQUEST_TYPE_URGING,
  };
  return *kTypes;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

void RequireNewTicket(const MatchDecision& decision) {
  CHECK_FALSE(decision.attach);
  CHECK(decision.ticket_id.empty());
  CHECK_FALSE(decision.urging);
  CHECK_FALSE(decision.escalate);
  CHECK(decision.new_contact_count == 0);
  CHECK(decision.new_urging_count == 0);
  CHECK_FALSE(decision.reason.empty());
}

}  // namespace

TEST_CASE("a named open ticket wins over every other candidate", "[urging][referenced]") {
  // GC-OLD is named but old and quiet; GC-NEW is the same type, recent, and would win on its own.
  const std::vector<OpenTicket> tickets = {
      Ticket("GC-OLD", kFault, H(0), kNoKind, "T1"),
      Ticket("GC-NEW", kFault, H(500), kNoKind, "T1"),
      Ticket("GC-CMP", kComplaint, H(501)),
  };
  struct Row {
    const char* name;
    v1::RequestType type;
    bool repeat_counts_as_urging;
    bool urging;
    const char* reason;
  };
  const Row rows[] = {
      {"urging", kUrging, true, true, "names open ticket GC-OLD; urging #1"},
      {"urging, repeat flag off", kUrging, false, true, "names open ticket GC-OLD; urging #1"},
      {"unclassified", kUnspecified, true, true,
       "names open ticket GC-OLD (type not classified); urging #1"},
      {"unclassified, repeat flag off", kUnspecified, false, false,
       "names open ticket GC-OLD (type not classified)"},
      {"same type", kFault, true, true,
       "names open ticket GC-OLD (same type: fault repair); urging #1"},
      {"same type, repeat flag off", kFault, false, false,
       "names open ticket GC-OLD (same type: fault repair)"},
  };
  for (const Row& row : rows) {
    INFO(row.name);
    UrgingRules rules;
    rules.repeat_counts_as_urging = row.repeat_counts_as_urging;
    // 30 days after GC-OLD's last contact: far outside the window, still attached when named.
    const auto decision =
        MatchOpenTicket(Contact(row.type, H(24 * 30), "GC-OLD", kNoKind, "T9"), tickets, rules);
    CHECK(decision.attach);
    CHECK(decision.ticket_id == "GC-OLD");
    CHECK(decision.urging == row.urging);
    CHECK(decision.new_contact_count == 2);
    CHECK(decision.new_urging_count == (row.urging ? 1 : 0));
    CHECK_FALSE(decision.escalate);
    CHECK(decision.reason == row.reason);
  }
}

TEST_CASE("a named ticket matches ignoring ASCII case and surrounding spaces",
          "[urging][referenced]") {
  const std::vector<OpenTicket> tickets = {Ticket("GC-20261118-000042", kFault, H(0)),
                                           Ticket("GC-20261118-000043", kFault, H(1))};
  for (const char* typed : {"GC-20261118-000042", "gc-20261118-000042", "  Gc-20261118-000042\t",
                            "\nGC-20261118-000042 "}) {
    INFO(typed);
    const auto decision = MatchOpenTicket(Contact(kUrging, H(2), typed), tickets, UrgingRules{});
    CHECK(decision.attach);
    CHECK(decision.ticket_id == "GC-20261118-000042");  // the stored spelling, not the typed one
  }
  // Not a prefix or substring match.
  for (const char* typed : {"GC-20261118-00004", "20261118-000042", "GC-20261118-000042X"}) {
    INFO(typed);
    const auto decision = MatchOpenTicket(Contact(kUrging, H(2), typed), tickets, UrgingRules{});
    CHECK(decision.ticket_id == "GC-20261118-000043");  // fell back to the most recent
    CHECK(Contains(decision.reason, "not among the customer's open tickets"));
  }
}

TEST_CASE("a named service application attaches whatever application kind the contact has",
          "[urging][referenced]") {
  const std::vector<OpenTicket> tickets = {Ticket("GC-APP", kApplication, H(0), kNewConnection)};
  const auto decision =
      MatchOpenTicket(Contact(kApplication, H(200), "GC-APP", kMeterCheck), tickets, UrgingRules{});
  CHECK(decision.attach);
  CHECK(decision.ticket_id == "GC-APP");
}

TEST_CASE("a named open ticket of another type is a different matter and falls through",
          "[urging][referenced]") {
  SECTION("complaint naming a fault ticket, no open complaint: new ticket") {
    const std::vector<OpenTicket> tickets = {Ticket("GC-F", kFault, H(0))};
    const auto decision =
        MatchOpenTicket(Contact(kComplaint, H(1), "GC-F"), tickets, UrgingRules{});
    RequireNewTicket(decision);
    CHECK(decision.reason ==
          "names open ticket GC-F (fault repair) but is a complaint, a different matter; new "
          "ticket: no open ticket of the same matter (complaint) within 72 h");
  }
  SECTION("complaint naming a fault ticket, an open complaint in the window: attaches there") {
    const std::vector<OpenTicket> tickets = {Ticket("GC-F", kFault, H(10)),
                                             Ticket("GC-C", kComplaint, H(0))};
    const auto decision =
        MatchOpenTicket(Contact(kComplaint, H(11), "GC-F"), tickets, UrgingRules{});
    CHECK(decision.attach);
    CHECK(decision.ticket_id == "GC-C");
    CHECK(decision.reason ==
          "names open ticket GC-F (fault repair) but is a complaint, a different matter; same "
          "matter (complaint) within 72 h of GC-C's last contact; urging #1");
  }
  SECTION("an application naming a complaint uses the article 'an'") {
    const std::vector<OpenTicket> tickets = {Ticket("GC-C", kComplaint, H(0))};
    const auto decision =
        MatchOpenTicket(Contact(v1::REQUEST_TYPE_OPINION, H(1), "GC-C"), tickets, UrgingRules{});
    RequireNewTicket(decision);
    CHECK(Contains(decision.reason, "but is an opinion, a different matter; "));
  }
}

TEST_CASE("a named ticket that is closed or unknown falls back to the other rules",
          "[urging][referenced]") {
  // GC-CLOSED is closed: intake passes only open tickets, so it is simply absent.
  const std::vector<OpenTicket> tickets = {Ticket("GC-F", kFault, H(0), kNoKind, "T1"),
                                           Ticket("GC-C", kComplaint, H(5))};
  const std::string prefix =
      "names ticket GC-CLOSED, which is not among the customer's open tickets; ";

  SECTION("urging: the most recently active open ticket") {
    const auto decision =
        MatchOpenTicket(Contact(kUrging, H(6), "GC-CLOSED"), tickets, UrgingRules{});
    CHECK(decision.attach);
    CHECK(decision.ticket_id == "GC-C");
    CHECK(decision.urging);
    CHECK(decision.reason == prefix +
                                 "urging: attaches to the most recently active open ticket GC-C "
                                 "(complaint); urging #1");
  }
  SECTION("same matter within the window") {
    const auto decision =
        MatchOpenTicket(Contact(kFault, H(6), "GC-CLOSED", kNoKind, "T1"), tickets, UrgingRules{});
    CHECK(decision.attach);
    CHECK(decision.ticket_id == "GC-F");
    CHECK(decision.reason ==
          prefix + "same matter (fault repair) within 72 h of GC-F's last contact; urging #1");
  }
  SECTION("nothing else matches: new ticket") {
    const auto decision = MatchOpenTicket(Contact(v1::REQUEST_TYPE_REPORT, H(6), "GC-CLOSED"),
                                          tickets, UrgingRules{});
    RequireNewTicket(decision);
    CHECK(decision.reason ==
          prefix + "new ticket: no open ticket of the same matter (report) within 72 h");
  }
  SECTION("unclassified: new ticket") {
    const auto decision =
        MatchOpenTicket(Contact(kUnspecified, H(6), "GC-CLOSED"), tickets, UrgingRules{});
    RequireNewTicket(decision);
    CHECK(decision.reason == prefix + "new ticket: type not classified, so no same-matter match");
  }
  SECTION("no open tickets at all") {
    const auto decision = MatchOpenTicket(Contact(kUrging, H(6), "GC-CLOSED"), {}, UrgingRules{});
    RequireNewTicket(decision);
    CHECK(decision.reason == prefix + "urging, but the customer has no open ticket");
  }
  SECTION("a reference that is not id-like is not echoed (it may be personal data)") {
    const std::vector<std::string> references = {"我的手机 13800138000", "call me back",
                                                 "GC-1; DROP", std::string(65, 'A')};
    for (const std::string& typed : references) {
      INFO(typed);
      const auto decision = MatchOpenTicket(Contact(kUrging, H(6), typed), tickets, UrgingRules{});
      CHECK(decision.ticket_id == "GC-C");
      CHECK(decision.reason.rfind("names a ticket, which is not among", 0) == 0);
      CHECK_FALSE(Contains(decision.reason, typed));
    }
  }
  SECTION("a blank reference is no reference") {
    const auto decision = MatchOpenTicket(Contact(kUrging, H(6), "   "), tickets, UrgingRules{});
    CHECK(decision.ticket_id == "GC-C");
    CHECK(decision.reason.rfind("urging: ", 0) == 0);
  }
}

TEST_CASE("an urging attaches to the most recently active open ticket", "[urging][urge]") {
  SECTION("no open ticket: nothing to attach to, not counted") {
    const auto decision = MatchOpenTicket(Contact(kUrging, H(0)), {}, UrgingRules{});
    RequireNewTicket(decision);
    CHECK(decision.reason == "urging, but the customer has no open ticket");
  }
  SECTION("several tickets of different types: the latest last contact, not the latest opened") {
    std::vector<OpenTicket> tickets = {
        Ticket("GC-A", kFault, H(10)),
        Ticket("GC-B", kComplaint, H(30)),
        Ticket("GC-C", kApplication, H(20), kNewConnection),
        Ticket("GC-D", v1::REQUEST_TYPE_CONSULTATION, H(5)),
    };
    tickets[0].opened_at = At(H(9));  // opened last of all, but its last contact is older
    tickets[1].opened_at = At(H(-100));
    const auto decision = MatchOpenTicket(Contact(kUrging, H(40)), tickets, UrgingRules{});
    CHECK(decision.attach);
    CHECK(decision.ticket_id == "GC-B");
    CHECK(decision.reason ==
          "urging: attaches to the most recently active open ticket GC-B (complaint); urging #1");
  }
  SECTION("any age: a year-old open ticket is still chased") {
    const auto decision = MatchOpenTicket(Contact(kUrging, H(24 * 365)),
                                          {Ticket("GC-A", kFault, H(0))}, UrgingRules{});
    CHECK(decision.attach);
    CHECK(decision.ticket_id == "GC-A");
  }
  SECTION("ties on last contact: the greatest ticket id") {
    const std::vector<OpenTicket> tickets = {
        Ticket("GC-20261118-000002", kFault, H(5)), Ticket("GC-20261118-000010", kComplaint, H(5)),
        Ticket("GC-20261118-000007", v1::REQUEST_TYPE_OPINION, H(5)),
        Ticket("GC-20261118-000099", kFault, H(4)),  // greater id, older contact
    };
    const auto decision = MatchOpenTicket(Contact(kUrging, H(6)), tickets, UrgingRules{});
    CHECK(decision.ticket_id == "GC-20261118-000010");
  }
  SECTION("counts as urging even when repeats do not") {
    UrgingRules rules;
    rules.repeat_counts_as_urging = false;
    const auto decision =
        MatchOpenTicket(Contact(kUrging, H(1)), {Ticket("GC-A", kFault, H(0))}, rules);
    CHECK(decision.urging);
    CHECK(decision.new_urging_count == 1);
  }
  SECTION("ignores the same-matter window, even when it is off") {
    UrgingRules rules;
    rules.same_matter_window = hours(0);
    const auto decision =
        MatchOpenTicket(Contact(kUrging, H(1000)), {Ticket("GC-A", kFault, H(0))}, rules);
    CHECK(decision.attach);
  }
}

TEST_CASE("same matter: the window edge is inclusive, measured from the last contact",
          "[urging][window]") {
  // Opened 10 days before its last contact: the window runs from the last contact.
  OpenTicket ticket = Ticket("GC-F", kFault, H(0));
  ticket.opened_at = At(H(-240));
  struct Row {
    const char* name;
    milliseconds received;
    bool attach;
  };
  const Row rows[] = {
      {"at the last contact", H(0), true},
      {"one hour later", H(1), true},
      {"1 ms before the edge", H(72) - milliseconds(1), true},
      {"exactly 72 h", H(72), true},
      {"1 ms past the edge", H(72) + milliseconds(1), false},
      {"one hour past", H(73), false},
      {"received before the last contact (late delivery)", H(-5), true},
      {"received before the ticket was opened", H(-300), true},
  };
  for (const Row& row : rows) {
    INFO(row.name);
    const auto decision = MatchOpenTicket(Contact(kFault, row.received), {ticket}, UrgingRules{});
    CHECK(decision.attach == row.attach);
    if (row.attach) {
      CHECK(decision.ticket_id == "GC-F");
      CHECK(decision.reason ==
            "same matter (fault repair) within 72 h of GC-F's last contact; urging #1");
    } else {
      RequireNewTicket(decision);
      CHECK(decision.reason ==
            "new ticket: no open ticket of the same matter (fault repair) within 72 h");
    }
  }
}

TEST_CASE("same matter: a configured window moves the edge", "[urging][window]") {
  UrgingRules rules;
  rules.same_matter_window = hours(24);
  const std::vector<OpenTicket> tickets = {Ticket("GC-C", kComplaint, H(0))};
  CHECK(MatchOpenTicket(Contact(kComplaint, H(24)), tickets, rules).attach);
  const auto outside =
      MatchOpenTicket(Contact(kComplaint, H(24) + milliseconds(1)), tickets, rules);
  CHECK_FALSE(outside.attach);
  CHECK(outside.reason == "new ticket: no open ticket of the same matter (complaint) within 24 h");
  CHECK(Contains(MatchOpenTicket(Contact(kComplaint, H(3)), tickets, rules).reason, "within 24 h"));
}

TEST_CASE("same matter: a zero window turns repeat matching off", "[urging][window]") {
  UrgingRules rules;
  rules.same_matter_window = hours(0);
  const std::vector<OpenTicket> tickets = {Ticket("GC-C", kComplaint, H(0))};
  const auto decision = MatchOpenTicket(Contact(kComplaint, H(0)), tickets, rules);
  RequireNewTicket(decision);
  CHECK(decision.reason == "new ticket: same-matter matching is off");
  // Named tickets still attach.
  CHECK(MatchOpenTicket(Contact(kComplaint, H(0), "GC-C"), tickets, rules).attach);
}

TEST_CASE("same matter: only the same type attaches, among open tickets of every type",
          "[urging][type]") {
  // One open ticket of each attachable type, all within the window, each the only one of its type.
  std::vector<OpenTicket> tickets;
  int hour = 0;
  for (v1::RequestType type : AllTypes()) {
    if (type == kUnspecified) continue;
    tickets.push_back(Ticket("GC-" + std::string(RequestTypeLabel(type)), type, H(hour++)));
  }
  for (v1::RequestType type : AllTypes()) {
    INFO(RequestTypeLabel(type));
    const auto decision = MatchOpenTicket(Contact(type, H(20)), tickets, UrgingRules{});
    switch (type) {
      case v1::REQUEST_TYPE_PRAISE:
      case v1::REQUEST_TYPE_CONSULTATION:
      case v1::REQUEST_TYPE_UNSPECIFIED:
        RequireNewTicket(decision);
        break;
      case v1::REQUEST_TYPE_URGING:  // the most recently active ticket: the last one pushed
        CHECK(decision.ticket_id == tickets.back().ticket_id);
        break;
      default:
        CHECK(decision.attach);
        CHECK(decision.ticket_id == "GC-" + std::string(RequestTypeLabel(type)));
        break;
    }
  }
}

TEST_CASE("praise and consultation never attach, even when they name an open ticket",
          "[urging][never]") {
  for (v1::RequestType type : {v1::REQUEST_TYPE_PRAISE, v1::REQUEST_TYPE_CONSULTATION}) {
    const std::string label(RequestTypeLabel(type));
    INFO(label);
    const std::vector<OpenTicket> tickets = {Ticket("GC-SAME", type, H(0)),
                                             Ticket("GC-F", kFault, H(1))};
    for (const char* named : {"", "GC-SAME", "GC-F"}) {
      INFO(named);
      const auto decision = MatchOpenTicket(Contact(type, H(1), named), tickets, UrgingRules{});
      RequireNewTicket(decision);
      CHECK(decision.reason == "new ticket: " + label + " never attaches to an open ticket");
    }
  }
}

TEST_CASE("a contact of unknown type never matches by type", "[urging][type]") {
  const std::vector<OpenTicket> tickets = {Ticket("GC-U", kUnspecified, H(0)),
                                           Ticket("GC-X", static_cast<v1::RequestType>(99), H(0))};
  for (v1::RequestType type : {kUnspecified, static_cast<v1::RequestType>(99)}) {
    INFO(static_cast<int>(type));
    const auto decision = MatchOpenTicket(Contact(type, H(1)), tickets, UrgingRules{});
    RequireNewTicket(decision);
    CHECK(decision.reason == "new ticket: type not classified, so no same-matter match");
  }
  // Out-of-range values behave as unclassified when naming a ticket too.
  const auto named = MatchOpenTicket(Contact(static_cast<v1::RequestType>(99), H(1), "GC-U"),
                                     tickets, UrgingRules{});
  CHECK(named.ticket_id == "GC-U");
  CHECK(named.reason == "names open ticket GC-U (type not classified); urging #1");
}

TEST_CASE("same matter: applications need the same kind when both are known",
          "[urging][application]") {
  struct Row {
    v1::ServiceApplicationKind ticket_kind;
    v1::ServiceApplicationKind contact_kind;
    bool attach;
    const char* matter;
  };
  const Row rows[] = {
      {kNewConnection, kNewConnection, true, "service application: new connection"},
      {kNewConnection, kMeterCheck, false, "service application: meter check"},
      {kNewConnection, kNoKind, true, "service application"},
      {kNoKind, kMeterCheck, true, "service application: meter check"},
      {kNoKind, kNoKind, true, "service application"},
  };
  for (const Row& row : rows) {
    INFO(static_cast<int>(row.ticket_kind) << " vs " << static_cast<int>(row.contact_kind));
    const auto decision =
        MatchOpenTicket(Contact(kApplication, H(2), "", row.contact_kind),
                        {Ticket("GC-APP", kApplication, H(0), row.ticket_kind)}, UrgingRules{});
    CHECK(decision.attach == row.attach);
    CHECK(Contains(decision.reason, std::string("(") + row.matter + ")"));
  }
  SECTION("two open applications of different kinds: the one of the contact's kind") {
    const std::vector<OpenTicket> tickets = {Ticket("GC-NEW", kApplication, H(0), kNewConnection),
                                             Ticket("GC-CHK", kApplication, H(1), kMeterCheck)};
    CHECK(MatchOpenTicket(Contact(kApplication, H(2), "", kNewConnection), tickets, UrgingRules{})
              .ticket_id == "GC-NEW");
    CHECK(MatchOpenTicket(Contact(kApplication, H(2), "", kMeterCheck), tickets, UrgingRules{})
              .ticket_id == "GC-CHK");
    // Kind unknown: the most recent application.
    CHECK(MatchOpenTicket(Contact(kApplication, H(2)), tickets, UrgingRules{}).ticket_id ==
          "GC-CHK");
  }
}

TEST_CASE("same matter: faults need the same transformer when both are known",
          "[urging][transformer]") {
  struct Row {
    const char* ticket_transformer;
    const char* contact_transformer;
    bool attach;
  };
  const Row rows[] = {
      {"T1", "T1", true}, {"T1", "T2", false}, {"T1", "", true}, {"", "T2", true}, {"", "", true},
  };
  for (const Row& row : rows) {
    INFO(row.ticket_transformer << " vs " << row.contact_transformer);
    const auto decision = MatchOpenTicket(
        Contact(kFault, H(2), "", kNoKind, row.contact_transformer),
        {Ticket("GC-F", kFault, H(0), kNoKind, row.ticket_transformer)}, UrgingRules{});
    CHECK(decision.attach == row.attach);
  }
  SECTION("the most recent fault is on another transformer: the older one on the same attaches") {
    const std::vector<OpenTicket> tickets = {Ticket("GC-T1", kFault, H(0), kNoKind, "T1"),
                                             Ticket("GC-T2", kFault, H(10), kNoKind, "T2")};
    CHECK(MatchOpenTicket(Contact(kFault, H(11), "", kNoKind, "T1"), tickets, UrgingRules{})
              .ticket_id == "GC-T1");
    CHECK(MatchOpenTicket(Contact(kFault, H(11), "", kNoKind, "T2"), tickets, UrgingRules{})
              .ticket_id == "GC-T2");
    CHECK_FALSE(
        MatchOpenTicket(Contact(kFault, H(11), "", kNoKind, "T3"), tickets, UrgingRules{}).attach);
  }
  SECTION("transformers do not matter for other types") {
    const auto decision =
        MatchOpenTicket(Contact(kComplaint, H(2), "", kNoKind, "T2"),
                        {Ticket("GC-C", kComplaint, H(0), kNoKind, "T1")}, UrgingRules{});
    CHECK(decision.attach);
  }
}

TEST_CASE("same matter: the most recent ticket inside the window wins", "[urging][ties]") {
  SECTION("a same-type ticket whose last contact is outside the window is passed over") {
    // GC-OUT's last contact is 100 h back, outside; GC-IN's is 50 h back, inside.
    const std::vector<OpenTicket> tickets = {Ticket("GC-OUT", kComplaint, H(0)),
                                             Ticket("GC-IN", kComplaint, H(50))};
    CHECK(MatchOpenTicket(Contact(kComplaint, H(100)), tickets, UrgingRules{}).ticket_id ==
          "GC-IN");
  }
  SECTION("ties on last contact: the greatest ticket id") {
    const std::vector<OpenTicket> tickets = {Ticket("GC-20261118-000001", kComplaint, H(5)),
                                             Ticket("GC-20261118-000003", kComplaint, H(5)),
                                             Ticket("GC-20261118-000002", kComplaint, H(5))};
    CHECK(MatchOpenTicket(Contact(kComplaint, H(6)), tickets, UrgingRules{}).ticket_id ==
          "GC-20261118-000003");
  }
}

TEST_CASE("decisions do not depend on the order of the open tickets", "[urging][ties]") {
  std::vector<OpenTicket> tickets = {
      Ticket("GC-1", kFault, H(5), kNoKind, "T1"),
      Ticket("GC-2", kFault, H(5), kNoKind, "T1"),
      Ticket("GC-3", kComplaint, H(5)),
      Ticket("GC-4", kFault, H(3), kNoKind, "T2"),
      Ticket("GC-5", kComplaint, H(4)),
  };
  const std::vector<IncomingContact> contacts = {
      Contact(kUrging, H(6)),
      Contact(kFault, H(6), "", kNoKind, "T1"),
      Contact(kFault, H(6), "", kNoKind, "T2"),
      Contact(kComplaint, H(6)),
      Contact(kUrging, H(6), "GC-4"),
  };
  const std::vector<std::string> expected = {"GC-3", "GC-2", "GC-4", "GC-3", "GC-4"};
  std::sort(tickets.begin(), tickets.end(),
            [](const OpenTicket& a, const OpenTicket& b) { return a.ticket_id < b.ticket_id; });
  int permutations = 0;
  do {
    for (size_t i = 0; i < contacts.size(); ++i) {
      INFO("contact " << i);
      REQUIRE(MatchOpenTicket(contacts[i], tickets, UrgingRules{}).ticket_id == expected[i]);
    }
    ++permutations;
  } while (std::next_permutation(
      tickets.begin(), tickets.end(),
      [](const OpenTicket& a, const OpenTicket& b) { return a.ticket_id < b.ticket_id; }));
  CHECK(permutations == 120);
}

TEST_CASE("open tickets without an id are ignored", "[urging]") {
  const std::vector<OpenTicket> tickets = {Ticket("", kFault, H(10)), Ticket("GC-A", kFault, H(0))};
  CHECK(MatchOpenTicket(Contact(kUrging, H(11)), tickets, UrgingRules{}).ticket_id == "GC-A");
  CHECK(MatchOpenTicket(Contact(kFault, H(11)), tickets, UrgingRules{}).ticket_id == "GC-A");
  CHECK_FALSE(
      MatchOpenTicket(Contact(kUrging, H(11)), {Ticket("", kFault, H(10))}, UrgingRules{}).attach);
}

TEST_CASE("urging counts and escalation at the threshold", "[urging][escalate]") {
  struct Row {
    const char* name;
    v1::RequestType type;  // kUrging, or kFault for a repeat
    bool repeat_counts_as_urging;
    int escalate_at;
    int prior_urgings;
    bool urging;
    int new_urgings;
    bool escalate;
  };
  const Row rows[] = {
      {"first urging, threshold 2", kUrging, true, 2, 0, true, 1, false},
      {"second urging reaches 2", kUrging, true, 2, 1, true, 2, true},
      {"third urging, past 2, escalates again", kUrging, true, 2, 2, true, 3, true},
      {"first urging, threshold 1", kUrging, true, 1, 0, true, 1, true},
      {"threshold 3 not yet", kUrging, true, 3, 1, true, 2, false},
      {"threshold 3 reached", kUrging, true, 3, 2, true, 3, true},
      {"escalation off", kUrging, true, 0, 9, true, 10, false},
      {"urging with repeats off still counts", kUrging, false, 2, 1, true, 2, true},
      {"repeat counts, first", kFault, true, 2, 0, true, 1, false},
      {"repeat counts, reaches 2", kFault, true, 2, 1, true, 2, true},
      {"repeat does not count", kFault, false, 2, 1, false, 1, false},
      {"repeat does not count, already past the threshold: no escalation", kFault, false, 2, 5,
       false, 5, false},
      {"negative prior count treated as 0", kUrging, true, 2, -3, true, 1, false},
  };
  for (const Row& row : rows) {
    INFO(row.name);
    UrgingRules rules;
    rules.repeat_counts_as_urging = row.repeat_counts_as_urging;
    rules.escalate_at_urgings = row.escalate_at;
    OpenTicket ticket = Ticket("GC-F", kFault, H(0));
    ticket.urging_count = row.prior_urgings;
    ticket.contact_count = 4;
    const auto decision = MatchOpenTicket(Contact(row.type, H(1)), {ticket}, rules);
    REQUIRE(decision.attach);
    CHECK(decision.urging == row.urging);
    CHECK(decision.new_urging_count == row.new_urgings);
    CHECK(decision.escalate == row.escalate);
    CHECK(decision.new_contact_count == 5);  // every attached contact counts as a contact
    CHECK(Contains(decision.reason, "; urging #" + std::to_string(row.new_urgings)) == row.urging);
    CHECK(Contains(decision.reason, ", escalated (threshold " + std::to_string(row.escalate_at) +
                                        ")") == row.escalate);
  }
}

TEST_CASE("a run of urgings escalates from the threshold on", "[urging][escalate]") {
  OpenTicket ticket = Ticket("GC-F", kFault, H(0));
  std::vector<bool> escalations;
  for (int i = 1; i <= 4; ++i) {
    const auto decision = MatchOpenTicket(Contact(kUrging, H(i)), {ticket}, UrgingRules{});
    REQUIRE(decision.attach);
    CHECK(decision.new_contact_count == i + 1);
    CHECK(decision.new_urging_count == i);
    escalations.push_back(decision.escalate);
    // What intake stores after attaching.
    ticket.contact_count = decision.new_contact_count;
    ticket.urging_count = decision.new_urging_count;
    ticket.last_contact_at = At(H(i));
  }
  CHECK(escalations == std::vector<bool>{false, true, true, true});
}

TEST_CASE("contact counts start from at least one", "[urging][counts]") {
  for (int stored : {-1, 0, 1}) {
    INFO(stored);
    OpenTicket ticket = Ticket("GC-F", kFault, H(0));
    ticket.contact_count = stored;
    CHECK(MatchOpenTicket(Contact(kUrging, H(1)), {ticket}, UrgingRules{}).new_contact_count == 2);
  }
}

TEST_CASE("RequestTypeLabel names every type", "[urging][labels]") {
  CHECK(RequestTypeLabel(v1::REQUEST_TYPE_FAULT_REPAIR) == "fault repair");
  CHECK(RequestTypeLabel(v1::REQUEST_TYPE_COMPLAINT) == "complaint");
  CHECK(RequestTypeLabel(v1::REQUEST_TYPE_REPORT) == "report");
  CHECK(RequestTypeLabel(v1::REQUEST_TYPE_OPINION) == "opinion");
  CHECK(RequestTypeLabel(v1::REQUEST_TYPE_SUGGESTION) == "suggestion");
  CHECK(RequestTypeLabel(v1::REQUEST_TYPE_PRAISE) == "praise");
  CHECK(RequestTypeLabel(v1::REQUEST_TYPE_CONSULTATION) == "consultation");
  CHECK(RequestTypeLabel(v1::REQUEST_TYPE_SERVICE_APPLICATION) == "service application");
  CHECK(RequestTypeLabel(v1::REQUEST_TYPE_URGING) == "urging");
  CHECK(RequestTypeLabel(v1::REQUEST_TYPE_UNSPECIFIED) == "unclassified request");
  CHECK(RequestTypeLabel(static_cast<v1::RequestType>(42)) == "unclassified request");
}
