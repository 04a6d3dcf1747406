#include "tf1hub/kernels/kernel.h"

#include <limits>
#include <string>
#include <utility>

#include "tf1hub/core/tensor_buffer.h"
#include "tf1hub/graph/attr_util.h"
#include "tf1hub/graph/tensor_proto.h"
#include "tf1hub/kernels/eigen_support.h"
#include "tf1hub/kernels/resource_mgr.h"
#include "tf1hub/kernels/thread_pool.h"

namespace tf1hub {

std::string TfTypeName(DataType dtype) {
  int v = static_cast<int>(dtype);
  std::string suffix;
  if (v > kDataTypeRefOffset) {
    v -= kDataTypeRefOffset;
    suffix = "_ref";
  }
  std::string base;
  switch (static_cast<DataType>(v)) {
    case DataType::kInvalid: return "INVALID";
    case DataType::kFloat: base = "float"; break;
    case DataType::kDouble: base = "double"; break;
    case DataType::kInt32: base = "int32"; break;
    case DataType::kUint8: base = "uint8"; break;
    case DataType::kInt16: base = "int16"; break;
    case DataType::kInt8: base = "int8"; break;
    case DataType::kString: base = "string"; break;
    case DataType::kComplex64: base = "complex64"; break;
    case DataType::kInt64: base = "int64"; break;
    case DataType::kBool: base = "bool"; break;
    case DataType::kQint8: base = "qint8"; break;
    case DataType::kQuint8: base = "quint8"; break;
    case DataType::kQint32: base = "qint32"; break;
    case DataType::kBfloat16: base = "bfloat16"; break;
    case DataType::kQint16: base = "qint16"; break;
    case DataType::kQuint16: base = "quint16"; break;
    case DataType::kUint16: base = "uint16"; break;
    case DataType::kComplex128: base = "complex128"; break;
    case DataType::kHalf: base = "half"; break;
    case DataType::kResource: base = "resource"; break;
    case DataType::kVariant: base = "variant"; break;
    case DataType::kUint32: base = "uint32"; break;
    case DataType::kUint64: base = "uint64"; break;
    default:
      return "unknown dtype enum (" + std::to_string(static_cast<int>(dtype)) + ")";
  }
  return base + suffix;
}

bool HoldsExclusiveBuffer(const Tensor& t) {
  const std::shared_ptr<Tensor::Buffer>& buffer = Tensor::Buffer::Of(t);
  if (buffer == nullptr || !buffer->owned() || buffer.use_count() != 1) return false;
  // use_count() is a relaxed load. Copying the pointer is an acquire-release
  // increment on the same counter: it reads the value written by the last
  // release (decrement) of any other holder, which orders that holder's
  // accesses to the elements before ours (also as ThreadSanitizer sees it).
  // Nobody else can gain a reference meanwhile: they would need one to copy.
  std::shared_ptr<Tensor::Buffer> sync = buffer;
  return true;
}

// ---------------------------------------------------------------------------
// KernelConstruction

KernelConstruction::KernelConstruction(const tensorflow::NodeDef& def,
                                       const tensorflow::OpDef& op_def,
                                       std::vector<DataType> input_types,
                                       std::vector<bool> input_is_ref,
                                       std::vector<DataType> output_types,
                                       std::vector<bool> output_is_ref)
    : def_(def),
      op_def_(op_def),
      input_types_(std::move(input_types)),
      input_is_ref_(std::move(input_is_ref)),
      output_types_(std::move(output_types)),
      output_is_ref_(std::move(output_is_ref)) {}

bool KernelConstruction::HasAttr(std::string_view attr) const {
  return FindAttr(def_, attr) != nullptr;
}

namespace {

// The attr, NotFound if absent (TF's wording), or InvalidArgument if it is
// not a list.
StatusOr<const tensorflow::AttrValue*> RequireAttr(const tensorflow::NodeDef& def,
                                                   std::string_view attr) {
  const tensorflow::AttrValue* v = FindAttr(def, attr);
  if (v == nullptr) {
    return NotFoundError("No attr named '" + std::string(attr) + "' in NodeDef '" + def.name() +
                         "' (op '" + def.op() + "')");
  }
  return v;
}

StatusOr<const tensorflow::AttrValue::ListValue*> RequireList(const tensorflow::NodeDef& def,
                                                              std::string_view attr,
                                                              std::string_view want) {
  ASSIGN_OR_RETURN(const tensorflow::AttrValue* v, RequireAttr(def, attr));
  if (v->value_case() != tensorflow::AttrValue::kList) {
    return InvalidArgumentError("Attr '" + std::string(attr) + "' of node '" + def.name() +
                                "' has a value that is not a " + std::string(want));
  }
  return &v->list();
}

Status Int32Range(const tensorflow::NodeDef& def, std::string_view attr, int64_t v) {
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
    return InvalidArgumentError("Attr '" + std::string(attr) + "' of node '" + def.name() +
                                "' has value " + std::to_string(v) +
                                " out of range for an int32");
  }
  return Status::OK();
}

}  // namespace

template <>
Status KernelConstruction::GetAttr<int64_t>(std::string_view attr, int64_t* value) const {
  ASSIGN_OR_RETURN(*value, GetIntAttr(def_, attr));
  return Status::OK();
}
template <>
Status KernelConstruction::GetAttr<int32_t>(std::string_view attr, int32_t* value) const {
  ASSIGN_OR_RETURN(int64_t v, GetIntAttr(def_, attr));
  RETURN_IF_ERROR(Int32Range(def_, attr, v));
  *value = static_cast<int32_t>(v);
  return Status::OK();
}
template <>
Status KernelConstruction::GetAttr<float>(std::string_view attr, float* value) const {
  ASSIGN_OR_RETURN(*value, GetFloatAttr(def_, attr));
  return Status::OK();
}
template <>
Status KernelConstruction::GetAttr<bool>(std::string_view attr, bool* value) const {
  ASSIGN_OR_RETURN(*value, GetBoolAttr(def_, attr));
  return Status::OK();
}
template <>
Status KernelConstruction::GetAttr<std::string>(std::string_view attr, std::string* value) const {
  ASSIGN_OR_RETURN(*value, GetStringAttr(def_, attr));
  return Status::OK();
}
template <>
Status KernelConstruction::GetAttr<DataType>(std::string_view attr, DataType* value) const {
  ASSIGN_OR_RETURN(tensorflow::DataType v, GetTypeAttr(def_, attr));
  *value = static_cast<DataType>(v);
  return Status::OK();
}
template <>
Status KernelConstruction::GetAttr<PartialTensorShape>(std::string_view attr,
                                                       PartialTensorShape* value) const {
  ASSIGN_OR_RETURN(*value, GetShapeAttr(def_, attr));
  return Status::OK();
}
template <>
Status KernelConstruction::GetAttr<TensorShape>(std::string_view attr, TensorShape* value) const {
  ASSIGN_OR_RETURN(PartialTensorShape p, GetShapeAttr(def_, attr));
  if (!p.IsFullyDefined()) {
    return InvalidArgumentError("Attr '" + std::string(attr) + "' of node '" + def_.name() +
                                "' has shape " + p.DebugString() +
                                " but a fully defined shape is needed");
  }
  ASSIGN_OR_RETURN(*value, TensorShape::Create(p.dims()));
  return Status::OK();
}
template <>
Status KernelConstruction::GetAttr<Tensor>(std::string_view attr, Tensor* value) const {
  ASSIGN_OR_RETURN(const tensorflow::AttrValue* v, RequireAttr(def_, attr));
  if (v->value_case() != tensorflow::AttrValue::kTensor) {
    return InvalidArgumentError("Attr '" + std::string(attr) + "' of node '" + def_.name() +
                                "' has a value that is not a tensor");
  }
  StatusOr<Tensor> t = TensorFromProto(v->tensor());
  if (!t.ok()) {
    return t.status().WithContext("attr '" + std::string(attr) + "' of node '" + def_.name() + "'");
  }
  *value = std::move(t).value();
  return Status::OK();
}
template <>
Status KernelConstruction::GetAttr<std::vector<int64_t>>(std::string_view attr,
                                                         std::vector<int64_t>* value) const {
  ASSIGN_OR_RETURN(*value, GetIntListAttr(def_, attr));
  return Status::OK();
}
template <>
Status KernelConstruction::GetAttr<std::vector<int32_t>>(std::string_view attr,
                                                         std::vector<int32_t>* value) const {
  ASSIGN_OR_RETURN(std::vector<int64_t> v, GetIntListAttr(def_, attr));
  value->clear();
  for (int64_t x : v) {
    RETURN_IF_ERROR(Int32Range(def_, attr, x));
    value->push_back(static_cast<int32_t>(x));
  }
  return Status::OK();
}
template <>
Status KernelConstruction::GetAttr<std::vector<float>>(std::string_view attr,
                                                       std::vector<float>* value) const {
  ASSIGN_OR_RETURN(const tensorflow::AttrValue::ListValue* list,
                   RequireList(def_, attr, "list(float)"));
  value->assign(list->f().begin(), list->f().end());
  return Status::OK();
}
template <>
Status KernelConstruction::GetAttr<std::vector<bool>>(std::string_view attr,
                                                      std::vector<bool>* value) const {
  ASSIGN_OR_RETURN(const tensorflow::AttrValue::ListValue* list,
                   RequireList(def_, attr, "list(bool)"));
  value->assign(list->b().begin(), list->b().end());
  return Status::OK();
}
template <>
Status KernelConstruction::GetAttr<std::vector<std::string>>(
    std::string_view attr, std::vector<std::string>* value) const {
  ASSIGN_OR_RETURN(*value, GetStringListAttr(def_, attr));
  return Status::OK();
}
template <>
Status KernelConstruction::GetAttr<std::vector<DataType>>(std::string_view attr,
                                                          std::vector<DataType>* value) const {
  ASSIGN_OR_RETURN(std::vector<tensorflow::DataType> v, GetTypeListAttr(def_, attr));
  value->clear();
  for (tensorflow::DataType t : v) value->push_back(static_cast<DataType>(t));
  return Status::OK();
}
template <>
Status KernelConstruction::GetAttr<std::vector<PartialTensorShape>>(
    std::string_view attr, std::vector<PartialTensorShape>* value) const {
  ASSIGN_OR_RETURN(const tensorflow::AttrValue::ListValue* list,
                   RequireList(def_, attr, "list(shape)"));
  value->clear();
  for (const tensorflow::TensorShapeProto& p : list->shape()) {
    StatusOr<PartialTensorShape> s = ShapeFromProto(p);
    if (!s.ok()) {
      return s.status().WithContext("attr '" + std::string(attr) + "' of node '" + def_.name() +
                                    "'");
    }
    value->push_back(std::move(s).value());
  }
  return Status::OK();
}

// ---------------------------------------------------------------------------
// OpKernel

OpKernel::OpKernel(const KernelConstruction& c)
    : name_(c.name()),
      op_(c.op()),
      input_types_(c.input_types()),
      output_types_(c.output_types()),
      input_is_ref_(c.input_refs()),
      output_is_ref_(c.output_refs()) {
  for (const std::string& in : c.def().input()) {
    if (!in.empty() && in[0] == '^') break;  // control inputs come last
    requested_inputs_.push_back(in);
  }
  // Harnesses may build nodes without input strings; keep the vector in step.
  while (requested_inputs_.size() < input_types_.size()) {
    requested_inputs_.push_back(name_ + "/input_" + std::to_string(requested_inputs_.size()));
  }
}

// ---------------------------------------------------------------------------
// OpKernelContext

StatusOr<Tensor*> OpKernelContext::allocate_output(int i, const TensorShape& shape) {
  const DataType dtype = p_.kernel->output_type(i);
  ASSIGN_OR_RETURN(std::shared_ptr<Tensor::Buffer> buffer,
                   Tensor::Buffer::Allocate(dtype, shape.num_elements(), /*zero_fill=*/false));
  TensorValue& out = p_.outputs[i];
  out.tensor = Tensor::Buffer::Wrap(dtype, shape, std::move(buffer));
  return &out.tensor;
}

StatusOr<Tensor*> OpKernelContext::forward_input_or_allocate_output(int in, int out,
                                                                     const TensorShape& shape) {
  const TensorValue& input = p_.inputs[in];
  const DataType dtype = p_.kernel->output_type(out);
  // The executor hands a tensor's last consumer its reference; when that is
  // the only one, nobody else can observe the in-place update.
  if (input.ref == nullptr && input.tensor.dtype() == dtype &&
      input.tensor.NumElements() == shape.num_elements() && shape.num_elements() > 0 &&
      HoldsExclusiveBuffer(input.tensor)) {
    p_.outputs[out].tensor = Tensor::Buffer::Wrap(dtype, shape, Tensor::Buffer::Of(input.tensor));
    return &p_.outputs[out].tensor;
  }
  return allocate_output(out, shape);
}

const Eigen::ThreadPoolDevice& OpKernelContext::eigen_device() const {
  const IntraOpThreadPool* pool =
      p_.thread_pool != nullptr ? p_.thread_pool : IntraOpThreadPool::Default();
  return pool->device();
}

void OpKernelContext::ParallelFor(int64_t total, int64_t cost_per_unit,
                                  const std::function<void(int64_t, int64_t)>& work) const {
  const IntraOpThreadPool* pool =
      p_.thread_pool != nullptr ? p_.thread_pool : IntraOpThreadPool::Default();
  pool->ParallelFor(total, cost_per_unit, work);
}

int OpKernelContext::num_threads() const {
  const IntraOpThreadPool* pool =
      p_.thread_pool != nullptr ? p_.thread_pool : IntraOpThreadPool::Default();
  return pool->num_threads();
}

Status OpKernelContext::ValidateOutputs() const {
  const OpKernel& k = *p_.kernel;
  for (int i = 0; i < num_outputs(); ++i) {
    const TensorValue& v = p_.outputs[i];
    // Built only on failure: this runs after every step.
    const auto where = [&k] {
      return "kernel for op '" + k.type_string() + "' (node '" + k.name() + "') ";
    };
    if (k.output_is_ref(i)) {
      if (v.ref == nullptr) {
        return InternalError(where() + "did not set ref output " + std::to_string(i));
      }
    } else if (k.output_type(i) == DataType::kResource) {
      if (v.resource == nullptr) {
        return InternalError(where() + "did not set resource output " + std::to_string(i));
      }
    } else if (v.tensor.dtype() == DataType::kInvalid) {
      return InternalError(where() + "did not set output " + std::to_string(i));
    } else if (v.tensor.dtype() != k.output_type(i)) {
      return InternalError(where() + "set output " + std::to_string(i) + " to a " +
                           TfTypeName(v.tensor.dtype()) + " tensor, but the output is " +
                           TfTypeName(k.output_type(i)));
    }
  }
  return Status::OK();
}

}  // namespace tf1hub
