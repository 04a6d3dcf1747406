// Tests of ShapeInference. Expected shapes are what TensorFlow 2.15 gives the
// same graph in tf.compat.v1 graph mode (tensor.shape, i.e. its C++ shape
// functions), checked with the oracle virtualenv; error messages follow
// TF's ("Dimensions must be equal, but are 3 and 4 for '{{node m}} = ...").
// interop/test_shape_inference.py compares whole graphs with TF.
#include "tf1hub/graph/shape_inference.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tf1hub/graph/attr_util.h"
#include "tf1hub/graph/import.h"
#include "tf1hub/graph/layers.h"
#include "tf1hub/graph/op_registry.h"
#include "tf1hub/graph/ops.h"
#include "tf1hub/graph/shape_inference_internal.h"

namespace tf1hub {
namespace {

constexpr int64_t U = -1;  // unknown dim

PartialTensorShape PS(std::vector<int64_t> dims) { return *PartialTensorShape::Create(dims); }

class ShapeInferenceTest : public ::testing::Test {
 protected:
  Output Ph(const std::string& name, std::vector<int64_t> dims, DataType dtype = DataType::kFloat) {
    return ops::Placeholder(root_.WithOpName(name), dtype,
                            {.shape = *PartialTensorShape::Create(dims)});
  }
  Output PhUnknown(const std::string& name, DataType dtype = DataType::kFloat) {
    return ops::Placeholder(root_.WithOpName(name), dtype);
  }
  Output I32(std::vector<int32_t> v) { return ops::Const(root_, v); }
  Output I32(int32_t v) { return ops::Const(root_, v); }
  Output F32(float v) { return ops::Const(root_, v); }

  // The inferred shape as TF prints it: "[?,50]", "<unknown>".
  std::string S(const Output& o) {
    EXPECT_TRUE(root_.ok()) << root_.status().ToString();
    ShapeInference inference(*root_.graph());
    StatusOr<PartialTensorShape> s = inference.InferShape(o);
    if (!s.ok()) return "error: " + s.status().ToString();
    return s->DebugString();
  }
  Status Err(const Output& o) {
    ShapeInference inference(*root_.graph());
    StatusOr<PartialTensorShape> s = inference.InferShape(o);
    return s.ok() ? Status::OK() : s.status();
  }

  Scope root_ = Scope::NewRootScope();
};

TEST_F(ShapeInferenceTest, PlaceholdersAndConstants) {
  EXPECT_EQ(S(Ph("x", {U, 50})), "[?,50]");
  EXPECT_EQ(S(PhUnknown("u")), "<unknown>");
  EXPECT_EQ(S(Ph("s", {})), "[]");
  EXPECT_EQ(S(ops::Const(root_, std::vector<float>(6, 0.f), {2, 3})), "[2,3]");
  EXPECT_EQ(S(F32(1.f)), "[]");
  EXPECT_EQ(S(ops::PlaceholderWithDefault(
                root_, ops::Const(root_, std::vector<float>{1, 2}, {1, 2}), PS({U, 2}))),
            "[?,2]");
}

TEST_F(ShapeInferenceTest, PlaceholderWithDefaultIncompatible) {
  Output d = ops::PlaceholderWithDefault(root_.WithOpName("pwd"),
                                         ops::Const(root_, std::vector<float>{1, 2, 3}), PS({2}));
  Status s = Err(d);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("Dimension 0 in both shapes must be equal, but are 3 and 2"),
            std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("{{node pwd}} = PlaceholderWithDefault"), std::string::npos);
}

TEST_F(ShapeInferenceTest, IdentityLikeAndUnary) {
  Output x = Ph("x", {U, 4});
  EXPECT_EQ(S(ops::Identity(root_, x)), "[?,4]");
  EXPECT_EQ(S(ops::StopGradient(root_, x)), "[?,4]");
  EXPECT_EQ(S(ops::Snapshot(root_, x)), "[?,4]");
  EXPECT_EQ(S(ops::Relu(root_, x)), "[?,4]");
  EXPECT_EQ(S(ops::Tanh(root_, x)), "[?,4]");
  EXPECT_EQ(S(ops::Cast(root_, x, DataType::kInt32)), "[?,4]");
  EXPECT_EQ(S(ops::Softmax(root_, x)), "[?,4]");
  EXPECT_EQ(S(ops::ZerosLike(root_, x)), "[?,4]");
  EXPECT_EQ(S(ops::L2Loss(root_, x)), "[]");
  std::vector<Output> ins = {x, I32(1)};
  std::vector<Output> outs = ops::IdentityN(root_, ins);
  ASSERT_EQ(outs.size(), 2u);
  EXPECT_EQ(S(outs[0]), "[?,4]");
  EXPECT_EQ(S(outs[1]), "[]");
}

TEST_F(ShapeInferenceTest, SoftmaxOfScalarIsAnError) {
  Status s = Err(ops::Softmax(root_.WithOpName("sm"), F32(1.f)));
  EXPECT_NE(s.message().find("Shape must be at least rank 1 but is rank 0"), std::string::npos)
      << s.message();
}

TEST_F(ShapeInferenceTest, Broadcasting) {
  Output a = Ph("a", {U, 1, 3});
  Output b = Ph("b", {4, 1});
  Output c = Ph("c", {U});
  Output e = Ph("e", {2, U});
  Output f = Ph("f", {U, 1});
  EXPECT_EQ(S(ops::AddV2(root_, a, b)), "[?,4,3]");
  EXPECT_EQ(S(ops::Mul(root_, a, c)), "[?,1,3]");
  EXPECT_EQ(S(ops::Sub(root_, e, f)), "[2,?]");
  EXPECT_EQ(S(ops::Maximum(root_, e, c)), "[2,?]");
  EXPECT_EQ(S(ops::Less(root_, a, F32(0.f))), "[?,1,3]");
  EXPECT_EQ(S(ops::Add(root_, a, PhUnknown("u"))), "<unknown>");
}

TEST_F(ShapeInferenceTest, BroadcastingIncompatibleIsAnError) {
  Output m = ops::Mul(root_.WithOpName("mul"), Ph("a", {2, 3}), Ph("b", {4}));
  Status s = Err(m);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("Dimensions must be equal, but are 3 and 4 for '{{node mul}} = "
                             "Mul[T=DT_FLOAT](a, b)' with input shapes: [2,3], [4]."),
            std::string::npos)
      << s.message();
}

TEST_F(ShapeInferenceTest, SelectAndSelectV2) {
  Output t = Ph("t", {4, U});
  Output e = Ph("e", {U, 3});
  EXPECT_EQ(S(ops::Select(root_, Ph("c1", {U}, DataType::kBool), t, e)), "[4,3]");
  EXPECT_EQ(S(ops::Select(root_, Ph("c0", {}, DataType::kBool), t, e)), "[4,3]");
  EXPECT_EQ(S(ops::SelectV2(root_, Ph("c2", {U, 1}, DataType::kBool), Ph("t2", {U, 3}), F32(0.f))),
            "[?,3]");
  Status s = Err(ops::Select(root_.WithOpName("sel"), Ph("c3", {2, 2}, DataType::kBool),
                             Ph("t3", {3, 2}), Ph("e3", {3, 2})));
  EXPECT_NE(s.message().find("Dimension 0 in both shapes must be equal, but are 3 and 2"),
            std::string::npos)
      << s.message();
}

TEST_F(ShapeInferenceTest, MatMul) {
  Output a = Ph("a", {U, 3});
  Output b = Ph("b", {3, 7});
  EXPECT_EQ(S(ops::MatMul(root_, a, b)), "[?,7]");
  EXPECT_EQ(S(ops::MatMul(root_, b, a, {.transpose_a = true, .transpose_b = true})), "[7,?]");
  EXPECT_EQ(S(ops::MatMul(root_, PhUnknown("u"), b)), "[?,7]");
}

TEST_F(ShapeInferenceTest, MatMulErrors) {
  Output m = ops::MatMul(root_.WithOpName("m"), Ph("a", {2, 3}), Ph("b", {4, 5}));
  Status s = Err(m);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("Dimensions must be equal, but are 3 and 4 for '{{node m}} = "
                             "MatMul[T=DT_FLOAT, transpose_a=false, transpose_b=false](a, b)' "
                             "with input shapes: [2,3], [4,5]."),
            std::string::npos)
      << s.message();
  Status r = Err(ops::MatMul(root_.WithOpName("m3"), Ph("c", {2, 3, 4}), Ph("d", {4, 5})));
  EXPECT_NE(r.message().find("Shape must be rank 2 but is rank 3"), std::string::npos);
  // Downstream nodes report the first error.
  Output after = ops::Relu(root_, m);
  EXPECT_EQ(Err(after), s);
}

TEST_F(ShapeInferenceTest, BatchMatMulV2AndBiasAdd) {
  EXPECT_EQ(S(ops::BatchMatMulV2(root_, Ph("x", {2, 1, 4, 3}), Ph("y", {5, 3, 6}))), "[2,5,4,6]");
  EXPECT_EQ(
      S(ops::BatchMatMulV2(root_, Ph("x2", {2, 1, 4, 3}), Ph("z", {U, 6, 3}), {.adj_y = true})),
      "[2,?,4,6]");
  EXPECT_EQ(S(ops::BiasAdd(root_, Ph("v", {U, 7}), Ph("bias", {U}))), "[?,7]");
  EXPECT_EQ(S(ops::BiasAdd(root_, Ph("w", {U, 4, 5, 6}), Ph("b4", {4}), {.data_format = "NCHW"})),
            "[?,4,5,6]");
  Status s = Err(ops::BiasAdd(root_.WithOpName("ba"), Ph("p", {U, 7}), Ph("q", {6})));
  EXPECT_NE(s.message().find("Dimensions must be equal, but are 7 and 6"), std::string::npos);
}

TEST_F(ShapeInferenceTest, Reductions) {
  Output x = Ph("x", {U, 3, 5});
  EXPECT_EQ(S(ops::Sum(root_, x, I32(1))), "[?,5]");
  EXPECT_EQ(S(ops::Sum(root_, x, I32(1), {.keep_dims = true})), "[?,1,5]");
  EXPECT_EQ(S(ops::Mean(root_, x, I32(std::vector<int32_t>{0, -1}))), "[3]");
  EXPECT_EQ(S(ops::Max(root_, x, I32(std::vector<int32_t>{0, 1, 2}))), "[]");
  EXPECT_EQ(S(ops::Min(root_, x, Ph("ax", {U}, DataType::kInt32))), "<unknown>");
  EXPECT_EQ(S(ops::Min(root_, x, Ph("ax2", {U}, DataType::kInt32), {.keep_dims = true})),
            "[?,?,?]");
  EXPECT_EQ(S(ops::ArgMax(root_, x, I32(1))), "[?,5]");
  EXPECT_EQ(S(ops::ArgMin(root_, x, Ph("d", {}, DataType::kInt32))), "[?,?]");
  EXPECT_EQ(S(ops::ArgMax(root_, Ph("v", {7}), I32(0))), "[]");
  Status s = Err(ops::Sum(root_.WithOpName("sum"), x, I32(3)));
  EXPECT_NE(s.message().find("Invalid reduction dimension 3 for input with 3 dimensions."),
            std::string::npos)
      << s.message();
  Status a = Err(ops::ArgMax(root_.WithOpName("am"), x, I32(-4)));
  EXPECT_NE(a.message().find("Dimension (-4) must be in the range [-3, 3)"), std::string::npos);
}

TEST_F(ShapeInferenceTest, ReshapeWithConstantsAndPartialShapes) {
  Output x = Ph("x", {U, 6});
  EXPECT_EQ(S(ops::Reshape(root_, x, I32(std::vector<int32_t>{-1, 3}))), "[?,3]");
  EXPECT_EQ(S(ops::Reshape(root_, x, I32(std::vector<int32_t>{-1}))), "[?]");
  Output y = Ph("y", {4, 6});
  EXPECT_EQ(S(ops::Reshape(root_, y, I32(std::vector<int32_t>{2, -1, 3}))), "[2,4,3]");
  // tf.reshape(x, tf.stack([tf.shape(x)[0], -1])) -> (None, None) in TF.
  Output shape = ops::Shape(root_, x);
  Output dim0 =
      ops::StridedSlice(root_, shape, I32(std::vector<int32_t>{0}), I32(std::vector<int32_t>{1}),
                        I32(std::vector<int32_t>{1}), {.shrink_axis_mask = 1});
  Output dim1 =
      ops::StridedSlice(root_, shape, I32(std::vector<int32_t>{1}), I32(std::vector<int32_t>{2}),
                        I32(std::vector<int32_t>{1}), {.shrink_axis_mask = 1});
  std::vector<Output> p1 = {dim0, I32(-1)};
  EXPECT_EQ(S(ops::Reshape(root_, x, ops::Pack(root_, p1))), "[?,?]");
  // tf.reshape(x, [-1, tf.shape(x)[1] * 2]) -> (None, 12): x.shape[1] is known.
  std::vector<Output> p2 = {I32(-1), ops::Mul(root_, dim1, I32(2))};
  EXPECT_EQ(S(ops::Reshape(root_, x, ops::Pack(root_, p2))), "[?,12]");
  // tf.unstack(tf.shape(x))[1] is known too.
  std::vector<Output> parts = ops::Unpack(root_, shape, 2);
  std::vector<Output> p3 = {I32(-1), ops::Mul(root_, parts[1], I32(2))};
  EXPECT_EQ(S(ops::Reshape(root_, x, ops::Pack(root_, p3))), "[?,12]");
  // A vector slice of a partially known shape is not evaluated (TF: [?]).
  Output tail = ops::StridedSlice(root_, shape, I32(std::vector<int32_t>{1}),
                                  I32(std::vector<int32_t>{2}), I32(std::vector<int32_t>{1}));
  EXPECT_EQ(S(ops::Fill(root_, ops::Mul(root_, tail, I32(2)), F32(0.f))), "[?]");
  // A constant subgraph is folded: [2,3] + [1,-1] = [3,2].
  EXPECT_EQ(S(ops::Reshape(root_, Ph("six", {U}),
                           ops::AddV2(root_, I32(std::vector<int32_t>{2, 3}),
                                      I32(std::vector<int32_t>{1, -1})))),
            "[3,2]");
  EXPECT_EQ(S(ops::Reshape(root_, y, Ph("s", {3}, DataType::kInt32))), "[?,?,?]");
  EXPECT_EQ(S(ops::Reshape(root_, y, Ph("s2", {U}, DataType::kInt32))), "<unknown>");
  EXPECT_EQ(S(ops::Reshape(root_, y, shape)), "[4,6]");
}

TEST_F(ShapeInferenceTest, ReshapeErrors) {
  Output y = Ph("y", {4, 6});
  Status s = Err(ops::Reshape(root_.WithOpName("r"), y, I32(std::vector<int32_t>{5, 5})));
  EXPECT_NE(s.message().find("Cannot reshape a tensor with 24 elements to shape [5,5] (25 "
                             "elements) for '{{node r}} = Reshape"),
            std::string::npos)
      << s.message();
  Status d = Err(ops::Reshape(root_.WithOpName("r2"), y, I32(std::vector<int32_t>{-1, 5})));
  EXPECT_NE(d.message().find("Dimension size must be evenly divisible by 5 but is 24"),
            std::string::npos)
      << d.message();
  Status v = Err(ops::Reshape(root_.WithOpName("r3"), y, I32(std::vector<int32_t>{-2, 12})));
  EXPECT_NE(v.message().find("Invalid value in tensor used for shape: -2"), std::string::npos)
      << v.message();
}

TEST_F(ShapeInferenceTest, SqueezeExpandDims) {
  EXPECT_EQ(S(ops::Squeeze(root_, Ph("a", {1, U, 1, 3}))), "<unknown>");
  EXPECT_EQ(S(ops::Squeeze(root_, Ph("b", {1, U, 1, 3}), {.axis = {0, 2}})), "[?,3]");
  EXPECT_EQ(S(ops::Squeeze(root_, Ph("c", {1, 2, 1, 3}))), "[2,3]");
  Output x = Ph("x", {U, 6});
  EXPECT_EQ(S(ops::ExpandDims(root_, x, I32(0))), "[1,?,6]");
  EXPECT_EQ(S(ops::ExpandDims(root_, x, I32(-1))), "[?,6,1]");
  EXPECT_EQ(S(ops::ExpandDims(root_, x, Ph("d", {}, DataType::kInt32))), "<unknown>");
  Status s = Err(ops::Squeeze(root_.WithOpName("sq"), Ph("e", {2, 3}), {.axis = {0}}));
  EXPECT_NE(s.message().find("Can not squeeze dim[0], expected a dimension of 1, got 2"),
            std::string::npos)
      << s.message();
  Status e = Err(ops::ExpandDims(root_.WithOpName("ed"), x, I32(3)));
  EXPECT_NE(e.message().find("dim 3 not in the interval [-3, 2]."), std::string::npos);
}

TEST_F(ShapeInferenceTest, ConcatPackUnpack) {
  Output a = Ph("a", {U, 3});
  Output b = Ph("b", {2, U});
  std::vector<Output> ab = {a, b, Ph("c", {2, 3})};
  EXPECT_EQ(S(ops::ConcatV2(root_, ab, I32(0))), "[?,3]");
  std::vector<Output> bc = {b, Ph("d", {2, 4})};
  EXPECT_EQ(S(ops::ConcatV2(root_, bc, I32(-1))), "[2,?]");
  std::vector<Output> cc = {Ph("e", {2, 4}), Ph("f", {2, 5})};
  EXPECT_EQ(S(ops::ConcatV2(root_, cc, I32(1))), "[2,9]");
  EXPECT_EQ(S(ops::ConcatV2(root_, cc, Ph("axis", {}, DataType::kInt32))), "[?,?]");
  std::vector<Output> ein = {Ph("ea", {U, 3, 4}), Ph("eb", {4, 5})};
  EXPECT_EQ(S(ops::Einsum(root_, ein, "bij,jk->bik")), "[?,3,5]");
  std::vector<Output> pk = {b, Ph("g", {2, 4})};
  EXPECT_EQ(S(ops::Pack(root_, pk, {.axis = 1})), "[2,2,4]");
  std::vector<Output> un = ops::Unpack(root_, Ph("h", {2, 4}), 4, {.axis = 1});
  ASSERT_EQ(un.size(), 4u);
  EXPECT_EQ(S(un[3]), "[2]");
  Status s = Err(ops::ConcatV2(root_.WithOpName("cat"), cc, I32(0)));
  EXPECT_NE(s.message().find("Dimension 0 in both shapes must be equal, but are 4 and 5. Shapes "
                             "are [4] and [5]."),
            std::string::npos)
      << s.message();
  std::vector<Output> mixed = {Ph("p1", {2, 3}), Ph("p2", {2, 4})};
  Status pk_err = Err(ops::Pack(root_.WithOpName("pack"), mixed));
  EXPECT_NE(pk_err.message().find("Dimension 1 in both shapes must be equal, but are 3 and 4. "
                                  "Shapes are [2,3] and [2,4].\n\tFrom merging shape 0 with "
                                  "other shapes."),
            std::string::npos)
      << pk_err.message();
  std::vector<Output> scalars = {F32(1.f), F32(2.f)};
  Status sc = Err(ops::ConcatV2(root_.WithOpName("cat2"), scalars, Ph("ax", {}, DataType::kInt32)));
  EXPECT_NE(sc.message().find("Can't concatenate scalars (use tf.stack instead)"),
            std::string::npos);
}

TEST_F(ShapeInferenceTest, ShapeSizeRankFillRange) {
  Output x = Ph("x", {U, 6});
  EXPECT_EQ(S(ops::Shape(root_, x)), "[2]");
  EXPECT_EQ(S(ops::Shape(root_, PhUnknown("u"))), "[?]");
  EXPECT_EQ(S(ops::Size(root_, x)), "[]");
  EXPECT_EQ(S(ops::Rank(root_, x)), "[]");
  EXPECT_EQ(S(ops::Fill(root_, I32(std::vector<int32_t>{2, 3}), F32(1.f))), "[2,3]");
  EXPECT_EQ(S(ops::Fill(root_, ops::Shape(root_, x), F32(1.f))), "[?,6]");
  EXPECT_EQ(S(ops::Fill(root_, ops::Mul(root_, ops::Shape(root_, x), I32(2)), F32(1.f))), "[?,?]");
  EXPECT_EQ(S(ops::Range(root_, I32(2), I32(11), I32(3))), "[3]");
  EXPECT_EQ(S(ops::Range(root_, I32(5), I32(0), I32(-2))), "[3]");
  EXPECT_EQ(S(ops::Range(root_, F32(0.f), F32(1.f), F32(0.3f))), "[4]");
  EXPECT_EQ(S(ops::Range(root_, I32(0), Ph("n", {}, DataType::kInt32), I32(1))), "[?]");
  EXPECT_EQ(S(ops::RandomUniform(root_, I32(std::vector<int32_t>{3, 4}), DataType::kFloat)),
            "[3,4]");
  EXPECT_EQ(S(ops::TruncatedNormal(root_, ops::Shape(root_, x), DataType::kFloat)), "[?,6]");
  Status f = Err(ops::Fill(root_.WithOpName("fill"), I32(std::vector<int32_t>{2, -3}), F32(1.f)));
  EXPECT_NE(f.message().find("Fill dimensions must be >= 0"), std::string::npos);
  Status rs =
      Err(ops::Range(root_.WithOpName("range_rank"), I32(std::vector<int32_t>{1}), I32(5), I32(1)));
  EXPECT_NE(rs.message().find("Shape must be rank 0 but is rank 1\n\t for 'start'"),
            std::string::npos)
      << rs.message();
  Status r = Err(ops::Range(root_.WithOpName("range"), I32(5), I32(1), I32(1)));
  EXPECT_NE(r.message().find("Requires start <= limit when delta > 0: 5/1"), std::string::npos)
      << r.message();
}

TEST_F(ShapeInferenceTest, StridedSlice) {
  Output x = Ph("x", {U, 6, 4});
  Output y = Ph("y", {5, 7});
  auto v = [&](std::vector<int32_t> values) { return I32(values); };
  // x[:, 0]
  EXPECT_EQ(S(ops::StridedSlice(root_, x, v({0, 0}), v({0, 1}), v({1, 1}),
                                {.begin_mask = 1, .end_mask = 1, .shrink_axis_mask = 2})),
            "[?,4]");
  // x[1:]
  EXPECT_EQ(S(ops::StridedSlice(root_, x, v({1}), v({0}), v({1}), {.end_mask = 1})), "[?,6,4]");
  // x[..., 1]
  EXPECT_EQ(S(ops::StridedSlice(root_, x, v({0, 1}), v({0, 2}), v({1, 1}),
                                {.ellipsis_mask = 1, .shrink_axis_mask = 2})),
            "[?,6]");
  // x[:, tf.newaxis, 2:5]
  EXPECT_EQ(S(ops::StridedSlice(root_, x, v({0, 0, 2}), v({0, 0, 5}), v({1, 1, 1}),
                                {.begin_mask = 1, .end_mask = 1, .new_axis_mask = 2})),
            "[?,1,3,4]");
  // y[::-1, 1:-1]
  EXPECT_EQ(S(ops::StridedSlice(root_, y, v({0, 1}), v({0, -1}), v({-1, 1}),
                                {.begin_mask = 1, .end_mask = 1})),
            "[5,5]");
  // y[::2], y[3:1], y[1:100, :3]
  EXPECT_EQ(
      S(ops::StridedSlice(root_, y, v({0}), v({0}), v({2}), {.begin_mask = 1, .end_mask = 1})),
      "[3,7]");
  EXPECT_EQ(S(ops::StridedSlice(root_, y, v({3}), v({1}), v({1}))), "[0,7]");
  EXPECT_EQ(S(ops::StridedSlice(root_, y, v({1, 0}), v({100, 3}), v({1, 1}), {.begin_mask = 2})),
            "[4,3]");
  // y[i] with unknown i; y[i:]
  Output i = ops::Pack(root_, std::vector<Output>{Ph("i", {}, DataType::kInt32)});
  EXPECT_EQ(S(ops::StridedSlice(root_, y, i, ops::AddV2(root_, i, v({1})), v({1}),
                                {.shrink_axis_mask = 1})),
            "[7]");
  EXPECT_EQ(S(ops::StridedSlice(root_, y, i, v({0}), v({1}), {.end_mask = 1})), "[?,7]");
  Status s = Err(ops::StridedSlice(root_.WithOpName("ss"), y, v({5}), v({6}), v({1}),
                                   {.shrink_axis_mask = 1}));
  EXPECT_NE(s.message().find("slice index 5 of dimension 0 out of bounds."), std::string::npos)
      << s.message();
  Status z = Err(ops::StridedSlice(root_.WithOpName("ss0"), y, v({0}), v({1}), v({0})));
  EXPECT_NE(z.message().find("strides[0] must be non-zero"), std::string::npos);
}

TEST_F(ShapeInferenceTest, SliceTransposeTilePadGather) {
  Output y = Ph("y", {5, 7});
  Output x = Ph("x", {U, 3, 5});
  EXPECT_EQ(
      S(ops::Slice(root_, y, I32(std::vector<int32_t>{1, 2}), I32(std::vector<int32_t>{2, -1}))),
      "[2,5]");
  EXPECT_EQ(S(ops::Slice(root_, x, I32(std::vector<int32_t>{0, 1, 0}),
                         I32(std::vector<int32_t>{-1, 2, 3}))),
            "[?,2,3]");
  EXPECT_EQ(
      S(ops::Slice(root_, y, I32(std::vector<int32_t>{0, 0}), Ph("size", {2}, DataType::kInt32))),
      "[?,?]");
  EXPECT_EQ(S(ops::Transpose(root_, x, I32(std::vector<int32_t>{0, 2, 1}))), "[?,5,3]");
  EXPECT_EQ(S(ops::Transpose(root_, x, Ph("perm", {3}, DataType::kInt32))), "[?,?,?]");
  EXPECT_EQ(S(ops::Tile(root_, x, I32(std::vector<int32_t>{2, 1, 3}))), "[?,3,15]");
  EXPECT_EQ(
      S(ops::Pad(root_, x, ops::Const(root_, std::vector<int32_t>{0, 0, 1, 2, 3, 3}, {3, 2}))),
      "[?,6,11]");
  EXPECT_EQ(S(ops::Pad(root_, x, Ph("pads", {3, 2}, DataType::kInt32))), "[?,?,?]");
  Output params = Ph("params", {10, 4});
  Output idx = Ph("idx", {U, 2}, DataType::kInt32);
  EXPECT_EQ(S(ops::GatherV2(root_, params, idx, I32(0))), "[?,2,4]");
  EXPECT_EQ(S(ops::GatherV2(root_, params, idx, I32(1))), "[10,?,2]");
  EXPECT_EQ(S(ops::GatherV2(root_, params, idx, Ph("ax", {}, DataType::kInt32))), "[?,?,?]");
  Status t = Err(ops::Transpose(root_.WithOpName("tr"), x, I32(std::vector<int32_t>{0, 3, 1})));
  EXPECT_NE(t.message().find("perm dim 3 is out of range of input rank 3"), std::string::npos);
  Status p = Err(ops::Pad(root_.WithOpName("pad"), y,
                          ops::Const(root_, std::vector<int32_t>{0, -1, 0, 0}, {2, 2})));
  EXPECT_NE(p.message().find("Paddings must be non-negative"), std::string::npos);
}

TEST_F(ShapeInferenceTest, NnOps) {
  Output img = Ph("img", {U, 28, 28, 3});
  Output f = ops::Const(root_, std::vector<float>(5 * 5 * 3 * 8, 0.f), {5, 5, 3, 8});
  EXPECT_EQ(S(ops::Conv2D(root_, img, f, {1, 1, 1, 1}, "SAME")), "[?,28,28,8]");
  EXPECT_EQ(S(ops::Conv2D(root_, img, f, {1, 2, 2, 1}, "VALID")), "[?,12,12,8]");
  Output dw = ops::Const(root_, std::vector<float>(3 * 3 * 3 * 2, 0.f), {3, 3, 3, 2});
  EXPECT_EQ(S(ops::DepthwiseConv2dNative(root_, img, dw, {1, 2, 2, 1}, "SAME")), "[?,14,14,6]");
  EXPECT_EQ(S(ops::MaxPool(root_, img, {1, 2, 2, 1}, {1, 2, 2, 1}, "VALID")), "[?,14,14,3]");
  EXPECT_EQ(S(ops::AvgPool(root_, img, {1, 3, 3, 1}, {1, 2, 2, 1}, "SAME")), "[?,14,14,3]");
  Output x = Ph("x", {U, 5, 5, 3});
  Output z = ops::Const(root_, std::vector<float>{0, 0, 0});
  Output empty = ops::Const(root_, std::vector<float>{});
  ops::FusedBatchNormV3Outputs bn = ops::FusedBatchNormV3(root_, x, z, z, empty, empty);
  EXPECT_EQ(S(bn.y), "[?,5,5,3]");
  EXPECT_EQ(S(bn.batch_mean), "[3]");
  EXPECT_EQ(S(bn.reserve_space_3), "<unknown>");
  Status s = Err(
      ops::Conv2D(root_.WithOpName("conv"), Ph("small", {1, 3, 3, 3}), f, {1, 1, 1, 1}, "VALID"));
  EXPECT_NE(s.message().find("Negative dimension size caused by subtracting 5 from 3"),
            std::string::npos)
      << s.message();
  Status d = Err(
      ops::Conv2D(root_.WithOpName("conv2"), Ph("deep", {1, 9, 9, 4}), f, {1, 1, 1, 1}, "VALID"));
  EXPECT_NE(d.message().find("Depth of input (4) is not a multiple of input depth of filter (3)"),
            std::string::npos);
}

TEST_F(ShapeInferenceTest, VariablesAndResources) {
  Output v = ops::VariableV2(root_.WithOpName("v"), PS({3, 4}), DataType::kFloat);
  EXPECT_EQ(S(v), "[3,4]");
  EXPECT_EQ(S(ops::Assign(root_, v, Ph("val", {U, 4}))), "[3,4]");
  EXPECT_EQ(S(ops::AssignAdd(root_, v, Ph("d", {3, U}))), "[3,4]");
  Output h = ops::VarHandleOp(root_.WithOpName("w"), DataType::kFloat, PS({10, 4}));
  EXPECT_EQ(S(h), "[]");
  EXPECT_EQ(S(ops::ReadVariableOp(root_, h, DataType::kFloat)), "[10,4]");
  EXPECT_EQ(S(ops::ReadVariableOp(root_, ops::Identity(root_, h), DataType::kFloat)), "[10,4]");
  EXPECT_EQ(S(ops::ReadVariableOp(root_, Ph("ph", {}, DataType::kResource), DataType::kFloat)),
            "<unknown>");
  EXPECT_EQ(S(ops::VarIsInitializedOp(root_, h)), "[]");
  EXPECT_EQ(S(ops::ResourceGather(root_, h, Ph("idx", {U, 3}, DataType::kInt32), DataType::kFloat)),
            "[?,3,4]");
  Status s = Err(ops::ReadVariableOp(root_.WithOpName("read"), h, DataType::kInt32));
  EXPECT_NE(s.message().find("Trying to read variable with wrong dtype. Expected float got int32"),
            std::string::npos)
      << s.message();
  Status a = Err(ops::Assign(root_.WithOpName("assign"), v, Ph("bad", {3, 5})));
  EXPECT_NE(a.message().find("Dimension 1 in both shapes must be equal, but are 4 and 5"),
            std::string::npos);
}

TEST_F(ShapeInferenceTest, StringsTablesSparse) {
  Output s = Ph("s", {U}, DataType::kString);
  ops::StringSplitOutputs sp = ops::StringSplit(root_, s, ops::Const(root_, " "));
  EXPECT_EQ(S(sp.indices), "[?,2]");
  EXPECT_EQ(S(sp.values), "[?]");
  EXPECT_EQ(S(sp.shape), "[2]");
  EXPECT_EQ(S(ops::StringToHashBucketFast(root_, s, 100)), "[?]");
  Output table = ops::HashTableV2(root_, DataType::kString, DataType::kInt64);
  EXPECT_EQ(S(table), "[]");
  // Python's table.lookup gives the keys' shape (TF's C++ shape function
  // alone, without the handle data we attach, would give <unknown>).
  EXPECT_EQ(S(ops::LookupTableFindV2(root_, table, Ph("k", {U, 4}, DataType::kString),
                                     ops::Const(root_, int64_t{-1}))),
            "[?,4]");
  EXPECT_EQ(S(ops::LookupTableSizeV2(root_, table)), "[]");
  Output data = Ph("data", {U, 16});
  Output ids = Ph("ids", {U}, DataType::kInt32);
  EXPECT_EQ(S(ops::SparseSegmentSum(root_, data, ids, ids)), "[?,16]");
  EXPECT_EQ(S(ops::SparseSegmentMean(root_, data, ids, ids)), "[?,16]");
  EXPECT_EQ(S(ops::SparseSegmentSqrtN(root_, data, ids, ids)), "[?,16]");
  ops::SparseFillEmptyRowsOutputs f =
      ops::SparseFillEmptyRows(root_, Ph("ind", {U, 2}, DataType::kInt64), Ph("vals", {U}),
                               ops::Const(root_, std::vector<int64_t>{5, 10}), F32(0.f));
  EXPECT_EQ(S(f.output_indices), "[?,2]");
  EXPECT_EQ(S(f.output_values), "[?]");
  EXPECT_EQ(S(f.empty_row_indicator), "[5]");
  EXPECT_EQ(S(f.reverse_index_map), "[?]");
  ops::UniqueOutputs u = ops::Unique(root_, Ph("vec", {7}, DataType::kInt32));
  EXPECT_EQ(S(u.y), "[?]");
  EXPECT_EQ(S(u.idx), "[7]");
  EXPECT_EQ(S(ops::Where(root_, PhUnknown("cond", DataType::kBool))), "[?,?]");
  Status e = Err(
      ops::SparseSegmentSum(root_.WithOpName("seg"), data, Ph("m", {U, 2}, DataType::kInt32), ids));
  EXPECT_NE(e.message().find("Shape must be rank 1 but is rank 2"), std::string::npos);
}

TEST_F(ShapeInferenceTest, LayersDenseDropoutBatchNorm) {
  Output x = Ph("x", {U, 50});
  Output h = layers::Dense(root_, x, 200);
  ASSERT_TRUE(root_.ok()) << root_.status().ToString();
  EXPECT_EQ(S(h), "[?,200]");
  Output d = layers::Dropout(root_, h, {.rate = 0.3, .training = true});
  EXPECT_EQ(S(d), "[?,200]");
  Output is_training = Ph("is_training", {}, DataType::kBool);
  Output bn = layers::BatchNormalization(root_, d, {.training = is_training});
  EXPECT_EQ(S(bn), "[?,200]");
  EXPECT_EQ(S(layers::Dense(root_, bn, 10, {.name = "logits"})), "[?,10]");
}

TEST_F(ShapeInferenceTest, DeepChainDoesNotOverflowTheStack) {
  Output x = Ph("x", {U, 3});
  for (int i = 0; i < 100000; ++i) x = ops::Relu(root_, x);
  EXPECT_EQ(S(x), "[?,3]");
  // A long chain of constant arithmetic is folded for Reshape.
  Output c = I32(std::vector<int32_t>{2, 3});
  for (int i = 0; i < 2000; ++i) c = ops::AddV2(root_, c, I32(std::vector<int32_t>{0, 0}));
  EXPECT_EQ(S(ops::Reshape(root_, ops::Const(root_, std::vector<float>(6, 0.f)), c)), "[2,3]");
}

TEST_F(ShapeInferenceTest, NoOutputsAndErrors) {
  Operation noop = ops::NoOp(root_.WithOpName("noop"));
  ShapeInference inference(*root_.graph());
  StatusOr<std::vector<PartialTensorShape>> shapes = inference.InferNodeShapes(noop.name);
  ASSERT_TRUE(shapes.ok());
  EXPECT_TRUE(shapes->empty());
  EXPECT_EQ(inference.InferShape(Output{"missing", 0}).status().code(), StatusCode::kNotFound);
  Status r = inference.InferShape(Output{"noop", 0}).status();
  EXPECT_EQ(r.code(), StatusCode::kOutOfRange);
  EXPECT_NE(r.message().find("node 'noop' has 0 outputs"), std::string::npos);
}

TEST_F(ShapeInferenceTest, AddOutputShapes) {
  Output x = Ph("x", {U, 50});
  Output y = ops::MatMul(root_.WithOpName("y"), x,
                         ops::Const(root_, std::vector<float>(100, 0.f), {50, 2}));
  ops::NoOp(root_.WithOpName("noop"));
  tensorflow::GraphDef def = root_.graph()->ToGraphDef();
  ASSERT_TRUE(AddOutputShapes(*root_.graph(), &def).ok());
  for (const tensorflow::NodeDef& node : def.node()) {
    if (node.name() == "noop") {
      EXPECT_EQ(node.attr().count("_output_shapes"), 0u);
    } else {
      ASSERT_EQ(node.attr().count("_output_shapes"), 1u) << node.name();
    }
    if (node.name() == "y") {
      const auto& list = node.attr().at("_output_shapes").list();
      ASSERT_EQ(list.shape_size(), 1);
      EXPECT_EQ(list.shape(0).dim_size(), 2);
      EXPECT_EQ(list.shape(0).dim(0).size(), -1);
      EXPECT_EQ(list.shape(0).dim(1).size(), 2);
    }
  }
  tensorflow::GraphDef other;
  other.add_node()->set_name("elsewhere");
  EXPECT_EQ(AddOutputShapes(*root_.graph(), &other).code(), StatusCode::kNotFound);
}

TEST_F(ShapeInferenceTest, ImportedGraphWithLoop) {
  // A TF1 while loop as TF's importer sees it: the Merge's back edge from
  // NextIteration has an unknown shape, and so does Enter's output (TF gives
  // the same for the imported GraphDef).
  Output x = Ph("x", {U, 3});
  Output enter = ops::Enter(root_.WithOpName("enter"), x, "loop");
  std::vector<Output> merge_in = {enter, enter};
  ops::MergeOutputs merge = ops::Merge(root_.WithOpName("merge"), merge_in);
  Output next = ops::NextIteration(root_.WithOpName("next"), ops::Identity(root_, merge.output));
  ASSERT_TRUE(root_.graph()->UpdateInput("merge", 1, next).ok());
  EXPECT_EQ(S(enter), "<unknown>");
  EXPECT_EQ(S(merge.output), "<unknown>");
  EXPECT_EQ(S(merge.value_index), "[]");
  EXPECT_EQ(S(next), "<unknown>");
}

TEST_F(ShapeInferenceTest, RestoreV2UsesShapeAndSlices) {
  // TF: RestoreV2 with shape_and_slices ["", "4 6 0,2:-"] -> [<unknown>, [2,6]].
  std::vector<DataType> dtypes = {DataType::kFloat, DataType::kFloat};
  std::vector<Output> restored = ops::RestoreV2(
      root_, ops::Const(root_, "prefix"), ops::Const(root_, std::vector<std::string>{"a", "b"}),
      ops::Const(root_, std::vector<std::string>{"", "4 6 0,2:-"}), dtypes);
  ASSERT_EQ(restored.size(), 2u);
  EXPECT_EQ(S(restored[0]), "<unknown>");
  EXPECT_EQ(S(restored[1]), "[2,6]");
  std::vector<Output> unknown = ops::RestoreV2(
      root_, ops::Const(root_, "prefix"), ops::Const(root_, std::vector<std::string>{"a"}),
      Ph("slices", {1}, DataType::kString), std::vector<DataType>{DataType::kFloat});
  EXPECT_EQ(S(unknown[0]), "<unknown>");
}

TEST_F(ShapeInferenceTest, RecordedOutputShapesAreMergedAsOnImport) {
  // A GraphDef node with `_output_shapes` (export_meta_graph writes them):
  // TF's importer merges them into the inferred shapes.
  tensorflow::GraphDef def;
  Scope src = Scope::NewRootScope();
  Output x = ops::Placeholder(src.WithOpName("x"), DataType::kFloat, {.shape = PS({U, 6})});
  Output n = ops::Placeholder(src.WithOpName("n"), DataType::kInt32, {.shape = PS({2})});
  ops::Relu(src.WithOpName("relu"), ops::Reshape(src.WithOpName("r"), x, n));
  def = src.graph()->ToGraphDef();
  for (tensorflow::NodeDef& node : *def.mutable_node()) {
    if (node.name() == "r") {
      (*node.mutable_attr())["_output_shapes"] = AttrShapeList(std::vector{PS({U, 3})});
    }
  }
  ImportGraphDefOptions options;
  options.name = "";
  ASSERT_TRUE(ImportGraphDef(root_, def, options).ok());
  EXPECT_EQ(S(Output{"relu", 0}), "[?,3]");

  for (tensorflow::NodeDef& node : *def.mutable_node()) {
    if (node.name() == "r") {
      (*node.mutable_attr())["_output_shapes"] = AttrShapeList(std::vector{PS({U, 3, 4})});
    }
  }
  options.name = "bad";
  ASSERT_TRUE(ImportGraphDef(root_, def, options).ok());
  Status s = Err(Output{"bad/relu", 0});
  EXPECT_NE(s.message().find("Node 'bad/r' has an _output_shapes attribute inconsistent with the "
                             "GraphDef for output #0: Shapes must be equal rank, but are 2 and 3"),
            std::string::npos)
      << s.message();
}

// Every op with an OpDef and outputs has a shape function.
TEST(ShapeInferenceCoverageTest, EveryRegisteredOpHasAShapeFunction) {
  const OpRegistry& registry = OpRegistry::Global();
  ASSERT_GT(registry.size(), 100);
  for (const std::string& op : registry.OpNames()) {
    const tensorflow::OpDef* def = registry.Lookup(op);
    if (def->output_arg_size() == 0) continue;
    EXPECT_NE(shape_inference::LookupShapeFn(op), nullptr) << "no shape function for " << op;
  }
}

}  // namespace
}  // namespace tf1hub
