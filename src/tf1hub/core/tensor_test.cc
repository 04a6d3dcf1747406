#include "tf1hub/tensor.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "tf1hub/core/tensor_buffer.h"

namespace tf1hub {
namespace {

TensorShape Shape(std::initializer_list<int64_t> dims) { return *TensorShape::Create(dims); }

TEST(TensorTest, DefaultIsUninitialized) {
  Tensor t;
  EXPECT_FALSE(t.IsInitialized());
  EXPECT_EQ(t.dtype(), DataType::kInvalid);
  EXPECT_EQ(t.raw_data(), nullptr);
  EXPECT_EQ(t.DebugString(), "Tensor<uninitialized>");
}

TEST(TensorTest, CreateZeroFillsAndAligns) {
  StatusOr<Tensor> t = Tensor::Create(DataType::kFloat, Shape({3, 5}));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_TRUE(t->IsInitialized());
  EXPECT_EQ(t->NumElements(), 15);
  EXPECT_EQ(t->TotalBytes(), 60u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(t->raw_data()) % kTensorAlignment, 0u);
  for (float v : t->flat<float>()) EXPECT_EQ(v, 0.0f);
  EXPECT_FALSE(t->IsView());
}

TEST(TensorTest, EveryMemcpyableTypeAllocates) {
  for (int v = 1; v <= 23; ++v) {
    const DataType dt = static_cast<DataType>(v);
    StatusOr<Tensor> t = Tensor::Create(dt, Shape({4}));
    if (!IsSupportedTensorType(dt)) {
      ASSERT_FALSE(t.ok()) << v;
      EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
      continue;
    }
    ASSERT_TRUE(t.ok()) << DataTypeName(dt);
    EXPECT_EQ(t->TotalBytes(), 4 * DataTypeSize(dt));
  }
}

TEST(TensorTest, RejectsUnsupportedTypes) {
  for (DataType dt : {DataType::kResource, DataType::kVariant, DataType::kInvalid,
                      static_cast<DataType>(101)}) {
    StatusOr<Tensor> t = Tensor::Create(dt, Shape({2}));
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(TensorTest, HugeAllocationIsResourceExhausted) {
  // 2^59 doubles = 4 EiB: no machine has that.
  StatusOr<Tensor> t = Tensor::Create(DataType::kDouble, Shape({int64_t{1} << 59}));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(t.status().message().find("4611686018427387904 bytes"), std::string::npos)
      << t.status().message();
}

TEST(TensorTest, EmptyTensorsAreValid) {
  StatusOr<Tensor> t = Tensor::Create(DataType::kInt32, Shape({0, 3}));
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->IsInitialized());
  EXPECT_EQ(t->NumElements(), 0);
  EXPECT_EQ(t->TotalBytes(), 0u);
  EXPECT_EQ(t->raw_data(), nullptr);
  EXPECT_TRUE(t->flat<int32_t>().empty());
  EXPECT_EQ(t->DebugString(), "Tensor<int32, [0,3]:>");
  StatusOr<Tensor> copy = t->Copy();
  ASSERT_TRUE(copy.ok());
  EXPECT_TRUE(BitwiseEqual(*t, *copy));
  StatusOr<Tensor> s = Tensor::Create(DataType::kString, Shape({0}));
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->flat<std::string>().empty());
}

TEST(TensorTest, SharingAndCopy) {
  Tensor a = *Tensor::FromVector<int64_t>({1, 2, 3, 4}, Shape({2, 2}));
  Tensor b = a;  // shares
  EXPECT_TRUE(a.SharesBufferWith(b));
  b.mutable_flat<int64_t>()[0] = 10;
  EXPECT_EQ(a.flat<int64_t>()[0], 10);

  Tensor c = *a.Copy();
  EXPECT_FALSE(c.SharesBufferWith(a));
  EXPECT_TRUE(BitwiseEqual(a, c));
  c.mutable_flat<int64_t>()[3] = 40;
  EXPECT_EQ(a.flat<int64_t>()[3], 4);
  EXPECT_FALSE(BitwiseEqual(a, c));
}

TEST(TensorTest, Reshaped) {
  Tensor a = *Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, Shape({2, 3}));
  StatusOr<Tensor> r = a.Reshaped(Shape({3, 2}));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->SharesBufferWith(a));
  EXPECT_EQ(r->shape(), Shape({3, 2}));
  EXPECT_EQ(r->flat<float>()[5], 6.0f);
  StatusOr<Tensor> bad = a.Reshaped(Shape({4}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(),
            "[Tensor::Reshaped] cannot reshape a tensor of shape [2,3] (6 elements) into shape "
            "[4] (4 elements)");
}

TEST(TensorTest, Strings) {
  Tensor s = *Tensor::FromVector<std::string>({"a", std::string(1000, 'x'), ""}, Shape({3}));
  EXPECT_EQ(s.TotalBytes(), 0u);
  EXPECT_EQ(s.flat<std::string>()[1].size(), 1000u);
  Tensor c = *s.Copy();
  EXPECT_TRUE(BitwiseEqual(s, c));
  c.mutable_flat<std::string>()[2] = "z";
  EXPECT_FALSE(BitwiseEqual(s, c));
  EXPECT_EQ(s.flat<std::string>()[2], "");
  EXPECT_EQ(Tensor::Scalar<std::string>("hi\n\"").DebugString(), "Tensor<string, []: \"hi\\n\\\"\">");
}

TEST(TensorTest, ViewSharesMemoryAndKeepsOwnerAlive) {
  auto owner = std::make_shared<std::vector<double>>(std::vector<double>{1.5, -2.5, 3.25});
  std::weak_ptr<std::vector<double>> weak = owner;
  StatusOr<Tensor> v = Tensor::CreateView(DataType::kDouble, Shape({3}), owner->data(),
                                          3 * sizeof(double), owner);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(v->IsView());
  EXPECT_EQ(v->raw_data(), owner->data());
  owner.reset();
  EXPECT_FALSE(weak.expired());
  EXPECT_EQ(v->flat<double>()[2], 3.25);
  Tensor copy = *v->Copy();
  EXPECT_FALSE(copy.IsView());
  EXPECT_TRUE(BitwiseEqual(copy, *v));
  *v = Tensor();
  EXPECT_TRUE(weak.expired());
}

TEST(TensorTest, MisalignedViewIsCopied) {
  alignas(64) char storage[64] = {};
  const int32_t values[2] = {7, -9};
  std::memcpy(storage + 1, values, sizeof(values));
  StatusOr<Tensor> v =
      Tensor::CreateView(DataType::kInt32, Shape({2}), storage + 1, sizeof(values), nullptr);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->IsView());
  EXPECT_NE(v->raw_data(), static_cast<const void*>(storage + 1));
  EXPECT_EQ(v->flat<int32_t>()[0], 7);
  EXPECT_EQ(v->flat<int32_t>()[1], -9);
  // Bytes need no alignment.
  StatusOr<Tensor> u = Tensor::CreateView(DataType::kUint8, Shape({3}), storage + 1, 3, nullptr);
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE(u->IsView());
}

TEST(TensorTest, ViewValidation) {
  float data[4] = {};
  StatusOr<Tensor> wrong_size =
      Tensor::CreateView(DataType::kFloat, Shape({4}), data, 15, nullptr);
  ASSERT_FALSE(wrong_size.ok());
  EXPECT_EQ(wrong_size.status().message(),
            "[Tensor::CreateView] 15 bytes given for a float32 tensor of shape [4], which needs "
            "16");
  EXPECT_FALSE(Tensor::CreateView(DataType::kString, Shape({1}), data, 0, nullptr).ok());
  EXPECT_FALSE(Tensor::CreateView(DataType::kResource, Shape({}), data, 0, nullptr).ok());
  StatusOr<Tensor> empty = Tensor::CreateView(DataType::kFloat, Shape({0}), nullptr, 0, nullptr);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->NumElements(), 0);
}

TEST(TensorTest, DebugString) {
  Tensor f = *Tensor::FromVector<float>({1, 2.5f, -3, 0.1f}, Shape({2, 2}));
  EXPECT_EQ(f.DebugString(), "Tensor<float32, [2,2]: 1 2.5 -3 0.1>");
  EXPECT_EQ(f.DebugString(2), "Tensor<float32, [2,2]: 1 2.5 ...>");
  EXPECT_EQ(Tensor::Scalar<bool>(true).DebugString(), "Tensor<bool, []: 1>");
  EXPECT_EQ(Tensor::Scalar<int8_t>(-5).DebugString(), "Tensor<int8, []: -5>");
  EXPECT_EQ(Tensor::Scalar<uint64_t>(18446744073709551615ull).DebugString(),
            "Tensor<uint64, []: 18446744073709551615>");
  EXPECT_EQ(Tensor::Scalar<Complex64>({1, -2}).DebugString(), "Tensor<complex64, []: (1,-2)>");
  // float16 0x3c00 is 1.0, 0xc000 is -2.0, 0x0001 the smallest subnormal.
  Tensor h = *Tensor::FromVector<Half>({{0x3c00}, {0xc000}, {0x0001}}, Shape({3}));
  EXPECT_EQ(h.DebugString(), "Tensor<float16, [3]: 1 -2 5.9604645e-08>");
  // bfloat16 0x3fc0 is 1.5.
  EXPECT_EQ(Tensor::Scalar<BFloat16>({0x3fc0}).DebugString(), "Tensor<bfloat16, []: 1.5>");
}

TEST(TensorTest, BitwiseEqualComparesDtypeAndShape) {
  Tensor a = *Tensor::FromVector<int32_t>({1, 2}, Shape({2}));
  Tensor b = *Tensor::FromVector<uint32_t>({1, 2}, Shape({2}));
  Tensor c = *Tensor::FromVector<int32_t>({1, 2}, Shape({1, 2}));
  EXPECT_FALSE(BitwiseEqual(a, b));
  EXPECT_FALSE(BitwiseEqual(a, c));
  EXPECT_TRUE(BitwiseEqual(Tensor(), Tensor()));
  EXPECT_FALSE(BitwiseEqual(a, Tensor()));
  // -0.0 and 0.0 compare equal as floats but not bitwise.
  EXPECT_FALSE(BitwiseEqual(Tensor::Scalar<float>(0.0f), Tensor::Scalar<float>(-0.0f)));
}

TEST(TensorTest, FromVectorChecksCount) {
  StatusOr<Tensor> t = Tensor::FromVector<float>({1, 2, 3}, Shape({2, 2}));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
}

TEST(TensorBufferTest, UninitialisedAllocationAndRuntimeHooks) {
  StatusOr<std::shared_ptr<Tensor::Buffer>> buf =
      Tensor::Buffer::Allocate(DataType::kInt16, 6, /*zero_fill=*/false);
  ASSERT_TRUE(buf.ok());
  EXPECT_EQ((*buf)->size(), 12u);
  EXPECT_TRUE((*buf)->owned());
  Tensor t = Tensor::Buffer::Wrap(DataType::kInt16, Shape({2, 3}), *buf);
  EXPECT_EQ(Tensor::Buffer::Of(t), *buf);
  EXPECT_EQ(t.raw_data(), (*buf)->data());
}

}  // namespace
}  // namespace tf1hub
