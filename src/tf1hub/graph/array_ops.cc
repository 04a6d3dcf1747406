// Array op constructors (include/tf1hub/graph/array_ops.h).
#include "tf1hub/graph/array_ops.h"

#include "tf1hub/graph/attr_util.h"
#include "tf1hub/graph/node_builder.h"
#include "tf1hub/graph/tensor_proto.h"

namespace tf1hub::ops {
namespace {

Output OneInput(const Scope& scope, const char* op, const Output& x) {
  return NodeBuilder(scope, op).Input(x).FinalizeOutput();
}

Output ConstFromProto(const Scope& scope, StatusOr<tensorflow::TensorProto> proto) {
  if (!scope.ok()) return Output{};
  if (!proto.ok()) {
    scope.UpdateStatus(proto.status().WithContext("[Const]"));
    return Output{};
  }
  tensorflow::AttrValue value;
  *value.mutable_tensor() = *proto;
  return NodeBuilder(scope, "Const")
      .Attr("value", std::move(value))
      .Attr("dtype", AttrType(proto->dtype()))
      .FinalizeOutput();
}

}  // namespace

Output Placeholder(const Scope& scope, DataType dtype, const PlaceholderAttrs& attrs) {
  return NodeBuilder(scope, "Placeholder")
      .Attr("dtype", dtype)
      .Attr("shape", attrs.shape)
      .FinalizeOutput();
}

Output PlaceholderWithDefault(const Scope& scope, const Output& input,
                              const PartialTensorShape& shape) {
  return NodeBuilder(scope, "PlaceholderWithDefault").Input(input).Attr("shape", shape).FinalizeOutput();
}

Output Const(const Scope& scope, const Tensor& value) {
  return ConstFromProto(scope, TensorToProto(value));
}

Output ConstFilled(const Scope& scope, const Tensor& scalar, const TensorShape& shape) {
  return ConstFromProto(scope, BroadcastScalarToProto(scalar, shape));
}

Output Identity(const Scope& scope, const Output& input) { return OneInput(scope, "Identity", input); }

std::vector<Output> IdentityN(const Scope& scope, std::span<const Output> inputs) {
  return NodeBuilder(scope, "IdentityN").InputList(inputs).FinalizeOutputs();
}

Output StopGradient(const Scope& scope, const Output& input) {
  return OneInput(scope, "StopGradient", input);
}

Output Snapshot(const Scope& scope, const Output& input) { return OneInput(scope, "Snapshot", input); }

Output Shape(const Scope& scope, const Output& input, const ShapeAttrs& attrs) {
  return NodeBuilder(scope, "Shape").Input(input).Attr("out_type", attrs.out_type).FinalizeOutput();
}

Output Size(const Scope& scope, const Output& input, const ShapeAttrs& attrs) {
  return NodeBuilder(scope, "Size").Input(input).Attr("out_type", attrs.out_type).FinalizeOutput();
}

Output Rank(const Scope& scope, const Output& input) { return OneInput(scope, "Rank", input); }

Output Reshape(const Scope& scope, const Output& tensor, const Output& shape) {
  return NodeBuilder(scope, "Reshape").Input(tensor).Input(shape).FinalizeOutput();
}

Output Squeeze(const Scope& scope, const Output& input, const SqueezeAttrs& attrs) {
  return NodeBuilder(scope, "Squeeze")
      .Input(input)
      .Attr("squeeze_dims", std::span<const int64_t>(attrs.axis))
      .FinalizeOutput();
}

Output ExpandDims(const Scope& scope, const Output& input, const Output& axis) {
  return NodeBuilder(scope, "ExpandDims").Input(input).Input(axis).FinalizeOutput();
}

Output BroadcastTo(const Scope& scope, const Output& input, const Output& shape) {
  return NodeBuilder(scope, "BroadcastTo").Input(input).Input(shape).FinalizeOutput();
}

BroadcastGradientArgsOutputs BroadcastGradientArgs(const Scope& scope, const Output& s0,
                                                   const Output& s1) {
  std::vector<Output> out = NodeBuilder(scope, "BroadcastGradientArgs").Input(s0).Input(s1).FinalizeOutputs();
  if (out.size() != 2) return {};
  return {out[0], out[1]};
}

Output ConcatV2(const Scope& scope, std::span<const Output> values, const Output& axis) {
  return NodeBuilder(scope, "ConcatV2").InputList(values).Input(axis).FinalizeOutput();
}

std::vector<Output> ConcatOffset(const Scope& scope, const Output& concat_dim,
                                 std::span<const Output> shapes) {
  return NodeBuilder(scope, "ConcatOffset").Input(concat_dim).InputList(shapes).FinalizeOutputs();
}

Output Pack(const Scope& scope, std::span<const Output> values, const PackAttrs& attrs) {
  return NodeBuilder(scope, "Pack").InputList(values).Attr("axis", attrs.axis).FinalizeOutput();
}

std::vector<Output> Unpack(const Scope& scope, const Output& value, int64_t num,
                           const PackAttrs& attrs) {
  return NodeBuilder(scope, "Unpack")
      .Input(value)
      .Attr("num", num)
      .Attr("axis", attrs.axis)
      .FinalizeOutputs();
}

Output Fill(const Scope& scope, const Output& dims, const Output& value) {
  return NodeBuilder(scope, "Fill").Input(dims).Input(value).FinalizeOutput();
}

Output ZerosLike(const Scope& scope, const Output& x) { return OneInput(scope, "ZerosLike", x); }
Output OnesLike(const Scope& scope, const Output& x) { return OneInput(scope, "OnesLike", x); }

Output Tile(const Scope& scope, const Output& input, const Output& multiples) {
  return NodeBuilder(scope, "Tile").Input(input).Input(multiples).FinalizeOutput();
}

Output Pad(const Scope& scope, const Output& input, const Output& paddings) {
  return NodeBuilder(scope, "Pad").Input(input).Input(paddings).FinalizeOutput();
}

Output Transpose(const Scope& scope, const Output& x, const Output& perm) {
  return NodeBuilder(scope, "Transpose").Input(x).Input(perm).FinalizeOutput();
}

Output OneHot(const Scope& scope, const Output& indices, const Output& depth,
              const Output& on_value, const Output& off_value, const OneHotAttrs& attrs) {
  return NodeBuilder(scope, "OneHot")
      .Input(indices)
      .Input(depth)
      .Input(on_value)
      .Input(off_value)
      .Attr("axis", attrs.axis)
      .FinalizeOutput();
}

Output StridedSlice(const Scope& scope, const Output& input, const Output& begin,
                    const Output& end, const Output& strides, const StridedSliceAttrs& attrs) {
  return NodeBuilder(scope, "StridedSlice")
      .Input(input)
      .Input(begin)
      .Input(end)
      .Input(strides)
      .Attr("begin_mask", attrs.begin_mask)
      .Attr("end_mask", attrs.end_mask)
      .Attr("ellipsis_mask", attrs.ellipsis_mask)
      .Attr("new_axis_mask", attrs.new_axis_mask)
      .Attr("shrink_axis_mask", attrs.shrink_axis_mask)
      .FinalizeOutput();
}

Output Slice(const Scope& scope, const Output& input, const Output& begin, const Output& size) {
  return NodeBuilder(scope, "Slice").Input(input).Input(begin).Input(size).FinalizeOutput();
}

Output GatherV2(const Scope& scope, const Output& params, const Output& indices,
                const Output& axis, const GatherV2Attrs& attrs) {
  return NodeBuilder(scope, "GatherV2")
      .Input(params)
      .Input(indices)
      .Input(axis)
      .Attr("batch_dims", attrs.batch_dims)
      .FinalizeOutput();
}

Output Where(const Scope& scope, const Output& input) { return OneInput(scope, "Where", input); }

UniqueOutputs Unique(const Scope& scope, const Output& x, const UniqueAttrs& attrs) {
  std::vector<Output> out =
      NodeBuilder(scope, "Unique").Input(x).Attr("out_idx", attrs.out_idx).FinalizeOutputs();
  if (out.size() != 2) return {};
  return {out[0], out[1]};
}

}  // namespace tf1hub::ops
