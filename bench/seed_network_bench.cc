// The seed guide's network run through tf1hub::Session: float32 input
// [batch, 50] -> dense 200 -> dense 100, loaded from a frozen GraphDef
// (variables folded into Const nodes) that bench/compare_seed_network.py
// writes with TensorFlow. It measures
//
//   seed/latency/batch:1            one Session::Run at batch 1, plan cache warm;
//                                   wall time of every call, with p50/p99 counters
//   seed/throughput/batch:1024      Session::Run at batch 1024, rows/s (items/s)
//   .../intra:1                     the same with SessionOptions::intra_op_threads = 1
//   floor/gemm/batch:N              the same arithmetic without the runtime: two
//                                   matmul::Gemm<float> calls (the kernel's own math)
//                                   plus the bias adds (and ReLUs with --relu),
//                                   on the calling thread: what any Run must pay
//
// Flags (ours; everything else goes to Google Benchmark):
//   --graph=PATH        frozen GraphDef (binary); else $TF1HUB_SEED_GRAPH
//   --input=NAME        fed tensor (default "Placeholder:0")
//   --output=NAME       fetched tensor (default "dense_1/BiasAdd:0")
//   --layers=A,B        Const prefixes of the layers for floor/gemm
//                       (default "dense,dense_1": uses A/kernel, A/bias, ...)
//   --relu              floor/gemm applies ReLU after each layer
//   --check_in=X.npy    instead of benchmarking, run the graph once on this
//   --check_out=Y.npy   input (a fresh Session) and write the fetched value here
//   --min_time=SECONDS  minimum time per benchmark (default 1)
//
// The feeds vector and the input tensor are built once, outside the timed
// loop (as TensorFlow's Session.make_callable does on the other side); the
// first Run, which compiles the plan, is not timed.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "tf1hub/graph/tensor_proto.h"       // internal: Const values for floor/gemm
#include "tf1hub/kernels/matmul_math.h"      // internal: the GEMM the MatMul kernel uses
#include "tf1hub/kernels/thread_pool.h"      // internal: default pool size, for the context
#include "tf1hub/npy.h"
#include "tf1hub/proto/graph.pb.h"
#include "tf1hub/session.h"
#include "tf1hub/tensor.h"

namespace tf1hub::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int64_t kInputWidth = 50;

struct Config {
  std::string graph_path;
  std::string input = "Placeholder:0";
  std::string output = "dense_1/BiasAdd:0";
  std::vector<std::string> layers = {"dense", "dense_1"};
  bool relu = false;
  std::string check_in;
  std::string check_out;
  double min_time = 1.0;
};

Config& Cfg() {
  static Config config;
  return config;
}

tensorflow::GraphDef& Graph() {
  static tensorflow::GraphDef graph;
  return graph;
}

std::vector<std::string> SplitCommas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// Takes our flags out of argv (so Google Benchmark sees only its own).
bool ParseFlags(int* argc, char** argv, std::string* error) {
  Config& c = Cfg();
  if (const char* env = std::getenv("TF1HUB_SEED_GRAPH")) c.graph_path = env;
  int kept = 1;
  for (int i = 1; i < *argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char* flag, std::string* out) {
      std::string prefix = std::string(flag) + "=";
      if (arg.rfind(prefix, 0) != 0) return false;
      *out = arg.substr(prefix.size());
      return true;
    };
    std::string v;
    if (value("--graph", &c.graph_path) || value("--input", &c.input) ||
        value("--output", &c.output) || value("--check_in", &c.check_in) ||
        value("--check_out", &c.check_out)) {
      continue;
    }
    if (value("--layers", &v)) {
      c.layers = SplitCommas(v);
      continue;
    }
    if (value("--min_time", &v)) {
      c.min_time = std::atof(v.c_str());
      continue;
    }
    if (arg == "--relu") {
      c.relu = true;
      continue;
    }
    argv[kept++] = argv[i];
  }
  *argc = kept;
  argv[kept] = nullptr;
  if (c.graph_path.empty()) {
    *error = "no graph: pass --graph=PATH (a frozen GraphDef) or set TF1HUB_SEED_GRAPH";
    return false;
  }
  if (c.check_in.empty() != c.check_out.empty()) {
    *error = "--check_in and --check_out go together";
    return false;
  }
  return true;
}

bool LoadGraph(std::string* error) {
  std::ifstream in(Cfg().graph_path, std::ios::binary);
  if (!in) {
    *error = "cannot open graph '" + Cfg().graph_path + "'";
    return false;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!Graph().ParseFromString(bytes)) {
    *error = "graph '" + Cfg().graph_path + "': not a binary GraphDef";
    return false;
  }
  return true;
}

// A [batch, 50] input of uniform values in [-1, 1).
Tensor RandomInput(int64_t batch) {
  Tensor t = *Tensor::Create(DataType::kFloat, *TensorShape::Create({batch, kInputWidth}));
  std::mt19937 gen(1234);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (float& v : t.mutable_flat<float>()) v = dist(gen);
  return t;
}

double Percentile(std::vector<double> xs, double q) {
  if (xs.empty()) return 0;
  std::sort(xs.begin(), xs.end());
  size_t i = static_cast<size_t>(q * static_cast<double>(xs.size() - 1) + 0.5);
  return xs[std::min(i, xs.size() - 1)];
}

// Wall time of every call (when enabled): the iteration time (manual time)
// and the p50/p99/min counters in microseconds.
class CallTimes {
 public:
  explicit CallTimes(bool enabled) : enabled_(enabled) {
    if (enabled_) micros_.reserve(1 << 20);
  }
  void Add(benchmark::State& state, Clock::time_point t0, Clock::time_point t1) {
    if (!enabled_) return;
    double secs = std::chrono::duration<double>(t1 - t0).count();
    state.SetIterationTime(secs);
    if (micros_.size() < micros_.capacity()) micros_.push_back(secs * 1e6);
  }
  void Report(benchmark::State& state) const {
    if (!enabled_) return;
    state.counters["p50_us"] = Percentile(micros_, 0.50);
    state.counters["p99_us"] = Percentile(micros_, 0.99);
    state.counters["min_us"] = Percentile(micros_, 0.0);
  }

 private:
  bool enabled_;
  std::vector<double> micros_;
};

// One Session::Run per iteration. Latency runs time each call (manual
// time) and report p50/p99 in microseconds; throughput runs report rows/s.
void BM_SessionRun(benchmark::State& state, int64_t batch, int intra_op_threads,
                   bool per_call_times) {
  SessionOptions options;
  options.intra_op_threads = intra_op_threads;
  StatusOr<std::unique_ptr<Session>> session = Session::Create(Graph(), options);
  if (!session.ok()) {
    state.SkipWithError(session.status().ToString().c_str());
    return;
  }
  const std::vector<std::pair<std::string, Tensor>> feeds = {{Cfg().input, RandomInput(batch)}};
  const std::vector<std::string> fetches = {Cfg().output};
  const std::vector<std::string> targets;
  // Warm the plan cache (and the kernels, the pool, the allocator).
  for (int i = 0; i < 3; ++i) {
    StatusOr<std::vector<Tensor>> out = (*session)->Run(feeds, fetches, targets);
    if (!out.ok()) {
      state.SkipWithError(out.status().ToString().c_str());
      return;
    }
  }
  CallTimes times(per_call_times);
  for (auto _ : state) {
    Clock::time_point t0 = Clock::now();
    StatusOr<std::vector<Tensor>> out = (*session)->Run(feeds, fetches, targets);
    Clock::time_point t1 = Clock::now();
    if (!out.ok()) {
      state.SkipWithError(out.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(out->front().raw_data());
    times.Add(state, t0, t1);
  }
  state.SetItemsProcessed(state.iterations() * batch);
  state.counters["batch"] = static_cast<double>(batch);
  state.counters["intra_op_threads"] = intra_op_threads;
  state.counters["cached_plans"] = static_cast<double>((*session)->num_cached_plans());
  times.Report(state);
}

// The layer weights for floor/gemm, from the frozen graph's Const nodes.
struct Layer {
  Tensor kernel;  // [in, out]
  Tensor bias;    // [out]
};

bool FindConst(const std::string& name, Tensor* out, std::string* error) {
  for (const tensorflow::NodeDef& node : Graph().node()) {
    if (node.name() != name) continue;
    auto it = node.attr().find("value");
    if (node.op() != "Const" || it == node.attr().end()) {
      *error = "node '" + name + "' is a " + node.op() + ", not a Const (is the graph frozen?)";
      return false;
    }
    StatusOr<Tensor> t = TensorFromProto(it->second.tensor());
    if (!t.ok()) {
      *error = "Const '" + name + "': " + t.status().ToString();
      return false;
    }
    *out = std::move(*t);
    return true;
  }
  *error = "no node '" + name + "' in the graph";
  return false;
}

void BM_FloorGemm(benchmark::State& state, int64_t batch, bool per_call_times) {
  std::vector<Layer> layers;
  std::string error;
  int64_t width = kInputWidth;
  for (const std::string& prefix : Cfg().layers) {
    Layer l;
    if (!FindConst(prefix + "/kernel", &l.kernel, &error) ||
        !FindConst(prefix + "/bias", &l.bias, &error)) {
      state.SkipWithError(error.c_str());
      return;
    }
    if (l.kernel.dtype() != DataType::kFloat || l.bias.dtype() != DataType::kFloat ||
        l.kernel.shape().rank() != 2 || l.kernel.shape().dim(0) != width ||
        l.bias.NumElements() != l.kernel.shape().dim(1)) {
      state.SkipWithError(("layer '" + prefix + "': unexpected shapes").c_str());
      return;
    }
    width = l.kernel.shape().dim(1);
    layers.push_back(std::move(l));
  }
  Tensor input = RandomInput(batch);
  std::vector<std::vector<float>> acts;
  for (const Layer& l : layers) acts.emplace_back(batch * l.kernel.shape().dim(1));
  matmul::InlineSharder inline_sharder;
  const bool relu = Cfg().relu;
  CallTimes times(per_call_times);
  for (auto _ : state) {
    Clock::time_point t0 = Clock::now();
    const float* in = input.flat<float>().data();
    int64_t k = kInputWidth;
    for (size_t i = 0; i < layers.size(); ++i) {
      const int64_t n = layers[i].kernel.shape().dim(1);
      float* out = acts[i].data();
      matmul::Gemm<float>({.m = batch, .n = n, .k = k}, in, layers[i].kernel.flat<float>().data(),
                          out, inline_sharder);
      const float* bias = layers[i].bias.flat<float>().data();
      for (int64_t r = 0; r < batch; ++r) {
        float* row = out + r * n;
        for (int64_t j = 0; j < n; ++j) {
          float v = row[j] + bias[j];
          row[j] = relu ? std::max(v, 0.0f) : v;
        }
      }
      in = out;
      k = n;
    }
    benchmark::DoNotOptimize(acts.back().data());
    benchmark::ClobberMemory();
    times.Add(state, t0, Clock::now());
  }
  state.SetItemsProcessed(state.iterations() * batch);
  state.counters["batch"] = static_cast<double>(batch);
  times.Report(state);
}

// --check_in/--check_out: one Run on a given input, output written as .npy.
bool RunCheck(std::string* error) {
  StatusOr<Tensor> input = ReadNpyFile(Cfg().check_in);
  if (!input.ok()) {
    *error = input.status().ToString();
    return false;
  }
  StatusOr<std::unique_ptr<Session>> session = Session::Create(Graph());
  if (!session.ok()) {
    *error = "Session::Create: " + session.status().ToString();
    return false;
  }
  StatusOr<std::vector<Tensor>> out =
      (*session)->Run({{Cfg().input, *input}}, {Cfg().output}, {});
  if (!out.ok()) {
    *error = "Session::Run: " + out.status().ToString();
    return false;
  }
  Status s = WriteNpyFile(Cfg().check_out, out->front());
  if (!s.ok()) {
    *error = s.ToString();
    return false;
  }
  return true;
}

void Register() {
  const double t = Cfg().min_time;
  for (int intra : {0, 1}) {
    std::string suffix = intra == 0 ? "" : "/intra:1";
    benchmark::RegisterBenchmark(("seed/latency/batch:1" + suffix).c_str(), BM_SessionRun,
                                 int64_t{1}, intra, true)
        ->UseManualTime()
        ->MinTime(t)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("seed/throughput/batch:1024" + suffix).c_str(), BM_SessionRun,
                                 int64_t{1024}, intra, false)
        ->UseRealTime()
        ->MinTime(t)
        ->Unit(benchmark::kMicrosecond);
  }
  for (int64_t batch : {int64_t{1}, int64_t{1024}}) {
    benchmark::internal::Benchmark* b = benchmark::RegisterBenchmark(
        ("floor/gemm/batch:" + std::to_string(batch)).c_str(), BM_FloorGemm, batch, batch == 1);
    if (batch == 1) {
      b->UseManualTime();
    } else {
      b->UseRealTime();
    }
    b->MinTime(t)->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace
}  // namespace tf1hub::bench

int main(int argc, char** argv) {
  namespace b = tf1hub::bench;
  std::string error;
  if (!b::ParseFlags(&argc, argv, &error) || !b::LoadGraph(&error)) {
    std::fprintf(stderr, "seed_network_bench: %s\n", error.c_str());
    return 1;
  }
  if (!b::Cfg().check_in.empty()) {
    if (b::RunCheck(&error)) return 0;
    std::fprintf(stderr, "seed_network_bench: check run: %s\n", error.c_str());
    return 1;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("tf1hub_graph", b::Cfg().graph_path);
  benchmark::AddCustomContext("tf1hub_fetch", b::Cfg().output);
  benchmark::AddCustomContext("tf1hub_default_intra_op_threads",
                              std::to_string(tf1hub::IntraOpThreadPool::Default()->num_threads()));
  b::Register();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
