#include "server_metrics.h"

#include <google/protobuf/descriptor.h>
#include <grpcpp/support/interceptor.h>

#include <chrono>
#include <utility>

#include "gridcare/metrics/buckets.h"
#include "gridcare/rpc/status.h"

namespace gridcare::rpc {
namespace {

using Type = ServerMetrics::Type;

const char* TypeName(Type type) {
  switch (type) {
    case Type::UNARY:
      return "unary";
    case Type::CLIENT_STREAMING:
      return "client_stream";
    case Type::SERVER_STREAMING:
      return "server_stream";
    case Type::BIDI_STREAMING:
      return "bidi_stream";
  }
  return "unknown";
}

Type TypeOf(const google::protobuf::MethodDescriptor& method) {
  if (method.client_streaming() && method.server_streaming()) return Type::BIDI_STREAMING;
  if (method.client_streaming()) return Type::CLIENT_STREAMING;
  if (method.server_streaming()) return Type::SERVER_STREAMING;
  return Type::UNARY;
}

// The default health service is implemented with upb, so its descriptor is not in the protobuf
// pool; its two methods are fixed by the health-checking protocol.
constexpr char kHealthService[] = "grpc.health.v1.Health";

class MetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit MetricsInterceptor(const ServerMetrics::MethodSeries& series)
      : series_(series), start_(std::chrono::steady_clock::now()) {
    series_.started->Increment();
  }

  // A call that ends without the server sending a status (the client cancelled or the deadline
  // passed first) still has to be counted as handled, or started - handled drifts upwards.
  ~MetricsInterceptor() override {
    if (!recorded_) Record(grpc::StatusCode::CANCELLED);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (!recorded_ && methods->QueryInterceptionHookPoint(
                          grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      Record(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  void Record(grpc::StatusCode code) {
    recorded_ = true;
    const auto index = static_cast<size_t>(code);
    series_
        .handled[index < ServerMetrics::kCodeCount ? index
                                                   : static_cast<size_t>(grpc::StatusCode::UNKNOWN)]
        ->Increment();
    series_.handling->Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
  }

  const ServerMetrics::MethodSeries& series_;
  const std::chrono::steady_clock::time_point start_;
  bool recorded_ = false;
};

class MetricsInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit MetricsInterceptorFactory(std::shared_ptr<ServerMetrics> metrics)
      : metrics_(std::move(metrics)) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new MetricsInterceptor(metrics_->Lookup(info->method(), info->type()));
  }

 private:
  std::shared_ptr<ServerMetrics> metrics_;
};

}  // namespace

ServerMetrics::ServerMetrics(prometheus::Registry& registry)
    : started_(prometheus::BuildCounter()
                   .Name("grpc_server_started_total")
                   .Help("RPCs started on the server.")
                   .Register(registry)),
      handled_(prometheus::BuildCounter()
                   .Name("grpc_server_handled_total")
                   .Help("RPCs completed on the server, regardless of success or failure.")
                   .Register(registry)),
      handling_(prometheus::BuildHistogram()
                    .Name("grpc_server_handling_seconds")
                    .Help("Time from the start of an RPC to the server sending its status.")
                    .Register(registry)) {}

void ServerMetrics::AddServices(const std::vector<std::string>& service_names) {
  std::lock_guard lock(mutex_);
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const auto& name : service_names) {
    if (name.empty() || services_.count(name) > 0) continue;
    std::vector<std::pair<std::string, Type>> methods;
    if (const auto* service = pool->FindServiceByName(name)) {
      for (int i = 0; i < service->method_count(); ++i) {
        methods.emplace_back(service->method(i)->name(), TypeOf(*service->method(i)));
      }
    } else if (name == kHealthService) {
      methods = {{"Check", Type::UNARY}, {"Watch", Type::SERVER_STREAMING}};
    } else {
      services_.emplace(name, std::nullopt);
      continue;
    }
    auto& allowed = services_[name].emplace();
    for (const auto& [method, type] : methods) {
      allowed.insert(method);
      const std::string full = "/" + name + "/" + method;
      if (methods_.count(full) == 0) methods_.emplace(full, Create(type, name, method));
    }
  }
}

const ServerMetrics::MethodSeries& ServerMetrics::Lookup(std::string_view full_method, Type type) {
  std::lock_guard lock(mutex_);
  if (const auto it = methods_.find(full_method); it != methods_.end()) return it->second;

  // "/package.Service/Method"
  const auto slash = full_method.find('/', 1);
  if (full_method.size() > 1 && full_method[0] == '/' && slash != std::string_view::npos) {
    const std::string_view service = full_method.substr(1, slash - 1);
    const std::string_view method = full_method.substr(slash + 1);
    const auto known = services_.find(service);
    if (known != services_.end() && !known->second.has_value() && !method.empty()) {
      return methods_
          .emplace(std::string(full_method),
                   Create(type, std::string(service), std::string(method)))
          .first->second;
    }
  }
  auto it = unknown_.find(type);
  if (it == unknown_.end()) it = unknown_.emplace(type, Create(type, "unknown", "unknown")).first;
  return it->second;
}

ServerMetrics::MethodSeries ServerMetrics::Create(Type type, const std::string& service,
                                                  const std::string& method) {
  const prometheus::Labels labels{
      {"grpc_type", TypeName(type)}, {"grpc_service", service}, {"grpc_method", method}};
  MethodSeries series;
  series.started = &started_.Add(labels);
  series.handling = &handling_.Add(labels, metrics::LatencyBucketsSeconds());
  // Every code at 0, as go-grpc-prometheus does, so error-ratio alerts have series to work on.
  for (size_t code = 0; code < kCodeCount; ++code) {
    auto with_code = labels;
    with_code.emplace("grpc_code", StatusCodeName(static_cast<grpc::StatusCode>(code)));
    series.handled[code] = &handled_.Add(with_code);
  }
  return series;
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeMetricsInterceptorFactory(std::shared_ptr<ServerMetrics> metrics) {
  return std::make_unique<MetricsInterceptorFactory>(std::move(metrics));
}

}  // namespace gridcare::rpc
