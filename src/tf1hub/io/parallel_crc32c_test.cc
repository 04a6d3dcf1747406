#include "tf1hub/io/parallel_crc32c.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "tf1hub/core/crc32c.h"
#include "tf1hub/core/crc32c_test_util.h"

namespace tf1hub {
namespace {

using testing::RandomBytes;
using testing::ReferenceCrc;

TEST(ParallelCrc32cTest, ChunkBoundariesAndOddSizes) {
  const std::string data = RandomBytes(40000, 1);
  for (int threads : {1, 2, 3, 8}) {
    for (size_t chunk : {size_t{1}, size_t{7}, size_t{64}, size_t{4096}}) {
      ParallelCrc32c crc(threads, chunk);
      // Sizes around one chunk (sequential), two chunks (the smallest
      // parallel job), many chunks with and without a short last chunk.
      for (size_t n : {size_t{0}, size_t{1}, chunk - 1, chunk, chunk + 1, 2 * chunk - 1, 2 * chunk,
                       2 * chunk + 1, 9 * chunk, 9 * chunk + 3, size_t{39999}}) {
        if (n > data.size()) continue;
        for (size_t offset : {size_t{0}, size_t{1}}) {
          if (offset + n > data.size()) continue;
          const char* p = data.data() + offset;
          EXPECT_EQ(crc.Value(p, n), ReferenceCrc(std::string_view(p, n)))
              << "threads " << threads << " chunk " << chunk << " n " << n << " offset " << offset;
        }
      }
    }
  }
}

TEST(ParallelCrc32cTest, LargeBufferMatchesSequential) {
  const std::string data = RandomBytes((5 << 20) + 12345, 2);
  ParallelCrc32c crc(4, 1 << 20);
  EXPECT_EQ(crc.Value(data.data(), data.size()), crc32c::Value(data.data(), data.size()));
}

TEST(ParallelCrc32cTest, AFlippedBitInAnyChunkChangesTheResult) {
  std::string data = RandomBytes(10 * 1000 + 17, 3);  // 11 chunks, short last one
  ParallelCrc32c crc(2, 1000);
  const uint32_t good = crc.Value(data.data(), data.size());
  ASSERT_EQ(good, ReferenceCrc(data));
  // First and last byte of every chunk, and the very last byte.
  std::vector<size_t> positions;
  for (size_t c = 0; c * 1000 < data.size(); ++c) {
    positions.push_back(c * 1000);
    positions.push_back(std::min(data.size(), c * 1000 + 1000) - 1);
  }
  for (size_t pos : positions) {
    data[pos] ^= 0x10;
    const uint32_t bad = crc.Value(data.data(), data.size());
    EXPECT_NE(bad, good) << pos;
    EXPECT_EQ(bad, ReferenceCrc(data)) << pos;
    data[pos] ^= 0x10;
  }
}

TEST(ParallelCrc32cTest, HelpersStartOnTheFirstParallelCall) {
  const std::string data = RandomBytes(1000, 4);
  ParallelCrc32c crc(3, 100);
  EXPECT_EQ(crc.threads(), 3);
  EXPECT_EQ(crc.chunk_bytes(), 100u);
  crc.Value(data.data(), 199);  // under two chunks: the caller alone
  EXPECT_EQ(crc.helpers_started(), 0);
  EXPECT_EQ(crc.Value(data.data(), 200), ReferenceCrc(std::string_view(data.data(), 200)));
  EXPECT_EQ(crc.helpers_started(), 2);

  ParallelCrc32c single(1, 100);
  EXPECT_EQ(single.Value(data.data(), data.size()), ReferenceCrc(data));
  EXPECT_EQ(single.helpers_started(), 0);
  // Degenerate arguments are clamped rather than trusted.
  ParallelCrc32c clamped(0, 0);
  EXPECT_EQ(clamped.threads(), 1);
  EXPECT_EQ(clamped.chunk_bytes(), 1u);
}

TEST(ParallelCrc32cTest, ConcurrentCallersShareThePool) {
  std::vector<std::string> buffers;
  std::vector<uint32_t> expected;
  for (uint32_t i = 0; i < 6; ++i) {
    buffers.push_back(RandomBytes(20000 + 331 * i, 10 + i));
    expected.push_back(ReferenceCrc(buffers.back()));
  }
  ParallelCrc32c crc(3, 512);
  std::atomic<int> failures{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t) {
    callers.emplace_back([&, t] {
      for (int round = 0; round < 50; ++round) {
        const size_t i = static_cast<size_t>(t + round) % buffers.size();
        if (crc.Value(buffers[i].data(), buffers[i].size()) != expected[i]) ++failures;
      }
    });
  }
  for (std::thread& th : callers) th.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace tf1hub
