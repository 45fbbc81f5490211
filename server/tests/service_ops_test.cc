// Operational tests of the server: concurrent clients, the /metrics page,
// the health and reflection services, and draining on SIGTERM.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "server/tests/server_test_support.h"

namespace neurospector::server {
namespace {

using testing::BuiltinAccelerator;
using testing::Conv22Layer;
using ::testing::HasSubstr;
using testing::MakeLayerProto;
using testing::Scrape;
using testing::StartTestServer;
using testing::SumSamples;

// Runs one request of a mix of every RPC; `i` picks which. Returns the
// status.
grpc::Status RunMixedRequest(pb::Scheduler::Stub& stub, int i) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  switch (i % 5) {
    case 0: {
      pb::ScheduleLayerRequest request;
      *request.mutable_accelerator() = BuiltinAccelerator("eyeriss");
      *request.mutable_layer() =
          MakeLayerProto("L", 16 << (i % 3), 1, 14, 14, 32, 3, 3, 1, 1);
      pb::ScheduleLayerResponse response;
      return stub.ScheduleLayer(&context, request, &response);
    }
    case 1: {
      pb::ScheduleNetworkRequest request;
      *request.mutable_accelerator() = BuiltinAccelerator("eyeriss");
      request.mutable_network()->set_builtin_name("test_network");
      auto reader = stub.ScheduleNetwork(&context, request);
      pb::ScheduleNetworkResponse response;
      while (reader->Read(&response)) {
      }
      return reader->Finish();
    }
    case 2: {
      pb::EvaluateRequest request;
      *request.mutable_accelerator() = BuiltinAccelerator("eyeriss");
      *request.mutable_layer() = Conv22Layer();
      // Everything iterated from DRAM; the other rows all ones.
      for (const char* name :
           {"LOCAL_BUFFER", "PE_ARRAY(X)", "PE_ARRAY(Y)", "GLOBAL_BUFFER"}) {
        pb::TableRow* row = request.mutable_table()->add_rows();
        row->set_name(name);
        for (int p = 0; p < 8; ++p) row->add_values(1);
      }
      pb::TableRow* row = request.mutable_table()->add_rows();
      row->set_name("DRAM");
      for (uint64_t value : {64, 1, 56, 56, 64, 3, 3, 1})
        row->add_values(value);
      pb::EvaluateResponse response;
      return stub.Evaluate(&context, request, &response);
    }
    case 3: {
      pb::ListAcceleratorsResponse response;
      return stub.ListAccelerators(&context, pb::ListAcceleratorsRequest(),
                                   &response);
    }
    default: {
      pb::ListNetworksResponse response;
      return stub.ListNetworks(&context, pb::ListNetworksRequest(), &response);
    }
  }
}

TEST(ServiceOps, SixteenConcurrentClientsSeeNoError) {
  auto server = StartTestServer();
  ASSERT_NE(server, nullptr);
  // Bounded: each client loops for 3 s (the load benchmark runs longer).
  constexpr int kClients = 16;
  const absl::Time end = absl::Now() + absl::Seconds(3);
  std::atomic<int> requests{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> clients;
  for (int client = 0; client < kClients; ++client) {
    clients.emplace_back([&, client] {
      auto stub = pb::Scheduler::NewStub(grpc::CreateChannel(
          server->Address(), grpc::InsecureChannelCredentials()));
      for (int i = client; absl::Now() < end; ++i) {
        const grpc::Status status = RunMixedRequest(*stub, i);
        ++requests;
        if (!status.ok() && errors++ < 3) {
          ADD_FAILURE() << "request " << i << ": " << status.error_message();
        }
      }
    });
  }
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_GT(requests.load(), kClients * 5);

  const std::vector<testing::Sample> samples = Scrape(*server->server);
  EXPECT_EQ(SumSamples(samples, "neurospector_rpc_requests_total"),
            requests.load());
  EXPECT_EQ(SumSamples(samples, "neurospector_searches_in_flight"), 0);
}

TEST(ServiceOps, MetricsPageParsesAndHasEveryFamily) {
  auto server = StartTestServer();
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(RunMixedRequest(*server->stub, 0).ok());
  ASSERT_TRUE(RunMixedRequest(*server->stub, 0).ok());

  absl::StatusOr<std::string> text =
      testing::HttpGetMetrics(server->server->metrics_port());
  ASSERT_TRUE(text.ok()) << text.status();
  for (const char* type_line :
       {"# TYPE neurospector_search_duration_seconds histogram",
        "# TYPE neurospector_cache_lookups_total counter",
        "# TYPE neurospector_cache_entries gauge",
        "# TYPE neurospector_rpc_requests_total counter",
        "# TYPE neurospector_searches_in_flight gauge",
        "# TYPE neurospector_tables_evaluated_total counter"}) {
    EXPECT_THAT(*text, HasSubstr(type_line));
  }
  absl::StatusOr<std::vector<testing::Sample>> samples =
      testing::ParsePrometheusText(*text);
  ASSERT_TRUE(samples.ok()) << samples.status();

  const std::map<std::string, std::string> labels = {
      {"rpc", "ScheduleLayer"}, {"search", "bottom-up"}, {"metric", "energy"}};
  std::vector<std::string> bounds;
  for (const testing::Sample& sample : *samples) {
    if (sample.name != "neurospector_search_duration_seconds_bucket") continue;
    bounds.push_back(sample.labels.at("le"));
  }
  EXPECT_EQ(bounds.front(), "0.0001");
  EXPECT_EQ(bounds.back(), "+Inf");
  EXPECT_EQ(bounds.size(), 20u);
  EXPECT_EQ(SumSamples(*samples, "neurospector_search_duration_seconds_bucket",
                       {{"le", "+Inf"}}),
            1);
  EXPECT_EQ(SumSamples(*samples, "neurospector_search_duration_seconds_count",
                       labels),
            1);
  EXPECT_GT(
      SumSamples(*samples, "neurospector_search_duration_seconds_sum", labels),
      0);
  EXPECT_EQ(SumSamples(*samples, "neurospector_cache_lookups_total",
                       {{"result", "hit"}}),
            1);
  EXPECT_EQ(SumSamples(*samples, "neurospector_cache_entries"), 1);
  EXPECT_GT(SumSamples(*samples, "neurospector_tables_evaluated_total"), 0);
}

// Calls a unary method with raw protobuf bytes through the generic stub.
grpc::Status CallRaw(grpc::Channel& channel, const std::string& method,
                     const std::string& request, std::string* response) {
  grpc::GenericStub stub(channel.shared_from_this());
  grpc::CompletionQueue queue;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  grpc::Slice slice(request);
  grpc::ByteBuffer request_buffer(&slice, 1);
  auto call = stub.PrepareUnaryCall(&context, method, request_buffer, &queue);
  call->StartCall();
  grpc::ByteBuffer response_buffer;
  grpc::Status status;
  call->Finish(&response_buffer, &status, reinterpret_cast<void*>(1));
  void* tag = nullptr;
  bool ok = false;
  queue.Next(&tag, &ok);
  std::vector<grpc::Slice> slices;
  (void)response_buffer.Dump(&slices);
  response->clear();
  for (const grpc::Slice& piece : slices) {
    response->append(reinterpret_cast<const char*>(piece.begin()),
                     piece.size());
  }
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  return status;
}

TEST(ServiceOps, ServesHealthAndReflection) {
  auto server = StartTestServer();
  ASSERT_NE(server, nullptr);
  // grpc.health.v1.HealthCheckRequest{} is empty; the response
  // HealthCheckResponse{status: SERVING} is field 1 = 1: bytes 08 01.
  std::string response;
  grpc::Status status =
      CallRaw(*server->channel, "/grpc.health.v1.Health/Check", "", &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response, std::string("\x08\x01", 2));

  // Reflection is a bidirectional stream; one ServerReflectionRequest with
  // list_services (field 7, empty string: bytes 3a 00) lists the services.
  grpc::GenericStub stub(server->channel);
  grpc::CompletionQueue queue;
  grpc::ClientContext context;
  auto stream = stub.PrepareCall(
      &context,
      "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &queue);
  void* tag = nullptr;
  bool ok = false;
  stream->StartCall(reinterpret_cast<void*>(1));
  ASSERT_TRUE(queue.Next(&tag, &ok));
  ASSERT_TRUE(ok);
  grpc::Slice slice(std::string("\x3a\x00", 2));
  grpc::ByteBuffer request(&slice, 1);
  stream->Write(request, reinterpret_cast<void*>(2));
  ASSERT_TRUE(queue.Next(&tag, &ok));
  ASSERT_TRUE(ok);
  grpc::ByteBuffer reply;
  stream->Read(&reply, reinterpret_cast<void*>(3));
  ASSERT_TRUE(queue.Next(&tag, &ok));
  ASSERT_TRUE(ok);
  std::vector<grpc::Slice> slices;
  (void)reply.Dump(&slices);
  std::string bytes;
  for (const grpc::Slice& piece : slices) {
    bytes.append(reinterpret_cast<const char*>(piece.begin()), piece.size());
  }
  EXPECT_THAT(bytes, HasSubstr("neurospector.v1.Scheduler"));
  EXPECT_THAT(bytes, HasSubstr("grpc.health.v1.Health"));
  context.TryCancel();
  grpc::Status finish_status;
  stream->Finish(&finish_status, reinterpret_cast<void*>(4));
  queue.Next(&tag, &ok);
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
}

// Starts the neurospector-server binary; its stderr goes to a pipe.
struct ChildServer {
  pid_t pid = -1;
  int stderr_fd = -1;
  std::string log;

  // Reads stderr until `pattern` matches; returns the first group.
  std::string WaitFor(const std::regex& pattern) {
    const absl::Time give_up = absl::Now() + absl::Seconds(20);
    std::smatch match;
    char buffer[1024];
    while (absl::Now() < give_up) {
      if (std::regex_search(log, match, pattern)) return match[1];
      const ssize_t n = ::read(stderr_fd, buffer, sizeof(buffer));
      if (n > 0) log.append(buffer, static_cast<size_t>(n));
      if (n <= 0) absl::SleepFor(absl::Milliseconds(5));
    }
    return "";
  }
};

ChildServer StartChildServer() {
  int pipe_fds[2];
  EXPECT_EQ(::pipe(pipe_fds), 0);
  ChildServer child;
  child.pid = ::fork();
  if (child.pid == 0) {
    ::dup2(pipe_fds[1], STDERR_FILENO);
    ::close(pipe_fds[0]);
    const std::string binary = NEUROSPECTOR_SERVER_BINARY;
    ::execl(binary.c_str(), binary.c_str(), "--listen", "127.0.0.1:0",
            "--metrics-listen", "127.0.0.1:0", "--threads", "2", nullptr);
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  ::fcntl(pipe_fds[0], F_SETFL, O_NONBLOCK);
  child.stderr_fd = pipe_fds[0];
  return child;
}

TEST(ServiceOps, SigtermDrainsCallsInFlight) {
  ChildServer child = StartChildServer();
  ASSERT_GT(child.pid, 0);
  const std::string port =
      child.WaitFor(std::regex("listening on \\S+ \\(port (\\d+)\\)"));
  ASSERT_FALSE(port.empty()) << child.log;

  // A request of about 2 s is in flight when SIGTERM arrives: an exact
  // search that its 1.5 s time limit stops after its bottom-up seed. It
  // must complete, and the server must then exit with status 0.
  auto stub = pb::Scheduler::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  grpc::Status status;
  pb::ScheduleLayerResponse response;
  std::thread request([&] {
    grpc::ClientContext context;
    pb::ScheduleLayerRequest slow;
    *slow.mutable_accelerator() = BuiltinAccelerator("simba");
    *slow.mutable_layer() = Conv22Layer();
    slow.mutable_options()->set_dataflow_mode(pb::DATAFLOW_MODE_FLEXIBLE);
    slow.mutable_options()->set_algorithm(pb::SEARCH_ALGORITHM_EXACT);
    slow.mutable_options()->set_time_limit_seconds(1.5);
    status = stub->ScheduleLayer(&context, slow, &response);
  });
  absl::SleepFor(absl::Milliseconds(300));
  ASSERT_EQ(::kill(child.pid, SIGTERM), 0);
  request.join();
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(response.schedule().table().rows().empty());

  int wait_status = 0;
  ASSERT_EQ(::waitpid(child.pid, &wait_status, 0), child.pid);
  EXPECT_TRUE(WIFEXITED(wait_status));
  EXPECT_EQ(WEXITSTATUS(wait_status), 0);
  child.WaitFor(std::regex("(neurospector-server stopped)"));
  EXPECT_THAT(child.log, HasSubstr("received SIGTERM; draining"));
  EXPECT_THAT(child.log, HasSubstr("neurospector-server stopped"));
  ::close(child.stderr_fd);
}

}  // namespace
}  // namespace neurospector::server
