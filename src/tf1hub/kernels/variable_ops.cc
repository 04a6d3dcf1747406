// Variable kernels, both kinds (see resource_mgr.h for the storage model).
//   resource variables: VarHandleOp, ReadVariableOp, AssignVariableOp,
//     AssignAddVariableOp, AssignSubVariableOp, VarIsInitializedOp;
//   ref variables: VariableV2, Assign, AssignAdd, AssignSub,
//     IsVariableInitialized (reads of a ref go through any non-ref input,
//     e.g. Identity: the executor dereferences them).
// Error messages are TensorFlow 2.15's.
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>

#include "tf1hub/kernels/eigen_support.h"
#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/kernel_registry.h"
#include "tf1hub/kernels/register_all.h"
#include "tf1hub/kernels/resource_mgr.h"

namespace tf1hub {
namespace {

// ---------------------------------------------------------------------------
// Math apart from glue: element-wise updates and copies on raw buffers.

// The type to do arithmetic in: unsigned for integers (wrap-around is
// defined), the type itself otherwise.
template <typename E, bool kIntegral = std::is_integral_v<E>>
struct ArithmeticType {
  using type = E;
};
template <typename E>
struct ArithmeticType<E, true> {
  using type = std::make_unsigned_t<E>;
};

// dst[i] += src[i] (or -=). Integers wrap around like TensorFlow's on
// overflow (computed unsigned, so it is defined behaviour here).
template <typename T>
void AddInto(T* dst, const T* src, int64_t n, bool subtract) {
  using E = typename EigenType<T>::type;
  using C = typename ArithmeticType<E>::type;
  auto* d = reinterpret_cast<E*>(dst);
  const auto* s = reinterpret_cast<const E*>(src);
  if (subtract) {
    for (int64_t i = 0; i < n; ++i) d[i] = static_cast<E>(static_cast<C>(d[i]) - static_cast<C>(s[i]));
  } else {
    for (int64_t i = 0; i < n; ++i) d[i] = static_cast<E>(static_cast<C>(d[i]) + static_cast<C>(s[i]));
  }
}

// Copies `src`'s elements over `dst`'s (same dtype and element count).
void CopyElements(const Tensor& src, Tensor* dst) {
  if (src.dtype() == DataType::kString) {
    auto in = src.flat<std::string>();
    auto out = dst->mutable_flat<std::string>();
    for (size_t i = 0; i < in.size(); ++i) out[i] = in[i];
  } else if (src.TotalBytes() > 0) {
    std::memcpy(dst->mutable_raw_data(), src.raw_data(), src.TotalBytes());
  }
}

// The shape Assign compares against when validate_shape is set: the
// current value's, or for an uninitialized variable its declared shape
// (TensorFlow leaves an unknown-rank declaration as a scalar shape).
TensorShape LhsShape(const Var& var) {
  if (var.is_initialized()) return var.tensor().shape();
  const PartialTensorShape& declared = var.declared_shape();
  if (declared.IsFullyDefined()) {
    StatusOr<TensorShape> s = TensorShape::Create(declared.dims());
    if (s.ok()) return *s;
  }
  return TensorShape();
}

// Sets the variable to `value` (lock held): in place when the variable
// holds the only reference to a buffer of the same shape, else by sharing
// value's buffer (copy-on-write makes sharing safe).
void SetValue(Var* var, const Tensor& value) {
  Tensor* current = var->mutable_tensor();
  if (var->is_initialized() && current->shape() == value.shape() &&
      current->dtype() == value.dtype() && var->CanUpdateInPlace()) {
    CopyElements(value, current);
  } else {
    *current = value;
  }
  var->set_initialized();
}

// ---------------------------------------------------------------------------
// Resource variables.

class VarHandleOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    auto handle = std::make_shared<ResourceHandle>();
    std::string container;
    RETURN_IF_ERROR(c.GetAttr("container", &container));
    RETURN_IF_ERROR(c.GetAttr("shared_name", &handle->name));
    RETURN_IF_ERROR(c.GetAttr("dtype", &handle->dtype));
    RETURN_IF_ERROR(c.GetAttr("shape", &handle->shape));
    handle->container = ResourceMgr::CanonicalContainer(container);
    // Graph-mode TensorFlow always sets shared_name; fall back to the node
    // name like ref variables do.
    if (handle->name.empty()) handle->name = c.name();
    return std::unique_ptr<OpKernel>(new VarHandleOp(c, std::move(handle)));
  }
  Status Compute(OpKernelContext* ctx) override {
    ctx->set_resource_output(0, handle_);
    return Status::OK();
  }

 private:
  VarHandleOp(const KernelConstruction& c, std::shared_ptr<const ResourceHandle> h)
      : OpKernel(c), handle_(std::move(h)) {}
  const std::shared_ptr<const ResourceHandle> handle_;
};

// Reads `dtype` from the node for the resource kernels below.
class ResourceVarKernel : public OpKernel {
 protected:
  ResourceVarKernel(const KernelConstruction& c, DataType dtype) : OpKernel(c), dtype_(dtype) {}
  const DataType dtype_;
};

class ReadVariableOp : public ResourceVarKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    DataType dtype;
    RETURN_IF_ERROR(c.GetAttr("dtype", &dtype));
    return std::unique_ptr<OpKernel>(new ReadVariableOp(c, dtype));
  }
  Status Compute(OpKernelContext* ctx) override {
    const ResourceHandle& h = ctx->resource_input(0);
    StatusOr<std::shared_ptr<Var>> var = ctx->resource_manager()->LookupVar(h.container, h.name);
    std::optional<Tensor> value;
    if (var.ok()) {
      if ((*var)->dtype() != dtype_) {
        return InvalidArgumentError("Trying to read variable with wrong dtype. Expected " +
                                    TfTypeName(dtype_) + " got " + TfTypeName((*var)->dtype()));
      }
      value = (*var)->Snapshot();
    }
    if (!value.has_value()) {
      const std::string cause =
          var.ok() ? "Resource " + h.container + "/" + h.name + " is uninitialized."
                   : var.status().message();
      return FailedPreconditionError(
          "Could not find variable " + h.name +
          ". This could mean that the variable has been deleted. In TF1, it can also mean the "
          "variable is uninitialized. Debug info: container=" +
          h.container + ", status error message=" + cause);
    }
    ctx->set_output(0, std::move(*value));
    return Status::OK();
  }

 private:
  using ResourceVarKernel::ResourceVarKernel;
};

class AssignVariableOp : public ResourceVarKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    DataType dtype;
    bool validate_shape = false;
    RETURN_IF_ERROR(c.GetAttr("dtype", &dtype));
    if (c.HasAttr("validate_shape")) RETURN_IF_ERROR(c.GetAttr("validate_shape", &validate_shape));
    return std::unique_ptr<OpKernel>(new AssignVariableOp(c, dtype, validate_shape));
  }
  Status Compute(OpKernelContext* ctx) override {
    const ResourceHandle& h = ctx->resource_input(0);
    const Tensor& value = ctx->input(1);
    ASSIGN_OR_RETURN(std::shared_ptr<Var> var,
                     ctx->resource_manager()->LookupOrCreateVar(h.container, h.name, dtype_,
                                                                h.shape));
    if (var->dtype() != dtype_) {
      return InvalidArgumentError("Trying to assign variable with wrong dtype. Expected " +
                                  TfTypeName(var->dtype()) + " got " + TfTypeName(dtype_));
    }
    std::lock_guard<std::mutex> lock(var->mu());
    if (validate_shape_ && var->is_initialized() && var->tensor().shape() != value.shape()) {
      return InvalidArgumentError(
          "Trying to assign to variable with tensor with wrong shape. Expected " +
          var->tensor().shape().DebugString() + " got " + value.shape().DebugString());
    }
    SetValue(var.get(), value);
    return Status::OK();
  }

 private:
  AssignVariableOp(const KernelConstruction& c, DataType dtype, bool validate_shape)
      : ResourceVarKernel(c, dtype), validate_shape_(validate_shape) {}
  const bool validate_shape_;
};

template <typename T, bool kSubtract>
class AssignUpdateVariableOp : public ResourceVarKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    DataType dtype;
    RETURN_IF_ERROR(c.GetAttr("dtype", &dtype));
    return std::unique_ptr<OpKernel>(new AssignUpdateVariableOp(c, dtype));
  }
  Status Compute(OpKernelContext* ctx) override {
    const ResourceHandle& h = ctx->resource_input(0);
    const Tensor& value = ctx->input(1);
    ASSIGN_OR_RETURN(std::shared_ptr<Var> var,
                     ctx->resource_manager()->LookupVar(h.container, h.name));
    if (var->dtype() != value.dtype()) {
      return InvalidArgumentError("DType of variable handle and value does not match.");
    }
    std::lock_guard<std::mutex> lock(var->mu());
    if (!var->is_initialized()) {
      return FailedPreconditionError("Resource " + h.container + "/" + h.name +
                                     " is uninitialized.");
    }
    if (var->tensor().shape() != value.shape()) {
      return InvalidArgumentError("Cannot update variable with shape " +
                                  var->tensor().shape().DebugString() +
                                  " using a Tensor with shape " + value.shape().DebugString() +
                                  ", shapes must be equal.");
    }
    RETURN_IF_ERROR(var->PrepareForInPlaceUpdate());
    Tensor* t = var->mutable_tensor();
    AddInto(t->mutable_flat<T>().data(), value.flat<T>().data(), t->NumElements(), kSubtract);
    return Status::OK();
  }

 private:
  using ResourceVarKernel::ResourceVarKernel;
};

// DisableCopyOnRead (TF 2.15 Savers emit it for partitioned resource
// variables): switches TF's copy-on-read mode off. Our variables never copy
// on read (buffers are copy-on-write), so there is nothing to do.
class DisableCopyOnReadOp : public OpKernel {
 public:
  explicit DisableCopyOnReadOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext*) override { return Status::OK(); }
};

class VarIsInitializedOp : public OpKernel {
 public:
  explicit VarIsInitializedOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    const ResourceHandle& h = ctx->resource_input(0);
    StatusOr<std::shared_ptr<Var>> var = ctx->resource_manager()->LookupVar(h.container, h.name);
    ctx->set_output(0, Tensor::Scalar<bool>(var.ok() && (*var)->Snapshot().has_value()));
    return Status::OK();
  }
};

// ---------------------------------------------------------------------------
// Ref variables.

class VariableV2Op : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    PartialTensorShape shape;
    DataType dtype;
    std::string container, shared_name;
    RETURN_IF_ERROR(c.GetAttr("shape", &shape));
    RETURN_IF_ERROR(c.GetAttr("dtype", &dtype));
    RETURN_IF_ERROR(c.GetAttr("container", &container));
    RETURN_IF_ERROR(c.GetAttr("shared_name", &shared_name));
    if (!shape.unknown_rank() && !shape.IsFullyDefined()) {
      return InvalidArgumentError("Shape " + shape.DebugString() + " is not fully defined");
    }
    if (shared_name.empty()) shared_name = c.name();
    return std::unique_ptr<OpKernel>(
        new VariableV2Op(c, dtype, std::move(shape), std::move(container), std::move(shared_name)));
  }
  Status Compute(OpKernelContext* ctx) override {
    std::shared_ptr<Var> var;
    {
      std::lock_guard<std::mutex> lock(mu_);
      // Cached per resource manager (one per session; KernelRunner has its own).
      if (cached_rm_ == ctx->resource_manager()) var = cached_;
    }
    if (var == nullptr) {
      ASSIGN_OR_RETURN(var, ctx->resource_manager()->LookupOrCreateVar(container_, shared_name_,
                                                                       dtype_, shape_));
      if (var->dtype() != dtype_) {
        return InternalError("Output 0 of type " + TfTypeName(var->dtype()) +
                             "_ref does not match declared output type " + TfTypeName(dtype_) +
                             "_ref for node {{node " + name() + "}}");
      }
      std::lock_guard<std::mutex> lock(mu_);
      cached_rm_ = ctx->resource_manager();
      cached_ = var;
    }
    ctx->set_ref_output(0, std::move(var));
    return Status::OK();
  }

 private:
  VariableV2Op(const KernelConstruction& c, DataType dtype, PartialTensorShape shape,
               std::string container, std::string shared_name)
      : OpKernel(c),
        dtype_(dtype),
        shape_(std::move(shape)),
        container_(std::move(container)),
        shared_name_(std::move(shared_name)) {}
  const DataType dtype_;
  const PartialTensorShape shape_;
  const std::string container_, shared_name_;
  std::mutex mu_;
  const ResourceMgr* cached_rm_ = nullptr;  // guarded by mu_
  std::shared_ptr<Var> cached_;             // guarded by mu_
};

class AssignOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    bool validate_shape = true;
    RETURN_IF_ERROR(c.GetAttr("validate_shape", &validate_shape));
    return std::unique_ptr<OpKernel>(new AssignOp(c, validate_shape));
  }
  Status Compute(OpKernelContext* ctx) override {
    Var* var = ctx->ref_input(0);
    const Tensor& rhs = ctx->input(1);
    {
      std::lock_guard<std::mutex> lock(var->mu());
      const TensorShape lhs = LhsShape(*var);
      if (validate_shape_ && lhs != rhs.shape()) {
        return InvalidArgumentError(
            "Assign requires shapes of both tensors to match. lhs shape= " + lhs.DebugString() +
            " rhs shape= " + rhs.shape().DebugString());
      }
      SetValue(var, rhs);
    }
    ctx->set_ref_output(0, ctx->ref_input_ptr(0));
    return Status::OK();
  }

 private:
  AssignOp(const KernelConstruction& c, bool validate_shape)
      : OpKernel(c), validate_shape_(validate_shape) {}
  const bool validate_shape_;
};

template <typename T, bool kSubtract>
class DenseUpdateOp : public OpKernel {
 public:
  explicit DenseUpdateOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    Var* var = ctx->ref_input(0);
    const Tensor& update = ctx->input(1);
    {
      std::lock_guard<std::mutex> lock(var->mu());
      // The executor has checked initialization (these ops do not allow
      // uninitialized inputs); a concurrent Assign cannot un-initialize.
      if (var->tensor().shape() != update.shape()) {
        return InvalidArgumentError("Parameters and update must be the same size");
      }
      RETURN_IF_ERROR(var->PrepareForInPlaceUpdate());
      Tensor* t = var->mutable_tensor();
      AddInto(t->mutable_flat<T>().data(), update.flat<T>().data(), t->NumElements(), kSubtract);
    }
    ctx->set_ref_output(0, ctx->ref_input_ptr(0));
    return Status::OK();
  }
};

class IsVariableInitializedOp : public OpKernel {
 public:
  explicit IsVariableInitializedOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    Var* var = ctx->ref_input(0);
    std::lock_guard<std::mutex> lock(var->mu());
    ctx->set_output(0, Tensor::Scalar<bool>(var->is_initialized()));
    return Status::OK();
  }
};

template <typename T>
void RegisterUpdates(KernelRegistry* r) {
  const DataType dt = DataTypeOf<T>::value;
  r->Register("AssignAddVariableOp", {{"dtype", {dt}}},
              MakeKernelFactory<AssignUpdateVariableOp<T, false>>());
  r->Register("AssignSubVariableOp", {{"dtype", {dt}}},
              MakeKernelFactory<AssignUpdateVariableOp<T, true>>());
  r->Register("AssignAdd", {{"T", {dt}}}, MakeKernelFactory<DenseUpdateOp<T, false>>());
  r->Register("AssignSub", {{"T", {dt}}}, MakeKernelFactory<DenseUpdateOp<T, true>>());
}

}  // namespace

void RegisterVariableKernels(KernelRegistry* r) {
  r->Register("VarHandleOp", {}, MakeKernelFactory<VarHandleOp>());
  r->Register("ReadVariableOp", {}, MakeKernelFactory<ReadVariableOp>());
  r->Register("AssignVariableOp", {}, MakeKernelFactory<AssignVariableOp>());
  r->Register("VarIsInitializedOp", {}, MakeKernelFactory<VarIsInitializedOp>());
  r->Register("DisableCopyOnRead", {}, MakeKernelFactory<DisableCopyOnReadOp>());
  r->Register("VariableV2", {}, MakeKernelFactory<VariableV2Op>());
  r->Register("Assign", {}, MakeKernelFactory<AssignOp>());
  r->Register("IsVariableInitialized", {}, MakeKernelFactory<IsVariableInitializedOp>());
  RegisterUpdates<float>(r);
  RegisterUpdates<double>(r);
  RegisterUpdates<Half>(r);
  RegisterUpdates<BFloat16>(r);
  RegisterUpdates<int32_t>(r);
  RegisterUpdates<int64_t>(r);
  RegisterUpdates<int8_t>(r);
  RegisterUpdates<int16_t>(r);
  RegisterUpdates<uint8_t>(r);
  RegisterUpdates<uint16_t>(r);
  RegisterUpdates<uint32_t>(r);
  RegisterUpdates<uint64_t>(r);
  RegisterUpdates<Complex64>(r);
  RegisterUpdates<Complex128>(r);
}

}  // namespace tf1hub
