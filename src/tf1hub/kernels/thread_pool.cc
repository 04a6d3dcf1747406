#include "tf1hub/kernels/thread_pool.h"

#include <algorithm>
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

void IntraOpThreadPool::ParallelFor(int64_t total, int64_t cost_per_unit,
                                    const std::function<void(int64_t, int64_t)>& work) const {
  if (total <= 0) return;
  if (num_threads_ == 1 || total == 1) {
    work(0, total);
    return;
  }
  // Eigen's cost model decides how many shards are worth their overhead and
  // runs everything inline when one is enough.
  const Eigen::TensorOpCost cost(0, 0, static_cast<double>(std::max<int64_t>(cost_per_unit, 1)));
  device_->parallelFor(static_cast<Eigen::Index>(total), cost,
                       [&work](Eigen::Index begin, Eigen::Index end) { work(begin, end); });
}

}  // namespace tf1hub
