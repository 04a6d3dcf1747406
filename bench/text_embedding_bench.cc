// Text embedding modules, tf1hub's side of bench/compare_text_embedding.py.
// Each mode runs in its own process (so VmHWM is that mode's peak) and
// prints one JSON line on stdout:
//
//   text_embedding_bench gen-embeddings FILE ROWS DIM [SEED]
//       writes a random "token v1 ... vDIM" file (tokens w0, w1, ...; values
//       with 6 decimals), {"seconds", "bytes"}
//   text_embedding_bench gen-sentences FILE COUNT VOCAB [SEED]
//       writes COUNT sentences of 3..20 words (vocabulary words wN, some
//       OOV words, some punctuation, some empty lines), one per line
//   text_embedding_bench export FILE OUT_DIR
//       ExportTextEmbeddingModule, {"seconds", "read_seconds", "vm_hwm_kb"}
//   text_embedding_bench first-result MODULE
//       LoadModuleSpec + Module + Apply + Session + initializers + one Run
//       on one sentence, {"seconds", "vm_hwm_kb", "phases": {...}} (phases:
//       seconds of load_spec, apply, session_create, initializers and
//       first_run)
//   text_embedding_bench embed MODULE SENTENCES OUT.npy
//       embeds every sentence (one batch), writes the float32 result
//   text_embedding_bench throughput MODULE SENTENCES [BATCH] [REPS]
//       embeds all sentences in batches (after one warm-up pass), best of
//       REPS, {"sentences", "seconds", "sentences_per_second", "vm_hwm_kb"}
//
// Errors go to stderr with exit code 1.
#include <sys/resource.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "tf1hub/graph/ops.h"
#include "tf1hub/graph/variables.h"
#include "tf1hub/hub/module.h"
#include "tf1hub/hub/module_spec.h"
#include "tf1hub/hub/text_embedding.h"
#include "tf1hub/npy.h"
#include "tf1hub/session.h"

namespace {

using namespace tf1hub;  // NOLINT(build/namespaces): a benchmark driver.
using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Peak resident set size (VmHWM) in kB.
long VmHwmKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

int Fail(const Status& status) {
  std::fprintf(stderr, "text_embedding_bench: %s\n", status.ToString().c_str());
  return 1;
}

int GenEmbeddings(const std::string& path, int64_t rows, int64_t dim, unsigned seed) {
  const auto start = Clock::now();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return Fail(InvalidArgumentError("cannot write " + path));
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::string line;
  char num[64];
  uint64_t bytes = 0;
  for (int64_t r = 0; r < rows; ++r) {
    line.assign("w");
    line += std::to_string(r);
    for (int64_t c = 0; c < dim; ++c) {
      auto [end, ec] = std::to_chars(num, num + sizeof(num), dist(rng), std::chars_format::fixed, 6);
      line.push_back(' ');
      line.append(num, end);
    }
    line.push_back('\n');
    bytes += std::fwrite(line.data(), 1, line.size(), f);
  }
  std::fclose(f);
  std::printf("{\"seconds\": %.3f, \"bytes\": %llu}\n", Since(start),
              static_cast<unsigned long long>(bytes));
  return 0;
}

int GenSentences(const std::string& path, int64_t count, int64_t vocab, unsigned seed) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return Fail(InvalidArgumentError("cannot write " + path));
  std::mt19937_64 rng(seed);
  static const char* kPunct[] = {",", ".", "!", "?", "'s", ";"};
  for (int64_t i = 0; i < count; ++i) {
    std::string s;
    if (rng() % 50 != 0) {  // 2% empty sentences
      const int words = 3 + static_cast<int>(rng() % 18);
      for (int w = 0; w < words; ++w) {
        if (w > 0) s.push_back(' ');
        if (rng() % 20 == 0) {
          s += "oov";
          s += std::to_string(rng() % 100000);
        } else {
          s += "w";
          s += std::to_string(rng() % static_cast<uint64_t>(vocab));
        }
        if (rng() % 8 == 0) s += kPunct[rng() % 6];
      }
    }
    s.push_back('\n');
    std::fwrite(s.data(), 1, s.size(), f);
  }
  std::fclose(f);
  std::printf("{\"sentences\": %lld}\n", static_cast<long long>(count));
  return 0;
}

int Export(const std::string& file, const std::string& out) {
  const auto start = Clock::now();
  StatusOr<hub::TextEmbeddingExportStats> stats = hub::ExportTextEmbeddingModule(file, out);
  if (!stats.ok()) return Fail(stats.status());
  std::printf("{\"seconds\": %.3f, \"read_seconds\": %.3f, \"vm_hwm_kb\": %ld}\n", Since(start),
              stats->read_seconds, VmHwmKb());
  return 0;
}

// A loaded module applied to a string placeholder, initialized, with the
// time each loading phase took.
struct Loaded {
  std::unique_ptr<Session> session;
  std::string input, output;
  double spec_seconds = 0;     // LoadModuleSpec (saved_model.pb, module proto)
  double apply_seconds = 0;    // Module::Create + Apply + initializer list + ToGraphDef
  double session_seconds = 0;  // Session::Create (graph import and checks)
  double init_seconds = 0;     // the initializers: variables restored, tables filled
};

StatusOr<Loaded> Load(const std::string& module_dir) {
  Loaded loaded;
  auto t = Clock::now();
  ASSIGN_OR_RETURN(auto spec, hub::LoadModuleSpec(module_dir));
  loaded.spec_seconds = Since(t);
  t = Clock::now();
  Scope root = Scope::NewRootScope();
  ASSIGN_OR_RETURN(auto module, hub::Module::Create(root, spec));
  Output input = ops::Placeholder(root, DataType::kString);
  ASSIGN_OR_RETURN(Output output, module->Apply(root, input));
  std::vector<std::string> init = {GlobalVariablesInitializer(root).name};
  if (const auto* tables = root.graph()->GetCollection(graph_keys::kTableInitializers)) {
    for (const std::string& op : tables->node_list().value()) init.push_back(op);
  }
  ASSIGN_OR_RETURN(tensorflow::GraphDef graph_def, root.ToGraphDef());
  loaded.apply_seconds = Since(t);
  t = Clock::now();
  ASSIGN_OR_RETURN(loaded.session, Session::Create(std::move(graph_def)));
  loaded.session_seconds = Since(t);
  t = Clock::now();
  RETURN_IF_ERROR(loaded.session->Run({}, {}, init).status());
  loaded.init_seconds = Since(t);
  loaded.input = input.ToString();
  loaded.output = output.ToString();
  return loaded;
}

StatusOr<Tensor> Batch(const std::vector<std::string>& sentences, size_t begin, size_t end) {
  std::vector<std::string> part(sentences.begin() + begin, sentences.begin() + end);
  ASSIGN_OR_RETURN(TensorShape shape, TensorShape::Create({static_cast<int64_t>(part.size())}));
  return Tensor::FromVector(part, shape);
}

int FirstResult(const std::string& module_dir) {
  const auto start = Clock::now();
  StatusOr<Loaded> loaded = Load(module_dir);
  if (!loaded.ok()) return Fail(loaded.status());
  StatusOr<Tensor> batch = Batch({"the w1 w2 w3, w4!"}, 0, 1);
  if (!batch.ok()) return Fail(batch.status());
  const auto run_start = Clock::now();
  StatusOr<std::vector<Tensor>> out =
      loaded->session->Run({{loaded->input, *batch}}, {loaded->output}, {});
  if (!out.ok()) return Fail(out.status());
  const double run_seconds = Since(run_start);
  std::printf("{\"seconds\": %.3f, \"vm_hwm_kb\": %ld, \"phases\": {\"load_spec\": %.4f, "
              "\"apply\": %.4f, \"session_create\": %.4f, \"initializers\": %.4f, "
              "\"first_run\": %.4f}}\n",
              Since(start), VmHwmKb(), loaded->spec_seconds, loaded->apply_seconds,
              loaded->session_seconds, loaded->init_seconds, run_seconds);
  return 0;
}

std::vector<std::string> ReadLines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

int Embed(const std::string& module_dir, const std::string& sentences_file,
          const std::string& out_file) {
  std::vector<std::string> sentences = ReadLines(sentences_file);
  StatusOr<Loaded> loaded = Load(module_dir);
  if (!loaded.ok()) return Fail(loaded.status());
  StatusOr<Tensor> batch = Batch(sentences, 0, sentences.size());
  if (!batch.ok()) return Fail(batch.status());
  StatusOr<std::vector<Tensor>> out =
      loaded->session->Run({{loaded->input, *batch}}, {loaded->output}, {});
  if (!out.ok()) return Fail(out.status());
  Status written = WriteNpyFile(out_file, (*out)[0]);
  if (!written.ok()) return Fail(written);
  std::printf("{}\n");
  return 0;
}

int Throughput(const std::string& module_dir, const std::string& sentences_file, size_t batch,
               int reps) {
  std::vector<std::string> sentences = ReadLines(sentences_file);
  StatusOr<Loaded> loaded = Load(module_dir);
  if (!loaded.ok()) return Fail(loaded.status());
  std::vector<Tensor> batches;
  for (size_t b = 0; b < sentences.size(); b += batch) {
    StatusOr<Tensor> t = Batch(sentences, b, std::min(sentences.size(), b + batch));
    if (!t.ok()) return Fail(t.status());
    batches.push_back(*t);
  }
  double best = 1e30;
  for (int rep = 0; rep <= reps; ++rep) {  // rep 0 warms up
    const auto start = Clock::now();
    for (const Tensor& t : batches) {
      StatusOr<std::vector<Tensor>> out =
          loaded->session->Run({{loaded->input, t}}, {loaded->output}, {});
      if (!out.ok()) return Fail(out.status());
    }
    if (rep > 0) best = std::min(best, Since(start));
  }
  std::printf("{\"sentences\": %zu, \"seconds\": %.4f, \"sentences_per_second\": %.1f, "
              "\"vm_hwm_kb\": %ld}\n",
              sentences.size(), best, sentences.size() / best, VmHwmKb());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> a(argv + 1, argv + argc);
  auto arg = [&](size_t i, const char* fallback) { return i < a.size() ? a[i] : std::string(fallback); };
  if (a.size() >= 4 && a[0] == "gen-embeddings") {
    return GenEmbeddings(a[1], std::stoll(a[2]), std::stoll(a[3]), std::stoul(arg(4, "1")));
  }
  if (a.size() >= 4 && a[0] == "gen-sentences") {
    return GenSentences(a[1], std::stoll(a[2]), std::stoll(a[3]), std::stoul(arg(4, "2")));
  }
  if (a.size() == 3 && a[0] == "export") return Export(a[1], a[2]);
  if (a.size() == 4 && a[0] == "embed") return Embed(a[1], a[2], a[3]);
  if (a.size() == 2 && a[0] == "first-result") return FirstResult(a[1]);
  if (a.size() >= 3 && a[0] == "throughput") {
    return Throughput(a[1], a[2], std::stoul(arg(3, "1000")), std::stoi(arg(4, "3")));
  }
  std::fprintf(stderr,
               "usage: text_embedding_bench gen-embeddings FILE ROWS DIM [SEED] | "
               "gen-sentences FILE COUNT VOCAB [SEED] | export FILE OUT | first-result MODULE | "
               "throughput MODULE SENTENCES [BATCH] [REPS]\n");
  return 2;
}
