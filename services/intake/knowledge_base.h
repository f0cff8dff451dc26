#pragma once

// The consultation knowledge base (flow 3: first-contact resolution) and the document lists that
// tell an applicant what to bring (flow 4), loaded from services/intake/config/knowledge_base.json.
// Format, matching formula and measured accuracy: docs/services/intake-knowledge-base.md.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/v1/common.pb.h"
#include "gridcare/v1/profile.pb.h"

namespace gridcare::intake {

struct KnowledgeAnswer {
  std::string article_id;
  v1::LocalizedText answer;  // both zh_cn and en always filled
  double confidence = 0;     // 0..1
};

struct KnowledgeBaseSettings {
  double min_confidence = 0.6;
};

/// Immutable once loaded; copies share the loaded data. Every method is const and thread-safe.
class KnowledgeBase {
 public:
  /// JSON: articles (id, questions in zh and en — several phrasings each —, keywords, answer zh/en)
  /// and required_documents per application kind (and account type where they differ).
  /// INVALID_ARGUMENT naming the bad entry (missing en or zh answer, duplicate id, unknown
  /// application kind name...).
  static core::Result<KnowledgeBase> FromJson(std::string_view json,
                                              KnowledgeBaseSettings settings = {});
  /// As FromJson, from a file; NOT_FOUND when it cannot be read, errors prefixed with the path.
  static core::Result<KnowledgeBase> FromFile(const std::string& path,
                                              KnowledgeBaseSettings settings = {});

  /// The best article for a customer's question when confident enough (first-contact resolution);
  /// nullopt otherwise. Thread-safe. Never answers a fault report or a complaint ("我家停电了", "my
  /// power is out", "我要投诉…"): those are tickets, not consultations. The question is matched
  /// against the phrasings of both languages; `language` does not restrict matching (customers
  /// often write in the other language).
  std::optional<KnowledgeAnswer> Answer(std::string_view question, v1::Language language) const;

  /// What the customer must bring for this application so one trip suffices (zh and en). Empty when
  /// none configured. The list configured for (kind, account type) when there is one, else the
  /// kind's default list.
  std::vector<v1::LocalizedText> RequiredDocuments(v1::ServiceApplicationKind kind,
                                                   v1::AccountType account_type) const;

  size_t article_count() const;

 private:
  struct Data;
  explicit KnowledgeBase(std::shared_ptr<const Data> data);
  std::shared_ptr<const Data> data_;
};

}  // namespace gridcare::intake
