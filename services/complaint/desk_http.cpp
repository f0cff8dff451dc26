#include "desk_http.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <string_view>

#include "gridcare/logging/privacy.h"

namespace gridcare::complaint {
namespace {

using web::HttpReply;
using web::HttpRequest;
using Json = nlohmann::json;

/// Echoes of request values in error messages are cut to this many bytes.
constexpr std::size_t kEchoMax = 80;

std::string Echo(std::string_view value) {
  if (value.size() <= kEchoMax) return std::string(value);
  return std::string(value.substr(0, kEchoMax)) + "…";
}

core::Result<bool> BoolParam(const HttpRequest& request, std::string_view name) {
  const std::string value = request.Query(name);
  if (value.empty() || value == "false" || value == "0") return false;
  if (value == "true" || value == "1") return true;
  return core::InvalidArgument(std::string(name) + " must be true or false, got '" + Echo(value) +
                               "'");
}

/// "routed", "ROUTED" or "CASE_STATE_ROUTED".
core::Result<v1::CaseState> StateParam(std::string_view text) {
  constexpr std::string_view kPrefix = "CASE_STATE_";
  std::string name(text);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  if (!name.starts_with(kPrefix)) name = std::string(kPrefix) + name;
  v1::CaseState state = v1::CASE_STATE_UNSPECIFIED;
  if (v1::CaseState_Parse(name, &state) && state != v1::CASE_STATE_UNSPECIFIED) return state;
  std::string known;
  const auto* type = v1::CaseState_descriptor();
  for (int i = 0; i < type->value_count(); ++i) {
    if (type->value(i)->number() == v1::CASE_STATE_UNSPECIFIED) continue;
    std::string value = type->value(i)->name().substr(kPrefix.size());
    std::transform(value.begin(), value.end(), value.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    known += (known.empty() ? "" : ", ") + value;
  }
  return core::InvalidArgument("state: '" + Echo(text) + "' is not a case state (known: " + known +
                               ")");
}

HttpReply CaseReply(core::Result<v1::ComplaintCase> result) {
  if (!result) return HttpReply::Error(result.error());
  return HttpReply::Json(ForDesk(std::move(*result)));
}

/// Parses the body as `Request`, puts the path's case id where the message keeps it (or refuses
/// a different one), and applies it.
template <typename Request, typename CaseIdOf, typename Apply>
HttpReply RunAction(const HttpRequest& http, const std::string& case_id, std::string_view field,
                    CaseIdOf case_id_of, Apply apply) {
  Request request;
  if (auto parsed = http.ParseBody(&request); !parsed) return HttpReply::Error(parsed.error());
  std::string* id = case_id_of(request);
  if (id->empty()) {
    *id = case_id;
  } else if (*id != case_id) {
    return HttpReply::Error(core::InvalidArgument(std::string(field) + ": '" + Echo(*id) +
                                                  "' is not the case in the path ('" + case_id +
                                                  "')"));
  }
  return CaseReply(apply(request));
}

using Method = HttpReply (*)(const DeskActions&, const HttpRequest&, const std::string&);

/// An action whose request keeps the case id in `case_id`.
template <typename Request,
          core::Result<v1::ComplaintCase> (DeskActions::*kApply)(const Request&) const>
HttpReply Plain(const DeskActions& actions, const HttpRequest& http, const std::string& id) {
  return RunAction<Request>(
      http, id, "case_id", [](Request& r) { return r.mutable_case_id(); },
      [&](const Request& r) { return (actions.*kApply)(r); });
}

HttpReply Contact(const DeskActions& actions, const HttpRequest& http, const std::string& id) {
  using Request = v1::RecordContactRequest;
  return RunAction<Request>(
      http, id, "contact.case_id",
      [](Request& r) { return r.mutable_contact()->mutable_case_id(); },
      [&](const Request& r) { return actions.Contact(r); });
}

HttpReply Reply(const DeskActions& actions, const HttpRequest& http, const std::string& id) {
  using Request = v1::RecordReplyRequest;
  return RunAction<Request>(
      http, id, "reply.case_id", [](Request& r) { return r.mutable_reply()->mutable_case_id(); },
      [&](const Request& r) { return actions.Reply(r); });
}

HttpReply ReturnVisit(const DeskActions& actions, const HttpRequest& http, const std::string& id) {
  using Request = v1::RecordReturnVisitRequest;
  return RunAction<Request>(
      http, id, "visit.case_id", [](Request& r) { return r.mutable_visit()->mutable_case_id(); },
      [&](const Request& r) { return actions.ReturnVisit(r); });
}

struct ActionRoute {
  std::string_view name;
  Method run;
};

/// The page's action names (URL segments) and the ComplaintService call each mirrors.
constexpr ActionRoute kActions[] = {
    {"take", &Plain<v1::TakeCaseRequest, &DeskActions::Take>},
    {"assign", &Plain<v1::AssignCaseRequest, &DeskActions::Assign>},
    {"contact-attempt", &Plain<v1::RecordContactAttemptRequest, &DeskActions::ContactAttempt>},
    {"contact", &Contact},
    {"pause", &Plain<v1::PauseCaseRequest, &DeskActions::Pause>},
    {"resume", &Plain<v1::ResumeCaseRequest, &DeskActions::Resume>},
    {"reply", &Reply},
    {"return", &Plain<v1::ReturnCaseRequest, &DeskActions::Return>},
    {"coordinate", &Plain<v1::RequestCoordinationRequest, &DeskActions::RequestCoordination>},
    {"answer-part", &Plain<v1::AnswerCoordinationRequest, &DeskActions::AnswerCoordination>},
    {"escalate", &Plain<v1::EscalateCaseRequest, &DeskActions::Escalate>},
    {"return-visit", &ReturnVisit},
    {"reopen", &Plain<v1::ReopenCaseRequest, &DeskActions::Reopen>},
};

Json Localized(const v1::LocalizedText& text) {
  return {{"zh_cn", text.zh_cn()}, {"en", text.en()}};
}

}  // namespace

v1::ComplaintCase ForDesk(v1::ComplaintCase c) {
  c.clear_customer_id();
  if (!c.text().empty()) c.set_text(logging::RedactFreeText(c.text()));
  return c;
}

core::Result<v1::ListCasesRequest> ListQuery(const HttpRequest& request,
                                             const DepartmentDirectory& directory) {
  v1::ListCasesRequest query;
  const std::string department = request.Query("department");
  if (!department.empty() && directory.FindDepartment(department) == nullptr) {
    return core::InvalidArgument("department: no department '" + Echo(department) +
                                 "' in the directory");
  }
  query.set_department_id(department);
  for (const auto& text : request.QueryList("state")) {
    auto state = StateParam(text);
    if (!state) return state.error();
    query.add_states(*state);
  }
  auto overdue = BoolParam(request, "overdue_only");
  if (!overdue) return overdue.error();
  query.set_overdue_only(*overdue);
  auto closed = BoolParam(request, "include_closed");
  if (!closed) return closed.error();
  query.set_include_closed(*closed);
  query.set_handler_id(request.Query("handler"));
  if (const std::string size = request.Query("page_size"); !size.empty()) {
    if (size.size() > 6 || !std::all_of(size.begin(), size.end(),
                                        [](unsigned char ch) { return std::isdigit(ch) != 0; })) {
      return core::InvalidArgument("page_size must be a number 1..500, got '" + Echo(size) + "'");
    }
    query.set_page_size(std::stoi(size));
  }
  query.set_page_token(request.Query("page_token"));
  return query;
}

DeskHttpServer::DeskHttpServer(CaseDesk& desk, IncidentIndex& incidents, const CaseRules& rules,
                               const DepartmentDirectory& directory, const ComplaintPolicy& policy,
                               web::AssetLookup assets)
    : desk_(desk),
      incidents_(incidents),
      actions_(desk, rules),
      directory_(directory),
      policy_(policy),
      server_({.name = "department desk"}, std::move(assets)) {
  Routes();
}

void DeskHttpServer::Routes() {
  server_.Get("/api/now", [this](const HttpRequest&) {
    return HttpReply::JsonText("{\"now\":\"" + core::FormatRfc3339(desk_.clock().Now()) + "\"}\n");
  });
  server_.Get("/api/cases", [this](const HttpRequest& request) {
    auto query = ListQuery(request, directory_);
    if (!query) return HttpReply::Error(query.error());
    auto page = desk_.List(*query);
    if (!page) return HttpReply::Error(page.error());
    for (auto& c : *page->mutable_cases()) c = ForDesk(std::move(c));
    return HttpReply::Json(*page);
  });
  server_.Get(R"(/api/cases/([^/]+))", [this](const HttpRequest& request) {
    return CaseReply(desk_.Get(request.path_params.at(0)));
  });
  server_.Post(R"(/api/cases/([^/]+)/([^/]+))",
               [this](const HttpRequest& request) { return Act(request); });
  server_.Get("/api/directory", [this](const HttpRequest&) { return Directory(); });
  server_.Get("/api/causes", [this](const HttpRequest&) { return Causes(); });
  server_.Get(R"(/api/incidents/([^/]+))", [this](const HttpRequest& request) {
    auto context = LookUpIncidentContext(incidents_, request.path_params.at(0));
    return context ? HttpReply::Json(*context) : HttpReply::Error(context.error());
  });
}

HttpReply DeskHttpServer::Act(const HttpRequest& request) const {
  const std::string& case_id = request.path_params.at(0);
  const std::string& action = request.path_params.at(1);
  for (const ActionRoute& route : kActions) {
    if (route.name == action) return route.run(actions_, request, case_id);
  }
  std::string known;
  for (const ActionRoute& route : kActions) {
    known += (known.empty() ? "" : ", ") + std::string(route.name);
  }
  return HttpReply::Error(
      core::NotFound("no desk action '" + Echo(action) + "' (known: " + known + ")"));
}

HttpReply DeskHttpServer::Directory() const {
  Json departments = Json::array();
  Json handlers = Json::array();
  for (const auto& department : directory_.departments()) {
    Json units = Json::array();
    for (const auto& unit : department.units) {
      units.push_back({{"id", unit.id}, {"name", Localized(unit.name)}});
    }
    departments.push_back({{"id", department.id},
                           {"name", Localized(department.name)},
                           {"kind", v1::Department_Name(department.kind)},
                           {"head_handler_id", department.head_handler_id},
                           {"units", std::move(units)}});
    for (const Handler* handler : directory_.HandlersOf(department.id)) {
      handlers.push_back({{"id", handler->id},
                          {"name", handler->name},
                          {"department_id", handler->department_id},
                          {"unit_id", handler->unit_id},
                          {"senior", handler->senior},
                          {"supervisor", handler->supervisor}});
    }
  }
  const Json body = {{"departments", std::move(departments)},
                     {"handlers", std::move(handlers)},
                     {"pool_department_id", directory_.pool_department_id()},
                     {"coordinator_id", directory_.coordinator_id()}};
  return HttpReply::JsonText(body.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n");
}

HttpReply DeskHttpServer::Causes() const {
  Json causes = Json::array();
  for (const auto& cause : policy_.causes) {
    causes.push_back({{"code", cause.code}, {"label", Localized(cause.label)}});
  }
  const Json body = {{"causes", std::move(causes)}};
  return HttpReply::JsonText(body.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n");
}

}  // namespace gridcare::complaint
