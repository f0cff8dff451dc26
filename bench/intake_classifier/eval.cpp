// gridcare-classifier-eval: how well the intake classifier's rules do on the labelled utterances.
//
// For the dev split (the one rules are tuned on) and the held-out split (looked at only to report)
// it prints per request type: support, flagged for agent review, precision / recall / F1 over the
// utterances the classifier decided alone; then accuracy, agent-review rate, accuracy by language,
// application-kind accuracy and the confusion pairs. A flagged utterance is neither right nor
// wrong: it goes to an agent, and is counted as such.
//
//   build-cls/bin/gridcare-classifier-eval                 # both splits, default files
//   build-cls/bin/gridcare-classifier-eval --show dev      # also list dev misses and flags
//   build-cls/bin/gridcare-classifier-eval --markdown      # tables for docs/
//
// Exit status: 0 after printing, 2 when the rules or the labelled set cannot be loaded.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <string>

#include "classifier.h"
#include "evaluation.h"

namespace gridcare::intake::eval {
namespace {

const char* SplitTitle(const std::string& split) {
  if (split == "dev") return "dev (rules tuned on these)";
  if (split == "heldout") return "held-out (written with dev, before the rules; never tuned on)";
  if (split == "blind") return "blind (written after the rules were frozen; never tuned on)";
  if (split == "heldout,blind") return "held-out + blind";
  return "all";
}

void PrintReport(const Report& r, const std::string& split, bool markdown) {
  std::printf("\n%s %s — %d utterances\n\n", markdown ? "####" : "==", SplitTitle(split), r.total);
  if (markdown) {
    std::printf("| type | support | agent review | P | R | F1 |\n|---|---:|---:|---:|---:|---:|\n");
  } else {
    std::printf("%-22s %7s %7s %7s %7s %7s\n", "type", "support", "review", "P", "R", "F1");
  }
  for (const auto& [type, s] : r.per_type) {
    if (s.support == 0 && s.fp == 0) continue;
    const std::string name =
        ShortType(type) + (type == v1::REQUEST_TYPE_UNSPECIFIED ? " (noise)" : "");
    if (markdown) {
      std::printf("| %s | %d | %d | %.2f | %.2f | %.2f |\n", name.c_str(), s.support, s.reviewed,
                  s.precision(), s.recall(), s.f1());
    } else {
      std::printf("%-22s %7d %7d %7.2f %7.2f %7.2f\n", name.c_str(), s.support, s.reviewed,
                  s.precision(), s.recall(), s.f1());
    }
  }
  const char* bullet = markdown ? "- " : "";
  std::printf("\n%smacro-F1 (decided, types with support): %.3f\n", bullet, r.macro_f1());
  std::printf("%saccuracy on decided: %.3f (%d/%d)\n", bullet, r.accuracy(), r.correct, r.decided);
  std::printf("%sagent-review rate: %.3f (%d/%d)\n", bullet, r.review_rate(), r.reviewed, r.total);
  std::printf("%sautomatically right (right and not flagged) / all: %.3f\n", bullet,
              r.automatic_accuracy());
  std::printf("%stop guess right, flagged or not: %.3f (%d/%d)\n", bullet, r.guess_accuracy(),
              r.guess_correct, r.total);
  for (const auto& [lang, counts] : r.by_language) {
    std::printf("%saccuracy on decided, %s: %.3f (%d/%d)\n", bullet, lang.c_str(),
                counts.second == 0 ? 0.0 : double(counts.first) / counts.second, counts.first,
                counts.second);
  }
  std::printf("%sapplication kind right (decided service applications): %.3f (%d/%d)\n", bullet,
              r.kind_accuracy(), r.kind_correct, r.kind_decided);
  std::printf("\n%sconfusions (decided, gold → predicted):%s\n", markdown ? "" : "",
              r.confusions.empty() ? " none" : "");
  for (const auto& [pair, n] : r.confusions) {
    std::printf("%s%s → %s: %d\n", markdown ? "- " : "  ", pair.first.c_str(), pair.second.c_str(),
                n);
  }
  std::printf("\nflagged for agent review (gold → classifier's guess):%s\n",
              r.flagged.empty() ? " none" : "");
  for (const auto& [pair, n] : r.flagged) {
    std::printf("%s%s → %s: %d\n", markdown ? "- " : "  ", pair.first.c_str(), pair.second.c_str(),
                n);
  }
}

void PrintCases(const Report& r, bool include_right) {
  std::printf("\n-- cases --\n");
  for (const auto& o : r.outcomes) {
    const auto& c = o.classification;
    const bool flagged = c.needs_agent_review();
    if (!include_right && !flagged && o.fully_right()) continue;
    const char* verdict = flagged ? "FLAG" : (o.fully_right() ? "ok  " : "MISS");
    std::string rules;
    for (const auto& id : c.matched_rules()) rules += (rules.empty() ? "" : ",") + id;
    std::printf("%s line %d [%s] gold=%s got=%s conf=%.2f rules=%s\n     %s\n", verdict,
                o.example->line, o.example->language == v1::LANGUAGE_EN ? "en" : "zh",
                Label(o.example->type, o.example->kind).c_str(),
                Label(c.type(), c.application_kind()).c_str(), c.confidence(), rules.c_str(),
                o.example->text.c_str());
  }
}

int Run(int argc, char** argv) {
  CLI::App app{"Evaluates the intake classifier's rules on the labelled utterances"};
  std::string rules_path =
      std::string(GRIDCARE_SOURCE_DIR) + "/services/intake/config/classifier.json";
  std::string data_path =
      std::string(GRIDCARE_SOURCE_DIR) + "/tests/data/intake/labelled_utterances.tsv";
  ClassifierSettings settings;
  std::string show;
  bool show_all = false;
  bool markdown = false;
  app.add_option("--rules", rules_path, "classifier rules (JSON)")->capture_default_str();
  app.add_option("--data", data_path, "labelled utterances (TSV)")->capture_default_str();
  app.add_option("--min-confidence", settings.min_confidence, "below → agent review")
      ->capture_default_str();
  app.add_option("--min-margin", settings.min_margin, "below → agent review")
      ->capture_default_str();
  app.add_option("--show", show,
                 "list the misses and flags of this split (dev, heldout, blind, all)")
      ->check(CLI::IsMember({"dev", "heldout", "blind", "all"}));
  app.add_flag("--show-right", show_all, "with --show, list the right answers too");
  app.add_flag("--markdown", markdown, "print the tables as Markdown");
  CLI11_PARSE(app, argc, argv);

  auto classifier = Classifier::FromFile(rules_path, settings);
  if (!classifier.ok()) {
    std::cerr << classifier.error().ToString() << "\n";
    return 2;
  }
  auto examples = LoadLabelled(data_path);
  if (!examples.ok()) {
    std::cerr << examples.error().ToString() << "\n";
    return 2;
  }
  std::printf(
      "rules: %s (%zu rules)\nlabelled set: %s (%zu utterances)\n"
      "thresholds: min_confidence %.2f, min_margin %.2f\n",
      rules_path.c_str(), classifier->rule_count(), data_path.c_str(), examples->size(),
      settings.min_confidence, settings.min_margin);
  const bool has_heldout = Evaluate(*classifier, *examples, "heldout").total > 0;
  const bool has_blind = Evaluate(*classifier, *examples, "blind").total > 0;
  for (const std::string split : {"dev", "heldout", "blind", "heldout,blind"}) {
    if (split == "heldout,blind" && !(has_heldout && has_blind)) continue;
    const Report report = Evaluate(*classifier, *examples, split);
    if (report.total == 0) continue;
    PrintReport(report, split, markdown);
    if (show == split || (show == "all" && split.find(',') == std::string::npos))
      PrintCases(report, show_all);
  }
  return 0;
}

}  // namespace
}  // namespace gridcare::intake::eval

int main(int argc, char** argv) { return gridcare::intake::eval::Run(argc, argv); }
