// Tests of Cast. Expected values marked "TF 2.15.1" were pasted from
// TensorFlow 2.15.1 in the oracle venv (one-element tensors, its scalar
// conversion path); the others are by hand.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "tf1hub/kernels/cwise_test_util.h"

namespace tf1hub {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using namespace cwise_test;  // NOLINT(build/namespaces)

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

StatusOr<Tensor> Cast(Tensor x, DataType dst, bool truncate = false) {
  KernelRunner r("Cast");
  r.Attr("SrcT", x.dtype()).Attr("DstT", dst).Attr("Truncate", truncate).Input(std::move(x));
  ASSIGN_OR_RETURN(std::vector<Tensor> out, r.Run());
  return out.at(0);
}

std::vector<uint16_t> Bits16(const Tensor& t) {
  std::vector<uint16_t> out;
  const auto* p = static_cast<const uint16_t*>(t.raw_data());
  for (int64_t i = 0; i < t.NumElements(); ++i) out.push_back(p[i]);
  return out;
}

// nan, inf, -inf, 1e10, -1e10, 3.7, -3.7, 300.5, -1.5, 65541, 2^31,
// 2^32 + 3584, -2^31, 2^63, 1.8e19, -0.
const std::vector<float> kEdgeValues = {
    kNaN,    kInf,  -kInf,    1e10f,         -1e10f,        3.7f,           -3.7f,
    300.5f,  -1.5f, 65541.0f, 2147483648.0f, 4294970880.0f, -2147483648.0f, 9223372036854775808.0f,
    1.8e19f, -0.0f};

TEST(CastTest, FloatToIntegersTruncatesAndWrapsLikeTensorFlow) {
  // TF 2.15.1.
  EXPECT_THAT(Values<int8_t>(Cast(Vec(kEdgeValues), DataType::kInt8).value()),
              ElementsAre(0, 0, 0, 0, 0, 3, -3, 44, -1, 5, 0, 0, 0, 0, 0, 0));
  EXPECT_THAT(Values<int16_t>(Cast(Vec(kEdgeValues), DataType::kInt16).value()),
              ElementsAre(0, 0, 0, 0, 0, 3, -3, 300, -1, 5, 0, 0, 0, 0, 0, 0));
  const int32_t m32 = std::numeric_limits<int32_t>::min();
  EXPECT_THAT(
      Values<int32_t>(Cast(Vec(kEdgeValues), DataType::kInt32).value()),
      ElementsAre(m32, m32, m32, m32, m32, 3, -3, 300, -1, 65541, m32, m32, m32, m32, m32, 0));
  const int64_t m64 = std::numeric_limits<int64_t>::min();
  EXPECT_THAT(Values<int64_t>(Cast(Vec(kEdgeValues), DataType::kInt64).value()),
              ElementsAre(m64, m64, m64, 10000000000, -10000000000, 3, -3, 300, -1, 65541,
                          2147483648, 4294970880, -2147483648, m64, m64, 0));
  EXPECT_THAT(Values<uint8_t>(Cast(Vec(kEdgeValues), DataType::kUint8).value()),
              ElementsAre(0, 0, 0, 0, 0, 3, 253, 44, 255, 5, 0, 0, 0, 0, 0, 0));
  EXPECT_THAT(Values<uint16_t>(Cast(Vec(kEdgeValues), DataType::kUint16).value()),
              ElementsAre(0, 0, 0, 0, 0, 3, 65533, 300, 65535, 5, 0, 0, 0, 0, 0, 0));
  EXPECT_THAT(Values<uint32_t>(Cast(Vec(kEdgeValues), DataType::kUint32).value()),
              ElementsAre(0u, 0u, 0u, 1410065408u, 2884901888u, 3u, 4294967293u, 300u, 4294967295u,
                          65541u, 2147483648u, 3584u, 2147483648u, 0u, 0u, 0u));
  EXPECT_THAT(Values<uint64_t>(Cast(Vec(kEdgeValues), DataType::kUint64).value()),
              ElementsAre(9223372036854775808u, 9223372036854775808u, 9223372036854775808u,
                          10000000000u, 18446744063709551616u, 3u, 18446744073709551613u, 300u,
                          18446744073709551615u, 65541u, 2147483648u, 4294970880u,
                          18446744071562067968u, 9223372036854775808u, 18000000404716257280u, 0u));
}

TEST(CastTest, DoubleAndHalfToInt) {
  EXPECT_THAT(
      Values<int32_t>(Cast(Vec<double>({-2.9, 2.9, 2147483647.5}), DataType::kInt32).value()),
      ElementsAre(-2, 2, 2147483647));
  EXPECT_THAT(Values<int32_t>(Cast(Halves({3.7, -3.7, 300}), DataType::kInt32).value()),
              ElementsAre(3, -3, 300));  // 3.7 is 3.69921875 in half
}

TEST(CastTest, BoolConversions) {
  EXPECT_THAT(BoolValues(Cast(Vec<int32_t>({0, 1, -3, 256}), DataType::kBool).value()),
              ElementsAre(false, true, true, true));
  // TF 2.15.1: -0 -> false, NaN -> true.
  EXPECT_THAT(BoolValues(Cast(Vec<float>({0, -0.0f, 0.1f, kNaN}), DataType::kBool).value()),
              ElementsAre(false, false, true, true));
  EXPECT_THAT(Values<float>(Cast(Bools({true, false}, {2}), DataType::kFloat).value()),
              ElementsAre(1, 0));
  EXPECT_THAT(HalfValues(Cast(Bools({true, false}, {2}), DataType::kHalf).value()),
              ElementsAre(1, 0));
}

TEST(CastTest, ComplexConversions) {
  using C64 = std::complex<float>;
  using C128 = std::complex<double>;
  // TF 2.15.1: the real part.
  EXPECT_THAT(Values<float>(Cast(Vec<C64>({{1, 2}, {-3, -4}}), DataType::kFloat).value()),
              ElementsAre(1, -3));
  EXPECT_THAT(Values<int32_t>(Cast(Vec<C64>({{1.7f, 2}, {-3.7f, -4}}), DataType::kInt32).value()),
              ElementsAre(1, -3));
  EXPECT_THAT(BoolValues(Cast(Vec<C64>({{0, 1}, {0, 0}}), DataType::kBool).value()),
              ElementsAre(false, false));
  EXPECT_THAT(Values<C128>(Cast(Vec<float>({1.5f}), DataType::kComplex128).value()),
              ElementsAre(C128(1.5, 0)));
  EXPECT_THAT(Values<C64>(Cast(Vec<C128>({{0.5, -2}}), DataType::kComplex64).value()),
              ElementsAre(C64(0.5f, -2)));
}

TEST(CastTest, IntegerAndFloatWidening) {
  // TF 2.15.1.
  EXPECT_THAT(Values<uint8_t>(Cast(Vec<int32_t>({300, -1, 70000}), DataType::kUint8).value()),
              ElementsAre(44, 255, 112));
  EXPECT_THAT(Values<int8_t>(Cast(Vec<int32_t>({300, -1, 70000}), DataType::kInt8).value()),
              ElementsAre(44, -1, 112));
  EXPECT_THAT(Values<uint64_t>(Cast(Vec<int32_t>({-1}), DataType::kUint64).value()),
              ElementsAre(18446744073709551615u));
  EXPECT_THAT(Values<float>(Cast(Vec<int64_t>({16777217, std::numeric_limits<int64_t>::min()}),
                                 DataType::kFloat)
                                .value()),
              ElementsAre(16777216.0f, -9223372036854775808.0f));
  EXPECT_THAT(Bits16(Cast(Vec<int32_t>({65519, 65520, 100000, 2049}), DataType::kHalf).value()),
              ElementsAre(31743, 31744, 31744, 26624));
  EXPECT_THAT(Values<double>(Cast(Vec<float>({0.1f}), DataType::kDouble).value()),
              ElementsAre(static_cast<double>(0.1f)));
}

TEST(CastTest, RoundingAndTruncateToBFloat16AndHalf) {
  // TF 2.15.1 bit patterns, Truncate=false then true.
  const std::vector<float> bf = {1.00390625f, 1.01171875f, 1.0117f, 1.0039063f,  3.4e38f,
                                 kNaN,        70000.0f,    1e-8f,   -1.00390625f};
  EXPECT_THAT(Bits16(Cast(Vec(bf), DataType::kBfloat16).value()),
              ElementsAre(16256, 16258, 16257, 16256, 32640, 32704, 18313, 12844, 49024));
  EXPECT_THAT(Bits16(Cast(Vec(bf), DataType::kBfloat16, true).value()),
              ElementsAre(16256, 16257, 16257, 16256, 32639, 32704, 18312, 12843, 49024));
  const std::vector<float> h = {1.00048828125f, 1.00146484375f, 70000, 65519,
                                65520,          1e-8f,          6e-8f, kNaN};
  EXPECT_THAT(Bits16(Cast(Vec(h), DataType::kHalf).value()),
              ElementsAre(15360, 15362, 31744, 31743, 31744, 0, 1, 32256));
  EXPECT_THAT(Bits16(Cast(Vec(h), DataType::kHalf, true).value()),
              ElementsAre(15360, 15361, 31744, 31743, 31743, 0, 1, 32256));
  // TF 2.15.1: double -> float with Truncate=true rounds toward zero.
  std::vector<float> f = Values<float>(
      Cast(Vec<double>({1.0000001, 3.0e38, -std::ldexp(1.0, 300)}), DataType::kFloat, true)
          .value());
  EXPECT_EQ(f[0], 1.0f);
  EXPECT_EQ(f[1], 2.9999998026736597e+38f);
  EXPECT_EQ(f[2], -kInf);
  // Without Truncate, round to nearest: 3e38 -> 3.0000000054977558e+38.
  EXPECT_EQ(Values<float>(Cast(Vec<double>({3.0e38}), DataType::kFloat).value())[0], 3.0e38f);
}

TEST(CastTest, SameTypeSharesBuffer) {
  Tensor x = Vec<float>({1, 2});
  Tensor y = Cast(x, DataType::kFloat).value();
  EXPECT_TRUE(y.SharesBufferWith(x));
}

TEST(CastTest, QuantizedCastsAsStorage) {
  Tensor q = Cast(Vec<int32_t>({1, -2}), DataType::kQint8).value();
  EXPECT_EQ(q.dtype(), DataType::kQint8);
  EXPECT_THAT(Values<int32_t>(Cast(q, DataType::kInt32).value()), ElementsAre(1, -2));
}

TEST(CastTest, StringIsUnimplemented) {
  // TF 2.15.1.
  Status s = Cast(Strings({"1"}, {1}), DataType::kInt32).status();
  EXPECT_EQ(s.code(), StatusCode::kUnimplemented);
  EXPECT_EQ(s.message(), "Cast string to int32 is not supported");
  EXPECT_EQ(Cast(Vec<float>({1}), DataType::kString).status().message(),
            "Cast float to string is not supported");
  EXPECT_THAT(Values<std::string>(Cast(Strings({"a"}, {1}), DataType::kString).value()),
              ElementsAre("a"));
}

TEST(CastTest, LargeIntToFloatMatchesPlainLoop) {
  std::vector<int32_t> x(50001);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<int32_t>(i * 7919) - 100000;
  std::vector<float> out = Values<float>(Cast(Vec(x), DataType::kFloat).value());
  for (size_t i = 0; i < x.size(); ++i) ASSERT_EQ(out[i], static_cast<float>(x[i])) << i;
}

}  // namespace
}  // namespace tf1hub
