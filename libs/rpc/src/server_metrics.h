#pragma once

#include <grpcpp/support/server_interceptor.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace gridcare::rpc {

// The grpc_server_* families of go-grpc-prometheus (the names Grafana's gRPC dashboards use),
// recorded by an interceptor. Thread-safe.
//
// Label values are limited to the methods of services registered on the server: any other method
// name (a client probing /x.Y/Z) is counted as grpc_service="unknown", grpc_method="unknown" so a
// client cannot create series at will.
class ServerMetrics {
 public:
  using Type = grpc::experimental::ServerRpcInfo::Type;
  static constexpr size_t kCodeCount = 17;  // grpc::StatusCode OK .. UNAUTHENTICATED

  struct MethodSeries {
    prometheus::Counter* started = nullptr;
    prometheus::Histogram* handling = nullptr;
    std::array<prometheus::Counter*, kCodeCount> handled{};
  };

  explicit ServerMetrics(prometheus::Registry& registry);

  // Makes these services' methods valid label values and creates their series at 0 (methods are
  // taken from the protobuf descriptor pool when the service's descriptor is linked in).
  void AddServices(const std::vector<std::string>& service_names);

  // The series for one call of `full_method` ("/package.Service/Method"). The reference stays
  // valid for the lifetime of this object.
  const MethodSeries& Lookup(std::string_view full_method, Type type);

 private:
  MethodSeries Create(Type type, const std::string& service, const std::string& method);

  prometheus::Family<prometheus::Counter>& started_;
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& handling_;

  std::mutex mutex_;
  // service -> its methods; nullopt when the methods are unknown (no descriptor) and any is taken.
  std::map<std::string, std::optional<std::set<std::string>>, std::less<>> services_;
  std::map<std::string, MethodSeries, std::less<>> methods_;  // key: full method
  std::map<Type, MethodSeries> unknown_;
};

// Creates one interceptor per call that records into `metrics`.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeMetricsInterceptorFactory(std::shared_ptr<ServerMetrics> metrics);

}  // namespace gridcare::rpc
