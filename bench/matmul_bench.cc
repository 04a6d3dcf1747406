// MatMul microbenchmarks: tf1hub's GEMM (OpenBLAS, split over the intra-op
// pool; kernels/matmul_math.h) against Eigen's tensor contraction on the
// same pool, and the seed network's kernels one by one (MatMul, BiasAdd,
// Relu for [batch,50] -> dense 200 -> dense 100) run through KernelRunner.
//
//   build/bench/matmul_bench --benchmark_filter=Gemm
//
// Items are multiply-adds (GEMM) or elements (element-wise kernels).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "tf1hub/kernels/eigen_support.h"
#include "tf1hub/kernels/kernel_test_util.h"
#include "tf1hub/kernels/matmul_math.h"
#include "tf1hub/kernels/thread_pool.h"
#include "tf1hub/tensor.h"

namespace tf1hub {
namespace {

class PoolSharder : public matmul::Sharder {
 public:
  explicit PoolSharder(const IntraOpThreadPool* pool) : pool_(pool) {}
  int num_threads() const override { return pool_->num_threads(); }
  void ParallelFor(int64_t total, int64_t cost,
                   const std::function<void(int64_t, int64_t)>& work) const override {
    pool_->ParallelFor(total, cost, work);
  }

 private:
  const IntraOpThreadPool* pool_;
};

std::vector<float> Random(int64_t n) {
  std::mt19937 gen(42);
  std::uniform_real_distribution<float> dist(-1, 1);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = dist(gen);
  return v;
}

// Args: m, k, n.
void BM_GemmOurs(benchmark::State& state) {
  const int64_t m = state.range(0), k = state.range(1), n = state.range(2);
  const std::vector<float> a = Random(m * k), b = Random(k * n);
  std::vector<float> c(static_cast<size_t>(m * n));
  const PoolSharder sharder(IntraOpThreadPool::Default());
  matmul::GemmDims d;
  d.m = m;
  d.n = n;
  d.k = k;
  for (auto _ : state) {
    matmul::Gemm<float>(d, a.data(), b.data(), c.data(), sharder);
    benchmark::DoNotOptimize(c.data());
  }
  state.SetItemsProcessed(state.iterations() * m * n * k);
}

void BM_GemmEigenContraction(benchmark::State& state) {
  const int64_t m = state.range(0), k = state.range(1), n = state.range(2);
  const std::vector<float> a = Random(m * k), b = Random(k * n);
  std::vector<float> c(static_cast<size_t>(m * n));
  using Map = Eigen::TensorMap<Eigen::Tensor<float, 2, Eigen::RowMajor>>;
  using ConstMap = Eigen::TensorMap<Eigen::Tensor<const float, 2, Eigen::RowMajor>>;
  ConstMap am(a.data(), m, k), bm(b.data(), k, n);
  Map cm(c.data(), m, n);
  const Eigen::array<Eigen::IndexPair<Eigen::Index>, 1> dims = {
      Eigen::IndexPair<Eigen::Index>(1, 0)};
  const Eigen::ThreadPoolDevice& device = IntraOpThreadPool::Default()->device();
  for (auto _ : state) {
    cm.device(device) = am.contract(bm, dims);
    benchmark::DoNotOptimize(c.data());
  }
  state.SetItemsProcessed(state.iterations() * m * n * k);
}

void GemmShapes(benchmark::internal::Benchmark* b) {
  for (int64_t batch : {1, 1024}) {
    b->Args({batch, 50, 200});   // seed network, layer 1
    b->Args({batch, 200, 100});  // seed network, layer 2
  }
  b->Args({256, 256, 256});
  b->Args({1024, 1024, 1024});
}
BENCHMARK(BM_GemmOurs)->Apply(GemmShapes)->UseRealTime();
BENCHMARK(BM_GemmEigenContraction)->Apply(GemmShapes)->UseRealTime();

Tensor RandomTensor(std::initializer_list<int64_t> dims) {
  const TensorShape shape = *TensorShape::Create(dims);
  return *Tensor::FromVector<float>(Random(shape.num_elements()), shape);
}

void RunKernel(benchmark::State& state, KernelRunner& runner, int64_t items) {
  if (!runner.Run().ok()) {  // creates the kernel; fails loudly once
    state.SkipWithError("kernel failed");
    return;
  }
  for (auto _ : state) {
    auto out = runner.Run();
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * items);
}

// The seed network's kernels at batch range(0): a MatMul of layer 1 and 2,
// their BiasAdds and the Relu.
void BM_SeedMatMul1(benchmark::State& state) {
  const int64_t batch = state.range(0);
  KernelRunner r("MatMul");
  r.Attr("T", DataType::kFloat).Input(RandomTensor({batch, 50})).Input(RandomTensor({50, 200}));
  RunKernel(state, r, batch * 50 * 200);
}
void BM_SeedMatMul2(benchmark::State& state) {
  const int64_t batch = state.range(0);
  KernelRunner r("MatMul");
  r.Attr("T", DataType::kFloat).Input(RandomTensor({batch, 200})).Input(RandomTensor({200, 100}));
  RunKernel(state, r, batch * 200 * 100);
}
void BM_SeedBiasAdd(benchmark::State& state) {
  const int64_t batch = state.range(0);
  KernelRunner r("BiasAdd");
  r.Attr("T", DataType::kFloat).Input(RandomTensor({batch, 200})).Input(RandomTensor({200}));
  RunKernel(state, r, batch * 200);
}
void BM_SeedRelu(benchmark::State& state) {
  const int64_t batch = state.range(0);
  KernelRunner r("Relu");
  r.Attr("T", DataType::kFloat).Input(RandomTensor({batch, 200}));
  RunKernel(state, r, batch * 200);
}
BENCHMARK(BM_SeedMatMul1)->Arg(1)->Arg(1024)->UseRealTime();
BENCHMARK(BM_SeedMatMul2)->Arg(1)->Arg(1024)->UseRealTime();
BENCHMARK(BM_SeedBiasAdd)->Arg(1)->Arg(1024)->UseRealTime();
BENCHMARK(BM_SeedRelu)->Arg(1)->Arg(1024)->UseRealTime();

}  // namespace
}  // namespace tf1hub

BENCHMARK_MAIN();
