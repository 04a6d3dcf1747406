// The CPU kernel API: OpKernel, KernelConstruction and OpKernelContext.
//
// A kernel is the computation behind one TensorFlow op for some dtypes. It
// has two phases, like tflite-micro's prepare/eval:
//   * construction (once per node and session): read and validate attrs,
//     precompute whatever does not depend on input values. Errors here
//     surface from Session::Run as the node's error.
//   * Compute(OpKernelContext*) (every run): read inputs, allocate or set
//     outputs, compute. Compute never re-validates attrs.
//
// How to add a kernel family
// --------------------------
// 1. One family per file: src/tf1hub/kernels/<family>_ops.cc (math_ops.cc,
//    array_ops.cc, nn_ops.cc, ...). Split past ~800 lines
//    (e.g. math_ops_binary.cc). Add the file to kernels/CMakeLists.txt.
// 2. Keep the math apart from the glue: functions on pointers/spans/shapes or
//    Eigen maps (kernels/<family>_math.h or an anonymous namespace) that know
//    nothing about OpKernelContext; the kernel class validates inputs,
//    allocates outputs and calls them. Use Eigen (kernels/eigen_support.h) and
//    kernels/broadcast.h for TensorFlow's broadcasting rules.
// 3. A kernel class derives from OpKernel. Either its constructor takes
//    `const KernelConstruction&` (no attrs to check), or it has
//      static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c);
//    which reads attrs with c.GetAttr(...) and returns an error for bad ones.
// 4. Expose one function `void Register<Family>Kernels(KernelRegistry* r)`
//    (declared in kernels/register_all.h) that registers each (op, dtype):
//      r->Register("Relu", {{"T", {DataType::kFloat}}}, MakeKernelFactory<ReluOp<float>>());
//    and add its call to RegisterAllKernels in kernels/register_all.cc. No
//    static-initializer registration.
// 5. Test with KernelRunner (kernels/kernel_test_util.h) in
//    <family>_ops_test.cc, asserting values computed independently (by hand,
//    or with TensorFlow in the oracle venv and pasted in with a comment).
//
// Error messages: use TensorFlow's wording where users may know it (e.g.
// "Incompatible shapes: [2,3] vs. [4]"); the executor appends the node as
// TensorFlow does ("\n\t [[{{node add}}]]"). Use TfTypeName() for dtypes in
// messages ("float", as TensorFlow's C++ prints them).
//
// Thread safety: one kernel object serves every Session::Run of its node,
// including concurrent ones. Compute must therefore not modify members
// without a lock (per-node state such as a random generator's counter lives
// in members guarded by a mutex; stateful kernels are shared by all plans
// of a session, like TensorFlow's OpSegment). An OpKernelContext belongs to
// one Compute call.
#ifndef TF1HUB_KERNELS_KERNEL_H_
#define TF1HUB_KERNELS_KERNEL_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tf1hub/data_type.h"
#include "tf1hub/proto/node_def.pb.h"
#include "tf1hub/proto/op_def.pb.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor.h"
#include "tf1hub/tensor_shape.h"

namespace Eigen {
struct ThreadPoolDevice;
}  // namespace Eigen

namespace tf1hub {

class ResourceMgr;
class Var;
struct ResourceHandle;
class IntraOpThreadPool;

// TensorFlow's C++ spelling of a dtype, as used in its error messages:
// "float", "double", "int32", "string", "half", "bfloat16", "resource".
std::string TfTypeName(DataType dtype);

// True if `t`'s buffer is tf1hub-owned (not a read-only view) and `t` holds
// the only reference to it, so it may be written in place. Synchronizes with
// the threads that dropped their references (so their reads of the old
// contents happen before the caller's writes).
bool HoldsExclusiveBuffer(const Tensor& t);

// What flows along one edge at run time: a tensor, a reference to a ref
// variable's storage (outputs of VariableV2, Assign...), or a DT_RESOURCE
// handle (outputs of VarHandleOp).
struct TensorValue {
  Tensor tensor;
  std::shared_ptr<Var> ref;
  std::shared_ptr<const ResourceHandle> resource;
};

// Everything a kernel may know about its node at construction.
class KernelConstruction {
 public:
  // `def` has its default attrs filled in; the vectors give one entry per
  // input/output slot (list args expanded), base dtypes (never *_REF), with
  // ref-ness apart. All references must outlive this object.
  KernelConstruction(const tensorflow::NodeDef& def, const tensorflow::OpDef& op_def,
                     std::vector<DataType> input_types, std::vector<bool> input_is_ref,
                     std::vector<DataType> output_types, std::vector<bool> output_is_ref);

  const tensorflow::NodeDef& def() const { return def_; }
  const tensorflow::OpDef& op_def() const { return op_def_; }
  const std::string& name() const { return def_.name(); }
  const std::string& op() const { return def_.op(); }

  int num_inputs() const { return static_cast<int>(input_types_.size()); }
  int num_outputs() const { return static_cast<int>(output_types_.size()); }
  DataType input_type(int i) const { return input_types_[i]; }
  DataType output_type(int i) const { return output_types_[i]; }
  bool input_is_ref(int i) const { return input_is_ref_[i]; }
  bool output_is_ref(int i) const { return output_is_ref_[i]; }
  const std::vector<DataType>& input_types() const { return input_types_; }
  const std::vector<DataType>& output_types() const { return output_types_; }
  const std::vector<bool>& input_refs() const { return input_is_ref_; }
  const std::vector<bool>& output_refs() const { return output_is_ref_; }

  bool HasAttr(std::string_view attr) const;

  // Reads attr `attr` into `*value`. Supported T: int64_t, int32_t (range
  // checked), float, bool, std::string, DataType, PartialTensorShape,
  // TensorShape (must be fully defined), Tensor (from a "tensor" attr), and
  // std::vector of int64_t, int32_t, float, bool, std::string, DataType,
  // PartialTensorShape. NotFound if the node has no such attr,
  // InvalidArgument if it holds another kind; messages name node and attr.
  template <typename T>
  Status GetAttr(std::string_view attr, T* value) const;

  // InvalidArgument "<message>" for attr problems found by a Create() (the
  // executor adds the node).
  static Status AttrError(std::string message) { return InvalidArgumentError(std::move(message)); }

 private:
  const tensorflow::NodeDef& def_;
  const tensorflow::OpDef& op_def_;
  std::vector<DataType> input_types_;
  std::vector<bool> input_is_ref_;
  std::vector<DataType> output_types_;
  std::vector<bool> output_is_ref_;
};

// The supported GetAttr types (defined in kernel.cc).
#define TF1HUB_DECLARE_GET_ATTR_(T) \
  template <>                      \
  Status KernelConstruction::GetAttr<T>(std::string_view attr, T* value) const;
TF1HUB_DECLARE_GET_ATTR_(int64_t)
TF1HUB_DECLARE_GET_ATTR_(int32_t)
TF1HUB_DECLARE_GET_ATTR_(float)
TF1HUB_DECLARE_GET_ATTR_(bool)
TF1HUB_DECLARE_GET_ATTR_(std::string)
TF1HUB_DECLARE_GET_ATTR_(DataType)
TF1HUB_DECLARE_GET_ATTR_(PartialTensorShape)
TF1HUB_DECLARE_GET_ATTR_(TensorShape)
TF1HUB_DECLARE_GET_ATTR_(Tensor)
TF1HUB_DECLARE_GET_ATTR_(std::vector<int64_t>)
TF1HUB_DECLARE_GET_ATTR_(std::vector<int32_t>)
TF1HUB_DECLARE_GET_ATTR_(std::vector<float>)
TF1HUB_DECLARE_GET_ATTR_(std::vector<bool>)
TF1HUB_DECLARE_GET_ATTR_(std::vector<std::string>)
TF1HUB_DECLARE_GET_ATTR_(std::vector<DataType>)
TF1HUB_DECLARE_GET_ATTR_(std::vector<PartialTensorShape>)
#undef TF1HUB_DECLARE_GET_ATTR_

class OpKernelContext;

class OpKernel {
 public:
  explicit OpKernel(const KernelConstruction& c);
  virtual ~OpKernel() = default;
  OpKernel(const OpKernel&) = delete;
  OpKernel& operator=(const OpKernel&) = delete;

  // Reads ctx's inputs and sets every output. Returns an error for bad input
  // values (shapes, ranges); see the thread-safety note at the top.
  virtual Status Compute(OpKernelContext* ctx) = 0;

  const std::string& name() const { return name_; }
  const std::string& type_string() const { return op_; }
  int num_inputs() const { return static_cast<int>(input_types_.size()); }
  int num_outputs() const { return static_cast<int>(output_types_.size()); }
  DataType input_type(int i) const { return input_types_[i]; }
  DataType output_type(int i) const { return output_types_[i]; }
  bool input_is_ref(int i) const { return input_is_ref_[i]; }
  bool output_is_ref(int i) const { return output_is_ref_[i]; }
  // The node's input strings as written in the NodeDef ("w", "x:1"), data
  // inputs only, for messages such as "Attempting to use uninitialized value w".
  const std::string& requested_input(int i) const { return requested_inputs_[i]; }

 private:
  std::string name_;
  std::string op_;
  std::vector<DataType> input_types_, output_types_;
  std::vector<bool> input_is_ref_, output_is_ref_;
  std::vector<std::string> requested_inputs_;
};

// Builds a kernel for one node; returns an error for bad attrs.
using KernelFactory =
    std::function<StatusOr<std::unique_ptr<OpKernel>>(const KernelConstruction&)>;

// The factory for kernel class K: K::Create(c) if K declares it, else
// std::make_unique<K>(c).
template <typename K>
KernelFactory MakeKernelFactory() {
  return [](const KernelConstruction& c) -> StatusOr<std::unique_ptr<OpKernel>> {
    if constexpr (requires { K::Create(c); }) {
      return K::Create(c);
    } else {
      return std::unique_ptr<OpKernel>(std::make_unique<K>(c));
    }
  };
}

// The run-time environment of one Compute call.
class OpKernelContext {
 public:
  // Set up by the executor (or KernelRunner). `inputs` has one entry per
  // input slot: ref slots carry `ref`, DT_RESOURCE slots `resource`, others
  // `tensor` (already dereferenced from a ref variable when the producer
  // was one). `outputs` has num_outputs() entries, empty on entry.
  struct Params {
    OpKernel* kernel = nullptr;
    std::span<TensorValue> inputs;
    std::span<TensorValue> outputs;
    ResourceMgr* resource_mgr = nullptr;
    const IntraOpThreadPool* thread_pool = nullptr;
  };
  explicit OpKernelContext(const Params& params) : p_(params) {}

  const OpKernel& op_kernel() const { return *p_.kernel; }
  int num_inputs() const { return static_cast<int>(p_.inputs.size()); }
  int num_outputs() const { return static_cast<int>(p_.outputs.size()); }

  // ---- Inputs.
  // The value of non-ref, non-resource input i.
  const Tensor& input(int i) const { return p_.inputs[i].tensor; }
  // Input i as it arrived (tensor, ref or resource), for pass-through ops.
  const TensorValue& input_value(int i) const { return p_.inputs[i]; }
  // The variable behind ref input i (an input whose OpDef arg is_ref).
  // Lock var->mu() around reads and writes of its tensor.
  Var* ref_input(int i) const { return p_.inputs[i].ref.get(); }
  const std::shared_ptr<Var>& ref_input_ptr(int i) const { return p_.inputs[i].ref; }
  // The handle of DT_RESOURCE input i.
  const ResourceHandle& resource_input(int i) const { return *p_.inputs[i].resource; }

  // ---- Outputs. Every output must be set before Compute returns OK.
  // Allocates output i with the node's output dtype. The contents are
  // unspecified (strings are empty): the kernel writes every element.
  StatusOr<Tensor*> allocate_output(int i, const TensorShape& shape);
  // Sets output i to `t` (shares its buffer). Its dtype must be the output's.
  void set_output(int i, Tensor t) { p_.outputs[i].tensor = std::move(t); }
  // Reuses input `in`'s buffer for output `out` when nobody else holds it
  // (the executor hands a tensor's last consumer its only reference), same
  // dtype and element count, and it is not read-only (a mapped file);
  // otherwise allocates like allocate_output. Element-wise kernels use this
  // to compute in place: read input(in) and write the result's elements in
  // the same order.
  StatusOr<Tensor*> forward_input_or_allocate_output(int in, int out, const TensorShape& shape);
  // Output i of a ref output slot (VariableV2, Assign, ...).
  void set_ref_output(int i, std::shared_ptr<Var> var) { p_.outputs[i].ref = std::move(var); }
  // Output i of a DT_RESOURCE slot (VarHandleOp, ...).
  void set_resource_output(int i, std::shared_ptr<const ResourceHandle> handle) {
    p_.outputs[i].resource = std::move(handle);
  }
  TensorValue& output_value(int i) { return p_.outputs[i]; }

  // ---- Environment.
  ResourceMgr* resource_manager() const { return p_.resource_mgr; }
  // For Eigen tensor expressions: `out.device(ctx->eigen_device()) = a + b;`
  const Eigen::ThreadPoolDevice& eigen_device() const;
  // Runs work(begin, end) over [0, total) split across the intra-op pool;
  // `cost_per_unit` is roughly the cycles per unit, so small jobs run inline.
  void ParallelFor(int64_t total, int64_t cost_per_unit,
                   const std::function<void(int64_t, int64_t)>& work) const;
  int num_threads() const;

  // Checks, after Compute returned OK, that each output is set with the
  // declared dtype (ref and resource slots accordingly). Internal error
  // naming the kernel otherwise: that is a kernel bug.
  Status ValidateOutputs() const;

 private:
  Params p_;
};

}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_KERNEL_H_
