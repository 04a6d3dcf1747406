#include "tf1hub/core/crc32c.h"

#include <gtest/gtest.h>

#include <string>

#include "tf1hub/core/crc32c_test_util.h"

namespace tf1hub::crc32c {
namespace {

using testing::RandomBytes;
using testing::ReferenceCrc;

uint32_t ValueOf(const std::string& s) { return Value(s.data(), s.size()); }

TEST(Crc32cTest, KnownVectors) {
  EXPECT_EQ(ValueOf("123456789"), 0xE3069283u);
  EXPECT_EQ(ValueOf(""), 0u);
  EXPECT_EQ(ValueOf(std::string("\x00\x00\x00\x00", 4)), 0x48674bc7u);
  EXPECT_EQ(ValueOf(std::string("\x00\x00\x00\x3f", 4)), 0x26973e52u);
  // RFC 3720 (iSCSI) appendix B.4.
  EXPECT_EQ(ValueOf(std::string(32, '\0')), 0x8a9136aau);
  EXPECT_EQ(ValueOf(std::string(32, '\xff')), 0x62a8ab43u);
  std::string up(32, '\0'), down(32, '\0');
  for (int i = 0; i < 32; ++i) {
    up[i] = static_cast<char>(i);
    down[i] = static_cast<char>(31 - i);
  }
  EXPECT_EQ(ValueOf(up), 0x46dd794eu);
  EXPECT_EQ(ValueOf(down), 0x113fdb5cu);
}

TEST(Crc32cTest, Mask) {
  EXPECT_EQ(Mask(0), 0xa282ead8u);
  EXPECT_EQ(Mask(0x48674bc7u), 0x3a117ba6u);
  EXPECT_EQ(Mask(0x26973e52u), 0x1f273806u);
  EXPECT_EQ(Unmask(0x3a117ba6u), 0x48674bc7u);
  const uint32_t crc = ValueOf("foo");
  EXPECT_NE(Mask(crc), crc);
  EXPECT_NE(Mask(Mask(crc)), crc);
  EXPECT_EQ(Unmask(Mask(crc)), crc);
  EXPECT_EQ(Unmask(Unmask(Mask(Mask(crc)))), crc);
}

TEST(Crc32cTest, ExtendInPiecesEqualsWhole) {
  const std::string data = RandomBytes(100000, 1);
  const uint32_t whole = ValueOf(data);
  EXPECT_EQ(whole, ReferenceCrc(data));
  for (size_t cut : {size_t{0}, size_t{1}, size_t{7}, size_t{4096}, size_t{50001}, data.size()}) {
    uint32_t crc = Value(data.data(), cut);
    crc = Extend(crc, data.data() + cut, data.size() - cut);
    EXPECT_EQ(crc, whole) << cut;
  }
  uint32_t crc = 0;
  for (size_t i = 0; i < data.size(); i += 333) {
    crc = Extend(crc, data.data() + i, std::min<size_t>(333, data.size() - i));
  }
  EXPECT_EQ(crc, whole);
}

TEST(Crc32cTest, PortableMatchesReference) {
  for (size_t n : {0, 1, 3, 8, 15, 64, 255, 1000}) {
    const std::string data = RandomBytes(n + 8, static_cast<uint32_t>(n));
    for (size_t offset = 0; offset < 8; ++offset) {
      const std::string piece = data.substr(offset, n);
      EXPECT_EQ(internal::ExtendPortable(0, data.data() + offset, n), ReferenceCrc(piece))
          << n << " " << offset;
    }
  }
}

TEST(Crc32cTest, HardwareMatchesPortable) {
  if (!internal::HardwareAvailable()) GTEST_SKIP() << "no SSE4.2 on this CPU";
  // Lengths straddle the 3 x 256 and 3 x 8192 interleave thresholds.
  const std::string data = RandomBytes(200000, 7);
  const size_t lengths[] = {0,    1,    7,    8,    9,     63,    767,   768,   769,
                            1535, 2304, 5000, 24575, 24576, 24577, 49152, 73733, 199990};
  for (size_t n : lengths) {
    for (size_t offset : {0, 1, 3, 5, 8}) {
      const char* p = data.data() + offset;
      const uint32_t seed = 0x12345678u ^ static_cast<uint32_t>(n);
      EXPECT_EQ(internal::ExtendHardware(seed, p, n), internal::ExtendPortable(seed, p, n))
          << n << " " << offset;
    }
  }
  EXPECT_EQ(internal::ExtendHardware(0, data.data(), data.size()), ReferenceCrc(data));
}

TEST(Crc32cTest, Avx512MatchesPortable) {
  if (!internal::Avx512Available()) GTEST_SKIP() << "no AVX-512 VPCLMULQDQ on this CPU";
  // Lengths around the 256-byte main step, the 64-byte reduction step, the
  // sub-64-byte tail and the 1 KiB dispatch threshold; odd offsets make
  // every load unaligned.
  const std::string data = RandomBytes(70000, 9);
  const size_t lengths[] = {0,   1,   63,  64,   255,  256,  257,  319,  320,   321,
                            383, 511, 512, 513,  767,  1023, 1024, 1025, 4096,  4159,
                            5000, 8191, 65536, 69990};
  for (size_t n : lengths) {
    for (size_t offset : {0, 1, 7, 33}) {
      const char* p = data.data() + offset;
      const uint32_t seed = 0x9abcdef0u ^ static_cast<uint32_t>(n);
      EXPECT_EQ(internal::ExtendAvx512(seed, p, n), internal::ExtendPortable(seed, p, n))
          << n << " " << offset;
    }
  }
  EXPECT_EQ(internal::ExtendAvx512(0, data.data(), data.size()), ReferenceCrc(data));
  // Every single-bit error in a 1 KiB block changes the folded CRC.
  std::string block = data.substr(0, 1024);
  const uint32_t good = internal::ExtendAvx512(0, block.data(), block.size());
  for (size_t bit = 0; bit < block.size() * 8; bit += 37) {
    block[bit / 8] ^= static_cast<char>(1 << (bit % 8));
    EXPECT_EQ(internal::ExtendAvx512(0, block.data(), block.size()), ReferenceCrc(block)) << bit;
    EXPECT_NE(internal::ExtendAvx512(0, block.data(), block.size()), good) << bit;
    block[bit / 8] ^= static_cast<char>(1 << (bit % 8));
  }
}

TEST(Crc32cTest, DispatchedValueMatchesReferenceAtEverySize) {
  // Extend picks the kernel by size and CPU; all sizes must agree with the
  // definition.
  const std::string data = RandomBytes(3000, 13);
  for (size_t n = 0; n <= data.size(); n += (n < 1100 ? 1 : 97)) {
    EXPECT_EQ(Value(data.data(), n), ReferenceCrc(data.substr(0, n))) << n;
  }
}

}  // namespace
}  // namespace tf1hub::crc32c
