// IntraOpThreadPool: the threads kernels use to split one op's work (an
// Eigen::ThreadPool plus the Eigen::ThreadPoolDevice that runs Eigen tensor
// expressions on it).
//
//   const IntraOpThreadPool& pool = *IntraOpThreadPool::Default();
//   pool.ParallelFor(n, /*cost_per_unit=*/10, [&](int64_t b, int64_t e) { ... });
//
// Thread safety: all methods may be called from any thread; several
// sessions and concurrent runs share the default pool.
#ifndef TF1HUB_KERNELS_THREAD_POOL_H_
#define TF1HUB_KERNELS_THREAD_POOL_H_

#include <cstdint>
#include <functional>
#include <memory>

namespace Eigen {
class ThreadPoolInterface;
struct ThreadPoolDevice;
}  // namespace Eigen

namespace tf1hub {

class IntraOpThreadPool {
 public:
  // `num_threads` >= 1; with 1 everything runs on the calling thread.
  explicit IntraOpThreadPool(int num_threads);
  ~IntraOpThreadPool();
  IntraOpThreadPool(const IntraOpThreadPool&) = delete;
  IntraOpThreadPool& operator=(const IntraOpThreadPool&) = delete;

  // The process-wide pool, one thread per hardware thread (created on first
  // use, never destroyed).
  static const IntraOpThreadPool* Default();

  int num_threads() const { return num_threads_; }
  const Eigen::ThreadPoolDevice& device() const { return *device_; }

  // Runs work(begin, end) on disjoint ranges covering [0, total), on the
  // calling thread when total * cost_per_unit is small, and returns when all
  // ranges are done. cost_per_unit: rough CPU cycles per unit of work.
  // Otherwise the range is cut into blocks of about kBlockCycles (at least
  // one and at most kMaxBlocksPerThread per thread the work is worth); the
  // calling thread and the pool threads it wakes claim blocks one at a
  // time, so the caller starts at once and a slow thread leaves its blocks
  // to the others.
  void ParallelFor(int64_t total, int64_t cost_per_unit,
                   const std::function<void(int64_t, int64_t)>& work) const;
  static constexpr double kBlockCycles = 50000;
  static constexpr int kMaxBlocksPerThread = 16;

 private:
  int num_threads_;
  std::unique_ptr<Eigen::ThreadPoolInterface> pool_;
  std::unique_ptr<Eigen::ThreadPoolDevice> device_;
};

}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_THREAD_POOL_H_
