// The reader's parallel checksum verification (Options::verify_threads,
// verify_chunk_bytes): same tensors and same errors as the sequential
// check, whatever the chunk layout, on mapped and copied reads.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "tf1hub/checkpoint.h"
#include "tf1hub/core/crc32c.h"
#include "tf1hub/io/bundle_test_util.h"

namespace tf1hub {
namespace {

using testing::CorruptFile;
using testing::FloatTensor;
using ::testing::HasSubstr;
using testing::ReadAll;
using testing::WriteAll;
using testing::WriteCheckpoint;

std::vector<float> Ramp(size_t n) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<float>(i) * 0.25f - 7.0f;
  return v;
}

bool SameBytes(const Tensor& a, const Tensor& b) {
  return a.dtype() == b.dtype() && a.shape() == b.shape() && a.TotalBytes() == b.TotalBytes() &&
         std::memcmp(a.raw_data(), b.raw_data(), a.TotalBytes()) == 0;
}

class BundleReaderVerifyTest : public ::testing::TestWithParam<bool> {
 protected:
  BundleReaderVerifyTest() : mem_(NewMemoryFileSystem()) {}
  FileSystem* fs() { return GetParam() ? mem_.get() : PosixFileSystem(); }
  std::string Path(const std::string& name) {
    return GetParam() ? "/mem/" + name : dir_.Join(name);
  }
  StatusOr<std::unique_ptr<CheckpointReader>> Open(const std::string& prefix, int threads,
                                                   uint64_t chunk, uint64_t mmap_threshold) {
    CheckpointReader::Options options;
    options.fs = fs();
    options.mmap_threshold_bytes = mmap_threshold;
    options.verify_threads = threads;
    options.verify_chunk_bytes = chunk;
    return CheckpointReader::Open(prefix, options);
  }

  testing::ScratchDir dir_;
  std::unique_ptr<FileSystem> mem_;
};

INSTANTIATE_TEST_SUITE_P(FileSystems, BundleReaderVerifyTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Memory" : "Posix"; });

TEST_P(BundleReaderVerifyTest, EveryChunkLayoutReadsTheSameTensors) {
  const std::string prefix = Path("layouts");
  // With 256-byte chunks: under one chunk (40 B), exactly one (256 B), just
  // under two (508 B, still sequential), exactly two (512 B), two plus 4
  // bytes, and many chunks with a short tail (4004 B = 15 chunks + 164 B).
  const std::vector<std::pair<std::string, Tensor>> tensors = {
      {"a_tiny", FloatTensor(Ramp(10), {10})},
      {"b_one_chunk", FloatTensor(Ramp(64), {64})},
      {"c_under_two", FloatTensor(Ramp(127), {127})},
      {"d_two_chunks", FloatTensor(Ramp(128), {2, 64})},
      {"e_two_plus", FloatTensor(Ramp(129), {129})},
      {"f_many_odd", FloatTensor(Ramp(1001), {7, 143})},
  };
  WriteCheckpoint(fs(), prefix, tensors);
  for (int threads : {1, 2, 4}) {
    for (uint64_t mmap_threshold : {uint64_t{1}, uint64_t{1} << 20}) {  // mapped, copied
      auto reader = Open(prefix, threads, 256, mmap_threshold);
      ASSERT_TRUE(reader.ok()) << reader.status().ToString();
      for (const auto& [name, expected] : tensors) {
        auto got = (*reader)->Read(name);
        ASSERT_TRUE(got.ok()) << name << ": " << got.status().ToString();
        EXPECT_TRUE(SameBytes(*got, expected)) << name << " threads " << threads;
        EXPECT_EQ(got->IsView(), mmap_threshold == 1) << name;
      }
    }
  }
}

TEST_P(BundleReaderVerifyTest, ABitFlipInEveryChunkIsCaught) {
  const std::string prefix = Path("flips");
  const std::string data_path = prefix + ".data-00000-of-00001";
  // The only tensor, so its payload starts at byte 0: 1001 floats = 4004
  // bytes = 15 chunks of 256 bytes and a 164-byte last chunk.
  const std::vector<float> values = Ramp(1001);
  WriteCheckpoint(fs(), prefix, {{"w", FloatTensor(values, {1001})}});
  const std::string good = ReadAll(fs(), data_path);
  ASSERT_EQ(good.size(), 4004u);
  const uint32_t stored = crc32c::Value(good.data(), good.size());
  std::vector<uint64_t> positions;
  for (uint64_t c = 0; c < 16; ++c) {
    positions.push_back(c * 256);                                  // first byte of chunk c
    positions.push_back(std::min<uint64_t>(c * 256 + 255, 4003));  // its last byte
  }
  for (uint64_t mmap_threshold : {uint64_t{1}, uint64_t{1} << 20}) {
    for (uint64_t pos : positions) {
      CorruptFile::FlipBit(fs(), data_path, pos, static_cast<int>(pos % 8));
      const std::string bad = ReadAll(fs(), data_path);
      // The expected CRC comes from a sequential pass over the broken bytes.
      char expected[128];
      std::snprintf(expected, sizeof(expected),
                    "checksum mismatch (stored 0x%08x, computed 0x%08x)", stored,
                    crc32c::Value(bad.data(), bad.size()));
      auto reader = Open(prefix, 2, 256, mmap_threshold);
      ASSERT_TRUE(reader.ok()) << reader.status().ToString();
      auto got = (*reader)->Read("w");
      ASSERT_FALSE(got.ok()) << "byte " << pos << " flipped but the read succeeded";
      EXPECT_EQ(got.status().code(), StatusCode::kDataLoss);
      EXPECT_THAT(got.status().message(), HasSubstr(expected)) << pos;
      EXPECT_THAT(got.status().message(), HasSubstr("tensor 'w' in '" + data_path + "'"));
      reader->reset();  // drop the mapping before restoring the file
      WriteAll(fs(), data_path, good);
    }
  }
}

TEST_P(BundleReaderVerifyTest, TruncatedDataFileIsCaughtBeforeVerifying) {
  const std::string prefix = Path("short");
  const std::string data_path = prefix + ".data-00000-of-00001";
  WriteCheckpoint(fs(), prefix, {{"w", FloatTensor(Ramp(1001), {1001})}});
  CorruptFile::Truncate(fs(), data_path, 4000);
  auto reader = Open(prefix, 2, 256, 1);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto got = (*reader)->Read("w");
  EXPECT_EQ(got.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(got.status().message(),
              HasSubstr("bytes [0, +4004) lie outside the 4000-byte data file (truncated?)"));
}

TEST_P(BundleReaderVerifyTest, ConcurrentReadersShareTheHelpers) {
  const std::string prefix = Path("threads");
  std::vector<std::pair<std::string, Tensor>> tensors;
  for (int i = 0; i < 6; ++i) {
    tensors.push_back({"t" + std::to_string(i), FloatTensor(Ramp(500 + 97 * i), {500 + 97 * i})});
  }
  WriteCheckpoint(fs(), prefix, tensors);
  auto reader = Open(prefix, 3, 128, 1);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int round = 0; round < 30; ++round) {
        for (const auto& [name, expected] : tensors) {
          auto got = (*reader)->Read(name);
          if (!got.ok() || !SameBytes(*got, expected)) ++failures;
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST_P(BundleReaderVerifyTest, BadVerifyOptionsAreRejected) {
  const std::string prefix = Path("opts");
  WriteCheckpoint(fs(), prefix, {{"w", FloatTensor({1, 2}, {2})}});
  auto negative = Open(prefix, -1, 256, 1);
  EXPECT_EQ(negative.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(negative.status().message(), HasSubstr("checkpoint '" + prefix +
                                                     "': bad reader options: verify_threads -1 "
                                                     "(must be >= 0)"));
  auto zero_chunk = Open(prefix, 2, 0, 1);
  EXPECT_EQ(zero_chunk.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(zero_chunk.status().message(), HasSubstr("verify_chunk_bytes 0 (must be > 0)"));
  // 0 threads means one per core.
  auto automatic = Open(prefix, 0, 256, 1);
  ASSERT_TRUE(automatic.ok()) << automatic.status().ToString();
  auto got = (*automatic)->Read("w");
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(SameBytes(*got, FloatTensor({1, 2}, {2})));
}

}  // namespace
}  // namespace tf1hub
