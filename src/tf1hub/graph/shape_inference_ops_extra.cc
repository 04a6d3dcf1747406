// Shape functions of the less common ops with OpDefs here: GatherNd,
// ScatterNd, ReverseV2, PadV2, RandomUniformInt, SparseReshape, string
// length/substr/format ops, and the functional ops (If/While/calls), whose
// shapes come from their output_shapes attr (TF's If/While shape functions).
#include <string>
#include <vector>

#include "tf1hub/graph/attr_util.h"
#include "tf1hub/graph/shape_inference_internal.h"

namespace tf1hub::shape_inference {

namespace {

std::string Str(int64_t v) { return std::to_string(v); }

Status GatherNdShape(InferenceContext& c) {
  Shape params, indices;
  RETURN_IF_ERROR(WithRankAtLeast(c.input(0), 1, &params));
  RETURN_IF_ERROR(WithRankAtLeast(c.input(1), 1, &indices));
  const int64_t r = indices.Dim(-1);
  if (!params.known || r < 0) {
    c.set_output(0, Shape::Unknown());
    return Status::OK();
  }
  if (r > params.rank()) {
    return InvalidArgumentError(
        "indices.shape[-1] must be <= params.rank, but saw indices shape: " + indices.ToString() +
        " and params shape: " + params.ToString());
  }
  Shape indices_slice, params_slice;
  RETURN_IF_ERROR(Subshape(indices, 0, -1, &indices_slice));
  RETURN_IF_ERROR(Subshape(params, r, &params_slice));
  c.set_output(0, Concatenate(indices_slice, params_slice));
  return Status::OK();
}

Status ScatterNdShape(InferenceContext& c) {
  Shape indices, updates, out;
  RETURN_IF_ERROR(WithRankAtLeast(c.input(0), 1, &indices));
  RETURN_IF_ERROR(WithRankAtLeast(c.input(1), 1, &updates));
  RETURN_IF_ERROR(c.MakeShapeFromShapeTensor(2, &out));
  c.set_output(0, out);
  return Status::OK();
}

Status ReverseV2Shape(InferenceContext& c) {
  const Shape& input = c.input(0);
  Shape axis;
  RETURN_IF_ERROR(WithRank(c.input(1), 1, &axis));
  if (input.rank() > 8) {
    return InvalidArgumentError("reverse does not work on tensors with more than 8 dimensions");
  }
  const ConstTensor* t = c.input_tensor(1);
  if (t != nullptr && input.known) {
    const int64_t rank = input.rank();
    std::vector<bool> seen(rank, false);
    for (int64_t i = 0; i < t->NumElements(); ++i) {
      const int64_t a = t->IntAt(i);
      const int64_t canonical = a < 0 ? rank + a : a;
      if (canonical < 0 || canonical >= rank) {
        return InvalidArgumentError("'axis'[" + Str(i) + "] = " + Str(a) +
                                    " is out of valid range [0, " + Str(rank - 1));
      }
      if (seen[canonical]) {
        return InvalidArgumentError("axis " + Str(canonical) + " specified more than once.");
      }
      seen[canonical] = true;
    }
  }
  c.set_output(0, input);
  return Status::OK();
}

Status RandomUniformIntShape(InferenceContext& c) {
  Shape unused, out;
  RETURN_IF_ERROR(WithRank(c.input(1), 0, &unused));
  RETURN_IF_ERROR(WithRank(c.input(2), 0, &unused));
  RETURN_IF_ERROR(c.MakeShapeFromShapeTensor(0, &out));
  c.set_output(0, out);
  return Status::OK();
}

Status SparseReshapeShape(InferenceContext& c) {
  Shape indices, unused, new_shape;
  RETURN_IF_ERROR(WithRank(c.input(0), 2, &indices));
  RETURN_IF_ERROR(WithRank(c.input(1), 1, &unused));
  RETURN_IF_ERROR(WithRank(c.input(2), 1, &new_shape));
  c.set_output(0, Shape::Matrix(indices.dims[0], new_shape.dims[0]));
  c.set_output(1, new_shape);
  return Status::OK();
}

Status SubstrShape(InferenceContext& c) {
  const Shape& pos = c.input(1);
  const Shape& len = c.input(2);
  Shape unused;
  if (len.known) RETURN_IF_ERROR(WithRank(pos, len.rank(), &unused));
  for (int64_t i = 0; i < pos.rank(); ++i) {
    if (pos.dims[i] != len.Dim(i)) {
      return InvalidArgumentError("pos and len shapes must match: " + pos.ToString() + " vs. " +
                                  len.ToString());
    }
  }
  Shape out;
  RETURN_IF_ERROR(BroadcastShapes(c.input(0), c.input(1), &out));
  c.set_output(0, out);
  return Status::OK();
}

// If/While: the output_shapes attr when set; While otherwise passes its
// inputs' shapes through, If leaves them unknown.
Status FunctionalShape(InferenceContext& c) {
  const tensorflow::AttrValue* attr = FindAttr(c.node(), "output_shapes");
  const bool is_while = c.node().op().find("While") != std::string::npos;
  if (attr != nullptr && attr->has_list() && attr->list().shape_size() > 0) {
    if (attr->list().shape_size() != c.num_outputs()) {
      return InvalidArgumentError("output_shapes has " + Str(attr->list().shape_size()) +
                                  " shapes for " + Str(c.num_outputs()) + " outputs");
    }
    for (int i = 0; i < c.num_outputs(); ++i) {
      ASSIGN_OR_RETURN(PartialTensorShape s, ShapeFromProto(attr->list().shape(i)));
      c.set_output(i, Shape::FromPartial(s));
    }
    return Status::OK();
  }
  for (int i = 0; i < c.num_outputs(); ++i) {
    c.set_output(i, is_while && i < c.num_inputs() ? c.input(i) : Shape::Unknown());
  }
  return Status::OK();
}

Status BiasAddV1Shape(InferenceContext& c) {
  Shape input, bias;
  RETURN_IF_ERROR(WithRankAtLeast(c.input(0), 2, &input));
  RETURN_IF_ERROR(WithRank(c.input(1), 1, &bias));
  if (!input.known) {
    c.set_output(0, Shape::Unknown());
    return Status::OK();
  }
  Shape out = input;
  RETURN_IF_ERROR(MergeDim(input.dims.back(), bias.dims[0], &out.dims.back()));
  c.set_output(0, out);
  return Status::OK();
}

// Stateless random ops of TF 2.x initializers: key [1] and counter [2]
// (RNG_KEY_SIZE, RNG_MAX_COUNTER_SIZE); the V2 samplers take their shape
// from input 0.
Status StatelessKeyCounterShape(InferenceContext& c) {
  Shape unused;
  RETURN_IF_ERROR(WithRank(c.input(0), 1, &unused));
  c.set_output(0, Shape::Vector(1));
  c.set_output(1, Shape::Vector(2));
  return Status::OK();
}

Status StatelessRandomV2Shape(InferenceContext& c) {
  Shape out;
  RETURN_IF_ERROR(c.MakeShapeFromShapeTensor(0, &out));
  c.set_output(0, out);
  return Status::OK();
}

// [num_segments] + data.shape[1:], num_segments read when constant.
Status SparseSegmentWithNumSegmentsShape(InferenceContext& c) {
  Shape data, indices, segment_ids, unused, rest;
  RETURN_IF_ERROR(WithRankAtLeast(c.input(0), 1, &data));
  RETURN_IF_ERROR(WithRank(c.input(1), 1, &indices));
  RETURN_IF_ERROR(WithRank(c.input(2), 1, &segment_ids));
  RETURN_IF_ERROR(WithRank(c.input(3), 0, &unused));
  RETURN_IF_ERROR(Merge(indices, segment_ids, &unused));
  RETURN_IF_ERROR(Subshape(data, 1, &rest));
  int64_t num_segments = kUnknownDim;
  RETURN_IF_ERROR(c.MakeDimForScalarInput(3, &num_segments));
  c.set_output(0, Concatenate(Shape::Vector(num_segments), rest));
  return Status::OK();
}

Status UniqueWithCountsShape(InferenceContext& c) {
  Shape x;
  RETURN_IF_ERROR(WithRank(c.input(0), 1, &x));
  c.set_output(0, Shape::Vector(kUnknownDim));
  c.set_output(1, x);
  c.set_output(2, Shape::Vector(kUnknownDim));
  return Status::OK();
}

}  // namespace

std::vector<ShapeFnEntry> ExtraShapeFns() {
  return {
      {"GatherNd", GatherNdShape},
      {"ScatterNd", ScatterNdShape},
      {"ReverseV2", ReverseV2Shape},
      {"RandomUniformInt", RandomUniformIntShape},
      {"SparseReshape", SparseReshapeShape},
      {"Substr", SubstrShape},
      {"AsString", UnchangedShape},
      {"StringLength", UnchangedShape},
      {"ClipByValue", UnchangedShape},
      {"BiasAddV1", BiasAddV1Shape},
      {"If", FunctionalShape},
      {"StatelessIf", FunctionalShape},
      {"While", FunctionalShape},
      {"StatelessWhile", FunctionalShape},
      {"PartitionedCall", UnknownShapes},
      {"StatefulPartitionedCall", UnknownShapes},
      {"StatelessRandomGetKeyCounter", StatelessKeyCounterShape},
      {"StatelessRandomUniformV2", StatelessRandomV2Shape},
      {"StatelessRandomNormalV2", StatelessRandomV2Shape},
      {"StatelessTruncatedNormalV2", StatelessRandomV2Shape},
      {"StaticRegexFullMatch", UnchangedShape},
      {"DisableCopyOnRead", NoOutputs},
      {"SparseSegmentSumWithNumSegments", SparseSegmentWithNumSegmentsShape},
      {"SparseSegmentMeanWithNumSegments", SparseSegmentWithNumSegmentsShape},
      {"SparseSegmentSqrtNWithNumSegments", SparseSegmentWithNumSegmentsShape},
      {"UniqueWithCounts", UniqueWithCountsShape},
  };
}

}  // namespace tf1hub::shape_inference
