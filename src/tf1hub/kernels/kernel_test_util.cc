#include "tf1hub/kernels/kernel_test_util.h"

#include <utility>

#include "tf1hub/graph/attr_util.h"
#include "tf1hub/graph/op_registry.h"
#include "tf1hub/graph/tensor_proto.h"
#include "tf1hub/kernels/thread_pool.h"

namespace tf1hub {

KernelRunner::KernelRunner(std::string op, std::string node_name) {
  node_.set_op(std::move(op));
  node_.set_name(std::move(node_name));
}

KernelRunner::~KernelRunner() = default;

KernelRunner& KernelRunner::Attr(std::string_view name, const tensorflow::AttrValue& v) {
  (*node_.mutable_attr())[std::string(name)] = v;
  kernel_.reset();  // attrs changed: build the kernel again
  return *this;
}
KernelRunner& KernelRunner::Attr(std::string_view name, int64_t v) { return Attr(name, AttrInt(v)); }
KernelRunner& KernelRunner::Attr(std::string_view name, float v) { return Attr(name, AttrFloat(v)); }
KernelRunner& KernelRunner::Attr(std::string_view name, bool v) { return Attr(name, AttrBool(v)); }
KernelRunner& KernelRunner::Attr(std::string_view name, std::string_view v) {
  return Attr(name, AttrString(v));
}
KernelRunner& KernelRunner::Attr(std::string_view name, DataType v) {
  return Attr(name, AttrType(static_cast<tensorflow::DataType>(v)));
}
KernelRunner& KernelRunner::Attr(std::string_view name, const PartialTensorShape& v) {
  return Attr(name, AttrShape(v));
}
KernelRunner& KernelRunner::Attr(std::string_view name, const Tensor& v) {
  tensorflow::AttrValue a;
  StatusOr<tensorflow::TensorProto> proto = TensorToProto(v);
  if (proto.ok()) *a.mutable_tensor() = std::move(proto).value();
  return Attr(name, a);
}
KernelRunner& KernelRunner::Attr(std::string_view name, const std::vector<int64_t>& v) {
  return Attr(name, AttrIntList(v));
}
KernelRunner& KernelRunner::Attr(std::string_view name, const std::vector<float>& v) {
  return Attr(name, AttrFloatList(v));
}
KernelRunner& KernelRunner::Attr(std::string_view name, const std::vector<DataType>& v) {
  std::vector<tensorflow::DataType> types;
  for (DataType t : v) types.push_back(static_cast<tensorflow::DataType>(t));
  return Attr(name, AttrTypeList(types));
}
KernelRunner& KernelRunner::Attr(std::string_view name, const std::vector<std::string>& v) {
  return Attr(name, AttrStringList(v));
}

KernelRunner& KernelRunner::Input(Tensor t) {
  inputs_.push_back(TensorValue{std::move(t), nullptr, nullptr});
  return *this;
}
KernelRunner& KernelRunner::RefInput(std::shared_ptr<Var> var) {
  inputs_.push_back(TensorValue{Tensor(), std::move(var), nullptr});
  return *this;
}
KernelRunner& KernelRunner::ResourceInput(std::shared_ptr<const ResourceHandle> handle) {
  inputs_.push_back(TensorValue{Tensor(), nullptr, std::move(handle)});
  return *this;
}
KernelRunner& KernelRunner::WithRegistry(const KernelRegistry* registry) {
  registry_ = registry;
  kernel_.reset();
  return *this;
}

Status KernelRunner::Prepare() {
  const tensorflow::OpDef* op_def = OpRegistry::Global().Lookup(node_.op());
  if (op_def == nullptr) {
    return NotFoundError("Op type not registered '" + node_.op() + "' in binary");
  }
  RETURN_IF_ERROR(AddDefaultAttrs(*op_def, &node_));
  RETURN_IF_ERROR(ValidateNodeAttrs(node_, *op_def));
  ASSIGN_OR_RETURN(NodeSignature sig, ComputeNodeSignature(node_, *op_def));
  node_.clear_input();
  for (size_t i = 0; i < sig.inputs.size(); ++i) node_.add_input("input_" + std::to_string(i));
  std::vector<DataType> in, out;
  for (auto t : sig.inputs) in.push_back(static_cast<DataType>(t));
  for (auto t : sig.outputs) out.push_back(static_cast<DataType>(t));
  KernelConstruction c(node_, *op_def, in, sig.input_is_ref, out, sig.output_is_ref);
  const KernelRegistry& registry = registry_ != nullptr ? *registry_ : KernelRegistry::Global();
  RETURN_IF_ERROR(registry.status());
  ASSIGN_OR_RETURN(kernel_, registry.CreateKernel(c));
  return Status::OK();
}

StatusOr<std::vector<Tensor>> KernelRunner::Run() {
  if (kernel_ == nullptr) RETURN_IF_ERROR(Prepare());
  OpKernel& k = *kernel_;
  if (static_cast<int>(inputs_.size()) != k.num_inputs()) {
    return InvalidArgumentError("KernelRunner: op '" + k.type_string() + "' takes " +
                                std::to_string(k.num_inputs()) + " inputs, " +
                                std::to_string(inputs_.size()) + " given");
  }
  // Like the executor: ref producers feeding non-ref inputs are dereferenced.
  std::vector<TensorValue> inputs = inputs_;
  for (int i = 0; i < k.num_inputs(); ++i) {
    TensorValue& v = inputs[i];
    if (k.input_is_ref(i)) {
      if (v.ref == nullptr) return InvalidArgumentError("KernelRunner: input " + std::to_string(i) + " must be a RefInput");
    } else if (v.ref != nullptr) {
      std::optional<Tensor> t = v.ref->Snapshot();
      if (!t.has_value()) {
        return FailedPreconditionError("Attempting to use uninitialized value " +
                                       k.requested_input(i));
      }
      v = TensorValue{std::move(*t), nullptr, nullptr};
    }
  }
  outputs_.assign(k.num_outputs(), TensorValue{});
  OpKernelContext::Params p;
  p.kernel = &k;
  p.inputs = inputs;
  p.outputs = outputs_;
  p.resource_mgr = resource_mgr();
  p.thread_pool = IntraOpThreadPool::Default();
  OpKernelContext ctx(p);
  RETURN_IF_ERROR(k.Compute(&ctx));
  RETURN_IF_ERROR(ctx.ValidateOutputs());
  std::vector<Tensor> result;
  for (int i = 0; i < k.num_outputs(); ++i) {
    const TensorValue& v = outputs_[i];
    if (v.ref != nullptr) {
      std::optional<Tensor> t = v.ref->Snapshot();
      result.push_back(t.has_value() ? std::move(*t) : Tensor());
    } else {
      result.push_back(v.tensor);
    }
  }
  return result;
}

}  // namespace tf1hub
