// Math op constructors: element-wise unary and binary ops, comparisons,
// logical ops, reductions, matrix products, casts, ranges and segment sums.
// Named after the TensorFlow ops; type attrs are inferred from the inputs.
//
//   Output y = ops::AddV2(scope, ops::MatMul(scope, x, w), b);
//   Output m = ops::Mean(scope, y, ops::Const(scope, 0), {.keep_dims = true});
//
// Errors follow scope.h (sticky status, empty Output).
//
// Thread safety: as Scope.
#ifndef TF1HUB_GRAPH_MATH_OPS_H_
#define TF1HUB_GRAPH_MATH_OPS_H_

#include <span>
#include <string>

#include "tf1hub/data_type.h"
#include "tf1hub/graph/output.h"
#include "tf1hub/graph/scope.h"

namespace tf1hub::ops {

// ---- Binary element-wise (broadcasting) -------------------------------------
Output Add(const Scope& scope, const Output& x, const Output& y);
Output AddV2(const Scope& scope, const Output& x, const Output& y);
Output Sub(const Scope& scope, const Output& x, const Output& y);
Output Mul(const Scope& scope, const Output& x, const Output& y);
Output RealDiv(const Scope& scope, const Output& x, const Output& y);
Output Div(const Scope& scope, const Output& x, const Output& y);
Output DivNoNan(const Scope& scope, const Output& x, const Output& y);
Output FloorDiv(const Scope& scope, const Output& x, const Output& y);
Output FloorMod(const Scope& scope, const Output& x, const Output& y);
Output Maximum(const Scope& scope, const Output& x, const Output& y);
Output Minimum(const Scope& scope, const Output& x, const Output& y);
Output Pow(const Scope& scope, const Output& x, const Output& y);
Output SquaredDifference(const Scope& scope, const Output& x, const Output& y);

// ---- Unary element-wise ------------------------------------------------------
Output Neg(const Scope& scope, const Output& x);
Output Abs(const Scope& scope, const Output& x);
Output Square(const Scope& scope, const Output& x);
Output Sqrt(const Scope& scope, const Output& x);
Output Rsqrt(const Scope& scope, const Output& x);
Output Exp(const Scope& scope, const Output& x);
Output Log(const Scope& scope, const Output& x);
Output Log1p(const Scope& scope, const Output& x);
Output Tanh(const Scope& scope, const Output& x);
Output Sigmoid(const Scope& scope, const Output& x);
Output Sign(const Scope& scope, const Output& x);
Output Reciprocal(const Scope& scope, const Output& x);
Output Floor(const Scope& scope, const Output& x);
Output Ceil(const Scope& scope, const Output& x);
Output Round(const Scope& scope, const Output& x);
Output Cos(const Scope& scope, const Output& x);
Output Sin(const Scope& scope, const Output& x);

// ---- Comparisons and logic (bool outputs) ------------------------------------
Output Greater(const Scope& scope, const Output& x, const Output& y);
Output GreaterEqual(const Scope& scope, const Output& x, const Output& y);
Output Less(const Scope& scope, const Output& x, const Output& y);
Output LessEqual(const Scope& scope, const Output& x, const Output& y);
struct EqualAttrs {
  bool incompatible_shape_error = true;
};
Output Equal(const Scope& scope, const Output& x, const Output& y, const EqualAttrs& attrs = {});
Output NotEqual(const Scope& scope, const Output& x, const Output& y,
                const EqualAttrs& attrs = {});
Output LogicalAnd(const Scope& scope, const Output& x, const Output& y);
Output LogicalOr(const Scope& scope, const Output& x, const Output& y);
Output LogicalNot(const Scope& scope, const Output& x);
Output Select(const Scope& scope, const Output& condition, const Output& t, const Output& e);
Output SelectV2(const Scope& scope, const Output& condition, const Output& t, const Output& e);

// ---- Reductions -------------------------------------------------------------
struct ReductionAttrs {
  bool keep_dims = false;
};
Output Sum(const Scope& scope, const Output& input, const Output& axis,
           const ReductionAttrs& attrs = {});
Output Mean(const Scope& scope, const Output& input, const Output& axis,
            const ReductionAttrs& attrs = {});
Output Max(const Scope& scope, const Output& input, const Output& axis,
           const ReductionAttrs& attrs = {});
Output Min(const Scope& scope, const Output& input, const Output& axis,
           const ReductionAttrs& attrs = {});
Output Prod(const Scope& scope, const Output& input, const Output& axis,
            const ReductionAttrs& attrs = {});
struct ArgMaxAttrs {
  DataType output_type = DataType::kInt64;
};
Output ArgMax(const Scope& scope, const Output& input, const Output& dimension,
              const ArgMaxAttrs& attrs = {});
Output ArgMin(const Scope& scope, const Output& input, const Output& dimension,
              const ArgMaxAttrs& attrs = {});
struct CumsumAttrs {
  bool exclusive = false;
  bool reverse = false;
};
Output Cumsum(const Scope& scope, const Output& x, const Output& axis,
              const CumsumAttrs& attrs = {});

// ---- Products ---------------------------------------------------------------
struct MatMulAttrs {
  bool transpose_a = false;
  bool transpose_b = false;
};
Output MatMul(const Scope& scope, const Output& a, const Output& b, const MatMulAttrs& attrs = {});
struct BatchMatMulV2Attrs {
  bool adj_x = false;
  bool adj_y = false;
};
Output BatchMatMulV2(const Scope& scope, const Output& x, const Output& y,
                     const BatchMatMulV2Attrs& attrs = {});
Output Einsum(const Scope& scope, std::span<const Output> inputs, const std::string& equation);

// ---- Casts and sequences ------------------------------------------------------
struct CastAttrs {
  bool truncate = false;  // attr "Truncate"
};
Output Cast(const Scope& scope, const Output& x, DataType dst_type, const CastAttrs& attrs = {});
// Tidx is taken from `start`; all three must share it.
Output Range(const Scope& scope, const Output& start, const Output& limit, const Output& delta);

}  // namespace tf1hub::ops

#endif  // TF1HUB_GRAPH_MATH_OPS_H_
