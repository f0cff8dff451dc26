#pragma once

// Routing a new case to its owning department and unit (config/routing-rules.json): the first rule
// that matches wins; the unit comes from the rule or from the customer's district through the
// directory; what no rule routes goes to the pool (the service-dispatch centre). Nothing is ever
// unowned. Pure.

#include <string>
#include <string_view>
#include <vector>

#include "department_directory.h"
#include "gridcare/core/error.h"
#include "gridcare/v1/common.pb.h"

namespace gridcare::complaint {

/// What routing looks at.
struct RoutingFacts {
  v1::RequestType type = v1::REQUEST_TYPE_UNSPECIFIED;
  std::string category;  ///< intake's classification category, e.g. "billing"
  std::string text;      ///< the customer's words (folded for matching)
  std::string district;  ///< the customer's district, "" when unknown
  std::vector<v1::CustomerTag> tags;
  std::string incident_id;  ///< linked incident, "" when none
};

struct Route {
  std::string department_id;
  std::string unit_id;  ///< "" when the department has no unit for the district
  std::string rule;     ///< the rule's id, or "pool"
  std::string reason;   ///< operator-facing, e.g. "rule billing-keywords: keyword 电费"
};

struct RoutingRule {
  std::string id;
  std::vector<v1::RequestType> types;   ///< empty: any
  std::vector<std::string> categories;  ///< empty: any
  std::vector<std::string> keywords;    ///< empty: any; else one must occur in the text
  std::vector<std::string> districts;   ///< empty: any
  std::vector<v1::CustomerTag> tags;    ///< empty: any; else the customer has one of them
  bool requires_incident = false;       ///< only cases linked to an incident
  std::string department_id;
  std::string unit_id;  ///< "": the department's unit for the district
};

class CaseRouter {
 public:
  /// Keys: rules [{id, types ["complaint", …], categories, keywords, districts, tags
  /// ["sensitive", …], requires_incident, department, unit}], note. Department and unit ids are
  /// checked against `directory`; keywords are folded as the text is (traditional → simplified,
  /// full-width → ASCII, case); a keyword with a non-ASCII (Chinese) character occurs anywhere
  /// (whitespace in the text ignored: "电 费" is "电费"), an ASCII one at the start of a word
  /// ("meter" meets "meters", not "kilometer"). Errors name the rule. The router keeps a pointer to
  /// `directory`, which must outlive it.
  static core::Result<CaseRouter> FromJson(std::string_view json,
                                           const DepartmentDirectory& directory);

  /// The first matching rule's route, else the pool department (rule "pool").
  Route RouteCase(const RoutingFacts& facts) const;

  const std::vector<RoutingRule>& rules() const { return rules_; }

 private:
  CaseRouter(std::vector<RoutingRule> rules, const DepartmentDirectory& directory);
  std::vector<RoutingRule> rules_;
  const DepartmentDirectory* directory_;
};

}  // namespace gridcare::complaint
