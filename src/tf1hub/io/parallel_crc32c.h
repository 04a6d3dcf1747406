// ParallelCrc32c: the CRC-32C of a large buffer, computed in fixed-size
// chunks by the calling thread and a few helper threads, the chunks' CRCs
// then combined (crc32c::CombineWithFactor) into the CRC of the whole. The
// result is always exactly crc32c::Value(data, n).
//
//   ParallelCrc32c crc(/*threads=*/4, /*chunk_bytes=*/1 << 20);
//   uint32_t c = crc.Value(data, n);  // from any thread
//
// Used by BundleReader to verify large tensors: a memory-mapped read is
// bound by the checksum pass (and the page faults it takes), which one core
// cannot do at the memory's speed.
//
// Scheduling: buffers shorter than two chunks are summed on the caller.
// Otherwise the call posts a job; the caller and any idle helpers take its
// chunks one at a time from a shared counter, so a helper that is slow or
// busy with another caller's job only delays the result by the one chunk it
// holds. Helpers are started on the first parallel call (threads - 1 of
// them; if the system refuses a thread, the caller does the work) and
// joined by the destructor.
//
// Thread safety: Value() may be called concurrently; the object must outlive
// the calls.
#ifndef TF1HUB_IO_PARALLEL_CRC32C_H_
#define TF1HUB_IO_PARALLEL_CRC32C_H_

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace tf1hub {

class ParallelCrc32c {
 public:
  // `threads` counts the caller (1: always sequential); `chunk_bytes` > 0.
  ParallelCrc32c(int threads, size_t chunk_bytes);
  ~ParallelCrc32c();
  ParallelCrc32c(const ParallelCrc32c&) = delete;
  ParallelCrc32c& operator=(const ParallelCrc32c&) = delete;

  // CRC-32C of data[0, n) (unmasked), == crc32c::Value(data, n).
  uint32_t Value(const char* data, size_t n);

  int threads() const { return threads_; }
  size_t chunk_bytes() const { return chunk_bytes_; }
  // Helper threads running now (0 before the first parallel call).
  int helpers_started() const;

 private:
  struct Job;
  // Takes chunks of `job` until none are left.
  static void Work(Job& job);
  void StartHelpersLocked();
  void HelperLoop();
  void ForgetLocked(const Job* job);

  const int threads_;
  const size_t chunk_bytes_;
  const uint32_t chunk_factor_;  // crc32c::CombineFactor(chunk_bytes_)

  mutable std::mutex mu_;
  std::condition_variable work_cv_;           // a job was posted, or stop_
  std::deque<std::shared_ptr<Job>> pending_;  // jobs with chunks left
  std::vector<std::thread> helpers_;
  bool helpers_tried_ = false;
  bool stop_ = false;
};

}  // namespace tf1hub

#endif  // TF1HUB_IO_PARALLEL_CRC32C_H_
