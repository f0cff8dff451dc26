// Evaluation of the intake classifier on a labelled set: loading the TSV and computing the figures.
// Header-only; shared by gridcare-classifier-eval and the labelled-set unit test.
//
// The TSV (tests/data/intake/labelled_utterances.tsv) has a header line and the columns
//   text  language(zh|en)  expected_type  expected_application_kind  split  note
// Splits: "dev" — rules are tuned on these; "heldout" — written together with dev (before the
// rules) but never tuned on; "blind" — written after the rules were frozen, never tuned on (the
// most honest estimate: nobody's vocabulary choices leaked from these into the rules).
// with enum names as in proto/gridcare/v1/common.proto (REQUEST_TYPE_...,
// SERVICE_APPLICATION_KIND_...).
//
// Scoring: an utterance the classifier flags for agent review is neither right nor wrong; it is
// counted in `reviewed`. Precision, recall and F1 are over the utterances it decided on its own.
#pragma once

#include <algorithm>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "classifier.h"
#include "gridcare/core/error.h"
#include "gridcare/v1/common.pb.h"
#include "gridcare/v1/intake.pb.h"

namespace gridcare::intake::eval {

struct Example {
  int line = 0;
  std::string text;
  v1::Language language = v1::LANGUAGE_UNSPECIFIED;
  v1::RequestType type = v1::REQUEST_TYPE_UNSPECIFIED;
  v1::ServiceApplicationKind kind = v1::SERVICE_APPLICATION_KIND_UNSPECIFIED;
  std::string split;  // "dev", "heldout" or "blind"
  std::string note;
};

inline std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (true) {
    const size_t tab = line.find('\t', start);
    fields.push_back(
        line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) return fields;
    start = tab + 1;
  }
}

/// Reads the labelled set; INVALID_ARGUMENT naming the line of the first malformed row.
inline core::Result<std::vector<Example>> LoadLabelled(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::NotFound("cannot read " + path);
  std::vector<Example> examples;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (number == 1 || line.empty()) continue;  // header
    const auto f = SplitTabs(line);
    const std::string where = path + ":" + std::to_string(number) + ": ";
    if (f.size() != 6) return core::InvalidArgument(where + "expected 6 tab-separated columns");
    Example ex;
    ex.line = number;
    ex.text = f[0];
    if (f[1] == "zh")
      ex.language = v1::LANGUAGE_ZH_CN;
    else if (f[1] == "en")
      ex.language = v1::LANGUAGE_EN;
    else
      return core::InvalidArgument(where + "language must be zh or en");
    if (!v1::RequestType_Parse(f[2], &ex.type))
      return core::InvalidArgument(where + "unknown type " + f[2]);
    if (!f[3].empty() && !v1::ServiceApplicationKind_Parse(f[3], &ex.kind)) {
      return core::InvalidArgument(where + "unknown application kind " + f[3]);
    }
    if (!f[3].empty() && ex.type != v1::REQUEST_TYPE_SERVICE_APPLICATION) {
      return core::InvalidArgument(
          where + "application kind given for a type other than SERVICE_APPLICATION");
    }
    if (f[4] != "dev" && f[4] != "heldout" && f[4] != "blind") {
      return core::InvalidArgument(where + "split must be dev, heldout or blind");
    }
    ex.split = f[4];
    ex.note = f[5];
    examples.push_back(std::move(ex));
  }
  return examples;
}

struct TypeStats {
  int support = 0;   // gold utterances of the type
  int reviewed = 0;  // of those, flagged for agent review
  int tp = 0, fp = 0, fn = 0;
  double precision() const { return tp + fp == 0 ? 0.0 : double(tp) / (tp + fp); }
  double recall() const { return tp + fn == 0 ? 0.0 : double(tp) / (tp + fn); }
  double f1() const {
    const double p = precision(), r = recall();
    return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
  }
};

struct Outcome {
  const Example* example = nullptr;
  v1::Classification classification;
  bool type_right() const { return classification.type() == example->type; }
  bool fully_right() const {
    return type_right() && (example->type != v1::REQUEST_TYPE_SERVICE_APPLICATION ||
                            example->kind == v1::SERVICE_APPLICATION_KIND_UNSPECIFIED ||
                            classification.application_kind() == example->kind);
  }
};

struct Report {
  int total = 0;
  int reviewed = 0;
  int decided = 0;
  int correct = 0;        // decided and type right
  int guess_correct = 0;  // type right, flagged or not (what the classifier would have said)
  int kind_decided = 0;   // decided service applications with a labelled kind and the right type
  int kind_correct = 0;
  std::map<std::string, std::pair<int, int>> by_language;  // "zh"/"en" → (correct, decided)
  std::map<v1::RequestType, TypeStats> per_type;           // gold types plus predicted ones
  std::map<std::pair<std::string, std::string>, int> confusions;  // decided wrong: gold → predicted
  std::map<std::pair<std::string, std::string>, int> flagged;     // flagged: gold → top guess
  std::vector<Outcome> outcomes;

  double accuracy() const { return decided == 0 ? 0.0 : double(correct) / decided; }
  double review_rate() const { return total == 0 ? 0.0 : double(reviewed) / total; }
  double automatic_accuracy() const { return total == 0 ? 0.0 : double(correct) / total; }
  double guess_accuracy() const { return total == 0 ? 0.0 : double(guess_correct) / total; }
  double kind_accuracy() const {
    return kind_decided == 0 ? 0.0 : double(kind_correct) / kind_decided;
  }
  /// Mean F1 over the request types that have gold utterances (UNSPECIFIED noise excluded).
  double macro_f1() const {
    double sum = 0;
    int n = 0;
    for (const auto& [type, stats] : per_type) {
      if (type == v1::REQUEST_TYPE_UNSPECIFIED || stats.support == 0) continue;
      sum += stats.f1();
      ++n;
    }
    return n == 0 ? 0.0 : sum / n;
  }
};

inline std::string ShortType(v1::RequestType type) {
  const std::string& name = v1::RequestType_Name(type);
  return name.rfind("REQUEST_TYPE_", 0) == 0 ? name.substr(13) : name;
}

inline std::string ShortKind(v1::ServiceApplicationKind kind) {
  const std::string& name = v1::ServiceApplicationKind_Name(kind);
  return name.rfind("SERVICE_APPLICATION_KIND_", 0) == 0 ? name.substr(25) : name;
}

inline std::string Label(v1::RequestType type, v1::ServiceApplicationKind kind) {
  std::string label = ShortType(type);
  if (type == v1::REQUEST_TYPE_SERVICE_APPLICATION) label += "/" + ShortKind(kind);
  return label;
}

/// Classifies every example whose split is one of `splits` (comma-separated, "" = all), e.g.
/// "heldout,blind", and scores the answers.
inline Report Evaluate(const Classifier& classifier, const std::vector<Example>& examples,
                       const std::string& splits) {
  Report report;
  const std::string wanted = "," + splits + ",";
  for (const auto& ex : examples) {
    if (!splits.empty() && wanted.find("," + ex.split + ",") == std::string::npos) continue;
    Outcome outcome{&ex, classifier.Classify(ex.text, ex.language)};
    const auto& c = outcome.classification;
    ++report.total;
    auto& gold = report.per_type[ex.type];
    ++gold.support;
    if (outcome.type_right()) ++report.guess_correct;
    const std::string lang = ex.language == v1::LANGUAGE_EN ? "en" : "zh";
    if (c.needs_agent_review()) {
      ++report.reviewed;
      ++gold.reviewed;
      ++report.flagged[{Label(ex.type, ex.kind), Label(c.type(), c.application_kind())}];
    } else {
      ++report.decided;
      ++report.by_language[lang].second;
      if (outcome.type_right()) {
        ++report.correct;
        ++report.by_language[lang].first;
        ++gold.tp;
        if (ex.type == v1::REQUEST_TYPE_SERVICE_APPLICATION &&
            ex.kind != v1::SERVICE_APPLICATION_KIND_UNSPECIFIED) {
          ++report.kind_decided;
          if (c.application_kind() == ex.kind)
            ++report.kind_correct;
          else
            ++report.confusions[{Label(ex.type, ex.kind), Label(c.type(), c.application_kind())}];
        }
      } else {
        ++gold.fn;
        ++report.per_type[c.type()].fp;
        ++report.confusions[{Label(ex.type, ex.kind), Label(c.type(), c.application_kind())}];
      }
    }
    report.outcomes.push_back(std::move(outcome));
  }
  return report;
}

}  // namespace gridcare::intake::eval
