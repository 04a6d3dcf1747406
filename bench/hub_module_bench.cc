// The seed module (a TF1 Hub module: float32 [?,50] -> dense 200 -> dense
// 100) through the hub API, next to hub.Module in TensorFlow
// (bench/compare_hub.py runs both sides).
//
//   --first_result       no Google Benchmark: in this fresh process, time
//                        LoadModuleSpec + Module::Create + Apply + Session::Create
//                        + the initializers (restoring the variables) + one
//                        Run at batch 1, and print the phases as one JSON
//                        line (seconds): {"load_spec_s", "module_s",
//                        "session_s", "init_s", "first_call_s", "total_s"}
//   (default)            hub/latency/batch:1[/intra:1]: Session::Run of the
//                        applied module at batch 1, plan cache warm; every
//                        call timed, p50/p99/min counters in microseconds
//
// Flags (ours; everything else goes to Google Benchmark):
//   --module=PATH        the module directory; else $TF1HUB_HUB_BENCH_MODULE
//   --check_in=X.npy     run the module once on this input (fresh process
//   --check_out=Y.npy    state) and write the "default" output here
//   --min_time=SECONDS   minimum time per benchmark (default 1)
//   --repeated_applies=N no Google Benchmark: apply one Module instance N
//                        times in one graph (sharing its variables), then
//                        print one JSON line: the time of the first and the
//                        last Apply (s), and the batch-1 Session::Run p50 of
//                        the first and the last application (us), to show
//                        that later applications cost the same as the first
//                        (hub users report graphs that slow down per call).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "tf1hub/graph/ops.h"
#include "tf1hub/graph/variables.h"
#include "tf1hub/hub/module.h"
#include "tf1hub/hub/module_spec.h"
#include "tf1hub/npy.h"
#include "tf1hub/session.h"
#include "tf1hub/tensor.h"

namespace tf1hub::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Config {
  std::string module;
  std::string check_in;
  std::string check_out;
  bool first_result = false;
  double min_time = 1.0;
  int repeated_applies = 0;
};

Config& Cfg() {
  static Config* config = new Config;
  return *config;
}

bool ParseFlags(int* argc, char** argv, std::string* error) {
  Config& c = Cfg();
  if (const char* env = std::getenv("TF1HUB_HUB_BENCH_MODULE")) c.module = env;
  int kept = 1;
  for (int i = 1; i < *argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](const char* flag, std::string* out) {
      const std::string prefix = std::string(flag) + "=";
      if (arg.rfind(prefix, 0) != 0) return false;
      *out = arg.substr(prefix.size());
      return true;
    };
    std::string v;
    if (value("--module", &c.module) || value("--check_in", &c.check_in) ||
        value("--check_out", &c.check_out)) {
      continue;
    }
    if (value("--min_time", &v)) {
      c.min_time = std::atof(v.c_str());
      continue;
    }
    if (value("--repeated_applies", &v)) {
      c.repeated_applies = std::atoi(v.c_str());
      continue;
    }
    if (arg == "--first_result") {
      c.first_result = true;
      continue;
    }
    argv[kept++] = argv[i];
  }
  *argc = kept;
  argv[kept] = nullptr;
  if (c.module.empty()) {
    *error = "no module: pass --module=PATH or set TF1HUB_HUB_BENCH_MODULE";
    return false;
  }
  if (c.check_in.empty() != c.check_out.empty()) {
    *error = "--check_in and --check_out go together";
    return false;
  }
  return true;
}

// A [batch, 50] input of uniform values in [-1, 1).
Tensor RandomInput(int64_t batch) {
  Tensor t = *Tensor::Create(DataType::kFloat, *TensorShape::Create({batch, 50}));
  std::mt19937 gen(1234);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (float& v : t.mutable_flat<float>()) v = dist(gen);
  return t;
}

// The applied module: what a consumer holds after setting up.
struct Applied {
  std::unique_ptr<hub::Module> module;
  std::unique_ptr<Session> session;
  std::string input;   // placeholder tensor name
  std::string output;  // "default" output tensor name
};

// Times of each phase of StartUp, seconds.
struct Phases {
  double load_spec = 0, module = 0, session = 0, init = 0;
};

StatusOr<Applied> StartUp(const SessionOptions& options, Phases* phases) {
  Clock::time_point t0 = Clock::now();
  ASSIGN_OR_RETURN(std::shared_ptr<const hub::ModuleSpec> spec,
                   hub::LoadModuleSpec(Cfg().module));
  Clock::time_point t1 = Clock::now();
  Scope root = Scope::NewRootScope();
  Applied a;
  ASSIGN_OR_RETURN(a.module, hub::Module::Create(root, spec));
  Output x = ops::Placeholder(root.WithOpName("x"), DataType::kFloat,
                              {.shape = *PartialTensorShape::Create(std::vector<int64_t>{-1, 50})});
  ASSIGN_OR_RETURN(Output y, a.module->Apply(root, x));
  Operation init = GlobalVariablesInitializer(root);
  RETURN_IF_ERROR(root.status());
  Clock::time_point t2 = Clock::now();
  ASSIGN_OR_RETURN(a.session, Session::Create(root.graph()->graph_def(), options));
  Clock::time_point t3 = Clock::now();
  RETURN_IF_ERROR(a.session->Run({}, {}, {init.name}).status());
  Clock::time_point t4 = Clock::now();
  a.input = x.ToString();
  a.output = y.ToString();
  if (phases != nullptr) {
    auto secs = [](Clock::time_point from, Clock::time_point to) {
      return std::chrono::duration<double>(to - from).count();
    };
    *phases = {secs(t0, t1), secs(t1, t2), secs(t2, t3), secs(t3, t4)};
  }
  return a;
}

int FirstResult() {
  Clock::time_point start = Clock::now();
  Phases phases;
  StatusOr<Applied> a = StartUp({}, &phases);
  if (!a.ok()) {
    std::fprintf(stderr, "%s\n", a.status().ToString().c_str());
    return 1;
  }
  Clock::time_point c0 = Clock::now();
  StatusOr<std::vector<Tensor>> out = a->session->Run({{a->input, RandomInput(1)}}, {a->output}, {});
  Clock::time_point end = Clock::now();
  if (!out.ok()) {
    std::fprintf(stderr, "%s\n", out.status().ToString().c_str());
    return 1;
  }
  auto secs = [](Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
  };
  std::printf(
      "{\"load_spec_s\": %.9f, \"module_s\": %.9f, \"session_s\": %.9f, \"init_s\": %.9f, "
      "\"first_call_s\": %.9f, \"total_s\": %.9f}\n",
      phases.load_spec, phases.module, phases.session, phases.init, secs(c0, end),
      secs(start, end));
  return 0;
}

int Check() {
  StatusOr<Tensor> input = ReadNpyFile(Cfg().check_in);
  if (!input.ok()) {
    std::fprintf(stderr, "%s\n", input.status().ToString().c_str());
    return 1;
  }
  StatusOr<Applied> a = StartUp({}, nullptr);
  if (!a.ok()) {
    std::fprintf(stderr, "%s\n", a.status().ToString().c_str());
    return 1;
  }
  StatusOr<std::vector<Tensor>> out = a->session->Run({{a->input, *input}}, {a->output}, {});
  Status s = out.ok() ? WriteNpyFile(Cfg().check_out, out->front()) : out.status();
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}

double Percentile(std::vector<double> xs, double q) {
  if (xs.empty()) return 0;
  std::sort(xs.begin(), xs.end());
  size_t i = static_cast<size_t>(q * static_cast<double>(xs.size() - 1) + 0.5);
  return xs[std::min(i, xs.size() - 1)];
}

// p50 of `n` batch-1 Session::Run calls fetching `output`.
StatusOr<double> RunP50Micros(Session& session, const std::string& input,
                              const std::string& output, int n) {
  const std::vector<std::pair<std::string, Tensor>> feeds = {{input, RandomInput(1)}};
  std::vector<double> micros;
  for (int i = 0; i < n + 3; ++i) {
    Clock::time_point t0 = Clock::now();
    StatusOr<std::vector<Tensor>> out = session.Run(feeds, {output}, {});
    Clock::time_point t1 = Clock::now();
    if (!out.ok()) return out.status();
    if (i >= 3) micros.push_back(std::chrono::duration<double>(t1 - t0).count() * 1e6);
  }
  return Percentile(micros, 0.5);
}

int RepeatedApplies() {
  const int n = Cfg().repeated_applies;
  auto fail = [](const Status& s) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  };
  StatusOr<std::shared_ptr<const hub::ModuleSpec>> spec = hub::LoadModuleSpec(Cfg().module);
  if (!spec.ok()) return fail(spec.status());
  Scope root = Scope::NewRootScope();
  StatusOr<std::unique_ptr<hub::Module>> module = hub::Module::Create(root, *spec);
  if (!module.ok()) return fail(module.status());
  Output x = ops::Placeholder(root.WithOpName("x"), DataType::kFloat,
                              {.shape = *PartialTensorShape::Create(std::vector<int64_t>{-1, 50})});
  std::vector<std::string> outputs;
  double first_apply = 0, last_apply = 0;
  for (int i = 0; i < n; ++i) {
    Clock::time_point t0 = Clock::now();
    StatusOr<Output> y = (*module)->Apply(root, x);
    Clock::time_point t1 = Clock::now();
    if (!y.ok()) return fail(y.status());
    outputs.push_back(y->ToString());
    const double secs = std::chrono::duration<double>(t1 - t0).count();
    if (i == 0) first_apply = secs;
    last_apply = secs;
  }
  Operation init = GlobalVariablesInitializer(root);
  if (!root.ok()) return fail(root.status());
  StatusOr<std::unique_ptr<Session>> session = Session::Create(root.graph()->graph_def());
  if (!session.ok()) return fail(session.status());
  Status s = (*session)->Run({}, {}, {init.name}).status();
  if (!s.ok()) return fail(s);
  StatusOr<double> first_call = RunP50Micros(**session, x.ToString(), outputs.front(), 2000);
  StatusOr<double> last_call = RunP50Micros(**session, x.ToString(), outputs.back(), 2000);
  if (!first_call.ok()) return fail(first_call.status());
  if (!last_call.ok()) return fail(last_call.status());
  std::printf(
      "{\"applies\": %d, \"first_apply_s\": %.9f, \"last_apply_s\": %.9f, "
      "\"first_call_p50_us\": %.4f, \"last_call_p50_us\": %.4f, \"graph_nodes\": %d}\n",
      n, first_apply, last_apply, *first_call, *last_call, root.graph()->num_nodes());
  return 0;
}

void BM_AppliedModuleRun(benchmark::State& state, int intra_op_threads) {
  SessionOptions options;
  options.intra_op_threads = intra_op_threads;
  StatusOr<Applied> a = StartUp(options, nullptr);
  if (!a.ok()) {
    state.SkipWithError(a.status().ToString().c_str());
    return;
  }
  const std::vector<std::pair<std::string, Tensor>> feeds = {{a->input, RandomInput(1)}};
  const std::vector<std::string> fetches = {a->output};
  const std::vector<std::string> targets;
  for (int i = 0; i < 3; ++i) {  // warm the plan cache
    StatusOr<std::vector<Tensor>> out = a->session->Run(feeds, fetches, targets);
    if (!out.ok()) {
      state.SkipWithError(out.status().ToString().c_str());
      return;
    }
  }
  std::vector<double> micros;
  micros.reserve(1 << 20);
  for (auto _ : state) {
    Clock::time_point t0 = Clock::now();
    StatusOr<std::vector<Tensor>> out = a->session->Run(feeds, fetches, targets);
    Clock::time_point t1 = Clock::now();
    if (!out.ok()) {
      state.SkipWithError(out.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(out->front().raw_data());
    const double secs = std::chrono::duration<double>(t1 - t0).count();
    state.SetIterationTime(secs);
    if (micros.size() < micros.capacity()) micros.push_back(secs * 1e6);
  }
  state.counters["p50_us"] = Percentile(micros, 0.50);
  state.counters["p99_us"] = Percentile(micros, 0.99);
  state.counters["min_us"] = Percentile(micros, 0.0);
  state.counters["intra_op_threads"] = intra_op_threads;
  state.counters["cached_plans"] = static_cast<double>(a->session->num_cached_plans());
}

void Register() {
  for (int intra : {0, 1}) {
    const std::string name = std::string("hub/latency/batch:1") + (intra == 0 ? "" : "/intra:1");
    benchmark::RegisterBenchmark(name.c_str(), BM_AppliedModuleRun, intra)
        ->UseManualTime()
        ->MinTime(Cfg().min_time)
        ->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace
}  // namespace tf1hub::bench

int main(int argc, char** argv) {
  namespace b = tf1hub::bench;
  std::string error;
  if (!b::ParseFlags(&argc, argv, &error)) {
    std::fprintf(stderr, "hub_module_bench: %s\n", error.c_str());
    return 2;
  }
  if (b::Cfg().first_result) return b::FirstResult();
  if (b::Cfg().repeated_applies > 0) return b::RepeatedApplies();
  if (!b::Cfg().check_in.empty()) return b::Check();
  b::Register();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
