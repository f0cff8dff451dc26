#pragma once

namespace gridcare::rpc {

/// Process-wide gRPC runtime settings, applied once before the first server or channel.
void ConfigureGrpcRuntime();

}  // namespace gridcare::rpc
