// Conversion between absl::Status (core, server logic, client logic) and
// grpc::Status (the wire). Both use the canonical gRPC status codes, so the
// code numbers map one to one.

#ifndef NEUROSPECTOR_PROTO_GRPC_STATUS_H_
#define NEUROSPECTOR_PROTO_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace neurospector {

// Returns `status` with the same code and message on the other side.
grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace neurospector

#endif  // NEUROSPECTOR_PROTO_GRPC_STATUS_H_
