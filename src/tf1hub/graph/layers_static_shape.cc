// Static shape inference for layer inputs (layers_static_shape.h).
#include "tf1hub/graph/layers_static_shape.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "tf1hub/graph/attr_util.h"
#include "tf1hub/graph/tensor_proto.h"

namespace tf1hub {
namespace {

// Deep chains are rare in layer inputs; the cap bounds the recursion.
constexpr int kMaxDepth = 256;

PartialTensorShape Unknown() { return PartialTensorShape::UnknownRank(); }

PartialTensorShape Known(std::vector<int64_t> dims) {
  StatusOr<PartialTensorShape> s = PartialTensorShape::Create(dims);
  return s.ok() ? *s : Unknown();
}

bool IsElementwiseUnary(const std::string& op) {
  static const std::set<std::string, std::less<>> kOps = {
      "Identity",   "StopGradient", "Snapshot",      "Relu",
      "Relu6",      "Elu",          "Selu",          "Softplus",
      "Softmax",    "LogSoftmax",   "Neg",           "Abs",
      "Square",     "Sqrt",         "Rsqrt",         "Exp",
      "Log",        "Log1p",        "Tanh",          "Sigmoid",
      "Sign",       "Reciprocal",   "Floor",         "Ceil",
      "Round",      "Cos",          "Sin",           "Cast",
      "LogicalNot", "ZerosLike",    "OnesLike",      "Switch",
      "Enter",      "Exit",         "NextIteration", "PlaceholderWithDefault"};
  return kOps.count(op) != 0;
}

bool IsElementwiseBinary(const std::string& op) {
  static const std::set<std::string, std::less<>> kOps = {"Add",
                                                          "AddV2",
                                                          "Sub",
                                                          "Mul",
                                                          "RealDiv",
                                                          "Div",
                                                          "DivNoNan",
                                                          "FloorDiv",
                                                          "FloorMod",
                                                          "Maximum",
                                                          "Minimum",
                                                          "Pow",
                                                          "SquaredDifference",
                                                          "Greater",
                                                          "GreaterEqual",
                                                          "Less",
                                                          "LessEqual",
                                                          "Equal",
                                                          "NotEqual",
                                                          "LogicalAnd",
                                                          "LogicalOr"};
  return kOps.count(op) != 0;
}

PartialTensorShape Infer(const Graph& graph, const Output& output, int depth);

PartialTensorShape InputShape(const Graph& graph, const tensorflow::NodeDef& node, int i,
                              int depth) {
  if (i >= node.input_size() || node.input(i).starts_with("^")) return Unknown();
  StatusOr<Output> in = ParseTensorName(node.input(i));
  if (!in.ok()) return Unknown();
  return Infer(graph, *in, depth + 1);
}

// The value of a small int32/int64 Const (for Reshape targets), or nullopt.
std::optional<std::vector<int64_t>> ConstIntValues(const Graph& graph,
                                                   const tensorflow::NodeDef& node, int i) {
  if (i >= node.input_size()) return std::nullopt;
  StatusOr<Output> in = ParseTensorName(node.input(i));
  if (!in.ok()) return std::nullopt;
  const tensorflow::NodeDef* producer = graph.FindNode(in->node);
  if (producer == nullptr || producer->op() != "Const") return std::nullopt;
  const tensorflow::AttrValue* value = FindAttr(*producer, "value");
  if (value == nullptr) return std::nullopt;
  StatusOr<Tensor> t = TensorFromProto(value->tensor(), int64_t{1} << 20);
  if (!t.ok()) return std::nullopt;
  std::vector<int64_t> out;
  if (t->dtype() == DataType::kInt32) {
    for (int32_t v : t->flat<int32_t>()) out.push_back(v);
  } else if (t->dtype() == DataType::kInt64) {
    for (int64_t v : t->flat<int64_t>()) out.push_back(v);
  } else {
    return std::nullopt;
  }
  return out;
}

// The shape a shape-valued input (a Const or a Shape op) describes.
PartialTensorShape ShapeFromShapeInput(const Graph& graph, const tensorflow::NodeDef& node, int i,
                                       int depth) {
  if (std::optional<std::vector<int64_t>> dims = ConstIntValues(graph, node, i)) {
    return Known(*dims);
  }
  if (i >= node.input_size()) return Unknown();
  StatusOr<Output> in = ParseTensorName(node.input(i));
  if (!in.ok()) return Unknown();
  const tensorflow::NodeDef* producer = graph.FindNode(in->node);
  if (producer == nullptr || producer->op() != "Shape") return Unknown();
  return InputShape(graph, *producer, 0, depth + 1);
}

PartialTensorShape Infer(const Graph& graph, const Output& output, int depth) {
  if (depth > kMaxDepth) return Unknown();
  const tensorflow::NodeDef* node = graph.FindNode(output.node);
  if (node == nullptr) return Unknown();
  const std::string& op = node->op();

  if (op == "Placeholder" || op == "VariableV2" || op == "VarHandleOp") {
    // A VarHandleOp's own output is a scalar resource; its "shape" attr is
    // the variable's. Callers reading variables go through ReadVariableOp.
    if (op == "VarHandleOp") return Known({});
    StatusOr<PartialTensorShape> s = GetShapeAttr(*node, "shape");
    return s.ok() ? *s : Unknown();
  }
  if (op == "ReadVariableOp") {
    // The variable's shape, from the handle (possibly through Switch).
    StatusOr<Output> in = ParseTensorName(node->input_size() > 0 ? node->input(0) : "");
    for (int hops = 0; in.ok() && hops < kMaxDepth; ++hops) {
      const tensorflow::NodeDef* h = graph.FindNode(in->node);
      if (h == nullptr) break;
      if (h->op() == "VarHandleOp") {
        StatusOr<PartialTensorShape> s = GetShapeAttr(*h, "shape");
        return s.ok() ? *s : Unknown();
      }
      if (h->op() != "Switch" && h->op() != "Identity") break;
      in = ParseTensorName(h->input_size() > 0 ? h->input(0) : "");
    }
    return Unknown();
  }
  if (op == "Const") {
    const tensorflow::AttrValue* value = FindAttr(*node, "value");
    if (value == nullptr) return Unknown();
    StatusOr<PartialTensorShape> s = ShapeFromProto(value->tensor().tensor_shape());
    return s.ok() ? *s : Unknown();
  }
  if (op == "Fill" || op == "RandomUniform" || op == "RandomStandardNormal" ||
      op == "TruncatedNormal") {
    return ShapeFromShapeInput(graph, *node, 0, depth);
  }
  if (IsElementwiseUnary(op) || op == "BiasAdd" || op == "Assign" || op == "FusedBatchNormV3") {
    if (op == "FusedBatchNormV3" && output.index != 0) return Unknown();
    return InputShape(graph, *node, 0, depth);
  }
  if (IsElementwiseBinary(op)) {
    return BroadcastStaticShapes(InputShape(graph, *node, 0, depth),
                                 InputShape(graph, *node, 1, depth));
  }
  if (op == "Select" || op == "SelectV2") {
    PartialTensorShape s = BroadcastStaticShapes(InputShape(graph, *node, 1, depth),
                                                 InputShape(graph, *node, 2, depth));
    return op == "SelectV2" ? BroadcastStaticShapes(InputShape(graph, *node, 0, depth), s) : s;
  }
  if (op == "Merge") {
    if (output.index != 0) return Known({});
    // The most specific shape compatible with every input.
    PartialTensorShape s = InputShape(graph, *node, 0, depth);
    for (int i = 1; i < node->input_size() && !node->input(i).starts_with("^"); ++i) {
      PartialTensorShape other = InputShape(graph, *node, i, depth);
      if (s.unknown_rank() || other.rank() != s.rank()) return Unknown();
      std::vector<int64_t> dims = s.dims();
      for (size_t d = 0; d < dims.size(); ++d) {
        if (dims[d] != other.dims()[d]) dims[d] = -1;
      }
      s = Known(dims);
    }
    return s;
  }
  if (op == "MatMul") {
    PartialTensorShape a = InputShape(graph, *node, 0, depth);
    PartialTensorShape b = InputShape(graph, *node, 1, depth);
    StatusOr<bool> ta = GetBoolAttr(*node, "transpose_a");
    StatusOr<bool> tb = GetBoolAttr(*node, "transpose_b");
    int64_t rows = -1, cols = -1;
    if (a.rank() == 2) rows = a.dims()[(ta.ok() && *ta) ? 1 : 0];
    if (b.rank() == 2) cols = b.dims()[(tb.ok() && *tb) ? 0 : 1];
    return Known({rows, cols});
  }
  if (op == "Reshape") {
    std::optional<std::vector<int64_t>> dims = ConstIntValues(graph, *node, 1);
    if (!dims) return Unknown();
    // One -1 is resolved from the input's element count when known.
    PartialTensorShape in = InputShape(graph, *node, 0, depth);
    if (in.IsFullyDefined()) {
      int64_t total = 1, known = 1;
      for (int64_t d : in.dims()) total *= d;
      int unknown = 0;
      for (int64_t d : *dims) (d < 0 ? ++unknown : known *= d);
      if (unknown == 1 && known > 0) {
        for (int64_t& d : *dims) {
          if (d < 0) d = total / known;
        }
      }
    }
    return Known(*dims);
  }
  if (op == "Squeeze") {
    PartialTensorShape in = InputShape(graph, *node, 0, depth);
    StatusOr<std::vector<int64_t>> axes = GetIntListAttr(*node, "squeeze_dims");
    if (in.unknown_rank() || !axes.ok() || axes->empty()) return Unknown();
    std::vector<int64_t> dims;
    for (int i = 0; i < in.rank(); ++i) {
      const bool drop = std::any_of(axes->begin(), axes->end(),
                                    [&](int64_t a) { return a == i || a + in.rank() == i; });
      if (!drop) dims.push_back(in.dims()[i]);
    }
    return Known(dims);
  }
  if (op == "Mean" || op == "Sum" || op == "Max" || op == "Min" || op == "Prod") {
    PartialTensorShape in = InputShape(graph, *node, 0, depth);
    std::optional<std::vector<int64_t>> axes = ConstIntValues(graph, *node, 1);
    StatusOr<bool> keep = GetBoolAttr(*node, "keep_dims");
    if (in.unknown_rank() || !axes || !keep.ok()) return Unknown();
    std::vector<int64_t> dims;
    for (int i = 0; i < in.rank(); ++i) {
      const bool reduced = std::any_of(axes->begin(), axes->end(),
                                       [&](int64_t a) { return a == i || a + in.rank() == i; });
      if (!reduced) {
        dims.push_back(in.dims()[i]);
      } else if (*keep) {
        dims.push_back(1);
      }
    }
    return Known(dims);
  }
  if (op == "Shape") {
    PartialTensorShape in = InputShape(graph, *node, 0, depth);
    return Known({in.rank()});
  }
  if (op == "L2Loss") return Known({});
  return Unknown();
}

}  // namespace

PartialTensorShape BroadcastStaticShapes(const PartialTensorShape& a, const PartialTensorShape& b) {
  if (a.unknown_rank() || b.unknown_rank()) return Unknown();
  const int rank = std::max(a.rank(), b.rank());
  std::vector<int64_t> dims(rank);
  for (int i = 0; i < rank; ++i) {
    const int ia = i - (rank - a.rank());
    const int ib = i - (rank - b.rank());
    const int64_t da = ia >= 0 ? a.dims()[ia] : 1;
    const int64_t db = ib >= 0 ? b.dims()[ib] : 1;
    if (da == 1) {
      dims[i] = db;
    } else if (db == 1) {
      dims[i] = da;
    } else if (da == -1 || db == -1) {
      dims[i] = da == -1 ? db : da;  // the known one (or -1 if both unknown)
    } else if (da == db) {
      dims[i] = da;
    } else {
      return Unknown();
    }
  }
  return Known(dims);
}

PartialTensorShape InferStaticShape(const Graph& graph, const Output& output) {
  return Infer(graph, output, 0);
}

}  // namespace tf1hub
