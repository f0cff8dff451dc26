#pragma once

// The Kafka edge of analytics: intake, dispatch, complaint, notification and alert events become
// Effects (KpiLedger; WarningBook::Apply for the alert topic) that the store applies once per
// event id. Batches: the ids already applied are looked up first, the memos of the tickets the
// rest name are read once, each event sees the memos the events before it in the batch wrote,
// and the whole batch is applied in one atomic step — so a redelivered batch changes nothing
// and a crash never leaves half of one. Undecodable records are dead letters; events this build
// does not know are skipped.

#include <span>
#include <vector>

#include "analytics_metrics.h"
#include "analytics_store.h"
#include "gridcare/kafka/consumer.h"
#include "kpi_ledger.h"

namespace gridcare::analytics {

class AnalyticsEventHandler final : public kafka::MessageHandler {
 public:
  /// Every reference must outlive the handler; `metrics` may be null. Thread-safe when the store
  /// is, as long as one partition is handled by one thread at a time (the consumer's order).
  AnalyticsEventHandler(const KpiLedger& ledger, AnalyticsStore& store, AnalyticsMetrics* metrics)
      : ledger_(ledger), store_(store), metrics_(metrics) {}

  kafka::HandleResult Handle(const kafka::ConsumedMessage& message) override;
  std::vector<kafka::HandleResult> HandleBatch(
      std::span<const kafka::ConsumedMessage> messages) override;

 private:
  /// Results for every message, or the error that kept the batch from being applied.
  core::Result<std::vector<kafka::HandleResult>> Process(
      std::span<const kafka::ConsumedMessage> messages);

  const KpiLedger& ledger_;
  AnalyticsStore& store_;
  AnalyticsMetrics* metrics_;
};

}  // namespace gridcare::analytics
