// IntraOpThreadPool::ParallelFor: every index exactly once, blocks really
// run on several threads, and many callers may share one pool.
#include "tf1hub/kernels/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <set>
#include <thread>
#include <utility>
#include <vector>

namespace tf1hub {
namespace {

constexpr int64_t kExpensive = 1'000'000;  // cycles per unit: always worth threads

// The ranges one ParallelFor call handed out.
std::vector<std::pair<int64_t, int64_t>> Ranges(const IntraOpThreadPool& pool, int64_t total,
                                                int64_t cost) {
  std::mutex mu;
  std::vector<std::pair<int64_t, int64_t>> ranges;
  pool.ParallelFor(total, cost, [&](int64_t b, int64_t e) {
    std::lock_guard<std::mutex> lock(mu);
    ranges.emplace_back(b, e);
  });
  return ranges;
}

TEST(IntraOpThreadPoolTest, EveryIndexExactlyOnce) {
  for (int threads : {1, 2, 3, 5}) {
    IntraOpThreadPool pool(threads);
    for (int64_t total : {1, 2, 3, 7, 8, 9, 19, 100, 10007}) {
      for (int64_t cost : {int64_t{1}, kExpensive}) {
        std::vector<int> hits(static_cast<size_t>(total), 0);
        for (const auto& [b, e] : Ranges(pool, total, cost)) {
          ASSERT_LT(b, e) << "empty range; total " << total;
          ASSERT_GE(b, 0);
          ASSERT_LE(e, total);
          for (int64_t i = b; i < e; ++i) ++hits[static_cast<size_t>(i)];
        }
        for (int64_t i = 0; i < total; ++i) {
          ASSERT_EQ(hits[static_cast<size_t>(i)], 1)
              << "index " << i << " of " << total << ", " << threads << " threads";
        }
      }
    }
  }
}

TEST(IntraOpThreadPoolTest, CheapWorkStaysOnTheCaller) {
  IntraOpThreadPool pool(4);
  const auto ranges = Ranges(pool, 1000, 1);
  ASSERT_EQ(ranges.size(), 1u);
  EXPECT_EQ(ranges[0], std::make_pair(int64_t{0}, int64_t{1000}));
  ASSERT_EQ(Ranges(pool, 0, kExpensive).size(), 0u);
}

// The first block does not finish until another block has started: only
// true when some other thread claims blocks while the caller is busy.
TEST(IntraOpThreadPoolTest, BlocksRunConcurrently) {
  IntraOpThreadPool pool(2);
  std::atomic<int> started{0};
  std::atomic<bool> overlapped{false};
  pool.ParallelFor(8, kExpensive, [&](int64_t b, int64_t) {
    started.fetch_add(1);
    if (b != 0) return;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (started.load() < 2 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    overlapped = started.load() >= 2;
  });
  EXPECT_TRUE(overlapped.load());
  EXPECT_EQ(started.load(), 8);
}

TEST(IntraOpThreadPoolTest, ManyCallersShareOnePool) {
  IntraOpThreadPool pool(2);
  std::vector<std::thread> callers;
  std::atomic<int> failures{0};
  for (int c = 0; c < 4; ++c) {
    callers.emplace_back([&, c] {
      for (int round = 0; round < 200; ++round) {
        const int64_t total = 1 + (round * 37 + c * 11) % 300;
        std::vector<std::atomic<int>> hits(static_cast<size_t>(total));
        pool.ParallelFor(total, kExpensive, [&](int64_t b, int64_t e) {
          for (int64_t i = b; i < e; ++i) hits[static_cast<size_t>(i)].fetch_add(1);
        });
        for (const auto& h : hits) {
          if (h.load() != 1) failures.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace tf1hub
