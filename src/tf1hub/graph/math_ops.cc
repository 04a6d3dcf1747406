// Math op constructors (include/tf1hub/graph/math_ops.h).
#include "tf1hub/graph/math_ops.h"

#include "tf1hub/graph/node_builder.h"

namespace tf1hub::ops {
namespace {

Output Unary(const Scope& scope, const char* op, const Output& x) {
  return NodeBuilder(scope, op).Input(x).FinalizeOutput();
}

Output Binary(const Scope& scope, const char* op, const Output& x, const Output& y) {
  return NodeBuilder(scope, op).Input(x).Input(y).FinalizeOutput();
}

Output Reduction(const Scope& scope, const char* op, const Output& input, const Output& axis,
                 const ReductionAttrs& attrs) {
  return NodeBuilder(scope, op).Input(input).Input(axis).Attr("keep_dims", attrs.keep_dims).FinalizeOutput();
}

}  // namespace

Output Add(const Scope& s, const Output& x, const Output& y) { return Binary(s, "Add", x, y); }
Output AddV2(const Scope& s, const Output& x, const Output& y) { return Binary(s, "AddV2", x, y); }
Output Sub(const Scope& s, const Output& x, const Output& y) { return Binary(s, "Sub", x, y); }
Output Mul(const Scope& s, const Output& x, const Output& y) { return Binary(s, "Mul", x, y); }
Output RealDiv(const Scope& s, const Output& x, const Output& y) { return Binary(s, "RealDiv", x, y); }
Output Div(const Scope& s, const Output& x, const Output& y) { return Binary(s, "Div", x, y); }
Output DivNoNan(const Scope& s, const Output& x, const Output& y) { return Binary(s, "DivNoNan", x, y); }
Output FloorDiv(const Scope& s, const Output& x, const Output& y) { return Binary(s, "FloorDiv", x, y); }
Output FloorMod(const Scope& s, const Output& x, const Output& y) { return Binary(s, "FloorMod", x, y); }
Output Maximum(const Scope& s, const Output& x, const Output& y) { return Binary(s, "Maximum", x, y); }
Output Minimum(const Scope& s, const Output& x, const Output& y) { return Binary(s, "Minimum", x, y); }
Output Pow(const Scope& s, const Output& x, const Output& y) { return Binary(s, "Pow", x, y); }
Output SquaredDifference(const Scope& s, const Output& x, const Output& y) {
  return Binary(s, "SquaredDifference", x, y);
}

Output Neg(const Scope& s, const Output& x) { return Unary(s, "Neg", x); }
Output Abs(const Scope& s, const Output& x) { return Unary(s, "Abs", x); }
Output Square(const Scope& s, const Output& x) { return Unary(s, "Square", x); }
Output Sqrt(const Scope& s, const Output& x) { return Unary(s, "Sqrt", x); }
Output Rsqrt(const Scope& s, const Output& x) { return Unary(s, "Rsqrt", x); }
Output Exp(const Scope& s, const Output& x) { return Unary(s, "Exp", x); }
Output Log(const Scope& s, const Output& x) { return Unary(s, "Log", x); }
Output Log1p(const Scope& s, const Output& x) { return Unary(s, "Log1p", x); }
Output Tanh(const Scope& s, const Output& x) { return Unary(s, "Tanh", x); }
Output Sigmoid(const Scope& s, const Output& x) { return Unary(s, "Sigmoid", x); }
Output Sign(const Scope& s, const Output& x) { return Unary(s, "Sign", x); }
Output Reciprocal(const Scope& s, const Output& x) { return Unary(s, "Reciprocal", x); }
Output Floor(const Scope& s, const Output& x) { return Unary(s, "Floor", x); }
Output Ceil(const Scope& s, const Output& x) { return Unary(s, "Ceil", x); }
Output Round(const Scope& s, const Output& x) { return Unary(s, "Round", x); }
Output Cos(const Scope& s, const Output& x) { return Unary(s, "Cos", x); }
Output Sin(const Scope& s, const Output& x) { return Unary(s, "Sin", x); }

Output Greater(const Scope& s, const Output& x, const Output& y) { return Binary(s, "Greater", x, y); }
Output GreaterEqual(const Scope& s, const Output& x, const Output& y) {
  return Binary(s, "GreaterEqual", x, y);
}
Output Less(const Scope& s, const Output& x, const Output& y) { return Binary(s, "Less", x, y); }
Output LessEqual(const Scope& s, const Output& x, const Output& y) {
  return Binary(s, "LessEqual", x, y);
}
Output Equal(const Scope& s, const Output& x, const Output& y, const EqualAttrs& attrs) {
  return NodeBuilder(s, "Equal")
      .Input(x)
      .Input(y)
      .Attr("incompatible_shape_error", attrs.incompatible_shape_error)
      .FinalizeOutput();
}
Output NotEqual(const Scope& s, const Output& x, const Output& y, const EqualAttrs& attrs) {
  return NodeBuilder(s, "NotEqual")
      .Input(x)
      .Input(y)
      .Attr("incompatible_shape_error", attrs.incompatible_shape_error)
      .FinalizeOutput();
}
Output LogicalAnd(const Scope& s, const Output& x, const Output& y) {
  return Binary(s, "LogicalAnd", x, y);
}
Output LogicalOr(const Scope& s, const Output& x, const Output& y) {
  return Binary(s, "LogicalOr", x, y);
}
Output LogicalNot(const Scope& s, const Output& x) { return Unary(s, "LogicalNot", x); }
Output Select(const Scope& s, const Output& condition, const Output& t, const Output& e) {
  return NodeBuilder(s, "Select").Input(condition).Input(t).Input(e).FinalizeOutput();
}
Output SelectV2(const Scope& s, const Output& condition, const Output& t, const Output& e) {
  return NodeBuilder(s, "SelectV2").Input(condition).Input(t).Input(e).FinalizeOutput();
}

Output Sum(const Scope& s, const Output& in, const Output& axis, const ReductionAttrs& a) {
  return Reduction(s, "Sum", in, axis, a);
}
Output Mean(const Scope& s, const Output& in, const Output& axis, const ReductionAttrs& a) {
  return Reduction(s, "Mean", in, axis, a);
}
Output Max(const Scope& s, const Output& in, const Output& axis, const ReductionAttrs& a) {
  return Reduction(s, "Max", in, axis, a);
}
Output Min(const Scope& s, const Output& in, const Output& axis, const ReductionAttrs& a) {
  return Reduction(s, "Min", in, axis, a);
}
Output Prod(const Scope& s, const Output& in, const Output& axis, const ReductionAttrs& a) {
  return Reduction(s, "Prod", in, axis, a);
}

Output ArgMax(const Scope& s, const Output& input, const Output& dimension, const ArgMaxAttrs& a) {
  return NodeBuilder(s, "ArgMax").Input(input).Input(dimension).Attr("output_type", a.output_type).FinalizeOutput();
}
Output ArgMin(const Scope& s, const Output& input, const Output& dimension, const ArgMaxAttrs& a) {
  return NodeBuilder(s, "ArgMin").Input(input).Input(dimension).Attr("output_type", a.output_type).FinalizeOutput();
}

Output Cumsum(const Scope& s, const Output& x, const Output& axis, const CumsumAttrs& a) {
  return NodeBuilder(s, "Cumsum")
      .Input(x)
      .Input(axis)
      .Attr("exclusive", a.exclusive)
      .Attr("reverse", a.reverse)
      .FinalizeOutput();
}

Output MatMul(const Scope& s, const Output& a, const Output& b, const MatMulAttrs& attrs) {
  return NodeBuilder(s, "MatMul")
      .Input(a)
      .Input(b)
      .Attr("transpose_a", attrs.transpose_a)
      .Attr("transpose_b", attrs.transpose_b)
      .FinalizeOutput();
}

Output BatchMatMulV2(const Scope& s, const Output& x, const Output& y,
                     const BatchMatMulV2Attrs& attrs) {
  return NodeBuilder(s, "BatchMatMulV2")
      .Input(x)
      .Input(y)
      .Attr("adj_x", attrs.adj_x)
      .Attr("adj_y", attrs.adj_y)
      .FinalizeOutput();
}

Output Einsum(const Scope& s, std::span<const Output> inputs, const std::string& equation) {
  return NodeBuilder(s, "Einsum").InputList(inputs).Attr("equation", equation).FinalizeOutput();
}

Output Cast(const Scope& s, const Output& x, DataType dst_type, const CastAttrs& attrs) {
  return NodeBuilder(s, "Cast")
      .Input(x)
      .Attr("DstT", dst_type)
      .Attr("Truncate", attrs.truncate)
      .FinalizeOutput();
}

Output Range(const Scope& s, const Output& start, const Output& limit, const Output& delta) {
  return NodeBuilder(s, "Range").Input(start).Input(limit).Input(delta).FinalizeOutput();
}

}  // namespace tf1hub::ops
