#include "keyword_bursts.h"

#include <algorithm>
#include <utility>

#include "count_tests.h"
#include "gridcare/core/utf8.h"
#include "gridcare/logging/privacy.h"
#include "keyword_terms.h"

namespace gridcare::analytics {
namespace {

constexpr double kMinExpected = 1e-6;

bool Stronger(const TermBurst& a, const TermBurst& b) {
  if (a.p_value != b.p_value) return a.p_value < b.p_value;
  if (a.ratio != b.ratio) return a.ratio > b.ratio;
  if (a.observed != b.observed) return a.observed > b.observed;
  return a.term < b.term;
}

// White space and control characters, which an excerpt shows as one space.
bool IsBlank(char32_t c) {
  return c <= 0x20 || c == 0x7F || (c >= 0x80 && c <= 0xA0) || c == 0x3000 || c == 0x2028 ||
         c == 0x2029;
}

}  // namespace

std::vector<TermBurst> FindBursts(const std::map<std::string, int64_t>& current,
                                  const std::map<std::string, int64_t>& baseline,
                                  int baseline_windows, int64_t current_total,
                                  int64_t baseline_total, const KeywordSettings& settings) {
  std::vector<TermBurst> bursts;
  if (baseline_windows <= 0 || current_total <= 0 || settings.max_terms <= 0) return bursts;
  const double volume = static_cast<double>(std::max<int64_t>(baseline_total, baseline_windows));
  const double scale = static_cast<double>(current_total) / volume;
  for (const auto& [term, observed] : current) {
    if (observed <= 0 || observed < settings.min_count) continue;
    const auto past = baseline.find(term);
    const double past_count = past == baseline.end() ? 0.0 : static_cast<double>(past->second);
    const double expected = std::max(kMinExpected, (past_count + settings.prior) * scale);
    const double ratio = static_cast<double>(observed) / expected;
    if (ratio < settings.min_ratio) continue;
    const double p_value = PoissonUpperTail(observed, expected);
    if (p_value > settings.alpha) continue;
    bursts.push_back({term, observed, expected, ratio, p_value});
  }
  std::sort(bursts.begin(), bursts.end(), Stronger);
  if (bursts.size() > static_cast<size_t>(settings.max_terms)) bursts.resize(settings.max_terms);
  return bursts;
}

std::string MaskedExcerpt(std::string_view text, size_t max_code_points) {
  const std::u32string masked = core::DecodeUtf8(logging::RedactFreeText(text));
  std::u32string out;
  out.reserve(masked.size());
  for (const char32_t c : masked) {
    if (!IsBlank(c)) {
      out.push_back(c);
    } else if (!out.empty() && out.back() != U' ') {
      out.push_back(U' ');
    }
  }
  if (!out.empty() && out.back() == U' ') out.pop_back();
  if (out.size() > max_code_points) {
    if (max_code_points == 0) return {};
    out.resize(max_code_points - 1);
    if (!out.empty() && out.back() == U' ') out.pop_back();
    out.push_back(U'…');
  }
  return core::EncodeUtf8(out);
}

std::vector<ExampleTicket> PickExamples(std::span<const ExampleTicket> tickets,
                                        std::string_view term, size_t max_examples,
                                        size_t max_code_points) {
  std::vector<ExampleTicket> examples;
  const std::string wanted(term);
  for (const ExampleTicket& ticket : tickets) {
    if (examples.size() >= max_examples) break;
    const auto same_id = [&ticket](const ExampleTicket& e) {
      return e.ticket_id == ticket.ticket_id;
    };
    if (std::any_of(examples.begin(), examples.end(), same_id)) continue;
    const std::vector<std::string> terms = ExtractTerms(ticket.text);
    if (!std::binary_search(terms.begin(), terms.end(), wanted)) continue;
    std::string excerpt = MaskedExcerpt(ticket.text, max_code_points);
    const auto same_text = [&excerpt](const ExampleTicket& e) { return e.text == excerpt; };
    if (std::any_of(examples.begin(), examples.end(), same_text)) continue;
    examples.push_back({ticket.ticket_id, std::move(excerpt)});
  }
  return examples;
}

}  // namespace gridcare::analytics
