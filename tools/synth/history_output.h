#pragma once

// gridcare-synth's history mode: the generated request history written as files.
//   requests.jsonl        one gridcare.v1.ServiceRequest per line (protobuf JSON, proto field
//                         names), in time order: what channels would publish on
//                         gridcare.requests.v1
//   history-labels.jsonl  per request: request_id, category, request type, district, and the
//                         surge or storm that added it (-1 for ordinary contacts)
//   history-truth.json    the ground truth: categories, districts, holidays, storms (with their
//                         incident ids) and injected surges (window, size, shape, topic, contacts)

#include <cstdint>
#include <filesystem>

#include "gridcare/core/error.h"
#include "gridcare/synth/history.h"

namespace gridcare::synth_tool {

struct HistoryFiles {
  int64_t requests = 0;  ///< lines in requests.jsonl (and history-labels.jsonl)
};

/// Writes the three files into `dir` (each under a temporary name, renamed when complete).
core::Result<HistoryFiles> WriteHistory(const synth::History& history, uint64_t seed,
                                        const synth::Utility* utility,
                                        const std::filesystem::path& dir);

}  // namespace gridcare::synth_tool
