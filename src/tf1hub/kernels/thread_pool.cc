#include "tf1hub/kernels/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>

#include "tf1hub/kernels/eigen_support.h"

namespace tf1hub {

IntraOpThreadPool::IntraOpThreadPool(int num_threads)
    : num_threads_(std::max(1, num_threads)),
      pool_(std::make_unique<Eigen::ThreadPool>(num_threads_)),
      device_(std::make_unique<Eigen::ThreadPoolDevice>(pool_.get(), num_threads_)) {}

IntraOpThreadPool::~IntraOpThreadPool() {
  device_.reset();  // the device refers to the pool
  pool_.reset();
}

const IntraOpThreadPool* IntraOpThreadPool::Default() {
  static const IntraOpThreadPool* const pool = [] {
    unsigned n = std::thread::hardware_concurrency();
    return new IntraOpThreadPool(n == 0 ? 1 : static_cast<int>(n));
  }();
  return pool;
}

namespace {

// One ParallelFor's blocks, claimed one at a time by the calling thread and
// the helpers it scheduled. A helper that starts after every block was
// claimed finds nothing to do and never touches `work`; shared ownership
// keeps the state alive for such late helpers after ParallelFor returned.
struct ParallelForState {
  ParallelForState(const std::function<void(int64_t, int64_t)>* work, int64_t total,
                   int32_t num_blocks)
      : work(work), total(total), num_blocks(num_blocks) {}

  // Runs unclaimed blocks until there are none.
  void RunBlocks() {
    int32_t ran = 0;
    for (int32_t b; (b = next.fetch_add(1, std::memory_order_relaxed)) < num_blocks;) {
      (*work)(Boundary(b), Boundary(b + 1));
      ++ran;
    }
    if (ran > 0 && done.fetch_add(ran, std::memory_order_acq_rel) + ran == num_blocks) {
      done.notify_all();
    }
  }

  // Block b is [Boundary(b), Boundary(b + 1)): sizes differ by at most one,
  // none is empty (num_blocks <= total).
  int64_t Boundary(int32_t b) const {
    return static_cast<int64_t>(static_cast<__int128>(total) * b / num_blocks);
  }

  // Returns once every block has run.
  void WaitForAll() {
    int32_t d = done.load(std::memory_order_acquire);
    // The blocks still running were claimed by helpers already at work:
    // spin briefly before sleeping.
    for (int spin = 0; d != num_blocks && spin < 4000; ++spin) {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
      d = done.load(std::memory_order_acquire);
    }
    while (d != num_blocks) {
      done.wait(d, std::memory_order_acquire);
      d = done.load(std::memory_order_acquire);
    }
  }

  const std::function<void(int64_t, int64_t)>* const work;
  const int64_t total;
  const int32_t num_blocks;
  std::atomic<int32_t> next{0};
  std::atomic<int32_t> done{0};
};

}  // namespace

void IntraOpThreadPool::ParallelFor(int64_t total, int64_t cost_per_unit,
                                    const std::function<void(int64_t, int64_t)>& work) const {
  if (total <= 0) return;
  if (num_threads_ == 1 || total == 1) {
    work(0, total);
    return;
  }
  // Eigen's cost model decides how many threads the work is worth.
  const Eigen::TensorOpCost cost(0, 0, static_cast<double>(std::max<int64_t>(cost_per_unit, 1)));
  const int threads = Eigen::TensorCostModel<Eigen::ThreadPoolDevice>::numThreads(
      static_cast<double>(total), cost, num_threads_);
  if (threads <= 1) {
    work(0, total);
    return;
  }
  // The caller works too, claiming blocks from the start instead of waiting
  // for helpers to wake (a wake-up can cost tens of microseconds on a busy
  // or virtual machine), and only sleeps once every block is claimed.
  // Blocks of about kBlockCycles even out uneven work and late helpers (a
  // thread finishing early waits at most for one block), up to
  // kMaxBlocksPerThread per thread.
  const double total_cycles = static_cast<double>(total) * static_cast<double>(cost_per_unit);
  const int64_t wanted = static_cast<int64_t>(
      std::min(total_cycles / kBlockCycles, double{kMaxBlocksPerThread} * threads));
  const int32_t num_blocks =
      static_cast<int32_t>(std::min<int64_t>(total, std::max<int64_t>(threads, wanted)));
  auto state = std::make_shared<ParallelForState>(&work, total, num_blocks);
  for (int h = 1; h < threads; ++h) pool_->Schedule([state] { state->RunBlocks(); });
  state->RunBlocks();
  state->WaitForAll();
}

}  // namespace tf1hub
