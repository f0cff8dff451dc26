#include "urging_rules.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gridcare/config/json_reader.h"
#include "gridcare/core/text.h"

namespace gridcare::intake {
namespace {

const config::JsonReader kReader("urging rules");

constexpr std::string_view kKeys[] = {"same_matter_window_hours", "escalate_at_urgings",
                                      "repeat_counts_as_urging"};

// ---------------------------------------------------------------------------------------------
// Matching helpers.

// Ticket ids compared the way a customer might type them: surrounding spaces and ASCII case
// ignored.
std::string NormalizeTicketId(std::string_view id) {
  return core::AsciiLower(core::TrimAsciiSpace(id));
}

// A customer-typed reference is echoed in reasons only when it looks like an id (it could be any
// text, including personal data).
std::string DescribeReference(std::string_view reference) {
  reference = core::TrimAsciiSpace(reference);
  const bool looks_like_id = !reference.empty() && reference.size() <= 64 &&
                             std::all_of(reference.begin(), reference.end(), [](char c) {
                               return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                      (c >= '0' && c <= '9') || c == '-' || c == '_';
                             });
  return looks_like_id ? "ticket " + std::string(reference) : "a ticket";
}

// Order of preference among candidates: the latest last contact, then the greatest ticket id.
bool MoreRecent(const OpenTicket& a, const OpenTicket& b) {
  if (a.last_contact_at != b.last_contact_at) return a.last_contact_at > b.last_contact_at;
  return a.ticket_id > b.ticket_id;
}

bool IsUnclassified(v1::RequestType type) {
  return type == v1::REQUEST_TYPE_UNSPECIFIED || !v1::RequestType_IsValid(type);
}

std::string_view ApplicationKindLabel(v1::ServiceApplicationKind kind) {
  switch (kind) {
    case v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION:
      return "new connection";
    case v1::SERVICE_APPLICATION_KIND_CAPACITY_CHANGE:
      return "capacity change";
    case v1::SERVICE_APPLICATION_KIND_METER_CHECK:
      return "meter check";
    case v1::SERVICE_APPLICATION_KIND_ACCOUNT_TRANSFER:
      return "account transfer";
    case v1::SERVICE_APPLICATION_KIND_METER_RELOCATION:
      return "meter relocation";
    case v1::SERVICE_APPLICATION_KIND_TARIFF_CHANGE:
      return "tariff change";
    case v1::SERVICE_APPLICATION_KIND_TEMPORARY_SUPPLY:
      return "temporary supply";
    case v1::SERVICE_APPLICATION_KIND_DISCONNECTION:
      return "disconnection";
    default:
      return "";
  }
}

// "fault repair", or "service application: new connection" when the kind is known.
std::string MatterLabel(v1::RequestType type, v1::ServiceApplicationKind kind) {
  std::string label(RequestTypeLabel(type));
  if (type == v1::REQUEST_TYPE_SERVICE_APPLICATION && !ApplicationKindLabel(kind).empty()) {
    label += ": " + std::string(ApplicationKindLabel(kind));
  }
  return label;
}

// "a" or "an" before an English label.
std::string WithArticle(std::string_view label) {
  const bool vowel =
      !label.empty() && std::string_view("aeiou").find(label.front()) != std::string_view::npos;
  return (vowel ? "an " : "a ") + std::string(label);
}

// Both sides know the value and it differs.
bool KnownAndDifferent(const std::string& a, const std::string& b) {
  return !a.empty() && !b.empty() && a != b;
}

bool KindsConflict(v1::ServiceApplicationKind a, v1::ServiceApplicationKind b) {
  return a != v1::SERVICE_APPLICATION_KIND_UNSPECIFIED &&
         b != v1::SERVICE_APPLICATION_KIND_UNSPECIFIED && a != b;
}

bool SameMatter(const IncomingContact& contact, const OpenTicket& ticket,
                const UrgingRules& rules) {
  if (ticket.type != contact.type) return false;
  if (contact.received_at > ticket.last_contact_at + rules.same_matter_window) return false;
  if (contact.type == v1::REQUEST_TYPE_SERVICE_APPLICATION &&
      KindsConflict(contact.application_kind, ticket.application_kind)) {
    return false;
  }
  if (contact.type == v1::REQUEST_TYPE_FAULT_REPAIR &&
      KnownAndDifferent(contact.transformer_id, ticket.transformer_id)) {
    return false;
  }
  return true;
}

MatchDecision NewTicket(std::string reason) {
  MatchDecision decision;
  decision.reason = std::move(reason);
  return decision;
}

MatchDecision Attach(const OpenTicket& ticket, bool urging, const UrgingRules& rules,
                     std::string reason) {
  MatchDecision decision;
  decision.attach = true;
  decision.ticket_id = ticket.ticket_id;
  decision.urging = urging;
  decision.new_contact_count = std::max(ticket.contact_count, 1) + 1;
  decision.new_urging_count = std::max(ticket.urging_count, 0) + (urging ? 1 : 0);
  decision.escalate = urging && rules.escalate_at_urgings > 0 &&
                      decision.new_urging_count >= rules.escalate_at_urgings;
  if (urging) reason += "; urging #" + std::to_string(decision.new_urging_count);
  if (decision.escalate) {
    reason += ", escalated (threshold " + std::to_string(rules.escalate_at_urgings) + ")";
  }
  decision.reason = std::move(reason);
  return decision;
}

const OpenTicket* MostRecent(const std::vector<const OpenTicket*>& candidates) {
  const OpenTicket* best = nullptr;
  for (const OpenTicket* ticket : candidates) {
    if (best == nullptr || MoreRecent(*ticket, *best)) best = ticket;
  }
  return best;
}

std::string WindowText(std::chrono::hours window) { return std::to_string(window.count()) + " h"; }

}  // namespace

std::string_view RequestTypeLabel(v1::RequestType type) {
  switch (type) {
    case v1::REQUEST_TYPE_FAULT_REPAIR:
      return "fault repair";
    case v1::REQUEST_TYPE_COMPLAINT:
      return "complaint";
    case v1::REQUEST_TYPE_REPORT:
      return "report";
    case v1::REQUEST_TYPE_OPINION:
      return "opinion";
    case v1::REQUEST_TYPE_SUGGESTION:
      return "suggestion";
    case v1::REQUEST_TYPE_PRAISE:
      return "praise";
    case v1::REQUEST_TYPE_CONSULTATION:
      return "consultation";
    case v1::REQUEST_TYPE_SERVICE_APPLICATION:
      return "service application";
    case v1::REQUEST_TYPE_URGING:
      return "urging";
    default:
      return "unclassified request";
  }
}

core::Result<UrgingRules> UrgingRules::FromJson(std::string_view json) {
  auto parsed = kReader.ParseObject(json);
  if (!parsed.ok()) return parsed.error();
  if (auto status = kReader.RejectUnknownKeys(*parsed, kKeys); !status.ok()) return status.error();
  UrgingRules rules;
  for (const auto& [key, value] : parsed->items()) {
    if (key == "same_matter_window_hours") {
      auto hours = kReader.Integer(value, key, 0, int64_t{24} * 365);
      if (!hours.ok()) return hours.error();
      rules.same_matter_window = std::chrono::hours(*hours);
    } else if (key == "escalate_at_urgings") {
      auto count = kReader.Integer(value, key, 0, 1000);
      if (!count.ok()) return count.error();
      rules.escalate_at_urgings = static_cast<int>(*count);
    } else {  // repeat_counts_as_urging
      auto repeat = kReader.Bool(value, key);
      if (!repeat.ok()) return repeat.error();
      rules.repeat_counts_as_urging = *repeat;
    }
  }
  return rules;
}

MatchDecision MatchOpenTicket(const IncomingContact& contact,
                              const std::vector<OpenTicket>& open_tickets,
                              const UrgingRules& rules) {
  const std::string type_label(RequestTypeLabel(contact.type));

  // Rule 0: praise and consultation are handled on their own, whatever they name.
  if (contact.type == v1::REQUEST_TYPE_PRAISE || contact.type == v1::REQUEST_TYPE_CONSULTATION) {
    return NewTicket("new ticket: " + type_label + " never attaches to an open ticket");
  }

  std::vector<const OpenTicket*> tickets;
  tickets.reserve(open_tickets.size());
  for (const OpenTicket& ticket : open_tickets) {
    if (!ticket.ticket_id.empty()) tickets.push_back(&ticket);
  }

  const bool explicit_urging = contact.type == v1::REQUEST_TYPE_URGING;
  // Rule 1: a named open ticket of a compatible type wins. Otherwise say why, and fall through.
  std::string prefix;
  const std::string reference = NormalizeTicketId(contact.referenced_ticket_id);
  if (!reference.empty()) {
    std::vector<const OpenTicket*> named;
    for (const OpenTicket* ticket : tickets) {
      if (NormalizeTicketId(ticket->ticket_id) == reference) named.push_back(ticket);
    }
    if (const OpenTicket* ticket = MostRecent(named)) {
      const std::string attached = "names open ticket " + ticket->ticket_id;
      if (explicit_urging) return Attach(*ticket, true, rules, attached);
      if (IsUnclassified(contact.type)) {
        return Attach(*ticket, rules.repeat_counts_as_urging, rules,
                      attached + " (type not classified)");
      }
      if (contact.type == ticket->type) {
        return Attach(*ticket, rules.repeat_counts_as_urging, rules,
                      attached + " (same type: " + type_label + ")");
      }
      prefix = "names open ticket " + ticket->ticket_id + " (" +
               std::string(RequestTypeLabel(ticket->type)) + ") but is " + WithArticle(type_label) +
               ", a different matter; ";
    } else {
      prefix = "names " + DescribeReference(contact.referenced_ticket_id) +
               ", which is not among the customer's open tickets; ";
    }
  }

  // Rule 2: an urging chases the most recently active open ticket.
  if (explicit_urging) {
    if (const OpenTicket* ticket = MostRecent(tickets)) {
      return Attach(*ticket, true, rules,
                    prefix + "urging: attaches to the most recently active open ticket " +
                        ticket->ticket_id + " (" + std::string(RequestTypeLabel(ticket->type)) +
                        ")");
    }
    return NewTicket(prefix + "urging, but the customer has no open ticket");
  }

  if (IsUnclassified(contact.type)) {
    return NewTicket(prefix + "new ticket: type not classified, so no same-matter match");
  }

  // Rule 3: the same matter within the window.
  const std::string matter = MatterLabel(contact.type, contact.application_kind);
  if (rules.same_matter_window <= std::chrono::hours::zero()) {
    return NewTicket(prefix + "new ticket: same-matter matching is off");
  }
  std::vector<const OpenTicket*> same_matter;
  for (const OpenTicket* ticket : tickets) {
    if (SameMatter(contact, *ticket, rules)) same_matter.push_back(ticket);
  }
  if (const OpenTicket* ticket = MostRecent(same_matter)) {
    return Attach(*ticket, rules.repeat_counts_as_urging, rules,
                  prefix + "same matter (" + matter + ") within " +
                      WindowText(rules.same_matter_window) + " of " + ticket->ticket_id +
                      "'s last contact");
  }

  // Rule 4.
  return NewTicket(prefix + "new ticket: no open ticket of the same matter (" + matter +
                   ") within " + WindowText(rules.same_matter_window));
}

}  // namespace gridcare::intake
