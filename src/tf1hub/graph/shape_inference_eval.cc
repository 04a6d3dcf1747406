// Constant folding of the small integer (and float) subgraphs shape
// functions read: arithmetic, Cast, Pack, ConcatV2, slicing, reshaping,
// Fill, Range, reductions, GatherV2. Any failure (bad value, division by
// zero, unsupported dtype) means "not constant", as when TF's constant
// folding fails during shape inference.
#include <algorithm>
#include <cmath>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tf1hub/graph/attr_util.h"
#include "tf1hub/graph/shape_inference_internal.h"

namespace tf1hub::shape_inference {

namespace {

using Values = std::optional<ConstTensor>;

int64_t Product(const std::vector<int64_t>& dims) {
  int64_t n = 1;
  for (int64_t d : dims) {
    if (d < 0 || (d > 0 && n > kMaxConstElements / d)) return -1;
    n *= d;
  }
  return n > kMaxConstElements ? -1 : n;
}

// Wraps integer results to the dtype's width (TF's kernels wrap too).
int64_t WrapInt(int64_t v, tensorflow::DataType t) {
  switch (t) {
    case tensorflow::DT_INT32:
      return static_cast<int32_t>(v);
    case tensorflow::DT_INT16:
      return static_cast<int16_t>(v);
    case tensorflow::DT_INT8:
      return static_cast<int8_t>(v);
    case tensorflow::DT_UINT8:
      return static_cast<uint8_t>(v);
    case tensorflow::DT_UINT16:
      return static_cast<uint16_t>(v);
    case tensorflow::DT_UINT32:
      return static_cast<uint32_t>(v);
    case tensorflow::DT_BOOL:
      return v != 0;
    default:
      return v;
  }
}

double RoundFloat(double v, tensorflow::DataType t) {
  return t == tensorflow::DT_FLOAT ? static_cast<double>(static_cast<float>(v)) : v;
}

// An empty tensor of `dtype` and `shape` ready for `n` values.
ConstTensor Make(tensorflow::DataType dtype, std::vector<int64_t> shape) {
  ConstTensor c;
  c.dtype = dtype;
  c.shape = std::move(shape);
  return c;
}

// Copies element `i` of `src` to the end of `dst` (same dtype family).
void Append(const ConstTensor& src, int64_t i, ConstTensor* dst) {
  if (src.IsString()) {
    dst->strings.push_back(src.strings[i]);
  } else if (src.IsInteger()) {
    dst->ints.push_back(src.ints[i]);
  } else {
    dst->floats.push_back(src.floats[i]);
  }
}

bool Numeric(const ConstTensor& t) { return t.IsInteger() || t.IsFloating(); }

std::vector<int64_t> Strides(const std::vector<int64_t>& shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (int i = static_cast<int>(shape.size()) - 2; i >= 0; --i) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

// Calls fn(flat index into `shape`, multi-index) for every element.
void ForEachIndex(const std::vector<int64_t>& shape,
                  const std::function<void(const std::vector<int64_t>&)>& fn) {
  if (Product(shape) <= 0) return;
  std::vector<int64_t> idx(shape.size(), 0);
  while (true) {
    fn(idx);
    int d = static_cast<int>(shape.size()) - 1;
    while (d >= 0 && ++idx[d] == shape[d]) idx[d--] = 0;
    if (d < 0) return;
  }
}

// *r = x op y for the ops integers and floats compute alike (Add, AddV2,
// Sub, Mul, Maximum, Minimum); false for other ops.
template <typename V>
bool CommonArithmetic(const std::string& op, V x, V y, V* r) {
  if (op == "Add" || op == "AddV2") {
    *r = x + y;
  } else if (op == "Sub") {
    *r = x - y;
  } else if (op == "Mul") {
    *r = x * y;
  } else if (op == "Maximum") {
    *r = std::max(x, y);
  } else if (op == "Minimum") {
    *r = std::min(x, y);
  } else {
    return false;
  }
  return true;
}

Values Binary(const std::string& op, const ConstTensor& a, const ConstTensor& b) {
  if (!Numeric(a) || a.dtype != b.dtype) return std::nullopt;
  // numpy broadcasting
  const size_t rank = std::max(a.shape.size(), b.shape.size());
  std::vector<int64_t> shape(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t da = i < rank - a.shape.size() ? 1 : a.shape[i - (rank - a.shape.size())];
    const int64_t db = i < rank - b.shape.size() ? 1 : b.shape[i - (rank - b.shape.size())];
    if (da != db && da != 1 && db != 1) return std::nullopt;
    shape[i] = da == 1 ? db : da;
  }
  if (Product(shape) < 0) return std::nullopt;
  const bool is_int = a.IsInteger();
  const bool compare = op == "Equal" || op == "NotEqual" || op == "Less" || op == "LessEqual" ||
                       op == "Greater" || op == "GreaterEqual";
  ConstTensor out = Make(compare ? tensorflow::DT_BOOL : a.dtype, shape);
  auto index_in = [&](const ConstTensor& t, const std::vector<int64_t>& idx) {
    int64_t flat = 0;
    const size_t off = rank - t.shape.size();
    for (size_t i = 0; i < t.shape.size(); ++i) {
      flat = flat * t.shape[i] + (t.shape[i] == 1 ? 0 : idx[i + off]);
    }
    return flat;
  };
  bool ok = true;
  ForEachIndex(shape, [&](const std::vector<int64_t>& idx) {
    const int64_t ia = index_in(a, idx), ib = index_in(b, idx);
    if (compare) {
      const double x = a.FloatAt(ia), y = b.FloatAt(ib);
      const bool r = op == "Equal"       ? x == y
                     : op == "NotEqual"  ? x != y
                     : op == "Less"      ? x < y
                     : op == "LessEqual" ? x <= y
                     : op == "Greater"   ? x > y
                                         : x >= y;
      out.ints.push_back(r);
      return;
    }
    if (is_int) {
      const int64_t x = a.ints[ia], y = b.ints[ib];
      int64_t r = 0;
      if (CommonArithmetic(op, x, y, &r)) {
      } else if (y == 0) {
        ok = false;
      } else if (op == "FloorDiv") {
        r = x / y - ((x % y != 0) && ((x < 0) != (y < 0)) ? 1 : 0);
      } else if (op == "Div" || op == "TruncateDiv") {
        r = x / y;
      } else if (op == "FloorMod") {
        r = ((x % y) + y) % y;
      } else {
        ok = false;
      }
      out.ints.push_back(WrapInt(r, a.dtype));
    } else {
      const double x = a.floats[ia], y = b.floats[ib];
      double r = 0;
      if (CommonArithmetic(op, x, y, &r)) {
      } else if (op == "RealDiv" || op == "Div") {
        r = x / y;
      } else if (op == "FloorDiv") {
        r = std::floor(x / y);
      } else {
        ok = false;
      }
      out.floats.push_back(RoundFloat(r, a.dtype));
    }
  });
  if (!ok) return std::nullopt;
  return out;
}

Values CastTo(const ConstTensor& in, tensorflow::DataType dst) {
  if (!Numeric(in) || !(IsIntegerType(dst) || IsFloatingType(dst))) return std::nullopt;
  ConstTensor out = Make(dst, in.shape);
  for (int64_t i = 0; i < in.NumElements(); ++i) {
    if (IsIntegerType(dst)) {
      if (in.IsInteger()) {
        out.ints.push_back(WrapInt(in.ints[i], dst));
      } else {
        const double v = in.floats[i];
        if (!std::isfinite(v) || std::fabs(v) > 9.2e18) return std::nullopt;
        out.ints.push_back(dst == tensorflow::DT_BOOL ? v != 0
                                                      : WrapInt(static_cast<int64_t>(v), dst));
      }
    } else {
      out.floats.push_back(RoundFloat(in.FloatAt(i), dst));
    }
  }
  return out;
}

std::vector<int64_t> IntVector(const ConstTensor& t) {
  std::vector<int64_t> v;
  for (int64_t i = 0; i < t.NumElements(); ++i) v.push_back(t.IntAt(i));
  return v;
}

Values Reshaped(const ConstTensor& in, std::vector<int64_t> shape) {
  if (Product(shape) != in.NumElements()) return std::nullopt;
  ConstTensor out = in;
  out.shape = std::move(shape);
  return out;
}

Values Gather(const ConstTensor& in, const std::vector<int64_t>& out_shape,
              const std::function<int64_t(const std::vector<int64_t>&)>& source) {
  if (Product(out_shape) < 0) return std::nullopt;
  ConstTensor out = Make(in.dtype, out_shape);
  ForEachIndex(out_shape, [&](const std::vector<int64_t>& idx) { Append(in, source(idx), &out); });
  return out;
}

Values StridedSliceValue(const tensorflow::NodeDef& node,
                         const std::vector<const ConstTensor*>& in) {
  if (in.size() != 4) return std::nullopt;
  const ConstTensor& x = *in[0];
  std::vector<int64_t> begin = IntVector(*in[1]), end = IntVector(*in[2]);
  std::vector<int64_t> strides = IntVector(*in[3]);
  auto mask = [&](const char* name) {
    const tensorflow::AttrValue* v = FindAttr(node, name);
    return v != nullptr ? v->i() : 0;
  };
  StridedSliceMasks m{mask("begin_mask"), mask("end_mask"), mask("ellipsis_mask"),
                      mask("new_axis_mask"), mask("shrink_axis_mask")};
  StridedSliceDense dense;
  if (!ComputeStridedSlice(Shape::Of(x.shape), &begin, &end, strides, m, &dense).ok()) {
    return std::nullopt;
  }
  const std::vector<int64_t> x_strides = Strides(x.shape);
  Values flat = Gather(x, dense.processing.dims, [&](const std::vector<int64_t>& idx) {
    int64_t f = 0;
    for (size_t d = 0; d < idx.size(); ++d)
      f += (dense.begin[d] + idx[d] * dense.strides[d]) * x_strides[d];
    return f;
  });
  if (!flat) return std::nullopt;
  flat->shape = dense.final_shape.dims;
  return flat;
}

Values Reduce(const std::string& op, const tensorflow::NodeDef& node, const ConstTensor& x,
              const ConstTensor& axes) {
  if (!Numeric(x)) return std::nullopt;
  const int64_t rank = static_cast<int64_t>(x.shape.size());
  std::set<int64_t> reduce;
  for (int64_t a : IntVector(axes)) {
    if (a < -rank || a >= rank) return std::nullopt;
    reduce.insert(a < 0 ? a + rank : a);
  }
  const tensorflow::AttrValue* kd = FindAttr(node, "keep_dims");
  const bool keep = kd != nullptr && kd->b();
  std::vector<int64_t> kept_shape;  // rank-preserving output shape
  std::vector<int64_t> out_shape;
  for (int64_t d = 0; d < rank; ++d) {
    const bool r = reduce.count(d) > 0;
    kept_shape.push_back(r ? 1 : x.shape[d]);
    if (!r || keep) out_shape.push_back(r ? 1 : x.shape[d]);
  }
  const int64_t n = Product(kept_shape);
  if (n < 0) return std::nullopt;
  std::vector<double> acc(n, op == "Prod" ? 1.0 : 0.0);
  std::vector<bool> seen(n, false);
  const std::vector<int64_t> ks = Strides(kept_shape);
  int64_t flat_in = 0;
  ForEachIndex(x.shape, [&](const std::vector<int64_t>& idx) {
    int64_t o = 0;
    for (int64_t d = 0; d < rank; ++d) o += (reduce.count(d) ? 0 : idx[d]) * ks[d];
    const double v = x.FloatAt(flat_in++);
    if (op == "Sum")
      acc[o] += v;
    else if (op == "Prod")
      acc[o] *= v;
    else if (op == "Max")
      acc[o] = seen[o] ? std::max(acc[o], v) : v;
    else
      acc[o] = seen[o] ? std::min(acc[o], v) : v;
    seen[o] = true;
  });
  if ((op == "Max" || op == "Min") && x.NumElements() == 0) return std::nullopt;
  ConstTensor out = Make(x.dtype, out_shape);
  for (double v : acc) {
    if (x.IsInteger())
      out.ints.push_back(WrapInt(static_cast<int64_t>(v), x.dtype));
    else
      out.floats.push_back(RoundFloat(v, x.dtype));
  }
  return out;
}

}  // namespace

bool LookupConstEvaluable(std::string_view op) {
  static const std::set<std::string_view, std::less<>>& ops =
      *new std::set<std::string_view, std::less<>>{
          "Identity",     "Snapshot",     "StopGradient", "Cast",       "Add",      "AddV2",
          "Sub",          "Mul",          "RealDiv",      "Div",        "FloorDiv", "FloorMod",
          "Maximum",      "Minimum",      "Neg",          "Abs",        "Pack",     "ConcatV2",
          "StridedSlice", "Slice",        "Reshape",      "ExpandDims", "Squeeze",  "Fill",
          "Range",        "Prod",         "Sum",          "Max",        "Min",      "GatherV2",
          "ZerosLike",    "OnesLike",     "Equal",        "NotEqual",   "Less",     "LessEqual",
          "Greater",      "GreaterEqual", "Unpack"};
  return ops.count(op) > 0;
}

std::optional<ConstTensor> EvaluateConstOp(const tensorflow::NodeDef& node, int output,
                                           const std::vector<const ConstTensor*>& in) {
  const std::string& op = node.op();
  if (op == "Unpack") {
    if (in.size() != 1 || in[0]->shape.empty()) return std::nullopt;
    const std::vector<int64_t>& s = in[0]->shape;
    const int64_t rank = static_cast<int64_t>(s.size());
    const tensorflow::AttrValue* av = FindAttr(node, "axis");
    int64_t axis = av != nullptr ? av->i() : 0;
    if (axis < -rank || axis >= rank) return std::nullopt;
    if (axis < 0) axis += rank;
    if (output < 0 || output >= s[axis]) return std::nullopt;
    std::vector<int64_t> shape = s;
    shape.erase(shape.begin() + axis);
    const std::vector<int64_t> xs = Strides(s);
    return Gather(*in[0], shape, [&](const std::vector<int64_t>& idx) {
      int64_t f = output * xs[axis];
      for (int64_t d = 0, k = 0; d < rank; ++d) {
        if (d != axis) f += idx[k++] * xs[d];
      }
      return f;
    });
  }
  if (output != 0) return std::nullopt;
  auto attr_type = [&](const char* name) {
    const tensorflow::AttrValue* v = FindAttr(node, name);
    return v != nullptr ? v->type() : tensorflow::DT_INVALID;
  };
  if (op == "Identity" || op == "Snapshot" || op == "StopGradient") {
    if (in.size() != 1) return std::nullopt;
    return *in[0];
  }
  if (op == "Cast") return in.size() == 1 ? CastTo(*in[0], attr_type("DstT")) : std::nullopt;
  if (op == "Neg" || op == "Abs" || op == "ZerosLike" || op == "OnesLike") {
    if (in.size() != 1 || !Numeric(*in[0])) return std::nullopt;
    ConstTensor out = *in[0];
    for (int64_t& v : out.ints) {
      v = op == "Neg"         ? WrapInt(-v, out.dtype)
          : op == "Abs"       ? std::llabs(v)
          : op == "ZerosLike" ? 0
                              : 1;
    }
    for (double& v : out.floats)
      v = op == "Neg" ? -v : op == "Abs" ? std::fabs(v) : op == "ZerosLike" ? 0 : 1;
    return out;
  }
  if (in.size() == 2 && LookupConstEvaluable(op) &&
      (op == "Add" || op == "AddV2" || op == "Sub" || op == "Mul" || op == "RealDiv" ||
       op == "Div" || op == "FloorDiv" || op == "FloorMod" || op == "Maximum" || op == "Minimum" ||
       op == "Equal" || op == "NotEqual" || op == "Less" || op == "LessEqual" || op == "Greater" ||
       op == "GreaterEqual")) {
    return Binary(op, *in[0], *in[1]);
  }
  if (op == "Pack") {
    if (in.empty()) return std::nullopt;
    const std::vector<int64_t>& s = in[0]->shape;
    const int64_t rank = static_cast<int64_t>(s.size()) + 1;
    const tensorflow::AttrValue* av = FindAttr(node, "axis");
    int64_t axis = av != nullptr ? av->i() : 0;
    if (axis < -rank || axis >= rank) return std::nullopt;
    if (axis < 0) axis += rank;
    for (const ConstTensor* t : in) {
      if (t->shape != s || t->dtype != in[0]->dtype) return std::nullopt;
    }
    std::vector<int64_t> shape = s;
    shape.insert(shape.begin() + axis, static_cast<int64_t>(in.size()));
    const int64_t inner = Product(std::vector<int64_t>(s.begin() + axis, s.end()));
    if (Product(shape) < 0) return std::nullopt;
    ConstTensor out = Make(in[0]->dtype, shape);
    const int64_t outer = Product(std::vector<int64_t>(s.begin(), s.begin() + axis));
    for (int64_t o = 0; o < outer; ++o) {
      for (const ConstTensor* t : in) {
        for (int64_t k = 0; k < inner; ++k) Append(*t, o * inner + k, &out);
      }
    }
    return out;
  }
  if (op == "ConcatV2") {
    if (in.size() < 2) return std::nullopt;
    const ConstTensor& axis_t = *in.back();
    if (axis_t.NumElements() != 1 || !axis_t.IsInteger()) return std::nullopt;
    const std::vector<int64_t>& s = in[0]->shape;
    const int64_t rank = static_cast<int64_t>(s.size());
    int64_t axis = axis_t.ints[0];
    if (rank == 0 || axis < -rank || axis >= rank) return std::nullopt;
    if (axis < 0) axis += rank;
    std::vector<int64_t> shape = s;
    shape[axis] = 0;
    for (size_t i = 0; i + 1 < in.size(); ++i) {
      const ConstTensor& t = *in[i];
      if (t.dtype != in[0]->dtype || t.shape.size() != s.size()) return std::nullopt;
      for (int64_t d = 0; d < rank; ++d) {
        if (d != axis && t.shape[d] != s[d]) return std::nullopt;
      }
      shape[axis] += t.shape[axis];
    }
    if (Product(shape) < 0) return std::nullopt;
    ConstTensor out = Make(in[0]->dtype, shape);
    const int64_t outer = Product(std::vector<int64_t>(s.begin(), s.begin() + axis));
    for (int64_t o = 0; o < outer; ++o) {
      for (size_t i = 0; i + 1 < in.size(); ++i) {
        const ConstTensor& t = *in[i];
        const int64_t chunk = Product(std::vector<int64_t>(t.shape.begin() + axis, t.shape.end()));
        for (int64_t k = 0; k < chunk; ++k) Append(t, o * chunk + k, &out);
      }
    }
    return out;
  }
  if (op == "StridedSlice") return StridedSliceValue(node, in);
  if (op == "Slice") {
    if (in.size() != 3) return std::nullopt;
    const ConstTensor& x = *in[0];
    std::vector<int64_t> begin = IntVector(*in[1]), size = IntVector(*in[2]);
    if (begin.size() != x.shape.size() || size.size() != x.shape.size()) return std::nullopt;
    for (size_t d = 0; d < size.size(); ++d) {
      if (size[d] == -1) size[d] = x.shape[d] - begin[d];
      if (begin[d] < 0 || size[d] < 0 || begin[d] + size[d] > x.shape[d]) return std::nullopt;
    }
    const std::vector<int64_t> xs = Strides(x.shape);
    return Gather(x, size, [&](const std::vector<int64_t>& idx) {
      int64_t f = 0;
      for (size_t d = 0; d < idx.size(); ++d) f += (begin[d] + idx[d]) * xs[d];
      return f;
    });
  }
  if (op == "Reshape") {
    if (in.size() != 2) return std::nullopt;
    std::vector<int64_t> shape = IntVector(*in[1]);
    int64_t known = 1, unknown_at = -1;
    for (size_t i = 0; i < shape.size(); ++i) {
      if (shape[i] == -1 && unknown_at < 0) {
        unknown_at = static_cast<int64_t>(i);
      } else if (shape[i] < 0) {
        return std::nullopt;
      } else {
        known *= shape[i];
      }
    }
    if (unknown_at >= 0) {
      if (known == 0 || in[0]->NumElements() % known != 0) return std::nullopt;
      shape[unknown_at] = in[0]->NumElements() / known;
    }
    return Reshaped(*in[0], shape);
  }
  if (op == "ExpandDims") {
    if (in.size() != 2 || in[1]->NumElements() != 1) return std::nullopt;
    std::vector<int64_t> shape = in[0]->shape;
    const int64_t rank = static_cast<int64_t>(shape.size());
    int64_t dim = in[1]->IntAt(0);
    if (dim < -rank - 1 || dim > rank) return std::nullopt;
    if (dim < 0) dim += rank + 1;
    shape.insert(shape.begin() + dim, 1);
    return Reshaped(*in[0], shape);
  }
  if (op == "Squeeze") {
    if (in.size() != 1) return std::nullopt;
    const std::vector<int64_t>& s = in[0]->shape;
    const int64_t rank = static_cast<int64_t>(s.size());
    std::set<int64_t> dims;
    const tensorflow::AttrValue* av = FindAttr(node, "squeeze_dims");
    if (av != nullptr) {
      for (int64_t d : av->list().i()) {
        if (d < -rank || d >= rank) return std::nullopt;
        dims.insert(d < 0 ? d + rank : d);
      }
    }
    std::vector<int64_t> shape;
    for (int64_t d = 0; d < rank; ++d) {
      if (s[d] == 1 && (dims.empty() || dims.count(d))) continue;
      if (dims.count(d)) return std::nullopt;
      shape.push_back(s[d]);
    }
    return Reshaped(*in[0], shape);
  }
  if (op == "Fill") {
    if (in.size() != 2 || in[1]->NumElements() != 1) return std::nullopt;
    std::vector<int64_t> shape = IntVector(*in[0]);
    if (Product(shape) < 0) return std::nullopt;
    return Gather(*in[1], shape, [](const std::vector<int64_t>&) { return int64_t{0}; });
  }
  if (op == "Range") {
    if (in.size() != 3) return std::nullopt;
    for (const ConstTensor* t : in) {
      if (t->NumElements() != 1 || !Numeric(*t)) return std::nullopt;
    }
    const tensorflow::DataType dtype = attr_type("Tidx");
    const double start = in[0]->FloatAt(0), limit = in[1]->FloatAt(0), delta = in[2]->FloatAt(0);
    if (delta == 0 || (start > limit && delta > 0) || (start < limit && delta < 0))
      return std::nullopt;
    double n;
    if (IsIntegerType(dtype)) {
      n = std::ceil(std::fabs(limit - start) / std::fabs(delta));
    } else if (dtype == tensorflow::DT_FLOAT) {
      n = std::ceil(std::fabs((static_cast<float>(limit) - static_cast<float>(start)) /
                              static_cast<float>(delta)));
    } else {
      n = std::ceil(std::fabs((limit - start) / delta));
    }
    if (!(n <= static_cast<double>(kMaxConstElements))) return std::nullopt;
    ConstTensor out = Make(dtype, {static_cast<int64_t>(n)});
    for (int64_t i = 0; i < static_cast<int64_t>(n); ++i) {
      if (IsIntegerType(dtype))
        out.ints.push_back(in[0]->IntAt(0) + i * in[2]->IntAt(0));
      else
        out.floats.push_back(RoundFloat(start + static_cast<double>(i) * delta, dtype));
    }
    return out;
  }
  if (op == "Sum" || op == "Prod" || op == "Max" || op == "Min") {
    return in.size() == 2 ? Reduce(op, node, *in[0], *in[1]) : std::nullopt;
  }
  if (op == "GatherV2") {
    if (in.size() != 3 || in[2]->NumElements() != 1) return std::nullopt;
    const tensorflow::AttrValue* bd = FindAttr(node, "batch_dims");
    if (bd != nullptr && bd->i() != 0) return std::nullopt;
    const ConstTensor& params = *in[0];
    const std::vector<int64_t> indices = IntVector(*in[1]);
    const int64_t rank = static_cast<int64_t>(params.shape.size());
    int64_t axis = in[2]->IntAt(0);
    if (axis < -rank || axis >= rank) return std::nullopt;
    if (axis < 0) axis += rank;
    for (int64_t i : indices) {
      if (i < 0 || i >= params.shape[axis]) return std::nullopt;
    }
    std::vector<int64_t> shape(params.shape.begin(), params.shape.begin() + axis);
    shape.insert(shape.end(), in[1]->shape.begin(), in[1]->shape.end());
    shape.insert(shape.end(), params.shape.begin() + axis + 1, params.shape.end());
    const std::vector<int64_t> ps = Strides(params.shape);
    const std::vector<int64_t> is = Strides(in[1]->shape);
    const size_t irank = in[1]->shape.size();
    return Gather(params, shape, [&](const std::vector<int64_t>& idx) {
      int64_t f = 0, flat_index = 0;
      for (size_t k = 0; k < irank; ++k) flat_index += idx[axis + k] * is[k];
      for (int64_t d = 0; d < axis; ++d) f += idx[d] * ps[d];
      f += indices[flat_index] * ps[axis];
      for (int64_t d = axis + 1; d < rank; ++d) f += idx[d - 1 + irank] * ps[d];
      return f;
    });
  }
  return std::nullopt;
}

}  // namespace tf1hub::shape_inference
