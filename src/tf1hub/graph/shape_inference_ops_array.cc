// Shape functions of array ops (TensorFlow's core/ops/array_ops.cc rules).
#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "tf1hub/graph/shape_inference_internal.h"

namespace tf1hub::shape_inference {

namespace {

std::string Str(int64_t v) { return std::to_string(v); }

Status PlaceholderShape(InferenceContext& c) {
  ASSIGN_OR_RETURN(Shape s, c.ShapeAttr("shape"));
  c.set_output(0, s);
  return Status::OK();
}

Status PlaceholderWithDefaultShape(InferenceContext& c) {
  ASSIGN_OR_RETURN(Shape out, c.ShapeAttr("shape"));
  Shape unused;
  RETURN_IF_ERROR(Merge(c.input(0), out, &unused));
  c.set_output(0, out);
  return Status::OK();
}

Status ConstShape(InferenceContext& c) {
  const tensorflow::AttrValue* v = nullptr;
  auto it = c.node().attr().find("value");
  if (it != c.node().attr().end()) v = &it->second;
  if (v == nullptr || !v->has_tensor()) return Status::OK();
  std::vector<int64_t> dims;
  for (const auto& d : v->tensor().tensor_shape().dim()) {
    if (d.size() < 0) return InvalidArgumentError("Const value has a negative dimension");
    dims.push_back(d.size());
  }
  c.set_output(0, Shape::Of(std::move(dims)));
  return Status::OK();
}

Status IdentityNShape(InferenceContext& c) {
  for (int i = 0; i < c.num_outputs() && i < c.num_inputs(); ++i) {
    c.set_output(i, c.input(i));
    if (c.input_handle(i) != nullptr) c.set_output_handle(i, *c.input_handle(i));
  }
  return Status::OK();
}

Status ShapeShape(InferenceContext& c) {
  c.set_output(0, Shape::Vector(c.input(0).rank()));
  return Status::OK();
}

Status ReshapeShape(InferenceContext& c) {
  const Shape& in = c.input(0);
  Shape out;
  RETURN_IF_ERROR(c.MakeShapeFromShapeTensor(1, &out));
  if (!out.known || !in.known) {
    c.set_output(0, out);
    return Status::OK();
  }
  bool too_many_unknown = false;
  int64_t out_unknown_idx = -1, in_unknown_idx = -1;
  int64_t known_out = out.NumElements();
  if (known_out < 0) {
    known_out = 1;
    for (int64_t i = 0; i < out.rank(); ++i) {
      if (out.dims[i] < 0) {
        if (out_unknown_idx >= 0) {
          too_many_unknown = true;
          break;
        }
        out_unknown_idx = i;
      } else {
        RETURN_IF_ERROR(MultiplyDims(known_out, out.dims[i], &known_out));
      }
    }
  }
  int64_t known_in = in.NumElements();
  if (known_in < 0) {
    known_in = 1;
    for (int64_t i = 0; i < in.rank(); ++i) {
      if (in.dims[i] < 0) {
        if (in_unknown_idx >= 0) {
          too_many_unknown = true;
          break;
        }
        in_unknown_idx = i;
      } else {
        RETURN_IF_ERROR(MultiplyDims(known_in, in.dims[i], &known_in));
      }
    }
  }
  if (!too_many_unknown) {
    if (in_unknown_idx < 0 && out_unknown_idx < 0) {
      if (known_in != known_out) {
        return InvalidArgumentError("Cannot reshape a tensor with " + Str(known_in) +
                                    " elements to shape " + out.ToString() + " (" + Str(known_out) +
                                    " elements)");
      }
    } else if (in_unknown_idx < 0 && out_unknown_idx >= 0 && known_out > 0) {
      int64_t inferred;
      RETURN_IF_ERROR(DivideDim(known_in, known_out, true, &inferred));
      out.dims[out_unknown_idx] = inferred;
    } else if (in_unknown_idx >= 0 && out_unknown_idx < 0 && known_in != 0) {
      int64_t inferred, merged;
      RETURN_IF_ERROR(DivideDim(known_out, known_in, true, &inferred));
      RETURN_IF_ERROR(MergeDim(in.dims[in_unknown_idx], inferred, &merged));
    } else if (in_unknown_idx >= 0 && out_unknown_idx >= 0 && known_in == known_out) {
      out.dims[out_unknown_idx] = in.dims[in_unknown_idx];
    }
  }
  c.set_output(0, out);
  return Status::OK();
}

Status ExpandDimsShape(InferenceContext& c) {
  const Shape& input = c.input(0);
  const ConstTensor* dim_t = c.input_tensor(1);
  if (dim_t != nullptr && dim_t->NumElements() != 1) {
    return InvalidArgumentError("'dim' input must be a tensor with a single value");
  }
  if (dim_t == nullptr || !input.known) {
    c.set_output(0, Shape::Unknown());
    return Status::OK();
  }
  int64_t dim = dim_t->IntAt(0);
  const int64_t rank = input.rank();
  const int64_t min_dim = -1 * rank - 1;
  if (dim < min_dim || dim > rank) {
    return InvalidArgumentError("dim " + Str(dim) + " not in the interval [" + Str(min_dim) + ", " +
                                Str(rank) + "].");
  }
  if (dim < 0) dim += rank + 1;
  Shape before, after;
  RETURN_IF_ERROR(Subshape(input, 0, dim, &before));
  RETURN_IF_ERROR(Subshape(input, dim, &after));
  c.set_output(0, Concatenate(Concatenate(before, Shape::Vector(1)), after));
  return Status::OK();
}

Status SqueezeShape(InferenceContext& c) {
  const Shape& input = c.input(0);
  if (!input.known) {
    c.set_output(0, Shape::Unknown());
    return Status::OK();
  }
  const int64_t rank = input.rank();
  std::set<int64_t> dims;
  for (int64_t d : c.IntListAttr("squeeze_dims")) {
    if (d < -rank || d >= rank) {
      return InvalidArgumentError("Tried to squeeze dim index " + Str(d) + " for tensor with " +
                                  Str(rank) + " dimensions.");
    }
    dims.insert(d < 0 ? d + rank : d);
  }
  std::vector<int64_t> result;
  for (int64_t i = 0; i < rank; ++i) {
    const bool explicit_match = dims.count(i) > 0;
    const int64_t dim = input.dims[i];
    if (dim < 0) {
      if (explicit_match) continue;
      if (dims.empty()) {
        c.set_output(0, Shape::Unknown());
        return Status::OK();
      }
    } else if (dim == 1) {
      if (explicit_match || dims.empty()) continue;
    } else if (explicit_match) {
      return InvalidArgumentError("Can not squeeze dim[" + Str(i) +
                                  "], expected a dimension of 1, got " + Str(dim));
    }
    result.push_back(dim);
  }
  c.set_output(0, Shape::Of(std::move(result)));
  return Status::OK();
}

Status ConcatV2Shape(InferenceContext& c) {
  const int end = c.num_inputs() - 1;  // the axis input
  const ConstTensor* axis_t = c.input_tensor(end);
  if (axis_t == nullptr) {
    int64_t rank = -1;
    for (int i = 0; i < end; ++i) {
      if (rank < 0) rank = c.input(i).rank();
      if (rank >= 0) {
        Shape unused;
        RETURN_IF_ERROR(WithRank(c.input(i), rank, &unused));
      }
    }
    if (rank < 0) {
      c.set_output(0, Shape::Unknown());
    } else if (rank == 0) {
      return InvalidArgumentError("Can't concatenate scalars (use tf.stack instead)");
    } else {
      c.set_output(0, Shape::UnknownOfRank(rank));
    }
    return Status::OK();
  }
  if (axis_t->NumElements() != 1) return InvalidArgumentError("concat axis must be a scalar");
  const int64_t axis = axis_t->IntAt(0);
  const int64_t min_rank = axis < 0 ? -axis : axis + 1;
  Shape input, out_before, out_after;
  RETURN_IF_ERROR(WithRankAtLeast(c.input(end - 1), min_rank, &input));
  RETURN_IF_ERROR(Subshape(input, 0, axis, &out_before));
  int64_t out_middle = input.Dim(axis);
  if (axis == -1) {
    out_after = Shape::Scalar();
  } else {
    RETURN_IF_ERROR(Subshape(input, axis + 1, &out_after));
  }
  for (int i = end - 2; i >= 0; --i) {
    Shape before, after;
    RETURN_IF_ERROR(WithRankAtLeast(c.input(i), min_rank, &input));
    RETURN_IF_ERROR(Subshape(input, 0, axis, &before));
    const int64_t middle = input.Dim(axis);
    if (axis == -1) {
      after = Shape::Scalar();
    } else {
      RETURN_IF_ERROR(Subshape(input, axis + 1, &after));
    }
    RETURN_IF_ERROR(Merge(before, out_before, &out_before));
    RETURN_IF_ERROR(AddDims(out_middle, middle, &out_middle));
    RETURN_IF_ERROR(Merge(after, out_after, &out_after));
  }
  c.set_output(0, Concatenate(Concatenate(out_before, Shape::Vector(out_middle)), out_after));
  return Status::OK();
}

Status AxisForPackUnpack(InferenceContext& c, int64_t rank_after, int64_t* axis) {
  *axis = c.IntAttr("axis", 0);
  if (*axis < -rank_after || *axis >= rank_after) {
    return InvalidArgumentError("Invalid axis: " + Str(*axis) + "; must be in [" +
                                Str(-rank_after) + "," + Str(rank_after) + ")");
  }
  if (*axis < 0) *axis += rank_after;
  return Status::OK();
}

Status PackShape(InferenceContext& c) {
  Shape cur = c.input(c.num_inputs() - 1);
  for (int i = c.num_inputs() - 2; i >= 0; --i) {
    Status s = Merge(c.input(i), cur, &cur);
    if (!s.ok()) {
      return InvalidArgumentError(s.message() + "\n\tFrom merging shape " + Str(i) +
                                  " with other shapes.");
    }
  }
  if (!cur.known) {
    c.set_output(0, Shape::Unknown());
    return Status::OK();
  }
  int64_t axis;
  RETURN_IF_ERROR(AxisForPackUnpack(c, cur.rank() + 1, &axis));
  std::vector<int64_t> dims = cur.dims;
  dims.insert(dims.begin() + axis, c.num_inputs());
  c.set_output(0, Shape::Of(std::move(dims)));
  return Status::OK();
}

Status UnpackShape(InferenceContext& c) {
  const Shape& s = c.input(0);
  Shape out = Shape::Unknown();
  if (s.known) {
    int64_t axis;
    RETURN_IF_ERROR(AxisForPackUnpack(c, s.rank(), &axis));
    int64_t unused;
    RETURN_IF_ERROR(WithValue(s.dims[axis], c.num_outputs(), &unused));
    out = s;
    out.dims.erase(out.dims.begin() + axis);
  }
  for (int i = 0; i < c.num_outputs(); ++i) c.set_output(i, out);
  return Status::OK();
}

Status FillShape(InferenceContext& c) {
  Shape unused;
  RETURN_IF_ERROR(WithRank(c.input(0), 1, &unused));
  RETURN_IF_ERROR(WithRank(c.input(1), 0, &unused));
  if (const ConstTensor* t = c.input_tensor(0); t != nullptr && t->IsInteger()) {
    for (int64_t v : t->ints) {
      if (v < 0) return InvalidArgumentError("Fill dimensions must be >= 0");
    }
  }
  Shape out;
  RETURN_IF_ERROR(c.MakeShapeFromShapeTensor(0, &out));
  c.set_output(0, out);
  return Status::OK();
}

Status RandomShape(InferenceContext& c) {
  Shape out;
  RETURN_IF_ERROR(c.MakeShapeFromShapeTensor(0, &out));
  c.set_output(0, out);
  return Status::OK();
}

Status SliceShape(InferenceContext& c) {
  Shape input = c.input(0);
  Shape begin_shape, sizes_shape;
  RETURN_IF_ERROR(WithRank(c.input(1), 1, &begin_shape));
  RETURN_IF_ERROR(WithRank(c.input(2), 1, &sizes_shape));
  RETURN_IF_ERROR(Merge(begin_shape, sizes_shape, &begin_shape));
  const int64_t ndims = begin_shape.dims[0];
  if (ndims >= 0) RETURN_IF_ERROR(WithRank(input, ndims, &input));
  Shape begin_value;
  RETURN_IF_ERROR(c.MakeShapeFromShapeTensor(1, &begin_value));
  if (const ConstTensor* sizes = c.input_tensor(2); sizes != nullptr) {
    RETURN_IF_ERROR(WithRank(begin_value, sizes->NumElements(), &begin_value));
    std::vector<int64_t> dims;
    for (int64_t i = 0; i < sizes->NumElements(); ++i) {
      const int64_t size = sizes->IntAt(i);
      if (size < 0) {
        if (size != -1) {
          return InvalidArgumentError("Invalid value in tensor used for shape: " + Str(size));
        }
        int64_t d;
        RETURN_IF_ERROR(SubtractDims(input.Dim(i), begin_value.dims[i], &d));
        dims.push_back(d);
      } else {
        dims.push_back(size);
      }
    }
    c.set_output(0, Shape::Of(std::move(dims)));
    return Status::OK();
  }
  Shape sizes_value;
  RETURN_IF_ERROR(c.MakeShapeFromShapeTensor(2, &sizes_value));
  if (sizes_value.known) {
    RETURN_IF_ERROR(WithRank(begin_value, sizes_value.rank(), &begin_value));
    c.set_output(0, sizes_value);
    return Status::OK();
  }
  c.set_output(0, input.known ? Shape::UnknownOfRank(input.rank()) : Shape::Unknown());
  return Status::OK();
}

Status StridedSliceShape(InferenceContext& c) {
  const Shape& input = c.input(0);
  Shape begin_shape, end_shape, strides_shape;
  RETURN_IF_ERROR(WithRank(c.input(1), 1, &begin_shape));
  RETURN_IF_ERROR(WithRank(c.input(2), 1, &end_shape));
  RETURN_IF_ERROR(WithRank(c.input(3), 1, &strides_shape));
  RETURN_IF_ERROR(Merge(begin_shape, end_shape, &begin_shape));
  RETURN_IF_ERROR(Merge(begin_shape, strides_shape, &begin_shape));
  const ConstTensor* strides_t = c.input_tensor(3);
  if (!input.known || begin_shape.dims[0] < 0 || strides_t == nullptr) {
    c.set_output(0, Shape::Unknown());
    return Status::OK();
  }
  auto vec = [](const ConstTensor* t) {
    std::vector<int64_t> v;
    for (int64_t i = 0; i < t->NumElements(); ++i) v.push_back(t->IntAt(i));
    return v;
  };
  const ConstTensor* begin_t = c.input_tensor(1);
  const ConstTensor* end_t = c.input_tensor(2);
  std::vector<int64_t> begin, end;
  if (begin_t) begin = vec(begin_t);
  if (end_t) end = vec(end_t);
  StridedSliceMasks m{c.IntAttr("begin_mask", 0), c.IntAttr("end_mask", 0),
                      c.IntAttr("ellipsis_mask", 0), c.IntAttr("new_axis_mask", 0),
                      c.IntAttr("shrink_axis_mask", 0)};
  StridedSliceDense dense;
  RETURN_IF_ERROR(ComputeStridedSlice(input, begin_t ? &begin : nullptr, end_t ? &end : nullptr,
                                      vec(strides_t), m, &dense));
  c.set_output(0, dense.final_shape);
  return Status::OK();
}

Status TransposeShape(InferenceContext& c) {
  Shape input = c.input(0);
  Shape perm_shape = c.input(1);
  const ConstTensor* perm = c.input_tensor(1);
  const int64_t perm_elems = perm_shape.NumElements();
  if (!input.known && perm_elems < 0 && perm == nullptr) {
    c.set_output(0, Shape::Unknown());
    return Status::OK();
  }
  int64_t rank = input.known ? input.rank() : perm_elems >= 0 ? perm_elems : perm->NumElements();
  if (rank > kMaxTensorRank) {
    return InvalidArgumentError("perm has " + Str(rank) + " elements, above the maximum rank " +
                                Str(kMaxTensorRank));
  }
  if (!input.known && rank < 2) {
    c.set_output(0, input);
    return Status::OK();
  }
  RETURN_IF_ERROR(WithRank(input, rank, &input));
  RETURN_IF_ERROR(WithRank(perm_shape, 1, &perm_shape));
  int64_t unused;
  RETURN_IF_ERROR(WithValue(perm_elems, rank, &unused));
  std::vector<int64_t> dims(rank, kUnknownDim);
  if (perm != nullptr) {
    if (perm->NumElements() != rank) {
      return InvalidArgumentError("perm has " + Str(perm->NumElements()) +
                                  " elements for a tensor of rank " + Str(rank));
    }
    for (int64_t i = 0; i < rank; ++i) {
      const int64_t idx = perm->IntAt(i);
      if (idx >= rank || idx < -rank) {
        return InvalidArgumentError("perm dim " + Str(idx) + " is out of range of input rank " +
                                    Str(rank));
      }
      dims[i] = input.Dim(idx);
    }
  }
  c.set_output(0, Shape::Of(std::move(dims)));
  return Status::OK();
}

Status TileShape(InferenceContext& c) {
  Shape input = c.input(0);
  Shape multiples;
  RETURN_IF_ERROR(c.MakeShapeFromShapeTensor(1, &multiples));
  if (input.known) {
    RETURN_IF_ERROR(WithRank(multiples, input.rank(), &multiples));
    Shape dummy;
    RETURN_IF_ERROR(Merge(c.input(1), Shape::Vector(input.rank()), &dummy));
  }
  if (!multiples.known) {
    c.set_output(0, Shape::Unknown());
    return Status::OK();
  }
  RETURN_IF_ERROR(WithRank(input, multiples.rank(), &input));
  std::vector<int64_t> dims(multiples.rank());
  for (int64_t i = 0; i < multiples.rank(); ++i) {
    RETURN_IF_ERROR(MultiplyDims(input.dims[i], multiples.dims[i], &dims[i]));
  }
  c.set_output(0, Shape::Of(std::move(dims)));
  return Status::OK();
}

Status PadShape(InferenceContext& c) {
  Shape paddings;
  RETURN_IF_ERROR(WithRank(c.input(1), 2, &paddings));
  int64_t unused;
  RETURN_IF_ERROR(WithValue(paddings.dims[1], 2, &unused));
  Shape input = c.input(0);
  int64_t n_dim = paddings.dims[0];
  if (n_dim > kMaxTensorRank) {
    return InvalidArgumentError("paddings has " + Str(n_dim) + " rows, above the maximum rank " +
                                Str(kMaxTensorRank));
  }
  if (n_dim >= 0) {
    RETURN_IF_ERROR(WithRank(input, n_dim, &input));
  } else if (input.known) {
    RETURN_IF_ERROR(WithValue(n_dim, input.rank(), &n_dim));
  }
  const ConstTensor* t = c.input_tensor(1);
  if (t == nullptr) {
    c.set_output(0, n_dim >= 0 ? Shape::UnknownOfRank(n_dim) : Shape::Unknown());
    return Status::OK();
  }
  if (t->shape.size() != 2 || t->shape[1] != 2) {
    return InvalidArgumentError("paddings must be a matrix with 2 columns");
  }
  const int64_t num_dims = t->shape[0];
  RETURN_IF_ERROR(WithRank(input, num_dims, &input));
  RETURN_IF_ERROR(WithValue(n_dim, num_dims, &n_dim));
  std::vector<int64_t> dims(num_dims);
  for (int64_t i = 0; i < num_dims; ++i) {
    const int64_t p0 = t->IntAt(2 * i), p1 = t->IntAt(2 * i + 1);
    if (p0 < 0 || p1 < 0) return InvalidArgumentError("Paddings must be non-negative");
    RETURN_IF_ERROR(AddDims(input.dims[i], p0 + p1, &dims[i]));
  }
  c.set_output(0, Shape::Of(std::move(dims)));
  return Status::OK();
}

Status GatherV2Shape(InferenceContext& c) {
  Shape params, unused;
  RETURN_IF_ERROR(WithRankAtLeast(c.input(0), 1, &params));
  const Shape& indices = c.input(1);
  RETURN_IF_ERROR(WithRank(c.input(2), 0, &unused));
  int64_t batch_dims = c.IntAttr("batch_dims", 0);
  const ConstTensor* axis_t = c.input_tensor(2);
  if (axis_t == nullptr) {
    c.set_output(0, params.known && indices.known
                        ? Shape::UnknownOfRank(params.rank() + indices.rank() - 1 - batch_dims)
                        : Shape::Unknown());
    return Status::OK();
  }
  if (axis_t->NumElements() != 1) return InvalidArgumentError("axis must be a scalar");
  const int64_t axis = axis_t->IntAt(0);
  RETURN_IF_ERROR(WithRankAtLeast(params, axis < 0 ? -axis : axis + 1, &unused));
  if (batch_dims < 0) {
    if (!indices.known) {
      c.set_output(0, Shape::Unknown());
      return Status::OK();
    }
    batch_dims += indices.rank();
  }
  RETURN_IF_ERROR(WithRankAtLeast(indices, batch_dims, &unused));
  Shape outer, inner;
  RETURN_IF_ERROR(Subshape(params, 0, axis, &outer));
  RETURN_IF_ERROR(Subshape(indices, batch_dims, &inner));
  Shape out = Concatenate(outer, inner);
  if (axis != -1) {
    Shape rest;
    RETURN_IF_ERROR(Subshape(params, axis + 1, &rest));
    out = Concatenate(out, rest);
  }
  c.set_output(0, out);
  return Status::OK();
}

Status RangeShape(InferenceContext& c) {
  static const char* const kNames[] = {"start", "limit", "delta"};
  for (int i = 0; i < 3; ++i) {
    Shape unused;
    Status s = WithRank(c.input(i), 0, &unused);
    if (!s.ok()) return InvalidArgumentError(s.message() + "\n\t for '" + kNames[i] + "'");
  }
  const ConstTensor* start = c.input_tensor(0);
  const ConstTensor* limit = c.input_tensor(1);
  const ConstTensor* delta = c.input_tensor(2);
  if (start == nullptr || limit == nullptr || delta == nullptr || start->NumElements() != 1 ||
      limit->NumElements() != 1 || delta->NumElements() != 1) {
    c.set_output(0, Shape::Vector(kUnknownDim));
    return Status::OK();
  }
  const bool integral = start->IsInteger();
  const double s = start->FloatAt(0), l = limit->FloatAt(0), d = delta->FloatAt(0);
  auto num = [](double v) {
    std::string t = std::to_string(v);
    t.erase(t.find_last_not_of('0') + 1);
    if (!t.empty() && t.back() == '.') t.pop_back();
    return t;
  };
  if (s > l && d > 0) {
    return InvalidArgumentError("Requires start <= limit when delta > 0: " + num(s) + "/" + num(l));
  }
  if (s < l && d < 0) {
    return InvalidArgumentError("Requires start >= limit when delta < 0: " + num(s) + "/" + num(l));
  }
  if (d == 0) return InvalidArgumentError("Requires delta != 0");
  int64_t size;
  if (integral) {
    const int64_t si = start->IntAt(0), li = limit->IntAt(0), di = delta->IntAt(0);
    const int64_t span = li > si ? li - si : si - li;
    const int64_t ad = di < 0 ? -di : di;
    size = (span + ad - 1) / ad;
  } else {
    // Computed in the tensor's own precision, as TF's RangeSize<T> does.
    const double n =
        start->dtype == tensorflow::DT_FLOAT
            ? static_cast<double>(std::ceil(std::fabs(
                  (static_cast<float>(l) - static_cast<float>(s)) / static_cast<float>(d))))
            : std::ceil(std::fabs((l - s) / d));
    if (!(n < 9.2e18)) return InvalidArgumentError("Requires a finite number of range elements");
    size = static_cast<int64_t>(n);
  }
  c.set_output(0, Shape::Vector(size));
  return Status::OK();
}

Status OneHotShape(InferenceContext& c) {
  const int64_t axis = c.IntAttr("axis", -1);
  if (axis < -1) return InvalidArgumentError("axis must be >= -1");
  int64_t depth;
  RETURN_IF_ERROR(c.MakeDimForScalarInput(1, &depth));
  const Shape& indices = c.input(0);
  if (!indices.known) {
    c.set_output(0, Shape::Unknown());
    return Status::OK();
  }
  const int64_t new_rank = indices.rank() + 1;
  const int64_t depth_index = (axis + new_rank) % new_rank;
  Shape front, back;
  RETURN_IF_ERROR(Subshape(indices, 0, depth_index, &front));
  RETURN_IF_ERROR(Subshape(indices, depth_index, &back));
  c.set_output(0, Concatenate(Concatenate(front, Shape::Vector(depth)), back));
  return Status::OK();
}

Status BroadcastToShape(InferenceContext& c) {
  Shape unused;
  RETURN_IF_ERROR(WithRank(c.input(1), 1, &unused));
  Shape out;
  RETURN_IF_ERROR(c.MakeShapeFromShapeTensor(1, &out));
  Shape in = c.input(0);
  if (!out.known || !in.known) {
    c.set_output(0, out);
    return Status::OK();
  }
  const int64_t out_rank = out.rank();
  RETURN_IF_ERROR(WithRankAtMost(in, out_rank, &in));
  const int64_t in_rank = in.rank();
  for (int64_t i = 0; i < in_rank; ++i) {
    const int64_t in_dim = in.dims[in_rank - i - 1];
    if (in_dim > 1) {
      int64_t& out_dim = out.dims[out_rank - i - 1];
      RETURN_IF_ERROR(MergeDim(in_dim, out_dim, &out_dim));
    }
  }
  c.set_output(0, out);
  return Status::OK();
}

Status WhereShape(InferenceContext& c) {
  c.set_output(0, Shape::Matrix(kUnknownDim, c.input(0).rank()));
  return Status::OK();
}

Status UniqueShape(InferenceContext& c) {
  c.set_output(0, Shape::Vector(kUnknownDim));
  c.set_output(1, c.input(0));
  Shape unused;
  return WithRank(c.input(0), 1, &unused);
}

Status ConcatOffsetShape(InferenceContext& c) {
  for (int i = 1; i < c.num_inputs() && i - 1 < c.num_outputs(); ++i)
    c.set_output(i - 1, c.input(i));
  return Status::OK();
}

Status BroadcastGradientArgsShape(InferenceContext& c) {
  Shape unused;
  RETURN_IF_ERROR(WithRank(c.input(0), 1, &unused));
  RETURN_IF_ERROR(WithRank(c.input(1), 1, &unused));
  c.set_output(0, Shape::Vector(kUnknownDim));
  c.set_output(1, Shape::Vector(kUnknownDim));
  return Status::OK();
}

}  // namespace

std::vector<ShapeFnEntry> ArrayShapeFns() {
  return {
      {"Placeholder", PlaceholderShape},
      {"PlaceholderWithDefault", PlaceholderWithDefaultShape},
      {"Const", ConstShape},
      {"Identity", UnchangedShape},
      {"Snapshot", UnchangedShape},
      {"StopGradient", UnchangedShape},
      {"PreventGradient", UnchangedShape},
      {"ZerosLike", UnchangedShape},
      {"OnesLike", UnchangedShape},
      {"IdentityN", IdentityNShape},
      {"Shape", ShapeShape},
      {"Size", ScalarShape},
      {"Rank", ScalarShape},
      {"Reshape", ReshapeShape},
      {"ExpandDims", ExpandDimsShape},
      {"Squeeze", SqueezeShape},
      {"ConcatV2", ConcatV2Shape},
      {"Pack", PackShape},
      {"Unpack", UnpackShape},
      {"Fill", FillShape},
      {"RandomUniform", RandomShape},
      {"RandomStandardNormal", RandomShape},
      {"TruncatedNormal", RandomShape},
      {"Slice", SliceShape},
      {"StridedSlice", StridedSliceShape},
      {"Transpose", TransposeShape},
      {"Tile", TileShape},
      {"Pad", PadShape},
      {"PadV2", PadShape},
      {"GatherV2", GatherV2Shape},
      {"Range", RangeShape},
      {"OneHot", OneHotShape},
      {"BroadcastTo", BroadcastToShape},
      {"Where", WhereShape},
      {"Unique", UniqueShape},
      {"ConcatOffset", ConcatOffsetShape},
      {"BroadcastGradientArgs", BroadcastGradientArgsShape},
  };
}

}  // namespace tf1hub::shape_inference
