// Shape functions of state, resource-variable, training, io, lookup-table,
// string, sparse and control-flow ops; the shared shape functions; and the
// table of all shape functions by op name.
#include <map>
#include <sstream>
#include <string>

#include "tf1hub/graph/attr_util.h"
#include "tf1hub/graph/shape_inference_internal.h"

namespace tf1hub::shape_inference {

Status UnchangedShape(InferenceContext& c) {
  c.set_output(0, c.input(0));
  if (c.input_handle(0) != nullptr) c.set_output_handle(0, *c.input_handle(0));
  return Status::OK();
}

Status ScalarShape(InferenceContext& c) {
  c.set_output(0, Shape::Scalar());
  return Status::OK();
}

Status NoOutputs(InferenceContext&) { return Status::OK(); }

Status UnknownShapes(InferenceContext& c) {
  for (int i = 0; i < c.num_outputs(); ++i) c.set_output(i, Shape::Unknown());
  return Status::OK();
}

namespace {

Status VariableV2Shape(InferenceContext& c) {
  ASSIGN_OR_RETURN(Shape s, c.ShapeAttr("shape"));
  c.set_output(0, s);
  return Status::OK();
}

Status MergeBothInputs(InferenceContext& c) {
  Shape out;
  RETURN_IF_ERROR(Merge(c.input(0), c.input(1), &out));
  c.set_output(0, out);
  return Status::OK();
}

Status AssignShape(InferenceContext& c) {
  if (c.BoolAttr("validate_shape", true)) return MergeBothInputs(c);
  c.set_output(0, c.input(1));
  return Status::OK();
}

Status VarHandleShape(InferenceContext& c) {
  c.set_output(0, Shape::Scalar());
  ASSIGN_OR_RETURN(Shape s, c.ShapeAttr("shape"));
  c.set_output_handle(0, {HandleShape{c.TypeAttr("dtype"), s}});
  return Status::OK();
}

// TF's ValidateVariableResourceHandle.
Status VariableHandleShape(InferenceContext& c, Shape* shape) {
  const HandleData* h = c.input_handle(0);
  if (h == nullptr || h->empty()) {
    *shape = Shape::Unknown();
    return Status::OK();
  }
  const tensorflow::DataType dtype = c.TypeAttr("dtype");
  if ((*h)[0].dtype != dtype) {
    return InvalidArgumentError("Trying to read variable with wrong dtype. Expected " +
                                TfTypeString((*h)[0].dtype) + " got " + TfTypeString(dtype));
  }
  *shape = (*h)[0].shape;
  return Status::OK();
}

Status ReadVariableShape(InferenceContext& c) {
  if (FindAttr(c.node(), "_shape") != nullptr) {
    ASSIGN_OR_RETURN(Shape s, c.ShapeAttr("_shape"));
    c.set_output(0, s);
    return Status::OK();
  }
  Shape s;
  RETURN_IF_ERROR(VariableHandleShape(c, &s));
  c.set_output(0, s);
  return Status::OK();
}

Status AssignVariableShape(InferenceContext& c) {
  Shape handle_shape, unused;
  RETURN_IF_ERROR(VariableHandleShape(c, &handle_shape));
  if (c.node().op() == "AssignVariableOp" && !c.BoolAttr("validate_shape", false)) {
    return Status::OK();
  }
  return Merge(handle_shape, c.input(1), &unused);
}

Status ResourceGatherShape(InferenceContext& c) {
  Shape params;
  RETURN_IF_ERROR(VariableHandleShape(c, &params));
  const Shape& indices = c.input(1);
  const int64_t batch_dims = c.IntAttr("batch_dims", 0);
  if (batch_dims < 0)
    return InvalidArgumentError("batch_dims is negative (" + std::to_string(batch_dims) + ")");
  Shape unused, outer, inner, rest;
  RETURN_IF_ERROR(WithRankAtLeast(params, batch_dims + 1, &unused));
  RETURN_IF_ERROR(WithRankAtLeast(indices, batch_dims, &unused));
  RETURN_IF_ERROR(Subshape(params, 0, batch_dims, &outer));
  RETURN_IF_ERROR(Subshape(params, batch_dims + 1, &rest));
  RETURN_IF_ERROR(Subshape(indices, batch_dims, &inner));
  c.set_output(0, Concatenate(Concatenate(outer, inner), rest));
  return Status::OK();
}

// Apply* training ops: var, slots and grad merge; the rest are scalars.
Status ApplyShape(InferenceContext& c) {
  const std::string& op = c.node().op();
  const bool resource = op.rfind("Resource", 0) == 0;
  std::vector<int> merged, scalars;
  if (op.ends_with("ApplyGradientDescent")) {
    merged = {0, 2};
    scalars = {1};
  } else if (op.ends_with("ApplyMomentum")) {
    merged = {0, 1, 3};
    scalars = {2, 4};
  } else if (op.ends_with("ApplyAdam")) {
    merged = {0, 1, 2, 9};
    scalars = {3, 4, 5, 6, 7, 8};
  }
  Shape s = Shape::Unknown(), unused;
  for (size_t k = 0; k < merged.size(); ++k) {
    const int i = merged[k];
    if (i >= c.num_inputs()) continue;
    Shape in = c.input(i);
    if (resource && k + 1 < merged.size()) {  // a variable handle, not the gradient
      const HandleData* h = c.input_handle(i);
      in = (h != nullptr && !h->empty()) ? (*h)[0].shape : Shape::Unknown();
    }
    RETURN_IF_ERROR(Merge(s, in, &s));
  }
  for (int i : scalars) {
    if (i < c.num_inputs()) RETURN_IF_ERROR(WithRank(c.input(i), 0, &unused));
  }
  if (c.num_outputs() > 0) c.set_output(0, s);
  return Status::OK();
}

// "d0 d1 ... slice" as in TF's checkpoint::ParseShapeAndSlice; the slice
// is "-" (whole dim) or "start,length" per dim, joined by ':'.
Status ParseShapeAndSlice(const std::string& text, Shape* out) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  for (std::string p; in >> p;) parts.push_back(p);
  if (parts.size() < 2) {
    return InvalidArgumentError("Expected at least 2 space-separated fields in shape_and_slice '" +
                                text + "'");
  }
  std::vector<int64_t> dims;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    char* end = nullptr;
    const long long v = std::strtoll(parts[i].c_str(), &end, 10);
    if (*end != '\0' || v < 0) {
      return InvalidArgumentError("Bad dimension '" + parts[i] + "' in shape_and_slice '" + text +
                                  "'");
    }
    dims.push_back(v);
  }
  std::vector<std::string> extents;
  std::stringstream ss(parts.back());
  for (std::string e; std::getline(ss, e, ':');) extents.push_back(e);
  if (extents.size() != dims.size()) {
    return InvalidArgumentError("Expected a slice with " + std::to_string(dims.size()) +
                                " dims in shape_and_slice '" + text + "'");
  }
  for (size_t i = 0; i < dims.size(); ++i) {
    if (extents[i] == "-") continue;
    const size_t comma = extents[i].find(',');
    if (comma == std::string::npos) {
      return InvalidArgumentError("Bad slice extent '" + extents[i] + "' in '" + text + "'");
    }
    dims[i] = std::strtoll(extents[i].c_str() + comma + 1, nullptr, 10);
  }
  *out = Shape::Of(std::move(dims));
  return Status::OK();
}

Status RestoreV2Shape(InferenceContext& c) {
  Shape unused, s1, s2;
  RETURN_IF_ERROR(WithRank(c.input(0), 0, &unused));
  RETURN_IF_ERROR(WithRank(c.input(1), 1, &s1));
  RETURN_IF_ERROR(WithRank(c.input(2), 1, &s2));
  RETURN_IF_ERROR(Merge(s1, s2, &unused));
  const ConstTensor* t = c.input_tensor(2);
  if (t == nullptr || !t->IsString()) return UnknownShapes(c);
  if (static_cast<int>(t->strings.size()) != c.num_outputs()) {
    return InvalidArgumentError("The number of shape_and_slice doesn't match tensor outputs.");
  }
  for (int i = 0; i < c.num_outputs(); ++i) {
    if (t->strings[i].empty()) continue;
    Shape s;
    RETURN_IF_ERROR(ParseShapeAndSlice(t->strings[i], &s));
    c.set_output(i, s);
  }
  return Status::OK();
}

Status HashTableShape(InferenceContext& c) {
  c.set_output(0, Shape::Scalar());
  c.set_output_handle(0, {HandleShape{c.TypeAttr("key_dtype"), Shape::Scalar()},
                          HandleShape{c.TypeAttr("value_dtype"), Shape::Scalar()}});
  return Status::OK();
}

Status LookupTableFindShape(InferenceContext& c) {
  Shape unused;
  RETURN_IF_ERROR(WithRank(c.input(0), 0, &unused));
  const HandleData* h = c.input_handle(0);
  const Shape& keys = c.input(1);
  if (h == nullptr || h->size() != 2 || !(*h)[0].shape.known || !keys.known) {
    c.set_output(0, Shape::Unknown());
    return Status::OK();
  }
  const int64_t suffix = (*h)[0].shape.rank();
  if (keys.rank() < suffix) {
    return InvalidArgumentError("Expected keys to have suffix " + (*h)[0].shape.ToString() +
                                " but saw shape: " + keys.ToString());
  }
  Shape prefix = Shape::Of(std::vector<int64_t>(keys.dims.begin(), keys.dims.end() - suffix));
  c.set_output(0, Concatenate(prefix, (*h)[1].shape));
  return Status::OK();
}

Status TableScalarShape(InferenceContext& c) {
  Shape unused;
  RETURN_IF_ERROR(WithRank(c.input(0), 0, &unused));
  if (c.num_outputs() > 0) c.set_output(0, Shape::Scalar());
  return Status::OK();
}

Status StringSplitShape(InferenceContext& c) {
  Shape unused;
  RETURN_IF_ERROR(WithRank(c.input(0), 1, &unused));
  RETURN_IF_ERROR(WithRank(c.input(1), 0, &unused));
  c.set_output(0, Shape::Matrix(kUnknownDim, 2));
  c.set_output(1, Shape::Vector(kUnknownDim));
  c.set_output(2, Shape::Vector(2));
  return Status::OK();
}

Status StringJoinShape(InferenceContext& c) {
  bool all_scalar = true;
  for (const Shape& s : c.inputs()) {
    if (s.rank() != 0) all_scalar = false;
  }
  if (all_scalar) return ScalarShape(c);
  Shape out = Shape::Unknown();
  for (const Shape& s : c.inputs()) {
    if (s.known && s.rank() != 0) RETURN_IF_ERROR(Merge(out, s, &out));
  }
  c.set_output(0, out);
  return Status::OK();
}

Status SparseSegmentReductionShape(InferenceContext& c) {
  Shape data, indices, segment_ids, unused, rest;
  RETURN_IF_ERROR(WithRankAtLeast(c.input(0), 1, &data));
  RETURN_IF_ERROR(WithRank(c.input(1), 1, &indices));
  RETURN_IF_ERROR(WithRank(c.input(2), 1, &segment_ids));
  RETURN_IF_ERROR(Merge(indices, segment_ids, &unused));
  RETURN_IF_ERROR(Subshape(data, 1, &rest));
  c.set_output(0, Concatenate(Shape::Vector(kUnknownDim), rest));
  return Status::OK();
}

Status SparseFillEmptyRowsShape(InferenceContext& c) {
  Shape indices, values, dense_shape, unused;
  RETURN_IF_ERROR(WithRank(c.input(0), 2, &indices));
  RETURN_IF_ERROR(WithRank(c.input(1), 1, &values));
  RETURN_IF_ERROR(WithRank(c.input(2), 1, &dense_shape));
  RETURN_IF_ERROR(WithRank(c.input(3), 0, &unused));
  int64_t n, unused_dim;
  RETURN_IF_ERROR(MergeDim(indices.dims[0], values.dims[0], &n));
  RETURN_IF_ERROR(MergeDim(indices.dims[1], dense_shape.dims[0], &unused_dim));
  if (dense_shape.NumElements() == 0) return InvalidArgumentError("dense_shape must not be empty");
  Shape constant_shape;
  RETURN_IF_ERROR(c.MakeShapeFromShapeTensor(2, &constant_shape));
  c.set_output(0, Shape::Matrix(kUnknownDim, dense_shape.NumElements()));
  c.set_output(1, Shape::Vector(kUnknownDim));
  c.set_output(2, Shape::Vector(constant_shape.Dim(0)));
  c.set_output(3, Shape::Vector(n));
  return Status::OK();
}

Status SwitchShape(InferenceContext& c) {
  Shape unused;
  RETURN_IF_ERROR(WithRank(c.input(1), 0, &unused));
  for (int i = 0; i < 2; ++i) {
    c.set_output(i, c.input(0));
    if (c.input_handle(0) != nullptr) c.set_output_handle(i, *c.input_handle(0));
  }
  return Status::OK();
}

Status MergeShape(InferenceContext& c) {
  Shape out = c.input(0);
  if (out.known) {
    for (int i = 1; i < c.num_inputs(); ++i) {
      const Shape& in = c.input(i);
      if (!in.known || in.rank() != out.rank()) {
        out = Shape::Unknown();
        break;
      }
      for (int64_t d = 0; d < out.rank(); ++d) {
        if (in.dims[d] != out.dims[d]) out.dims[d] = kUnknownDim;
      }
    }
  }
  c.set_output(0, out);
  c.set_output(1, Shape::Scalar());
  return Status::OK();
}

// The shape is known only for loop constants (is_constant); handle data
// passes through.
Status EnterShape(InferenceContext& c) {
  c.set_output(0, c.BoolAttr("is_constant", false) ? c.input(0) : Shape::Unknown());
  if (c.input_handle(0) != nullptr) c.set_output_handle(0, *c.input_handle(0));
  return Status::OK();
}

Status LoopCondShape(InferenceContext& c) {
  Shape s;
  RETURN_IF_ERROR(WithRank(c.input(0), 0, &s));
  c.set_output(0, s);
  return Status::OK();
}

std::vector<ShapeFnEntry> OwnShapeFns() {
  return {
      {"NoOp", NoOutputs},
      {"VariableV2", VariableV2Shape},
      {"Assign", AssignShape},
      {"AssignAdd", MergeBothInputs},
      {"AssignSub", MergeBothInputs},
      {"IsVariableInitialized", ScalarShape},
      {"VarIsInitializedOp", ScalarShape},
      {"VarHandleOp", VarHandleShape},
      {"ReadVariableOp", ReadVariableShape},
      {"AssignVariableOp", AssignVariableShape},
      {"AssignAddVariableOp", AssignVariableShape},
      {"AssignSubVariableOp", AssignVariableShape},
      {"ResourceGather", ResourceGatherShape},
      {"ApplyGradientDescent", ApplyShape},
      {"ApplyMomentum", ApplyShape},
      {"ApplyAdam", ApplyShape},
      {"ResourceApplyGradientDescent", ApplyShape},
      {"ResourceApplyMomentum", ApplyShape},
      {"ResourceApplyAdam", ApplyShape},
      {"RestoreV2", RestoreV2Shape},
      {"ShardedFilename", ScalarShape},
      {"ShardedFilespec", ScalarShape},
      {"HashTableV2", HashTableShape},
      {"LookupTableFindV2", LookupTableFindShape},
      {"LookupTableSizeV2", TableScalarShape},
      {"StringSplit", StringSplitShape},
      {"StringSplitV2", StringSplitShape},
      {"StringJoin", StringJoinShape},
      {"RegexReplace", UnchangedShape},
      {"StaticRegexReplace", UnchangedShape},
      {"StringToHashBucketFast", UnchangedShape},
      {"StringToHashBucketStrong", UnchangedShape},
      {"StringToHashBucket", UnchangedShape},
      {"SparseSegmentSum", SparseSegmentReductionShape},
      {"SparseSegmentMean", SparseSegmentReductionShape},
      {"SparseSegmentSqrtN", SparseSegmentReductionShape},
      {"SparseFillEmptyRows", SparseFillEmptyRowsShape},
      {"Switch", SwitchShape},
      {"RefSwitch", SwitchShape},
      {"Merge", MergeShape},
      {"RefMerge", MergeShape},
      {"Enter", EnterShape},
      {"RefEnter", EnterShape},
      {"Exit", UnchangedShape},
      {"RefExit", UnchangedShape},
      {"NextIteration", UnchangedShape},
      {"RefNextIteration", UnchangedShape},
      {"LoopCond", LoopCondShape},
  };
}

}  // namespace

std::vector<ShapeFnEntry> MiscShapeFns() { return OwnShapeFns(); }

ShapeFn LookupShapeFn(std::string_view op) {
  static const std::map<std::string, ShapeFn, std::less<>>& table = [] {
    auto* t = new std::map<std::string, ShapeFn, std::less<>>();
    for (auto list :
         {ArrayShapeFns(), MathShapeFns(), NnShapeFns(), MiscShapeFns(), ExtraShapeFns()}) {
      for (const ShapeFnEntry& e : list) t->emplace(e.op, e.fn);
    }
    return *t;
  }();
  auto it = table.find(op);
  return it == table.end() ? nullptr : it->second;
}

}  // namespace tf1hub::shape_inference
