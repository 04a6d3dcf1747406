// Array op constructors: placeholders, constants, identity, shape
// manipulation, slicing, gathering. Each is named after its TensorFlow op,
// validates against the op's OpDef, adds one node and returns its
// output(s). Type attrs (T, Tidx, N, ...) are inferred from the inputs;
// other attrs come from the *Attrs structs (defaults = TF's defaults).
//
//   Scope root = Scope::NewRootScope();
//   Output x = ops::Placeholder(root.WithOpName("x"), DataType::kFloat,
//                               {.shape = *PartialTensorShape::Create(std::vector<int64_t>{-1, 3})});
//   Output flat = ops::Reshape(root, x, ops::Const(root, std::vector<int32_t>{-1}));
//
// On error (bad inputs, attrs out of the OpDef's allowed values, a Scope
// already in error) the Scope's sticky status is set and an empty Output is
// returned; see scope.h.
//
// Thread safety: as Scope.
#ifndef TF1HUB_GRAPH_ARRAY_OPS_H_
#define TF1HUB_GRAPH_ARRAY_OPS_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tf1hub/data_type.h"
#include "tf1hub/graph/output.h"
#include "tf1hub/graph/scope.h"
#include "tf1hub/tensor.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub::ops {

// ---- Placeholders and constants ---------------------------------------------

struct PlaceholderAttrs {
  PartialTensorShape shape = PartialTensorShape::UnknownRank();  // default: unknown rank
};
Output Placeholder(const Scope& scope, DataType dtype, const PlaceholderAttrs& attrs = {});
Output PlaceholderWithDefault(const Scope& scope, const Output& input,
                              const PartialTensorShape& shape);

// A Const node holding `value`, encoded as tf.constant encodes it (see
// tensor_proto.h: typed field for scalars, tensor_content for larger numeric
// tensors, string_val for strings).
Output Const(const Scope& scope, const Tensor& value);
// tf.constant(scalar, shape=shape): the proto holds `shape` and one value.
Output ConstFilled(const Scope& scope, const Tensor& scalar, const TensorShape& shape);
// Scalars: Const(scope, 1.0f), Const(scope, int64_t{3}), Const(scope, std::string("a")).
template <typename T>
  requires requires { DataTypeOf<T>::value; }
Output Const(const Scope& scope, T value) {
  return Const(scope, Tensor::Scalar<T>(std::move(value)));
}
inline Output Const(const Scope& scope, const char* value) {
  return Const(scope, std::string(value));
}
// A vector of values with `shape` (empty shape = 1-D of values.size()).
template <typename T>
Output Const(const Scope& scope, const std::vector<T>& values, std::vector<int64_t> shape = {}) {
  if (shape.empty()) shape.push_back(static_cast<int64_t>(values.size()));
  StatusOr<TensorShape> s = TensorShape::Create(shape);
  if (!s.ok()) {
    scope.UpdateStatus(s.status().WithContext("[Const]"));
    return Output{};
  }
  StatusOr<Tensor> t = Tensor::FromVector(values, *s);
  if (!t.ok()) {
    scope.UpdateStatus(t.status().WithContext("[Const]"));
    return Output{};
  }
  return Const(scope, *t);
}

// ---- Identity-like ------------------------------------------------------------

Output Identity(const Scope& scope, const Output& input);
std::vector<Output> IdentityN(const Scope& scope, std::span<const Output> inputs);
Output StopGradient(const Scope& scope, const Output& input);
Output Snapshot(const Scope& scope, const Output& input);

// ---- Shapes ------------------------------------------------------------------

struct ShapeAttrs {
  DataType out_type = DataType::kInt32;
};
Output Shape(const Scope& scope, const Output& input, const ShapeAttrs& attrs = {});
Output Size(const Scope& scope, const Output& input, const ShapeAttrs& attrs = {});
Output Rank(const Scope& scope, const Output& input);
Output Reshape(const Scope& scope, const Output& tensor, const Output& shape);
struct SqueezeAttrs {
  std::vector<int64_t> axis = {};  // squeeze_dims; empty = every size-1 dim
};
Output Squeeze(const Scope& scope, const Output& input, const SqueezeAttrs& attrs = {});
Output ExpandDims(const Scope& scope, const Output& input, const Output& axis);
Output BroadcastTo(const Scope& scope, const Output& input, const Output& shape);
struct BroadcastGradientArgsOutputs {
  Output r0, r1;
};
BroadcastGradientArgsOutputs BroadcastGradientArgs(const Scope& scope, const Output& s0,
                                                   const Output& s1);

// ---- Building and splitting -----------------------------------------------

Output ConcatV2(const Scope& scope, std::span<const Output> values, const Output& axis);
std::vector<Output> ConcatOffset(const Scope& scope, const Output& concat_dim,
                                 std::span<const Output> shapes);
struct PackAttrs {
  int64_t axis = 0;
};
Output Pack(const Scope& scope, std::span<const Output> values, const PackAttrs& attrs = {});
// `num` outputs along `axis`.
std::vector<Output> Unpack(const Scope& scope, const Output& value, int64_t num,
                           const PackAttrs& attrs = {});
Output Fill(const Scope& scope, const Output& dims, const Output& value);
Output ZerosLike(const Scope& scope, const Output& x);
Output OnesLike(const Scope& scope, const Output& x);
Output Tile(const Scope& scope, const Output& input, const Output& multiples);
Output Pad(const Scope& scope, const Output& input, const Output& paddings);
Output Transpose(const Scope& scope, const Output& x, const Output& perm);
struct OneHotAttrs {
  int64_t axis = -1;
};
Output OneHot(const Scope& scope, const Output& indices, const Output& depth,
              const Output& on_value, const Output& off_value, const OneHotAttrs& attrs = {});

// ---- Slicing and gathering --------------------------------------------------

struct StridedSliceAttrs {
  int64_t begin_mask = 0;
  int64_t end_mask = 0;
  int64_t ellipsis_mask = 0;
  int64_t new_axis_mask = 0;
  int64_t shrink_axis_mask = 0;
};
Output StridedSlice(const Scope& scope, const Output& input, const Output& begin,
                    const Output& end, const Output& strides,
                    const StridedSliceAttrs& attrs = {});
Output Slice(const Scope& scope, const Output& input, const Output& begin, const Output& size);
struct GatherV2Attrs {
  int64_t batch_dims = 0;
};
Output GatherV2(const Scope& scope, const Output& params, const Output& indices,
                const Output& axis, const GatherV2Attrs& attrs = {});
// Coordinates of true (non-zero) elements, int64 [num_true, rank].
Output Where(const Scope& scope, const Output& input);
struct UniqueAttrs {
  DataType out_idx = DataType::kInt32;
};
struct UniqueOutputs {
  Output y, idx;
};
UniqueOutputs Unique(const Scope& scope, const Output& x, const UniqueAttrs& attrs = {});

}  // namespace tf1hub::ops

#endif  // TF1HUB_GRAPH_ARRAY_OPS_H_
