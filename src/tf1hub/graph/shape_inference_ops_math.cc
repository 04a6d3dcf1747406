// Shape functions of math ops (TensorFlow's core/ops/math_ops.cc rules):
// element-wise ops, broadcasting, Select, MatMul, reductions, ArgMax.
#include <map>
#include <set>
#include <string>

#include "tf1hub/graph/shape_inference_internal.h"

namespace tf1hub::shape_inference {

namespace {

std::string Str(int64_t v) { return std::to_string(v); }

Status BroadcastBinary(InferenceContext& c) {
  Shape out;
  RETURN_IF_ERROR(BroadcastShapes(c.input(0), c.input(1), &out));
  c.set_output(0, out);
  return Status::OK();
}

Status SelectShape(InferenceContext& c) {
  Shape data;
  RETURN_IF_ERROR(Merge(c.input(1), c.input(2), &data));
  const Shape& cond = c.input(0);
  if (!cond.known || !data.known) {
    c.set_output(0, data);
    return Status::OK();
  }
  if (cond.rank() == 0) {
    c.set_output(0, data);
    return Status::OK();
  }
  if (cond.rank() != 1 || data.rank() == 0) {
    RETURN_IF_ERROR(Merge(data, cond, &data));
    c.set_output(0, data);
    return Status::OK();
  }
  Shape unused;
  RETURN_IF_ERROR(Merge(cond, Shape::Vector(data.dims[0]), &unused));
  c.set_output(0, data);
  return Status::OK();
}

Status SelectV2Shape(InferenceContext& c) {
  Shape other, out;
  RETURN_IF_ERROR(BroadcastShapes(c.input(1), c.input(2), &other));
  RETURN_IF_ERROR(BroadcastShapes(c.input(0), other, &out));
  c.set_output(0, out);
  return Status::OK();
}

Status MatMulShape(InferenceContext& c) {
  Shape a, b;
  RETURN_IF_ERROR(WithRank(c.input(0), 2, &a));
  RETURN_IF_ERROR(WithRank(c.input(1), 2, &b));
  const bool ta = c.BoolAttr("transpose_a", false), tb = c.BoolAttr("transpose_b", false);
  const int64_t rows = ta ? a.dims[1] : a.dims[0];
  const int64_t cols = tb ? b.dims[0] : b.dims[1];
  int64_t merged;
  RETURN_IF_ERROR(MergeDim(ta ? a.dims[0] : a.dims[1], tb ? b.dims[1] : b.dims[0], &merged));
  c.set_output(0, Shape::Matrix(rows, cols));
  return Status::OK();
}

Status BatchMatMulV2Shape(InferenceContext& c) {
  Shape a, b;
  RETURN_IF_ERROR(WithRankAtLeast(c.input(0), 2, &a));
  RETURN_IF_ERROR(WithRankAtLeast(c.input(1), 2, &b));
  const bool adj_x = c.BoolAttr("adj_x", false), adj_y = c.BoolAttr("adj_y", false);
  const int64_t rows = a.Dim(adj_x ? -1 : -2);
  const int64_t cols = b.Dim(adj_y ? -2 : -1);
  int64_t inner;
  RETURN_IF_ERROR(MergeDim(a.Dim(adj_x ? -2 : -1), b.Dim(adj_y ? -1 : -2), &inner));
  Shape a_batch, b_batch, batch;
  RETURN_IF_ERROR(Subshape(a, 0, -2, &a_batch));
  RETURN_IF_ERROR(Subshape(b, 0, -2, &b_batch));
  RETURN_IF_ERROR(BroadcastShapes(a_batch, b_batch, &batch));
  c.set_output(0, Concatenate(batch, Shape::Matrix(rows, cols)));
  return Status::OK();
}

Status BiasAddShape(InferenceContext& c) {
  const bool nchw = c.StringAttr("data_format", "NHWC") == "NCHW";
  Shape input, bias;
  RETURN_IF_ERROR(WithRankAtLeast(c.input(0), nchw ? 3 : 2, &input));
  RETURN_IF_ERROR(WithRank(c.input(1), 1, &bias));
  if (!input.known) {
    c.set_output(0, Shape::Unknown());
    return Status::OK();
  }
  Shape out = input;
  const int64_t index = nchw ? 1 : input.rank() - 1;
  RETURN_IF_ERROR(MergeDim(input.dims[index], bias.dims[0], &out.dims[index]));
  c.set_output(0, out);
  return Status::OK();
}

Status ReductionShape(InferenceContext& c) {
  const Shape& input = c.input(0);
  Shape indices;
  RETURN_IF_ERROR(WithRankAtMost(c.input(1), 1, &indices));
  const bool keep_dims = c.BoolAttr("keep_dims", false);
  const ConstTensor* t = c.input_tensor(1);
  if (t == nullptr || !input.known) {
    c.set_output(0,
                 keep_dims && input.known ? Shape::UnknownOfRank(input.rank()) : Shape::Unknown());
    return Status::OK();
  }
  const int64_t rank = input.rank();
  std::set<int64_t> axes;
  for (int64_t i = 0; i < t->NumElements(); ++i) {
    const int64_t a = t->IntAt(i);
    if (a < -rank || a >= rank) {
      return InvalidArgumentError("Invalid reduction dimension " + Str(a) + " for input with " +
                                  Str(rank) + " dimensions.");
    }
    axes.insert(a < 0 ? a + rank : a);
  }
  std::vector<int64_t> dims;
  for (int64_t i = 0; i < rank; ++i) {
    if (axes.count(i) > 0) {
      if (keep_dims) dims.push_back(1);
    } else {
      dims.push_back(input.dims[i]);
    }
  }
  c.set_output(0, Shape::Of(std::move(dims)));
  return Status::OK();
}

Status ArgOpShape(InferenceContext& c) {
  Shape unused;
  RETURN_IF_ERROR(WithRank(c.input(1), 0, &unused));
  const Shape& input = c.input(0);
  if (!input.known) {
    c.set_output(0, Shape::Unknown());
    return Status::OK();
  }
  const int64_t rank = input.rank();
  if (rank <= 1) {
    c.set_output(0, Shape::Scalar());
    return Status::OK();
  }
  const ConstTensor* t = c.input_tensor(1);
  if (t == nullptr) {
    c.set_output(0, Shape::UnknownOfRank(rank - 1));
    return Status::OK();
  }
  if (t->NumElements() != 1) return InvalidArgumentError("dimension must be a scalar");
  int64_t dim = t->IntAt(0);
  if (dim < -rank || dim >= rank) {
    return InvalidArgumentError("Dimension (" + Str(dim) + ") must be in the range [" + Str(-rank) +
                                ", " + Str(rank) + "), where " + Str(rank) +
                                " is the number of dimensions in the input.");
  }
  if (dim < 0) dim += rank;
  std::vector<int64_t> dims;
  for (int64_t i = 0; i < rank; ++i) {
    if (i != dim) dims.push_back(input.dims[i]);
  }
  c.set_output(0, Shape::Of(std::move(dims)));
  return Status::OK();
}

Status RankAtLeast1Unchanged(InferenceContext& c) {
  Shape s;
  RETURN_IF_ERROR(WithRankAtLeast(c.input(0), 1, &s));
  c.set_output(0, s);
  return Status::OK();
}

Status CumsumShape(InferenceContext& c) {
  Shape unused;
  RETURN_IF_ERROR(WithRank(c.input(1), 0, &unused));
  c.set_output(0, c.input(0));
  return Status::OK();
}

// Einsum: labels name dims (merged across inputs); "..." stands for
// broadcast batch dims.
Status EinsumShape(InferenceContext& c) {
  const std::string equation = c.StringAttr("equation", "");
  const size_t arrow = equation.find("->");
  if (arrow == std::string::npos) {
    return InvalidArgumentError("Einsum equation '" + equation + "' has no '->'");
  }
  std::vector<std::string> input_labels;
  std::string rest = equation.substr(0, arrow);
  for (size_t pos; (pos = rest.find(',')) != std::string::npos; rest = rest.substr(pos + 1)) {
    input_labels.push_back(rest.substr(0, pos));
  }
  input_labels.push_back(rest);
  const std::string output_labels = equation.substr(arrow + 2);
  if (static_cast<int>(input_labels.size()) != c.num_inputs() || input_labels.size() > 2) {
    return InvalidArgumentError("Expected " + Str(c.num_inputs()) + " inputs for equation " +
                                equation + ", got " +
                                Str(static_cast<int64_t>(input_labels.size())));
  }
  auto has_ellipsis = [](const std::string& labels) {
    return labels.find("...") != std::string::npos;
  };
  std::map<char, int64_t> label_dim;
  std::vector<Shape> bcast(input_labels.size(), Shape::Scalar());
  for (size_t i = 0; i < input_labels.size(); ++i) {
    const std::string& labels = input_labels[i];
    Shape input = c.input(static_cast<int>(i));
    const bool ellipsis = has_ellipsis(labels);
    if (input.known) {
      Status s = ellipsis ? WithRankAtLeast(input, static_cast<int64_t>(labels.size()) - 3, &input)
                          : WithRank(input, static_cast<int64_t>(labels.size()), &input);
      if (!s.ok()) {
        return InvalidArgumentError(s.message() + "\n\t for " + Str(static_cast<int64_t>(i)) +
                                    "th input and equation: " + equation);
      }
    }
    bool seen_ellipsis = false;
    for (size_t k = 0; k < labels.size(); ++k) {
      const char label = labels[k];
      const int64_t before = static_cast<int64_t>(k);
      const int64_t after =
          input.known ? before + input.rank() - static_cast<int64_t>(labels.size()) : -1;
      if (label == '.') {
        if (!input.known) {
          bcast[i] = Shape::Unknown();
        } else {
          RETURN_IF_ERROR(Subshape(input, before, after + 3, &bcast[i]));
        }
        k += 2;
        seen_ellipsis = true;
        continue;
      }
      const int64_t dim = input.known ? input.Dim(seen_ellipsis ? after : before) : kUnknownDim;
      auto it = label_dim.find(label);
      if (it == label_dim.end()) {
        label_dim[label] = dim;
      } else {
        RETURN_IF_ERROR(MergeDim(it->second, dim, &it->second));
      }
    }
  }
  Shape out_bcast = bcast[0];
  if (bcast.size() == 2) RETURN_IF_ERROR(BroadcastShapes(bcast[0], bcast[1], &out_bcast));
  if (has_ellipsis(output_labels)) {
    if (!out_bcast.known) {
      c.set_output(0, Shape::Unknown());
      return Status::OK();
    }
  } else {
    Status s = WithRankAtMost(out_bcast, 0, &out_bcast);
    if (!s.ok()) {
      return InvalidArgumentError(s.message() + "\n\t for einsum equation '" + equation +
                                  "' without ellipsis");
    }
  }
  std::vector<int64_t> dims;
  for (size_t k = 0; k < output_labels.size(); ++k) {
    const char label = output_labels[k];
    if (label == '.') {
      for (int64_t d : out_bcast.dims) dims.push_back(d);
      k += 2;
      continue;
    }
    auto it = label_dim.find(label);
    if (it == label_dim.end()) {
      return InvalidArgumentError("Einsum output subscripts for equation '" + equation +
                                  "' has label '" + std::string(1, label) +
                                  "' which is not present in the input subscripts");
    }
    dims.push_back(it->second);
  }
  c.set_output(0, Shape::Of(std::move(dims)));
  return Status::OK();
}

}  // namespace

std::vector<ShapeFnEntry> MathShapeFns() {
  std::vector<ShapeFnEntry> fns;
  for (const char* op :
       {"Abs",      "Ceil",       "Cos",      "Exp",        "Floor",     "Log",    "Log1p",
        "Neg",      "Reciprocal", "Round",    "Rsqrt",      "Sigmoid",   "Sign",   "Sin",
        "Sqrt",     "Square",     "Tanh",     "LogicalNot", "Cast",      "Relu",   "Relu6",
        "Elu",      "Selu",       "Softplus", "Softsign",   "LeakyRelu", "IsNan",  "IsInf",
        "IsFinite", "Erf",        "Expm1",    "Atan",       "Acos",      "Asin",   "Tan",
        "Cosh",     "Sinh",       "Asinh",    "Acosh",      "Atanh",     "Invert", "Inv"}) {
    fns.push_back({op, UnchangedShape});
  }
  for (const char* op : {"Add",        "AddV2",       "Sub",         "Mul",
                         "Div",        "DivNoNan",    "RealDiv",     "FloorDiv",
                         "FloorMod",   "TruncateDiv", "TruncateMod", "Mod",
                         "Maximum",    "Minimum",     "Pow",         "SquaredDifference",
                         "Equal",      "NotEqual",    "Greater",     "GreaterEqual",
                         "Less",       "LessEqual",   "LogicalAnd",  "LogicalOr",
                         "Atan2",      "MulNoNan",    "Xdivy",       "Xlogy",
                         "BitwiseAnd", "BitwiseOr",   "BitwiseXor"}) {
    fns.push_back({op, BroadcastBinary});
  }
  for (const char* op : {"Sum", "Mean", "Max", "Min", "Prod", "All", "Any"}) {
    fns.push_back({op, ReductionShape});
  }
  fns.push_back({"Select", SelectShape});
  fns.push_back({"SelectV2", SelectV2Shape});
  fns.push_back({"MatMul", MatMulShape});
  fns.push_back({"BatchMatMulV2", BatchMatMulV2Shape});
  fns.push_back({"BiasAdd", BiasAddShape});
  fns.push_back({"ArgMax", ArgOpShape});
  fns.push_back({"ArgMin", ArgOpShape});
  fns.push_back({"L2Loss", ScalarShape});
  fns.push_back({"Softmax", RankAtLeast1Unchanged});
  fns.push_back({"LogSoftmax", RankAtLeast1Unchanged});
  fns.push_back({"Cumsum", CumsumShape});
  fns.push_back({"Einsum", EinsumShape});
  return fns;
}

}  // namespace tf1hub::shape_inference
