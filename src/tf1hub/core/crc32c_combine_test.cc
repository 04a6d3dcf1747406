#include <gtest/gtest.h>

#include <random>
#include <string>

#include "tf1hub/core/crc32c.h"
#include "tf1hub/core/crc32c_test_util.h"

namespace tf1hub::crc32c {
namespace {

using testing::RandomBytes;
using testing::ReferenceCrc;

TEST(Crc32cCombineTest, CheckValueFromTwoPieces) {
  // 0xE3069283 is CRC-32C("123456789"), the standard check value.
  EXPECT_EQ(Combine(ReferenceCrc("1234"), ReferenceCrc("56789"), 5), 0xE3069283u);
  EXPECT_EQ(Combine(ReferenceCrc(""), ReferenceCrc("123456789"), 9), 0xE3069283u);
  EXPECT_EQ(Combine(ReferenceCrc("123456789"), ReferenceCrc(""), 0), 0xE3069283u);
}

TEST(Crc32cCombineTest, EverySplitMatchesTheReference) {
  const std::string data = RandomBytes(300, 3);
  const uint32_t whole = ReferenceCrc(data);
  for (size_t cut = 0; cut <= data.size(); ++cut) {
    const std::string a = data.substr(0, cut), b = data.substr(cut);
    EXPECT_EQ(Combine(ReferenceCrc(a), ReferenceCrc(b), b.size()), whole) << cut;
  }
}

TEST(Crc32cCombineTest, ManyPiecesOfOneLengthWithAFactor) {
  // 7 pieces of 1000 bytes and a 123-byte tail, as a parallel checksum
  // splits a buffer.
  const std::string data = RandomBytes(7 * 1000 + 123, 5);
  const uint32_t factor = CombineFactor(1000);
  uint32_t crc = ReferenceCrc(data.substr(0, 1000));
  for (size_t i = 1; i < 7; ++i) {
    crc = CombineWithFactor(crc, ReferenceCrc(data.substr(i * 1000, 1000)), factor);
  }
  crc = Combine(crc, ReferenceCrc(data.substr(7000)), 123);
  EXPECT_EQ(crc, ReferenceCrc(data));
}

TEST(Crc32cCombineTest, LongZeroRunsMatchExtend) {
  // Lengths with many bits set exercise many factors; Extend over real
  // zero bytes is the independent check.
  const std::string zeros((3 << 20) + 4097, '\0');
  const uint32_t head = ReferenceCrc("head");
  for (size_t n :
       {size_t{1}, size_t{255}, size_t{4096}, size_t{65535}, size_t{1} << 20, zeros.size()}) {
    EXPECT_EQ(Combine(head, Value(zeros.data(), n), n), Extend(head, zeros.data(), n)) << n;
  }
}

TEST(Crc32cCombineTest, HugeLengthsAreAssociative) {
  // Beyond what can be hashed in a test: (A ++ B) ++ C == A ++ (B ++ C)
  // for arbitrary CRC values and lengths up to 2^62.
  std::mt19937_64 rng(11);
  for (int i = 0; i < 200; ++i) {
    const uint32_t a = static_cast<uint32_t>(rng()), b = static_cast<uint32_t>(rng()),
                   c = static_cast<uint32_t>(rng());
    const uint64_t lb = rng() >> (2 + i % 60), lc = rng() >> (2 + (i * 7) % 60);
    EXPECT_EQ(Combine(Combine(a, b, lb), c, lc), Combine(a, Combine(b, c, lc), lb + lc)) << i;
  }
  // Shifting by zero bytes changes nothing.
  EXPECT_EQ(CombineFactor(0), 0x80000000u);
  EXPECT_EQ(Combine(0xdeadbeefu, 0, 0), 0xdeadbeefu);
}

}  // namespace
}  // namespace tf1hub::crc32c
