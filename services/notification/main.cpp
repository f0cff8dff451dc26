// notification: every message to customers and staff — from intake's tickets, dispatch's
// incidents and planned outages, complaint's case steps and analytics' risk warnings, through
// the providers (SMS, WeChat, app push, voice, work messenger, e-mail), with quiet hours,
// throttling, retries, channel fallback and delivery reports. Wiring: app.h.
#include "app.h"

int main(int argc, char** argv) {
  namespace notification = gridcare::notification;
  gridcare::service::Kit kit(notification::kSpec);
  notification::Settings s;
  auto& options = kit.options();
  options.Add("templates", s.templates_path,
              "Message templates in zh-CN and en (JSON), checked at start");
  options.Add("triggers", s.triggers_path, "Which events notify whom with which template (JSON)");
  options.Add("delivery-policy", s.policy_path,
              "Quiet hours, ETR margin, throttle, retries, channels and providers (JSON)");
  options.Add("staff-contacts", s.staff_path,
              "How staff are reached: messenger ids, e-mail (JSON)");
  options.Add("provider-base-url", s.provider_base_url,
              "Base URL of providers the policy gives no url: <base><provider>/");
  options.Add("provider-token-file", s.provider_token_file,
              "File holding the providers' bearer token (for providers without token_file)");
  options.Add("console-listen-address", s.http_address,
              "Where the HTTP endpoint (delivery-report callbacks, notices API) listens; port 0 "
              "picks a free one");
  options.Add("callback-base-url", s.callback_base_url,
              "Callback URL base given to providers (empty: http://<bound address>/callbacks/)");
  options.Add("send-interval", s.send_interval, "How often due notices are sent");
  options.Add("send-batch", s.send_batch, "Notices claimed and sent per round");
  options
      .Add("send-workers", s.send_workers,
           "Send loops at once (their claims never overlap): one sends while another records "
           "its round")
      .Range(1, 16);
  options.Add("max-in-flight", s.max_in_flight, "Provider requests in flight at once");
  options.Add("send-lease", s.send_lease,
              "How long claimed notices are held by a sender: a crashed sender's claims are sent "
              "again after it");
  options.Add("profile-deadline", s.profile_deadline, "Deadline of one profile lookup");
  options.Add("profile-stream-deadline", s.profile_stream_deadline,
              "Deadline of streaming one feeder's customers from the profile");
  if (auto exit_code = kit.Init(argc, argv)) return *exit_code;
  return kit.Run(notification::BuildApp(kit, s));
}
