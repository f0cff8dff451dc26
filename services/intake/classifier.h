#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "gridcare/core/error.h"
#include "gridcare/v1/common.pb.h"
#include "gridcare/v1/intake.pb.h"

namespace gridcare::intake {

/// Thresholds below which a classification goes to an agent (needs_agent_review = true).
struct ClassifierSettings {
  double min_confidence = 0.5;  // the winner's confidence (0..1) must reach this
  double min_margin = 0.15;     // the winner's share of the evidence minus the runner-up's
};

/// Rule-based, explainable classifier of free text into the 95598 request types (and the kind of
/// a service application). Rules live in JSON (services/intake/config/classifier.json); the format,
/// the scoring and how to add a rule are in docs/services/intake-classifier.md.
///
/// In short: each rule that matches adds its weight to its type; explicit-intent rules (priority
/// > 0, e.g. "我要投诉", "举报", urging with a reference to an existing request) discount the
/// evidence of types with lower priority (override_damping); the type with the most evidence wins;
/// confidence = share of the evidence × (1 − e^(−evidence / evidence_scale)).
class Classifier {
 public:
  /// Rules from JSON (services/intake/config/classifier.json); INVALID_ARGUMENT naming the bad
  /// rule.
  static core::Result<Classifier> FromJson(std::string_view json, ClassifierSettings settings = {});
  /// Rules from a file: NOT_FOUND when it cannot be read, otherwise as FromJson.
  static core::Result<Classifier> FromFile(const std::string& path,
                                           ClassifierSettings settings = {});

  /// Classifies free text into the 95598 types (and application kind for service applications).
  /// Fills type, application_kind, confidence (0..1), needs_agent_review, matched_rules (rule ids,
  /// so an agent sees why; the winning type's rules first), category (the "category" of the
  /// winning type's first matched rule that names one). Empty or unrecognisable text →
  /// REQUEST_TYPE_UNSPECIFIED with needs_agent_review = true. Thread-safe (const).
  ///
  /// `language` selects the rule set (zh / en); LANGUAGE_UNSPECIFIED, or text in the other script
  /// (Chinese characters sent as English or the reverse), also activates the rules of the script
  /// the text is written in. Only the first 4,096 code points are read; invalid UTF-8 bytes are
  /// skipped.
  v1::Classification Classify(std::string_view text, v1::Language language) const;

  /// Number of rules loaded.
  size_t rule_count() const;
  const ClassifierSettings& settings() const { return settings_; }

  struct Model;  // the compiled rules (classifier.cpp)

 private:
  Classifier(std::shared_ptr<const Model> model, ClassifierSettings settings)
      : model_(std::move(model)), settings_(settings) {}

  std::shared_ptr<const Model> model_;  // immutable after loading; shared by copies
  ClassifierSettings settings_;
};

/// The text as Chinese rules see it: folded as core::FoldForMatching (gridcare/core/text_folding.h)
/// does — full-width forms → half-width (Ａ→a, １→1, U+3000 → space), ASCII lower-cased, common
/// traditional characters simplified —, then spaces, punctuation and symbols removed; letters,
/// digits and CJK kept. Invalid UTF-8 bytes are dropped. E.g. "停　电 了！！ＡＢＣ" → "停电了abc".
std::string NormalizeForMatching(std::string_view text);

}  // namespace gridcare::intake
