// Checkpoint write/read throughput: by default a 1 GiB V2 checkpoint of 64
// float32 tensors of shape [4096, 1024], written with CheckpointWriter and
// read back with CheckpointReader: Open, then Read of every tensor, returned
// as memory-mapped views whose CRC-32C is verified over every byte (on all
// cores, the reader's default) -- what a user of a memory-mapped read gets.
// Variants add summing every float on the caller, verify on one thread, or
// read on one caller thread per core.
//
// Knobs (environment):
//   TF1HUB_BENCH_DIR          where scratch files go (default: see ScratchBase)
//   TF1HUB_BENCH_MB           total size in MiB (default 1024; e.g. 16 to smoke-test)
//   TF1HUB_BENCH_TENSORS      number of tensors (default 64); each is [rows, 1024]
//   TF1HUB_BENCH_READ_PREFIX  read this existing checkpoint instead of our own
//                             (e.g. one TensorFlow wrote); reads are then not verified
//   TF1HUB_BENCH_COLD=1       drop the page cache before each timed read (root)
//   TF1HUB_BENCH_KEEP=1       keep the scratch directory (its read/model.ckpt is
//                             then left for others to read, e.g. TensorFlow)
//   TF1HUB_BENCH_VERIFY_CHUNK_KB  the reader's verify_chunk_bytes / 1024 (default:
//                             the reader's default, 1024)
//
// floor/* measure, on the in-memory source tensors, what any read must at
// least pay: one CRC-32C pass, one summing pass, one memcpy (one core), and
// a read-only pass (one core and all cores: the memory bandwidth).
//
// Every benchmark reports wall time per operation (manual time) and bytes/s.
// bench/compare_checkpoint.py runs this next to TensorFlow and prints ratios.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench_env.h"
#include "tf1hub/core/crc32c.h"  // internal: for the CRC floor
#include "tf1hub/checkpoint.h"
#include "tf1hub/tensor.h"

namespace tf1hub::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int64_t kCols = 1024;

struct Workload {
  int64_t num_tensors = 0;
  int64_t rows = 0;
  int64_t total_bytes = 0;
  std::string dir;           // our scratch directory (removed at exit)
  std::string write_prefix;  // rewritten by the write benchmarks
  std::string read_prefix;   // written once, read by the read benchmarks
  bool read_prefix_external = false;
  std::vector<std::string> names;
  std::vector<Tensor> tensors;              // made on first use
  std::map<std::string, double> expected;   // name -> SumFloats of the source
  bool read_prefix_ready = false;
};

Workload& W() {
  static Workload* w = new Workload();
  return *w;
}

// Sum with 32 independent accumulators (eight SSE registers) so the loop is
// limited by memory bandwidth rather than by the latency of dependent adds,
// and vectorises without -ffast-math; the result only needs to be
// deterministic.
double SumFloats(std::span<const float> v) {
  constexpr size_t kLanes = 32;
  float acc[kLanes] = {};
  size_t i = 0;
  const size_t n = v.size();
  const float* p = v.data();
  for (; i + kLanes <= n; i += kLanes) {
    for (size_t j = 0; j < kLanes; ++j) acc[j] += p[i + j];
  }
  double s = 0;
  for (float a : acc) s += a;
  for (; i < n; ++i) s += p[i];
  return s;
}

// Fills the source tensors with xorshift noise in [-1, 1) (once).
bool EnsureTensors(std::string* error) {
  Workload& w = W();
  if (!w.tensors.empty()) return true;
  StatusOr<TensorShape> shape = TensorShape::Create({w.rows, kCols});
  if (!shape.ok()) {
    *error = shape.status().ToString();
    return false;
  }
  uint64_t x = 0x9E3779B97F4A7C15ull;
  for (int64_t t = 0; t < w.num_tensors; ++t) {
    StatusOr<Tensor> tensor = Tensor::Create(DataType::kFloat, *shape);
    if (!tensor.ok()) {
      *error = tensor.status().ToString();
      return false;
    }
    std::span<float> v = tensor->mutable_flat<float>();
    for (float& f : v) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      f = static_cast<float>(static_cast<int64_t>(x >> 40) - (1 << 23)) / (1 << 23);
    }
    w.expected[w.names[t]] = SumFloats(v);
    w.tensors.push_back(*std::move(tensor));
  }
  return true;
}

Status WriteCheckpoint(const std::string& prefix) {
  Workload& w = W();
  ASSIGN_OR_RETURN(std::unique_ptr<CheckpointWriter> writer, CheckpointWriter::Create(prefix));
  for (size_t i = 0; i < w.tensors.size(); ++i) {
    RETURN_IF_ERROR(writer->Add(w.names[i], w.tensors[i]));
  }
  return writer->Finish();
}

bool EnsureReadPrefix(std::string* error) {
  Workload& w = W();
  if (w.read_prefix_ready) return true;
  if (!w.read_prefix_external) {
    if (!EnsureTensors(error)) return false;
    Status s = WriteCheckpoint(w.read_prefix);
    if (!s.ok()) {
      *error = s.ToString();
      return false;
    }
    sync();
  }
  w.read_prefix_ready = true;
  return true;
}

// Writes the whole checkpoint per iteration; old files are deleted and dirty
// pages flushed outside the timed region. With `fsync`, the files are also
// fsync()ed inside it (durable write).
void BM_CheckpointWrite(benchmark::State& state, bool fsync) {
  Workload& w = W();
  std::string error;
  if (!EnsureTensors(&error)) {
    state.SkipWithError(error.c_str());
    return;
  }
  for (auto _ : state) {
    state.PauseTiming();  // keeps the untimed work out of the CPU time too
    RemoveFilesWithPrefix(w.write_prefix);
    sync();
    state.ResumeTiming();
    Clock::time_point start = Clock::now();
    Status s = WriteCheckpoint(w.write_prefix);
    if (s.ok() && fsync && !FsyncFiles(FilesWithPrefix(w.write_prefix), &error)) {
      s = InternalError(error);
    }
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - start).count());
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      break;
    }
  }
  state.SetBytesProcessed(state.iterations() * w.total_bytes);
  state.counters["tensors"] = static_cast<double>(w.num_tensors);
  RemoveFilesWithPrefix(w.write_prefix);
}

enum class ReadMode { kOpenOnly, kReadNoSum, kReadAndSum };

// Reader settings of a read benchmark.
struct ReadConfig {
  ReadMode mode = ReadMode::kReadNoSum;
  int threads = 1;         // caller threads, entries dealt round-robin
  int verify_threads = 0;  // CheckpointReader::Options::verify_threads
};

// What one reading thread saw.
struct ReadTally {
  Status status;
  int64_t bytes = 0, tensors = 0, views = 0;
  std::map<std::string, double> sums;
};

// Reads entries first, first + stride, ... of `reader` (and sums them).
void ReadEntries(const CheckpointReader& reader, ReadMode mode, size_t first, size_t stride,
                 ReadTally* tally) {
  const std::vector<CheckpointEntryInfo>& entries = reader.Entries();
  for (size_t i = first; i < entries.size(); i += stride) {
    StatusOr<Tensor> t = reader.Read(entries[i].name);
    if (!t.ok()) {
      tally->status = t.status();
      return;
    }
    tally->bytes += static_cast<int64_t>(t->TotalBytes());
    ++tally->tensors;
    tally->views += t->IsView() ? 1 : 0;
    if (mode == ReadMode::kReadAndSum && t->dtype() == DataType::kFloat) {
      double sum = SumFloats(t->flat<float>());
      benchmark::DoNotOptimize(sum);
      tally->sums[entries[i].name] = sum;
    }
  }
}

// Opens the checkpoint and reads every tensor per iteration, on `threads`
// threads (entries dealt round-robin); the reader and its mappings are
// destroyed inside the timed region too.
void BM_CheckpointRead(benchmark::State& state, ReadConfig config) {
  const ReadMode mode = config.mode;
  const int threads = config.threads;
  CheckpointReader::Options options;
  options.verify_threads = config.verify_threads;
  if (const int64_t kb = EnvInt("TF1HUB_BENCH_VERIFY_CHUNK_KB", 0); kb > 0) {
    options.verify_chunk_bytes = static_cast<uint64_t>(kb) << 10;
  }
  Workload& w = W();
  std::string error;
  if (!EnsureReadPrefix(&error)) {
    state.SkipWithError(error.c_str());
    return;
  }
  const bool cold = ColdCacheRequested();
  ReadTally total;
  for (auto _ : state) {
    state.PauseTiming();
    if (cold && !DropPageCache(&error)) {
      state.SkipWithError(error.c_str());
      break;
    }
    std::vector<ReadTally> tallies(threads);
    state.ResumeTiming();
    Status status;
    Clock::time_point start = Clock::now();
    {
      StatusOr<std::unique_ptr<CheckpointReader>> reader =
          CheckpointReader::Open(w.read_prefix, options);
      if (!reader.ok()) {
        status = reader.status();
      } else if (mode != ReadMode::kOpenOnly) {
        std::vector<std::thread> pool;
        for (int t = 1; t < threads; ++t) {
          pool.emplace_back(ReadEntries, std::cref(**reader), mode, t, threads, &tallies[t]);
        }
        ReadEntries(**reader, mode, 0, threads, &tallies[0]);
        for (std::thread& th : pool) th.join();
      }
    }
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - start).count());
    state.PauseTiming();
    total = ReadTally();
    total.status = status;
    for (ReadTally& t : tallies) {
      if (total.status.ok() && !t.status.ok()) total.status = t.status;
      total.bytes += t.bytes;
      total.tensors += t.tensors;
      total.views += t.views;
      total.sums.merge(t.sums);
    }
    if (!total.status.ok()) {
      state.SkipWithError(total.status.ToString().c_str());
      break;
    }
    if (mode == ReadMode::kReadAndSum && !w.read_prefix_external && total.sums != w.expected) {
      state.SkipWithError("read back different values than were written");
      break;
    }
    state.ResumeTiming();
  }
  if (mode == ReadMode::kOpenOnly) {
    state.SetItemsProcessed(state.iterations());
  } else {
    state.SetBytesProcessed(state.iterations() * total.bytes);
    state.counters["tensors"] = static_cast<double>(total.tensors);
    state.counters["mmap_views"] = static_cast<double>(total.views);
    state.counters["threads"] = threads;
    state.counters["verify_threads"] = config.verify_threads;
  }
}

enum class Floor { kCrc32c, kSum, kMemcpy, kScan, kScanAllCores };

// XOR of every 8-byte word: a read-only pass as cheap as it gets, so its
// speed is the memory's read bandwidth (cloned for the widest vectors the
// CPU has, so the loads are not the limit).
#if defined(__x86_64__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
uint64_t ScanWords(const char* p, size_t n) {
  constexpr size_t kLanes = 32;
  uint64_t acc[kLanes] = {};
  size_t i = 0;
  for (; i + 8 * kLanes <= n; i += 8 * kLanes) {
    for (size_t j = 0; j < kLanes; ++j) {
      uint64_t v;
      std::memcpy(&v, p + i + 8 * j, 8);
      acc[j] ^= v;
    }
  }
  uint64_t r = 0;
  for (uint64_t a : acc) r ^= a;
  for (; i < n; ++i) r ^= static_cast<unsigned char>(p[i]);
  return r;
}

// The in-memory floors of a read, on the source tensors (no files): one
// CRC-32C pass, one summing pass, one copy. A warm-cache read verifies CRCs
// over all bytes, so it cannot beat the CRC floor single-threaded.
void BM_Floor(benchmark::State& state, Floor floor) {
  Workload& w = W();
  std::string error;
  if (!EnsureTensors(&error)) {
    state.SkipWithError(error.c_str());
    return;
  }
  std::vector<char> dst(floor == Floor::kMemcpy ? w.tensors[0].TotalBytes() : 0);
  for (auto _ : state) {
    Clock::time_point start = Clock::now();
    uint64_t acc = 0;
    for (const Tensor& t : w.tensors) {
      const char* p = static_cast<const char*>(t.raw_data());
      switch (floor) {
        case Floor::kCrc32c: acc += crc32c::Value(p, t.TotalBytes()); break;
        case Floor::kSum: acc += static_cast<uint64_t>(SumFloats(t.flat<float>())); break;
        case Floor::kMemcpy:
          std::memcpy(dst.data(), p, t.TotalBytes());
          benchmark::ClobberMemory();
          break;
        case Floor::kScan: acc += ScanWords(p, t.TotalBytes()); break;
        case Floor::kScanAllCores: break;  // below
      }
    }
    if (floor == Floor::kScanAllCores) {
      // Each core scans its share of every tensor.
      const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
      std::vector<uint64_t> part(cores);
      auto scan = [&](int c) {
        for (const Tensor& t : w.tensors) {
          const size_t n = t.TotalBytes(), share = n / cores;
          const size_t begin = c * share, len = c + 1 == cores ? n - begin : share;
          part[c] ^= ScanWords(static_cast<const char*>(t.raw_data()) + begin, len);
        }
      };
      std::vector<std::thread> pool;
      for (int c = 1; c < cores; ++c) pool.emplace_back(scan, c);
      scan(0);
      for (std::thread& th : pool) th.join();
      for (uint64_t v : part) acc ^= v;
    }
    benchmark::DoNotOptimize(acc);
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - start).count());
  }
  state.SetBytesProcessed(state.iterations() * w.total_bytes);
}

void Register() {
  auto configure = [](benchmark::internal::Benchmark* b) {
    b->UseManualTime()->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();
  };
  configure(benchmark::RegisterBenchmark("checkpoint/write", BM_CheckpointWrite, false));
  configure(benchmark::RegisterBenchmark("checkpoint/write_fsync", BM_CheckpointWrite, true));
  // The read: every tensor as an mmap view, CRC verified (on all
  // cores: the reader's default), nothing else.
  configure(benchmark::RegisterBenchmark("checkpoint/read_nosum", BM_CheckpointRead,
                                         ReadConfig{ReadMode::kReadNoSum, 1, 0}));
  // The same with the checksums verified on the calling thread only.
  configure(benchmark::RegisterBenchmark("checkpoint/read_nosum_verify1", BM_CheckpointRead,
                                         ReadConfig{ReadMode::kReadNoSum, 1, 1}));
  // Plus summing every float on the (one) calling thread.
  configure(benchmark::RegisterBenchmark("checkpoint/read", BM_CheckpointRead,
                                         ReadConfig{ReadMode::kReadAndSum, 1, 0}));
  // The reader is thread-safe: one caller thread per core, entries dealt
  // round-robin, each summing what it read.
  const int cores = std::max(1u, std::thread::hardware_concurrency());
  configure(benchmark::RegisterBenchmark("checkpoint/read_parallel", BM_CheckpointRead,
                                         ReadConfig{ReadMode::kReadAndSum, cores, 0}));
  configure(benchmark::RegisterBenchmark("checkpoint/open", BM_CheckpointRead,
                                         ReadConfig{ReadMode::kOpenOnly, 1, 0}));
  configure(benchmark::RegisterBenchmark("floor/crc32c", BM_Floor, Floor::kCrc32c));
  configure(benchmark::RegisterBenchmark("floor/sum", BM_Floor, Floor::kSum));
  configure(benchmark::RegisterBenchmark("floor/memcpy", BM_Floor, Floor::kMemcpy));
  configure(benchmark::RegisterBenchmark("floor/scan", BM_Floor, Floor::kScan));
  configure(benchmark::RegisterBenchmark("floor/scan_all_cores", BM_Floor, Floor::kScanAllCores));
}

bool Setup(std::string* error) {
  Workload& w = W();
  w.num_tensors = EnvInt("TF1HUB_BENCH_TENSORS", 64);
  const int64_t mib = EnvInt("TF1HUB_BENCH_MB", 1024);
  w.rows = std::max<int64_t>(1, mib * (1 << 20) / (w.num_tensors * kCols * 4));
  w.total_bytes = w.num_tensors * w.rows * kCols * 4;
  for (int64_t i = 0; i < w.num_tensors; ++i) {
    char name[32];
    std::snprintf(name, sizeof(name), "var_%03lld", static_cast<long long>(i));
    w.names.push_back(name);
  }
  w.dir = MakeScratchDir("ckpt_bench", error);
  if (w.dir.empty()) return false;
  w.write_prefix = w.dir + "/write/model.ckpt";
  w.read_prefix = w.dir + "/read/model.ckpt";
  for (const char* sub : {"/write", "/read"}) {
    if (mkdir((w.dir + sub).c_str(), 0755) != 0) {
      *error = "creating " + w.dir + sub;
      return false;
    }
  }
  if (const char* p = std::getenv("TF1HUB_BENCH_READ_PREFIX"); p != nullptr && *p != '\0') {
    w.read_prefix = p;
    w.read_prefix_external = true;
  }
  benchmark::AddCustomContext("tf1hub_bench_dir", w.dir);
  benchmark::AddCustomContext("tf1hub_bench_fs", FileSystemTypeName(w.dir));
  benchmark::AddCustomContext("tf1hub_total_bytes", std::to_string(w.total_bytes));
  benchmark::AddCustomContext("tf1hub_num_tensors", std::to_string(w.num_tensors));
  char shape[64];  // snprintf: GCC 12 warns falsely (-Wrestrict) on "[" + to_string(...)
  std::snprintf(shape, sizeof(shape), "[%lld,%lld]", static_cast<long long>(w.rows),
                static_cast<long long>(kCols));
  benchmark::AddCustomContext("tf1hub_tensor_shape", shape);
  benchmark::AddCustomContext("tf1hub_read_prefix", w.read_prefix);
  benchmark::AddCustomContext("tf1hub_page_cache", ColdCacheRequested() ? "cold" : "warm");
  return true;
}

}  // namespace
}  // namespace tf1hub::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::string error;
  if (!tf1hub::bench::Setup(&error)) {
    std::fprintf(stderr, "checkpoint_bench: %s\n", error.c_str());
    return 1;
  }
  tf1hub::bench::Register();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (tf1hub::bench::EnvInt("TF1HUB_BENCH_KEEP", 0) != 1) {
    tf1hub::bench::RemoveTree(tf1hub::bench::W().dir);
  }
  return 0;
}
