#pragma once

// The department desk on the web: the page (services/complaint/desk/, compiled into the binary)
// and a JSON API mirroring ComplaintService, on a web::JsonHttpServer. The page and its API are
// described in services/complaint/desk/README.md.
//
//   GET  /api/now                      {"now": RFC 3339} — the case clocks' time (a sped-up clock
//                                      in demonstrations), so the page counts down from it
//   GET  /api/cases?department=&state=&overdue_only=&handler=&include_closed=&page_size=
//                  &page_token=        ListCasesResponse, ordered by the clock that runs out first
//   GET  /api/cases/{id}               ComplaintCase
//   POST /api/cases/{id}/{action}      the action's request message as JSON → ComplaintCase;
//                                      actions: take, assign, contact-attempt, contact, pause,
//                                      resume, reply, return, coordinate, answer-part, escalate,
//                                      return-visit, reopen (DeskActions)
//   GET  /api/directory                departments (names, units) and handlers: no customer data
//   GET  /api/causes                   the cause catalogue {"causes":[{code, label}]}
//   GET  /api/incidents/{id}           IncidentContext: a linked incident's network context
//                                      (dispatch's view and the crews' progress)
//
// Cases go out for the desk: customer_id is removed (the page shows customer_display, masked)
// and phone-like numbers in the customer's words are masked (logging::RedactFreeText).
// Errors: {"error":{"code","message"}} with HttpStatusFor(kind); a bad query parameter or body
// is 400 naming it.

#include <string>

#include "case_desk.h"
#include "case_rules.h"
#include "complaint_policy.h"
#include "department_directory.h"
#include "desk_actions.h"
#include "gridcare/core/error.h"
#include "gridcare/web/http_server.h"
#include "incident_index.h"

namespace gridcare::complaint {

/// The desk's view of a case: `c` without customer_id, with phone-like numbers in its text masked.
v1::ComplaintCase ForDesk(v1::ComplaintCase c);

/// Parses the list query (department, state, overdue_only, handler, include_closed, page_size,
/// page_token) into a ListCasesRequest. INVALID_ARGUMENT naming the parameter; a department
/// must be in `directory`.
core::Result<v1::ListCasesRequest> ListQuery(const web::HttpRequest& request,
                                             const DepartmentDirectory& directory);

class DeskHttpServer {
 public:
  /// Every reference must outlive the server.
  DeskHttpServer(CaseDesk& desk, IncidentIndex& incidents, const CaseRules& rules,
                 const DepartmentDirectory& directory, const ComplaintPolicy& policy,
                 web::AssetLookup assets);
  DeskHttpServer(const DeskHttpServer&) = delete;
  DeskHttpServer& operator=(const DeskHttpServer&) = delete;

  /// Binds `listen_address` (host:port; port 0 picks a free one) and serves on a thread.
  /// INVALID_ARGUMENT for a malformed address, UNAVAILABLE when the port is taken.
  core::Status Start(const std::string& listen_address) { return server_.Start(listen_address); }
  void Stop() { server_.Stop(); }
  int port() const { return server_.port(); }

  /// Answers a request in process, as over HTTP (tests).
  web::HttpReply Handle(web::HttpRequest request) const {
    return server_.Handle(std::move(request));
  }

 private:
  void Routes();
  web::HttpReply Act(const web::HttpRequest& request) const;
  web::HttpReply Directory() const;
  web::HttpReply Causes() const;

  CaseDesk& desk_;
  IncidentIndex& incidents_;
  DeskActions actions_;
  const DepartmentDirectory& directory_;
  const ComplaintPolicy& policy_;
  web::JsonHttpServer server_;  // last: stops (in its destructor) before the members above go
};

}  // namespace gridcare::complaint
