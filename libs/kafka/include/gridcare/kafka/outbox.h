#pragma once

// The transactional outbox's bytes: the records one input produced, stored with its state change
// (v1::Outbox in common.proto) so they can be published again after a crash or a failed flush.

#include <string>
#include <string_view>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/kafka/message.h"

namespace gridcare::kafka {

/// `records` as v1::Outbox bytes.
std::string EncodeOutbox(const std::vector<OutgoingRecord>& records);

/// The records back; INTERNAL when `bytes` is not an outbox.
core::Result<std::vector<OutgoingRecord>> DecodeOutbox(std::string_view bytes);

}  // namespace gridcare::kafka
