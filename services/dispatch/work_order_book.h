#pragma once

// The work orders: every open repair order (one per incident; a follow-up after an unfinished
// repair numbers on) and, per order, the crews that declined it. Creates, records, cancels and
// completes orders, publishing WorkOrderCreated and WorkOrderCancelled; which crew holds an order
// is the CrewAssigner's business (crew_assigner.h).

#include <map>
#include <set>
#include <string>
#include <vector>

#include "dispatch_metrics.h"
#include "dispatch_pass.h"
#include "gridcare/core/clock.h"
#include "gridcare/v1/dispatch.pb.h"

namespace gridcare::dispatch {

/// Whether an order in `state` is still open (neither completed, cancelled nor unspecified).
bool IsOpenWorkOrder(v1::WorkOrderState state);
/// Whether a crew holds an order in `state`: assigned, accepted, en route or on site.
bool HeldByCrew(v1::WorkOrderState state);
/// The record key of an order's events: its incident's id (so they stay in order with the
/// incident's events), its application's ticket id (every visit of one application in order),
/// or its own id.
const std::string& EventKey(const v1::WorkOrder& order);

/// Not thread-safe: the Dispatcher's lock guards it. `metrics` may be null and must outlive it.
class WorkOrderBook {
 public:
  explicit WorkOrderBook(DispatchMetrics* metrics = nullptr);

  /// Takes the open orders and declines loaded from the store.
  void Recover(std::map<std::string, v1::WorkOrder> work_orders,
               std::map<std::string, std::set<std::string>> declined);

  /// Open orders by id.
  const std::map<std::string, v1::WorkOrder>& open() const { return work_orders_; }
  /// Per open order, the crews that declined it.
  const std::map<std::string, std::set<std::string>>& declined() const { return declined_; }
  v1::WorkOrder* Find(const std::string& work_order_id);
  const v1::WorkOrder* Find(const std::string& work_order_id) const;
  /// Ids of the open orders in `state`, in id order.
  std::vector<std::string> IdsIn(v1::WorkOrderState state) const;

  /// A QUEUED repair order for `incident`, "WO-<incident id without INC->" ("-2", "-3" … after
  /// the incident's previous order), with the incident's priority, place and clocks and the skill
  /// its level needs; a single-customer order carries `first_ticket_id`. Publishes
  /// WorkOrderCreated and returns the id; the caller records it on the incident.
  std::string Create(DispatchPass& pass, const v1::Incident& incident,
                     const std::string& first_ticket_id);
  /// Adds a new open order made elsewhere (a service application's visit, appointment_desk.h)
  /// and publishes WorkOrderCreated. Returns it as kept here.
  v1::WorkOrder& Add(DispatchPass& pass, v1::WorkOrder order);
  /// Writes `order` (changed by the caller) into the pass: as open, or, once it is closed, into
  /// the archive (its declines are dropped with it).
  void Record(DispatchPass& pass, const v1::WorkOrder& order);
  /// Cancels an open order and publishes WorkOrderCancelled naming the crew that held it, so it
  /// drops the job. Nothing for an unknown or closed order.
  void Cancel(DispatchPass& pass, const std::string& work_order_id, const std::string& reason);
  /// `crew_id` declined the order: it is not offered to that crew again.
  void AddDecline(DispatchPass& pass, const std::string& work_order_id, const std::string& crew_id);
  /// The crew finished the job: the order is COMPLETED (its clocks met at `now`), archived and
  /// returned. The order must be open.
  v1::WorkOrder Complete(DispatchPass& pass, const std::string& work_order_id, core::TimePoint now);
  /// Archives an open order in `state` (COMPLETED or CANCELLED) as it is, clocks untouched (an
  /// application's visit: its clocks carry on with the next visit). Returns the archived copy.
  v1::WorkOrder Close(DispatchPass& pass, const std::string& work_order_id,
                      v1::WorkOrderState state);

 private:
  DispatchMetrics* metrics_;
  std::map<std::string, v1::WorkOrder> work_orders_;
  std::map<std::string, std::set<std::string>> declined_;  // work order → crews
};

}  // namespace gridcare::dispatch
