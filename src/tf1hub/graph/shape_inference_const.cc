// Constant evaluation for shape functions, as TensorFlow's ShapeRefiner does
// it: EvaluateConstantTensor (Const nodes, Shape/Size/Rank of inferred
// shapes, small stateless subgraphs of constants) and ConstantPartialShape
// (the partially known shape a Shape/Pack/ConcatV2/StridedSlice/Cast tensor
// describes). Also InferenceContext's attr and constant-input accessors.
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "tf1hub/graph/attr_util.h"
#include "tf1hub/graph/shape_inference_impl.h"
#include "tf1hub/graph/tensor_proto.h"

namespace tf1hub::shape_inference {

namespace {
// Deeper ConstantPartialShape chains are treated as unknown.
constexpr int kMaxPartialShapeDepth = 64;
}  // namespace

// ---- ConstTensor ---------------------------------------------------------------

bool IsIntegerType(tensorflow::DataType t) {
  switch (t) {
    case tensorflow::DT_INT8:
    case tensorflow::DT_INT16:
    case tensorflow::DT_INT32:
    case tensorflow::DT_INT64:
    case tensorflow::DT_UINT8:
    case tensorflow::DT_UINT16:
    case tensorflow::DT_UINT32:
    case tensorflow::DT_UINT64:
    case tensorflow::DT_BOOL:
      return true;
    default:
      return false;
  }
}

bool IsFloatingType(tensorflow::DataType t) {
  return t == tensorflow::DT_FLOAT || t == tensorflow::DT_DOUBLE;
}

int64_t ConstTensor::NumElements() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}
bool ConstTensor::IsInteger() const { return IsIntegerType(dtype); }
bool ConstTensor::IsFloating() const { return IsFloatingType(dtype); }
// Strings (and out-of-range indexes, which callers avoid) read as 0.
int64_t ConstTensor::IntAt(int64_t i) const {
  if (IsInteger()) return i < static_cast<int64_t>(ints.size()) ? ints[i] : 0;
  if (i >= static_cast<int64_t>(floats.size())) return 0;
  const double v = floats[i];
  return std::isfinite(v) && std::fabs(v) < 9.2e18 ? static_cast<int64_t>(v) : 0;
}
double ConstTensor::FloatAt(int64_t i) const {
  if (IsInteger()) return i < static_cast<int64_t>(ints.size()) ? static_cast<double>(ints[i]) : 0;
  return i < static_cast<int64_t>(floats.size()) ? floats[i] : 0;
}

std::optional<ConstTensor> ConstFromNode(const tensorflow::NodeDef& node) {
  const tensorflow::AttrValue* value = FindAttr(node, "value");
  if (value == nullptr || !value->has_tensor()) return std::nullopt;
  const tensorflow::TensorProto& proto = value->tensor();
  int64_t n = 1;
  for (const auto& d : proto.tensor_shape().dim()) {
    if (d.size() < 0 || (d.size() > 0 && n > kMaxConstElements / d.size())) return std::nullopt;
    n *= d.size();
  }
  if (n > kMaxConstElements) return std::nullopt;
  StatusOr<Tensor> t = TensorFromProto(proto);
  if (!t.ok()) return std::nullopt;
  ConstTensor c;
  c.dtype = proto.dtype();
  c.shape = t->shape().dims();
  switch (t->dtype()) {
#define TF1HUB_INT_CASE(KIND, TYPE)                                           \
  case DataType::KIND:                                                        \
    for (TYPE v : t->flat<TYPE>()) c.ints.push_back(static_cast<int64_t>(v)); \
    break;
    TF1HUB_INT_CASE(kInt8, int8_t)
    TF1HUB_INT_CASE(kInt16, int16_t)
    TF1HUB_INT_CASE(kInt32, int32_t)
    TF1HUB_INT_CASE(kInt64, int64_t)
    TF1HUB_INT_CASE(kUint8, uint8_t)
    TF1HUB_INT_CASE(kUint16, uint16_t)
    TF1HUB_INT_CASE(kUint32, uint32_t)
    TF1HUB_INT_CASE(kUint64, uint64_t)
    TF1HUB_INT_CASE(kBool, bool)
#undef TF1HUB_INT_CASE
    case DataType::kFloat:
      for (float v : t->flat<float>()) c.floats.push_back(v);
      break;
    case DataType::kDouble:
      for (double v : t->flat<double>()) c.floats.push_back(v);
      break;
    case DataType::kString:
      for (const std::string& v : t->flat<std::string>()) c.strings.push_back(v);
      break;
    default:
      return std::nullopt;
  }
  return c;
}

// ---- ShapeInferenceImpl: constants --------------------------------------------

const Shape* ShapeInferenceImpl::KnownShape(const Output& tensor) const {
  const NodeResult* r = Find(tensor.node);
  if (r == nullptr || !r->status.ok() || tensor.index < 0 ||
      tensor.index >= static_cast<int>(r->shapes.size())) {
    return nullptr;
  }
  return &r->shapes[tensor.index];
}

namespace {

ConstTensor ShapeVector(const Shape& s, tensorflow::DataType dtype) {
  ConstTensor c;
  c.dtype = dtype;
  c.shape = {static_cast<int64_t>(s.dims.size())};
  c.ints = s.dims;
  return c;
}

ConstTensor IntScalar(int64_t v, tensorflow::DataType dtype) {
  ConstTensor c;
  c.dtype = dtype;
  c.ints = {v};
  return c;
}

tensorflow::DataType OutType(const tensorflow::NodeDef& node) {
  const tensorflow::AttrValue* v = FindAttr(node, "out_type");
  return v != nullptr ? v->type() : tensorflow::DT_INT32;
}

}  // namespace

std::optional<ConstTensor> ShapeInferenceImpl::EvaluateOne(const Output& tensor) {
  const tensorflow::NodeDef* node = graph_.FindNode(tensor.node);
  if (node == nullptr) return std::nullopt;
  const std::string& op = node->op();
  if (op == "Const") return ConstFromNode(*node);
  std::vector<Output> inputs = NodeDataInputs(*node);
  if (op == "Shape" || op == "Size" || op == "Rank") {
    if (inputs.empty()) return std::nullopt;
    const Shape* s = KnownShape(inputs[0]);
    if (s == nullptr) return std::nullopt;
    if (op == "Rank") {
      if (!s->known) return std::nullopt;
      return IntScalar(s->rank(), tensorflow::DT_INT32);
    }
    if (!s->FullyDefined()) return std::nullopt;
    const tensorflow::DataType dtype = OutType(*node);
    if (op == "Shape") return ShapeVector(*s, dtype);
    const int64_t n = s->NumElements();
    if (dtype == tensorflow::DT_INT32 && n > INT32_MAX) return std::nullopt;
    return IntScalar(n, dtype);
  }
  if (std::optional<ConstTensor> dim = DimOfShape(*node, tensor.index, inputs)) return dim;
  std::vector<const ConstTensor*> values;
  for (const Output& input : inputs) {
    auto it = constants_.find(input.ToString());
    if (it == constants_.end() || !it->second) return std::nullopt;
    values.push_back(&*it->second);
  }
  return EvaluateConstOp(*node, tensor.index, values);
}

// TF's TryInferFromShapes for `tf.shape(x)[ix]` (StridedSlice with only
// shrink_axis_mask=1 and a Const index) and `tf.unstack(tf.shape(x))[ix]`:
// the value of a known dim even when other dims of x are unknown.
std::optional<ConstTensor> ShapeInferenceImpl::DimOfShape(const tensorflow::NodeDef& node,
                                                          int output,
                                                          const std::vector<Output>& inputs) {
  const std::string& op = node.op();
  if ((op != "StridedSlice" && op != "Unpack") || inputs.empty()) return std::nullopt;
  const tensorflow::NodeDef* src = graph_.FindNode(inputs[0].node);
  if (src == nullptr || src->op() != "Shape") return std::nullopt;
  std::vector<Output> src_inputs = NodeDataInputs(*src);
  const Shape* s = src_inputs.empty() ? nullptr : KnownShape(src_inputs[0]);
  if (s == nullptr || !s->known) return std::nullopt;
  auto int_attr = [&](const char* name) {
    const tensorflow::AttrValue* v = FindAttr(node, name);
    return v != nullptr ? v->i() : int64_t{0};
  };
  std::optional<int64_t> ix;
  if (op == "Unpack") {
    if (int_attr("axis") == 0) ix = output;
  } else if (int_attr("begin_mask") == 0 && int_attr("end_mask") == 0 &&
             int_attr("ellipsis_mask") == 0 && int_attr("new_axis_mask") == 0 &&
             int_attr("shrink_axis_mask") == 1 && inputs.size() > 1) {
    const tensorflow::NodeDef* begin = graph_.FindNode(inputs[1].node);
    if (begin != nullptr && begin->op() == "Const") {
      std::optional<ConstTensor> b = ConstFromNode(*begin);
      if (b && b->NumElements() == 1 &&
          (b->dtype == tensorflow::DT_INT32 || b->dtype == tensorflow::DT_INT64)) {
        ix = b->ints[0];
      }
    }
  }
  const int64_t rank = s->rank();
  if (!ix || *ix < -rank || *ix >= rank) return std::nullopt;
  const int64_t dim = s->Dim(*ix);
  const tensorflow::AttrValue* t = FindAttr(node, "T");
  const tensorflow::DataType dtype = t != nullptr ? t->type() : tensorflow::DT_INVALID;
  if (dim < 0 || (dtype != tensorflow::DT_INT32 && dtype != tensorflow::DT_INT64) ||
      (dtype == tensorflow::DT_INT32 && dim >= INT32_MAX)) {
    return std::nullopt;
  }
  return IntScalar(dim, dtype);
}

const ConstTensor* ShapeInferenceImpl::EvaluateConstant(const Output& target) {
  const std::string target_key = target.ToString();
  if (auto it = constants_.find(target_key); it != constants_.end()) {
    return it->second ? &*it->second : nullptr;
  }
  struct Frame {
    Output tensor;
    bool expanded;
  };
  std::vector<Frame> stack{{target, false}};
  std::unordered_set<std::string> on_stack{target_key};
  while (!stack.empty()) {
    Frame& top = stack.back();
    const std::string key = top.tensor.ToString();
    if (constants_.count(key) > 0) {
      on_stack.erase(key);
      stack.pop_back();
      continue;
    }
    const tensorflow::NodeDef* node = graph_.FindNode(top.tensor.node);
    const bool leaf = node == nullptr || node->op() == "Const" || node->op() == "Shape" ||
                      node->op() == "Size" || node->op() == "Rank";
    if (!top.expanded && !leaf) {
      top.expanded = true;
      if (LookupConstEvaluable(node->op())) {
        std::vector<Output> inputs = NodeDataInputs(*node);
        for (auto it = inputs.rbegin(); it != inputs.rend(); ++it) {
          const std::string k = it->ToString();
          if (constants_.count(k) > 0 || on_stack.count(k) > 0) continue;
          on_stack.insert(k);
          stack.push_back({*it, false});
        }
      }
      continue;
    }
    Output tensor = top.tensor;
    std::optional<ConstTensor> value;
    if (node != nullptr && (leaf || LookupConstEvaluable(node->op()))) value = EvaluateOne(tensor);
    if (value && value->NumElements() > kMaxConstElements) value.reset();
    constants_[key] = std::move(value);
    on_stack.erase(key);
    stack.pop_back();
  }
  const std::optional<ConstTensor>& v = constants_[target_key];
  return v ? &*v : nullptr;
}

// ---- ConstantPartialShape ---------------------------------------------------

namespace {

// TF's InferenceContext::MakeShapeFromTensor (not treating scalars as
// unknown shapes).
Status ShapeFromTensor(const ConstTensor* t, const Shape& tensor_shape, Shape* out) {
  Shape s;
  RETURN_IF_ERROR(WithRank(tensor_shape, 1, &s));
  if (t == nullptr) {
    const int64_t n = s.dims[0];
    if (n > kMaxTensorRank) {
      return InvalidArgumentError("Shape tensor describes a shape of rank " + std::to_string(n) +
                                  ", above the maximum " + std::to_string(kMaxTensorRank));
    }
    *out = n < 0 ? Shape::Unknown() : Shape::UnknownOfRank(n);
    return Status::OK();
  }
  if (t->dtype != tensorflow::DT_INT32 && t->dtype != tensorflow::DT_INT64) {
    return InvalidArgumentError("Input tensor must be int32 or int64, but was " +
                                TfTypeString(t->dtype));
  }
  if (t->shape.size() != 1) {
    return InvalidArgumentError("Input tensor must be rank 1, but was rank " +
                                std::to_string(t->shape.size()));
  }
  std::vector<int64_t> dims;
  for (int64_t v : t->ints) {
    if (v < -1) {
      return InvalidArgumentError("Invalid value in tensor used for shape: " + std::to_string(v));
    }
    dims.push_back(v);
  }
  *out = Shape::Of(std::move(dims));
  return Status::OK();
}

}  // namespace

Status ShapeInferenceImpl::ConstantPartialShape(const Output& src, int depth, Shape* out) {
  const Shape* known = KnownShape(src);
  Shape src_shape = known ? *known : Shape::Unknown();
  if (src_shape.rank() == 0) {
    const ConstTensor* t = EvaluateConstant(src);
    if (t == nullptr) {
      return InvalidArgumentError(
          "Received a shape scalar with unknown static value.  A static value of '-1' is "
          "required to represent an unknown shape.");
    }
    if (t->shape.empty() && t->IsInteger() && t->ints[0] == -1) {
      *out = Shape::Unknown();
      return Status::OK();
    }
    return InvalidArgumentError(
        "Received an invalid shape scalar with a static value that is not '-1': " +
        (t->IsInteger() && !t->ints.empty() ? std::to_string(t->ints[0]) : std::string("?")));
  }
  RETURN_IF_ERROR(WithRank(src_shape, 1, &src_shape));
  const tensorflow::NodeDef* node = graph_.FindNode(src.node);
  const std::string op = node != nullptr && depth < kMaxPartialShapeDepth ? node->op() : "";
  std::vector<Output> inputs = node != nullptr ? NodeDataInputs(*node) : std::vector<Output>{};
  if (src_shape.dims[0] == 0) {
    *out = Shape::Scalar();
  } else if (op == "Cast" && !inputs.empty()) {
    if (const ConstTensor* t = EvaluateConstant(src); t != nullptr) {
      if (ShapeFromTensor(t, src_shape, out).ok()) return Status::OK();
    }
    Shape pre_cast;
    if (!ConstantPartialShape(inputs[0], depth + 1, &pre_cast).ok()) pre_cast = Shape::Unknown();
    if (!pre_cast.known) {
      *out = Shape::Unknown();
      return Status::OK();
    }
    const tensorflow::AttrValue* dst = FindAttr(*node, "DstT");
    if (dst == nullptr ||
        (dst->type() != tensorflow::DT_INT32 && dst->type() != tensorflow::DT_INT64)) {
      *out = Shape::UnknownOfRank(pre_cast.rank());
      return Status::OK();
    }
    *out = pre_cast;
  } else if (op == "Shape" && !inputs.empty()) {
    const Shape* s = KnownShape(inputs[0]);
    *out = s ? *s : Shape::Unknown();
  } else if (op == "Pack") {
    std::vector<int64_t> dims;
    for (const Output& in : inputs) {
      const ConstTensor* t = EvaluateConstant(in);
      if (t != nullptr && t->NumElements() == 1 && (t->IsInteger() || t->IsFloating())) {
        const int64_t v = t->IntAt(0);
        dims.push_back(v < 0 ? kUnknownDim : v);
      } else {
        dims.push_back(kUnknownDim);
      }
    }
    *out = Shape::Of(std::move(dims));
  } else if (op == "ConcatV2" && !inputs.empty()) {
    Shape result = Shape::Scalar();
    for (size_t i = 0; i + 1 < inputs.size(); ++i) {
      Shape sub;
      RETURN_IF_ERROR(ConstantPartialShape(inputs[i], depth + 1, &sub));
      if (!sub.known) {
        *out = Shape::Unknown();
        return Status::OK();
      }
      result = Concatenate(result, sub);
    }
    *out = std::move(result);
  } else if (op == "StridedSlice") {
    RETURN_IF_ERROR(PartialStridedSliceShape(*node, depth, out));
  } else {
    RETURN_IF_ERROR(ShapeFromTensor(EvaluateConstant(src), src_shape, out));
  }
  return Status::OK();
}

Status ShapeInferenceImpl::PartialStridedSliceShape(const tensorflow::NodeDef& slice, int depth,
                                                    Shape* out) {
  std::vector<Output> inputs = NodeDataInputs(slice);
  *out = Shape::Unknown();
  if (inputs.size() != 4) return Status::OK();
  for (int i = 1; i <= 3; ++i) {
    const Shape* s = KnownShape(inputs[i]);
    if (s == nullptr || s->Dim(0) != 1) return Status::OK();
  }
  auto mask = [&](const char* name) {
    const tensorflow::AttrValue* v = FindAttr(slice, name);
    return v != nullptr ? v->i() : 0;
  };
  const int64_t begin_mask = mask("begin_mask"), end_mask = mask("end_mask");
  if ((begin_mask != 0 && begin_mask != 1) || (end_mask != 0 && end_mask != 1) ||
      mask("ellipsis_mask") != 0 || mask("new_axis_mask") != 0 || mask("shrink_axis_mask") != 0) {
    return Status::OK();
  }
  auto scalar = [&](int i, int64_t* v) {
    const ConstTensor* t = EvaluateConstant(inputs[i]);
    if (t == nullptr || t->NumElements() != 1 || !t->IsInteger()) return false;
    *v = t->ints[0];
    return true;
  };
  int64_t begin = 0, end = INT64_MAX, stride = 1;
  if (begin_mask != 1 && !scalar(1, &begin)) return Status::OK();
  if (end_mask != 1 && !scalar(2, &end)) return Status::OK();
  if (!scalar(3, &stride)) return Status::OK();
  Shape input;
  RETURN_IF_ERROR(ConstantPartialShape(inputs[0], depth + 1, &input));
  return Subshape(input, begin, end, stride, out);
}

// ---- InferenceContext ---------------------------------------------------------

InferenceContext::InferenceContext(ShapeInferenceImpl* impl, const tensorflow::NodeDef& node,
                                   std::vector<Shape> inputs,
                                   std::vector<const HandleData*> input_handles, int num_outputs)
    : impl_(impl),
      node_(node),
      inputs_(std::move(inputs)),
      input_handles_(std::move(input_handles)),
      outputs_(static_cast<size_t>(num_outputs)),
      output_handles_(static_cast<size_t>(num_outputs)) {}

int64_t InferenceContext::IntAttr(std::string_view name, int64_t dflt) const {
  const tensorflow::AttrValue* v = FindAttr(node_, name);
  return v != nullptr && v->value_case() == tensorflow::AttrValue::kI ? v->i() : dflt;
}
bool InferenceContext::BoolAttr(std::string_view name, bool dflt) const {
  const tensorflow::AttrValue* v = FindAttr(node_, name);
  return v != nullptr && v->value_case() == tensorflow::AttrValue::kB ? v->b() : dflt;
}
float InferenceContext::FloatAttr(std::string_view name, float dflt) const {
  const tensorflow::AttrValue* v = FindAttr(node_, name);
  return v != nullptr && v->value_case() == tensorflow::AttrValue::kF ? v->f() : dflt;
}
std::string InferenceContext::StringAttr(std::string_view name, std::string_view dflt) const {
  const tensorflow::AttrValue* v = FindAttr(node_, name);
  return v != nullptr && v->value_case() == tensorflow::AttrValue::kS ? v->s() : std::string(dflt);
}
tensorflow::DataType InferenceContext::TypeAttr(std::string_view name) const {
  const tensorflow::AttrValue* v = FindAttr(node_, name);
  return v != nullptr && v->value_case() == tensorflow::AttrValue::kType ? v->type()
                                                                         : tensorflow::DT_INVALID;
}
std::vector<int64_t> InferenceContext::IntListAttr(std::string_view name) const {
  const tensorflow::AttrValue* v = FindAttr(node_, name);
  if (v == nullptr || !v->has_list()) return {};
  return {v->list().i().begin(), v->list().i().end()};
}
StatusOr<Shape> InferenceContext::ShapeAttr(std::string_view name) const {
  const tensorflow::AttrValue* v = FindAttr(node_, name);
  if (v == nullptr || !v->has_shape()) return Shape::Unknown();
  ASSIGN_OR_RETURN(PartialTensorShape s, ShapeFromProto(v->shape()));
  return Shape::FromPartial(s);
}

const ConstTensor* InferenceContext::input_tensor(int i) {
  std::vector<Output> names = NodeDataInputs(node_);
  if (i < 0 || i >= static_cast<int>(names.size())) return nullptr;
  return impl_->EvaluateConstant(names[i]);
}

Status InferenceContext::MakeShapeFromShapeTensor(int i, Shape* out) {
  Shape input_shape;
  RETURN_IF_ERROR(WithRankAtMost(input(i), 1, &input_shape));
  std::vector<Output> names = NodeDataInputs(node_);
  Shape partial;
  RETURN_IF_ERROR(impl_->ConstantPartialShape(names[i], 0, &partial));
  if (partial.known) {
    *out = std::move(partial);
    return Status::OK();
  }
  return ShapeFromTensor(input_tensor(i), input_shape, out);
}

Status InferenceContext::MakeDimForScalarInput(int i, int64_t* out) {
  const ConstTensor* t = input_tensor(i);
  if (t == nullptr) {
    *out = kUnknownDim;
    return Status::OK();
  }
  if (!t->shape.empty()) {
    return InvalidArgumentError("Input must be scalar but has rank " +
                                std::to_string(t->shape.size()));
  }
  const int64_t v = t->IntAt(0);
  if (v < 0) {
    return InvalidArgumentError("Dimension size, given by scalar input " + std::to_string(i) +
                                ", must be non-negative but is " + std::to_string(v));
  }
  *out = v;
  return Status::OK();
}

}  // namespace tf1hub::shape_inference
