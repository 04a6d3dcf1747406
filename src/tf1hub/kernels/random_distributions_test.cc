// Tests for philox_random.h and random_distributions.h. The Philox answers
// are the published known-answer vectors of Random123 (kat_vectors,
// "philox4x32 10"); conversions are checked by hand.
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <Eigen/Core>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tf1hub/kernels/philox_random.h"
#include "tf1hub/kernels/random_distributions.h"

namespace tf1hub::random {
namespace {

using ::testing::ElementsAre;

TEST(PhiloxTest, KnownAnswerVectors) {
  // Random123 kat_vectors: counter (4 words), key (2 words) -> output.
  EXPECT_THAT(Philox4x32::Encrypt({0, 0, 0, 0}, {0, 0}),
              ElementsAre(0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u));
  EXPECT_THAT(Philox4x32::Encrypt({0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu},
                                  {0xffffffffu, 0xffffffffu}),
              ElementsAre(0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu));
  EXPECT_THAT(Philox4x32::Encrypt({0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u},
                                  {0xa4093822u, 0x299f31d0u}),
              ElementsAre(0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u));
}

TEST(PhiloxTest, SeedLayoutIsTensorFlows) {
  const Philox4x32 g(0x1122334455667788u, 0x99aabbccddeeff00u);
  EXPECT_THAT(g.key(), ElementsAre(0x55667788u, 0x11223344u));
  EXPECT_THAT(g.counter(), ElementsAre(0u, 0u, 0xddeeff00u, 0x99aabbccu));
}

TEST(PhiloxTest, NextEncryptsThenIncrements) {
  Philox4x32 g(7, 9);
  const Philox4x32::Block first = Philox4x32::Encrypt(g.counter(), g.key());
  EXPECT_EQ(g.Next(), first);
  EXPECT_THAT(g.counter(), ElementsAre(1u, 0u, 9u, 0u));
}

TEST(PhiloxTest, SkipCarriesAcrossWords) {
  Philox4x32 g({0xffffffffu, 0u, 5u, 0u}, {0, 0});
  g.Skip(1);
  EXPECT_THAT(g.counter(), ElementsAre(0u, 1u, 5u, 0u));
  g.Skip(uint64_t{3} << 32);
  EXPECT_THAT(g.counter(), ElementsAre(0u, 4u, 5u, 0u));
  Philox4x32 h({0xfffffffeu, 0xffffffffu, 0xffffffffu, 7u}, {0, 0});
  h.Skip(3);  // the 64-bit low half wraps: carry into words 2-3
  EXPECT_THAT(h.counter(), ElementsAre(1u, 0u, 0u, 8u));
}

TEST(ConversionTest, FloatUsesLow23Bits) {
  EXPECT_EQ(Uint32ToUnitFloat(0), 0.0f);
  EXPECT_EQ(Uint32ToUnitFloat(0xff800000u), 0.0f);  // high bits ignored
  EXPECT_EQ(Uint32ToUnitFloat(0x400000u), 0.5f);
  EXPECT_EQ(Uint32ToUnitFloat(0x7fffffu), 1.0f - 0x1p-23f);
}

TEST(ConversionTest, DoubleUsesLow20BitsOfFirstWordThenSecondWord) {
  EXPECT_EQ(Uint64ToUnitDouble(0, 0), 0.0);
  EXPECT_EQ(Uint64ToUnitDouble(0xfff80000u, 0), 0.5);  // only bit 19 of w0 counts
  EXPECT_EQ(Uint64ToUnitDouble(0, 1), 0x1p-52);
  EXPECT_EQ(Uint64ToUnitDouble(0xfffffu, 0xffffffffu), 1.0 - 0x1p-52);
}

TEST(ConversionTest, HalfAndBfloat16UseLowBits) {
  EXPECT_EQ(static_cast<float>(Uint32ToUnitHalf(0x3ffu)), 1023.0f / 1024.0f);
  EXPECT_EQ(static_cast<float>(Uint32ToUnitHalf(0xfffffc00u)), 0.0f);
  EXPECT_EQ(static_cast<float>(Uint32ToUnitHalf(0x200u)), 0.5f);
  EXPECT_EQ(static_cast<float>(Uint32ToUnitBfloat16(0x7fu)), 127.0f / 128.0f);
  EXPECT_EQ(static_cast<float>(Uint32ToUnitBfloat16(0xffffff80u)), 0.0f);
}

TEST(BoxMullerTest, FormulaAndClamp) {
  // u1 = 0.5 (0x400000), u2 = 0.25 -> v = pi/2: (sin, cos) * sqrt(-2 ln 0.5).
  float f0, f1;
  BoxMullerFloat(0x400000u, 0x200000u, &f0, &f1);
  const double r = std::sqrt(-2.0 * std::log(0.5));
  EXPECT_NEAR(f0, r, 1e-6);
  EXPECT_NEAR(f1, 0.0, 1e-6);
  // u1 = 0 is clamped to 1e-7 (no infinity).
  BoxMullerFloat(0, 0, &f0, &f1);
  EXPECT_NEAR(f1, std::sqrt(-2.0 * std::log(1e-7)), 1e-4);
  EXPECT_EQ(f0, 0.0f);
  double d0, d1;
  BoxMullerDouble(0x80000u, 0, 0x40000u, 0, &d0, &d1);  // 0.5 and 0.25
  EXPECT_NEAR(d0, r, 1e-14);
  EXPECT_NEAR(d1, 0.0, 1e-14);
}

TEST(SamplerTest, UniformGroupGIsBlockGOfTheStream) {
  const Philox4x32 base(123, 456);
  std::vector<float> out(10);
  FillGroups<UniformSampler<float>>(base, out.data(), 10, 0, NumGroups<UniformSampler<float>>(10));
  for (int g = 0; g < 3; ++g) {
    Philox4x32 gen = base;
    gen.Skip(g);
    const Philox4x32::Block b = gen.Next();
    for (int i = 0; i < 4 && 4 * g + i < 10; ++i) {
      EXPECT_EQ(out[4 * g + i], Uint32ToUnitFloat(b[i])) << g << " " << i;
    }
  }
}

TEST(SamplerTest, TruncatedNormalGroupsOwn256BlocksAndStayBelowTwo) {
  EXPECT_EQ(TruncatedNormalSampler<float>::kBlocksPerGroup, 256);
  EXPECT_EQ(TruncatedNormalSampler<double>::kBlocksPerGroup, 128);
  const Philox4x32 base(1, 2);
  std::vector<float> out(4001);
  FillGroups<TruncatedNormalSampler<float>>(base, out.data(), 4001, 0, 1001);
  for (float v : out) ASSERT_LT(std::abs(v), 2.0f);
  // Group 7 is a fresh draw from block 7 * 256.
  Philox4x32 gen = base;
  gen.Skip(7 * 256);
  float group[4];
  TruncatedNormalSampler<float>::Group(gen, group);
  EXPECT_THAT(std::vector<float>(out.begin() + 28, out.begin() + 32),
              ElementsAre(group[0], group[1], group[2], group[3]));
}

// A value's bit pattern (compares NaN and -0 exactly).
template <typename T>
uint64_t BitsOf(T v) {
  if constexpr (sizeof(T) == 8) return std::bit_cast<uint64_t>(v);
  if constexpr (sizeof(T) == 4) return std::bit_cast<uint32_t>(v);
  if constexpr (sizeof(T) == 2) return std::bit_cast<uint16_t>(v);
}

// Any split of the groups across workers gives the same values.
template <class S, typename T>
void ExpectSplitIndependent(int64_t size) {
  const Philox4x32 base(99, 7);
  std::vector<T> whole(size), pieces(size);
  const int64_t groups = NumGroups<S>(size);
  FillGroups<S>(base, whole.data(), size, 0, groups);
  for (int64_t begin = 0, step = 1; begin < groups; begin += step, step = step * 2 + 1) {
    FillGroups<S>(base, pieces.data(), size, begin, std::min(groups, begin + step));
  }
  for (int64_t i = 0; i < size; ++i) ASSERT_EQ(BitsOf(whole[i]), BitsOf(pieces[i])) << i;
}

TEST(SamplerTest, ResultsDoNotDependOnTheSplit) {
  ExpectSplitIndependent<UniformSampler<float>, float>(1003);
  ExpectSplitIndependent<UniformSampler<double>, double>(1003);
  ExpectSplitIndependent<UniformSampler<Eigen::half>, Eigen::half>(1003);
  ExpectSplitIndependent<NormalSampler<float>, float>(1003);
  ExpectSplitIndependent<NormalSampler<double>, double>(1003);
  ExpectSplitIndependent<NormalSampler<Eigen::bfloat16>, Eigen::bfloat16>(1003);
  ExpectSplitIndependent<TruncatedNormalSampler<float>, float>(1003);
  ExpectSplitIndependent<TruncatedNormalSampler<double>, double>(1003);
  ExpectSplitIndependent<TruncatedNormalSampler<Eigen::half>, Eigen::half>(1003);
}

TEST(SamplerTest, ReservationIs256BlocksPerValue) {
  EXPECT_EQ(BlocksToReserve(0), 0u);
  EXPECT_EQ(BlocksToReserve(5), 1280u);
}

}  // namespace
}  // namespace tf1hub::random
