#pragma once

// Kafka edges of complaint: intake's tickets (cases open, contacts and urgings are counted,
// restored fault tickets are sampled for a return visit), dispatch's incidents and work orders
// and the crews' reports (the network context a complaint may concern). All route through the
// service's TopicRouter (app.cpp).

#include "case_desk.h"
#include "gridcare/kafka/consumer.h"
#include "gridcare/v1/crew.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "gridcare/v1/intake.pb.h"
#include "incident_index.h"

namespace gridcare::complaint {

/// gridcare.intake.v1.
class IntakeEventHandler {
 public:
  IntakeEventHandler(CaseDesk& desk, IncidentIndex& incidents)
      : desk_(desk), incidents_(incidents) {}
  kafka::HandleResult Apply(const v1::IntakeEvent& event, const kafka::ConsumedMessage& message);

 private:
  kafka::HandleResult Opened(const v1::Ticket& ticket, const kafka::ConsumedMessage& message);
  CaseDesk& desk_;
  IncidentIndex& incidents_;
};

/// gridcare.dispatch.v1: incidents opened, updated, rolled up and restored; repair work orders
/// (which incident each belongs to, for the crews' reports).
class DispatchEventHandler {
 public:
  explicit DispatchEventHandler(IncidentIndex& incidents) : incidents_(incidents) {}
  kafka::HandleResult Apply(const v1::DispatchEvent& event, const kafka::ConsumedMessage& message);

 private:
  IncidentIndex& incidents_;
};

/// gridcare.crew.v1: a crew's job reports (accepted, declined, en route, on site, completed) on a
/// linked incident's work orders, at the event's ce_time (else the record's timestamp).
/// Location and availability reports, and jobs of no known incident, change nothing.
class CrewEventHandler {
 public:
  explicit CrewEventHandler(IncidentIndex& incidents) : incidents_(incidents) {}
  kafka::HandleResult Apply(const v1::CrewEvent& event, const kafka::ConsumedMessage& message);

 private:
  IncidentIndex& incidents_;
};

/// How the desk shows a customer: the id's first and last two characters, e.g. "C0****12".
std::string MaskCustomerId(std::string_view customer_id);

}  // namespace gridcare::complaint
