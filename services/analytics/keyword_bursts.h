#pragma once

// Keyword hotspots (issue 15): the terms of one area's request texts (keyword_terms.h) whose
// frequency in the current window (e.g. today) bursts against the same area's past windows, and a
// few masked example tickets to show beside them in a risk warning.
//
// The test, per term: a term's baseline rate is its count over the baseline's text volume, so the
// expected count scales with the current window's volume — on a busy day every term is expected
// more often, and only terms whose *share* of the texts rose burst. An additive prior (a pseudo
// count) gives a term never seen before a small expected count instead of zero, so a first
// occurrence is surprising but not infinitely so. A term bursts when it was seen at least
// min_count times, at least min_ratio times its expected count, and the Poisson upper tail
// P(X >= observed | expected) is at most alpha. Simple and explainable ("12 texts said 跳闸 where
// 1.5 were expected"), and sound at low counts, where ratios alone are noise.

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gridcare::analytics {

/// Defaults suit one area-day of a few dozen to a few thousand texts. A window holds hundreds of
/// distinct terms, all tested, so alpha is strict; min_ratio keeps large but unremarkable rises
/// (130 where 100 were expected) out.
struct KeywordSettings {
  int min_count = 3;       // texts in the current window that hold the term
  double alpha = 1e-4;     // upper bound on the Poisson upper-tail p-value
  double min_ratio = 3.0;  // observed / expected
  int max_terms = 5;       // the strongest bursts kept; <= 0 keeps none
  double prior = 0.5;      // pseudo count added to every term's baseline count
};

/// One term that burst. `expected` is already scaled to the current window's volume.
struct TermBurst {
  std::string term;
  int64_t observed = 0;
  double expected = 0;
  double ratio = 0;    // observed / expected
  double p_value = 1;  // P(X >= observed) for X ~ Poisson(expected)
};

/// The terms of `current` that burst against `baseline`, strongest first (smallest p-value, then
/// largest ratio, then largest count, then term), at most settings.max_terms of them.
/// - current: term -> texts of the current window holding it (AddTermCounts);
///   current_total: texts in the current window (including texts with no term).
/// - baseline: term -> texts holding it over all `baseline_windows` past windows of the same area
///   (e.g. the same weekday of past weeks, or the past 28 days, minus holidays and outage days);
///   baseline_total: texts in those windows.
/// expected = (baseline count + prior) * current_total / baseline volume, where the baseline
/// volume is baseline_total but at least one text per baseline window: an area whose history is
/// quiet still gets a finite, small expectation. With no baseline window (baseline_windows <= 0)
/// there is nothing to compare with and nothing bursts. Expected counts never go below 1e-6
/// (prior 0 would make a first occurrence infinitely surprising). Counts are per text: a caller
/// that can tell customers apart should count a customer once per window, so one customer calling
/// five times is not five texts. Pure and thread-safe.
std::vector<TermBurst> FindBursts(const std::map<std::string, int64_t>& current,
                                  const std::map<std::string, int64_t>& baseline,
                                  int baseline_windows, int64_t current_total,
                                  int64_t baseline_total, const KeywordSettings& settings);

/// A request to show as an example: the ticket and its text (unmasked on input; masked and
/// shortened in what PickExamples returns).
struct ExampleTicket {
  std::string ticket_id;
  std::string text;
};

/// How long an example's text may be, in code points.
inline constexpr size_t kExampleCodePoints = 60;

/// `text` as an example may show it: phone-like numbers (7+ digits: phones, account numbers)
/// masked by logging::RedactFreeText, invalid bytes as U+FFFD, runs of white space and control
/// characters as one space, trimmed, then cut to at most `max_code_points` code points on a
/// code-point boundary, the last being "…" when the text was cut. Masking comes before cutting,
/// so a cut never leaves an unmasked stub of a number. Pure and thread-safe.
std::string MaskedExcerpt(std::string_view text, size_t max_code_points = kExampleCodePoints);

/// Up to `max_examples` of `tickets` whose text holds `term` (as ExtractTerms reads it, so the
/// examples are tickets the burst counted), in the order given (pass the newest first to show the
/// latest), their text made a MaskedExcerpt. A ticket id already picked, or an excerpt equal to
/// one already picked (a customer repeating a message), is skipped, so the examples differ.
/// Pure and thread-safe.
std::vector<ExampleTicket> PickExamples(std::span<const ExampleTicket> tickets,
                                        std::string_view term, size_t max_examples = 3,
                                        size_t max_code_points = kExampleCodePoints);

}  // namespace gridcare::analytics
