#include "tf1hub/graph/tensor_proto.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace tf1hub {
namespace {

std::string Hex(const std::string& bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::string EncodeHex(const Tensor& t) {
  StatusOr<tensorflow::TensorProto> p = TensorToProto(t);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? Hex(p->SerializeAsString()) : "";
}

TensorShape Shape(std::initializer_list<int64_t> dims) { return *TensorShape::Create(dims); }

template <typename T>
Tensor Vec(std::vector<T> v) {
  return *Tensor::FromVector(v, Shape({static_cast<int64_t>(v.size())}));
}

Tensor Bits16(DataType dtype, std::vector<uint16_t> bits) {
  Tensor t = *Tensor::Create(dtype, Shape({static_cast<int64_t>(bits.size())}));
  std::memcpy(t.mutable_raw_data(), bits.data(), bits.size() * 2);
  return t;
}

// Expected bytes: SerializeToString() of
// tensorflow.python.framework.tensor_util.make_tensor_proto(value, dtype=...)
// with TensorFlow 2.15.1 (the same encoding tf.constant puts in Const.value).
TEST(TensorProtoTest, EncodesLikeTensorFlow) {
  // make_tensor_proto([1, 2], tf.float32): tensor_content.
  EXPECT_EQ(EncodeHex(Vec<float>({1, 2})), "080112041202080222080000803f00000040");
  // [3] float32: one element -> float_val.
  EXPECT_EQ(EncodeHex(Vec<float>({3})), "08011204120208012a0400004040");
  // 3.0 scalar: empty tensor_shape still present.
  EXPECT_EQ(EncodeHex(Tensor::Scalar<float>(3)), "080112002a0400004040");
  // [] float32: shape [0], no values.
  EXPECT_EQ(EncodeHex(Vec<float>({})), "080112021200");
  EXPECT_EQ(EncodeHex(Vec<double>({1, 2})),
            "08021204120208022210000000000000f03f0000000000000040");
  EXPECT_EQ(EncodeHex(Tensor::Scalar<int32_t>(3)), "080312003a0103");
  EXPECT_EQ(EncodeHex(Vec<int32_t>({1, 2})), "080312041202080222080100000002000000");
  EXPECT_EQ(EncodeHex(Vec<int64_t>({1, 2})),
            "0809120412020802221001000000000000000200000000000000");
  EXPECT_EQ(EncodeHex(Tensor::Scalar<int64_t>(3)), "08091200520103");
  EXPECT_EQ(EncodeHex(Vec<uint8_t>({1, 2})), "080412041202080222020102");
  EXPECT_EQ(EncodeHex(Vec<int8_t>({3})), "08061204120208013a0103");
  // uint16 never uses tensor_content.
  EXPECT_EQ(EncodeHex(Vec<uint16_t>({1, 2})), "08111204120208023a020102");
  EXPECT_EQ(EncodeHex(Vec<uint32_t>({3})), "081612041202080182010103");
  EXPECT_EQ(EncodeHex(Tensor::Scalar<uint64_t>(3)), "081712008a010103");
  // float16 [1, 2] -> tensor_content; [3] -> half_val 0x4200.
  EXPECT_EQ(EncodeHex(Bits16(DataType::kHalf, {0x3c00, 0x4000})), "08131204120208022204003c0040");
  EXPECT_EQ(EncodeHex(Bits16(DataType::kHalf, {0x4200})), "08131204120208016a03808401");
  // bfloat16 [3] -> half_val 0x4040.
  EXPECT_EQ(EncodeHex(Bits16(DataType::kBfloat16, {0x4040})), "080e1204120208016a03c08001");
  EXPECT_EQ(EncodeHex(Bits16(DataType::kBfloat16, {0x3f80, 0x4000})),
            "080e1204120208022204803f0040");
  // bool [True, False] -> bool_val.
  EXPECT_EQ(EncodeHex(Vec<bool>({true, false})), "080a1204120208025a020100");
  EXPECT_EQ(EncodeHex(Vec<Complex64>({{1, 0}, {2, 0}})),
            "08081204120208024a100000803f000000000000004000000000");
  EXPECT_EQ(EncodeHex(Tensor::Scalar<Complex128>({3, 0})),
            "08121200621000000000000008400000000000000000");
  EXPECT_EQ(EncodeHex(Vec<std::string>({"a", "bc"})), "080712041202080242016142026263");
  EXPECT_EQ(EncodeHex(Tensor::Scalar<std::string>("x")), "08071200420178");
}

TEST(TensorProtoTest, BroadcastScalarLikeConstantWithShape) {
  // make_tensor_proto(0.5, dtype=tf.float32, shape=[2, 3]).
  auto p = BroadcastScalarToProto(Tensor::Scalar<float>(0.5f), Shape({2, 3}));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(Hex(p->SerializeAsString()), "0801120812020802120208032a040000003f");
  auto t = TensorFromProto(*p);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->shape(), Shape({2, 3}));
  for (float v : t->flat<float>()) EXPECT_EQ(v, 0.5f);
  EXPECT_FALSE(BroadcastScalarToProto(Vec<float>({1, 2}), Shape({2})).ok());
}

TEST(TensorProtoTest, RoundTripsEveryEncoding) {
  std::vector<Tensor> tensors = {
      Vec<float>({1.5f, -2, 3}), Vec<double>({1e300}), Vec<int32_t>({-7, 8}),
      Vec<int16_t>({-300, 300}), Vec<uint64_t>({~uint64_t{0}, 1}), Vec<bool>({false, true, true}),
      Vec<Complex64>({{1, 2}, {3, -4}}), Vec<Complex128>({{1, 2}}),
      Vec<std::string>({"", std::string("a\0b", 3), "xyz"}),
      Bits16(DataType::kHalf, {0x3c00, 0x7c00, 0x8001}), Tensor::Scalar<int8_t>(-128),
      *Tensor::Create(DataType::kFloat, Shape({2, 0, 3}))};
  for (const Tensor& t : tensors) {
    auto p = TensorToProto(t);
    ASSERT_TRUE(p.ok()) << t.DebugString();
    auto back = TensorFromProto(*p);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_TRUE(BitwiseEqual(t, *back)) << t.DebugString() << " vs " << back->DebugString();
  }
}

tensorflow::TensorProto Proto(tensorflow::DataType dtype, std::initializer_list<int64_t> dims) {
  tensorflow::TensorProto p;
  p.set_dtype(dtype);
  for (int64_t d : dims) p.mutable_tensor_shape()->add_dim()->set_size(d);
  return p;
}

TEST(TensorProtoTest, TypedFieldsRepeatTheLastValueOrZeroFill) {
  auto p = Proto(tensorflow::DT_INT32, {4});
  p.add_int_val(5);
  p.add_int_val(6);
  auto t = TensorFromProto(p);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(std::vector<int32_t>(t->flat<int32_t>().begin(), t->flat<int32_t>().end()),
            (std::vector<int32_t>{5, 6, 6, 6}));
  // More values than elements: the first ones are taken.
  p = Proto(tensorflow::DT_INT64, {2});
  for (int64_t v : {1, 2, 3}) p.add_int64_val(v);
  t = TensorFromProto(p);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->flat<int64_t>()[1], 2);
  // No values: zeros / empty strings.
  t = TensorFromProto(Proto(tensorflow::DT_DOUBLE, {3}));
  ASSERT_TRUE(t.ok());
  for (double v : t->flat<double>()) EXPECT_EQ(v, 0.0);
  p = Proto(tensorflow::DT_STRING, {3});
  p.add_string_val("s");
  t = TensorFromProto(p);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->flat<std::string>()[2], "s");
  // half_val also carries bfloat16; complex pairs repeat as pairs.
  p = Proto(tensorflow::DT_BFLOAT16, {2});
  p.add_half_val(0x3f80);
  t = TensorFromProto(p);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->flat<BFloat16>()[1].bits, 0x3f80);
  p = Proto(tensorflow::DT_COMPLEX64, {2});
  p.add_scomplex_val(1);
  p.add_scomplex_val(2);
  p.add_scomplex_val(9);  // half a pair: ignored
  t = TensorFromProto(p);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->flat<Complex64>()[1], Complex64(1, 2));
  // Non-0/1 bool bytes in tensor_content are normalised.
  p = Proto(tensorflow::DT_BOOL, {2});
  p.set_tensor_content(std::string("\x00\x07", 2));
  t = TensorFromProto(p);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->flat<uint8_t>()[1], 1);
  // TF's string-list tensor_content: varint lengths, then bytes.
  p = Proto(tensorflow::DT_STRING, {2});
  p.set_tensor_content(std::string("\x01\x02" "abc", 5));
  t = TensorFromProto(p);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->flat<std::string>()[0], "a");
  EXPECT_EQ(t->flat<std::string>()[1], "bc");
}

TEST(TensorProtoTest, RejectsHostileProtos) {
  auto p = Proto(tensorflow::DT_FLOAT, {3});
  p.set_tensor_content(std::string(11, '\0'));  // needs 12
  Status s = TensorFromProto(p).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("11 bytes"), std::string::npos) << s.message();

  EXPECT_FALSE(TensorFromProto(Proto(tensorflow::DT_FLOAT, {-1})).ok());  // partial shape
  EXPECT_FALSE(TensorFromProto(Proto(tensorflow::DT_FLOAT, {-5})).ok());
  EXPECT_FALSE(TensorFromProto(Proto(tensorflow::DT_INVALID, {})).ok());
  EXPECT_FALSE(TensorFromProto(Proto(tensorflow::DT_RESOURCE, {})).ok());
  EXPECT_FALSE(TensorFromProto(Proto(static_cast<tensorflow::DataType>(101), {})).ok());
  EXPECT_FALSE(TensorFromProto(Proto(static_cast<tensorflow::DataType>(4000), {})).ok());
  p = Proto(tensorflow::DT_FLOAT, {});
  p.mutable_tensor_shape()->set_unknown_rank(true);
  EXPECT_FALSE(TensorFromProto(p).ok());
  // Element count overflow and huge broadcast values are refused before
  // allocating.
  p = Proto(tensorflow::DT_FLOAT, {int64_t{1} << 40, int64_t{1} << 40});
  EXPECT_FALSE(TensorFromProto(p).ok());
  p = Proto(tensorflow::DT_DOUBLE, {int64_t{1} << 40});
  p.add_double_val(1);
  EXPECT_EQ(TensorFromProto(p).status().code(), StatusCode::kResourceExhausted);
  p = Proto(tensorflow::DT_FLOAT, {1000});
  EXPECT_EQ(TensorFromProto(p, /*max_bytes=*/1000).status().code(),
            StatusCode::kResourceExhausted);
  // Broken string lists.
  p = Proto(tensorflow::DT_STRING, {2});
  p.set_tensor_content(std::string("\x01\x05" "abc", 5));
  EXPECT_FALSE(TensorFromProto(p).ok());
  p.set_tensor_content(std::string("\xff\xff\xff\xff\xff\xff", 6));
  EXPECT_FALSE(TensorFromProto(p).ok());
}

TEST(TensorProtoTest, EncodeRejectsUninitialised) {
  EXPECT_FALSE(TensorToProto(Tensor()).ok());
}

}  // namespace
}  // namespace tf1hub
