#include "tf1hub/io/parallel_crc32c.h"

#include <algorithm>
#include <atomic>
#include <system_error>
#include <utility>

#include "tf1hub/core/crc32c.h"

namespace tf1hub {

// One Value() call split into `count` chunks: [i * chunk, +chunk), the last
// one shorter. Chunk indices are handed out by `next`; each finished chunk
// stores its CRC and bumps `done` (release), which the caller waits for
// (acquire) before combining.
struct ParallelCrc32c::Job {
  const char* data = nullptr;
  size_t size = 0;
  size_t chunk = 0;
  size_t count = 0;
  std::unique_ptr<uint32_t[]> crcs;
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  std::mutex mu;
  std::condition_variable done_cv;  // done == count
};

ParallelCrc32c::ParallelCrc32c(int threads, size_t chunk_bytes)
    : threads_(std::max(1, threads)),
      chunk_bytes_(std::max<size_t>(1, chunk_bytes)),
      chunk_factor_(crc32c::CombineFactor(chunk_bytes_)) {}

ParallelCrc32c::~ParallelCrc32c() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  for (std::thread& t : helpers_) t.join();
}

int ParallelCrc32c::helpers_started() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(helpers_.size());
}

void ParallelCrc32c::Work(Job& job) {
  for (;;) {
    const size_t i = job.next.fetch_add(1, std::memory_order_relaxed);
    if (i >= job.count) return;
    const size_t begin = i * job.chunk;
    const size_t len = std::min(job.chunk, job.size - begin);
    job.crcs[i] = crc32c::Value(job.data + begin, len);
    if (job.done.fetch_add(1, std::memory_order_acq_rel) + 1 == job.count) {
      // Taking the lock orders this notify after the waiter's predicate
      // check, so the wake-up cannot be lost.
      std::lock_guard<std::mutex> lock(job.mu);
      job.done_cv.notify_all();
    }
  }
}

void ParallelCrc32c::StartHelpersLocked() {
  helpers_tried_ = true;
  for (int i = 1; i < threads_; ++i) {
    // std::thread reports failure (e.g. EAGAIN) by throwing; the caller then
    // takes the chunks itself, so fewer helpers only cost speed.
    try {
      helpers_.emplace_back([this] { HelperLoop(); });
    } catch (const std::system_error&) {
      break;
    }
  }
}

void ParallelCrc32c::ForgetLocked(const Job* job) {
  auto it = std::find_if(pending_.begin(), pending_.end(),
                         [job](const std::shared_ptr<Job>& j) { return j.get() == job; });
  if (it != pending_.end()) pending_.erase(it);
}

void ParallelCrc32c::HelperLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    work_cv_.wait(lock, [this] { return stop_ || !pending_.empty(); });
    if (stop_) return;
    std::shared_ptr<Job> job = pending_.front();  // keeps it alive while working
    lock.unlock();
    Work(*job);
    lock.lock();
    ForgetLocked(job.get());  // no chunks left
  }
}

uint32_t ParallelCrc32c::Value(const char* data, size_t n) {
  if (threads_ <= 1 || n < 2 * chunk_bytes_) return crc32c::Value(data, n);

  auto job = std::make_shared<Job>();
  job->data = data;
  job->size = n;
  job->chunk = chunk_bytes_;
  job->count = (n + chunk_bytes_ - 1) / chunk_bytes_;
  job->crcs = std::make_unique<uint32_t[]>(job->count);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!helpers_tried_) StartHelpersLocked();
    pending_.push_back(job);
  }
  work_cv_.notify_all();
  Work(*job);
  {
    std::lock_guard<std::mutex> lock(mu_);
    ForgetLocked(job.get());
  }
  {
    std::unique_lock<std::mutex> lock(job->mu);
    job->done_cv.wait(lock,
                      [&] { return job->done.load(std::memory_order_acquire) == job->count; });
  }
  uint32_t crc = job->crcs[0];
  for (size_t i = 1; i + 1 < job->count; ++i) {
    crc = crc32c::CombineWithFactor(crc, job->crcs[i], chunk_factor_);
  }
  const size_t last = job->count - 1;
  return crc32c::Combine(crc, job->crcs[last], n - last * chunk_bytes_);
}

}  // namespace tf1hub
