// Plumbing kernels: ops that produce or pass values without arithmetic.
// Placeholder, PlaceholderWithDefault, Const, Identity, IdentityN, NoOp,
// StopGradient, Snapshot.
#include <memory>
#include <string>
#include <utility>

#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/kernel_registry.h"
#include "tf1hub/kernels/register_all.h"

namespace tf1hub {
namespace {

// Runs only when the placeholder was not fed: the executor replaces fed
// tensors, so computing a Placeholder is always the "must feed" error.
class PlaceholderOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    DataType dtype;
    PartialTensorShape shape;
    RETURN_IF_ERROR(c.GetAttr("dtype", &dtype));
    RETURN_IF_ERROR(c.GetAttr("shape", &shape));
    // TensorFlow names the shape only when its rank is known and above 0.
    std::string message = "You must feed a value for placeholder tensor '" + c.name() +
                          "' with dtype " + TfTypeName(dtype);
    if (shape.rank() > 0) message += " and shape " + shape.DebugString();
    return std::unique_ptr<OpKernel>(new PlaceholderOp(c, std::move(message)));
  }
  Status Compute(OpKernelContext* ctx) override { return InvalidArgumentError(message_); }

 private:
  PlaceholderOp(const KernelConstruction& c, std::string message)
      : OpKernel(c), message_(std::move(message)) {}
  const std::string message_;
};

class ConstOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    DataType dtype;
    Tensor value;
    RETURN_IF_ERROR(c.GetAttr("dtype", &dtype));
    RETURN_IF_ERROR(c.GetAttr("value", &value));
    if (value.dtype() != dtype) {
      return InvalidArgumentError("Type mismatch between value (" + TfTypeName(value.dtype()) +
                                  ") and dtype (" + TfTypeName(dtype) + ")");
    }
    return std::unique_ptr<OpKernel>(new ConstOp(c, std::move(value)));
  }
  // Every run shares the one decoded tensor (never written in place: the
  // executor only forwards buffers nobody else holds).
  Status Compute(OpKernelContext* ctx) override {
    ctx->set_output(0, value_);
    return Status::OK();
  }

 private:
  ConstOp(const KernelConstruction& c, Tensor value) : OpKernel(c), value_(std::move(value)) {}
  const Tensor value_;
};

// Outputs i = inputs i, sharing buffers (Identity, IdentityN, StopGradient,
// Snapshot, PlaceholderWithDefault). A ref input arrives dereferenced, so
// Snapshot's copy is the variable's copy-on-write snapshot. DT_RESOURCE
// handles pass through too.
class PassThroughOp : public OpKernel {
 public:
  explicit PassThroughOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    for (int i = 0; i < ctx->num_outputs(); ++i) {
      const TensorValue& in = ctx->input_value(i);
      TensorValue& out = ctx->output_value(i);
      out.tensor = in.tensor;
      out.resource = in.resource;
    }
    return Status::OK();
  }
};

class NoOp : public OpKernel {
 public:
  explicit NoOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext*) override { return Status::OK(); }
};

}  // namespace

void RegisterPlumbingKernels(KernelRegistry* r) {
  r->Register("Placeholder", {}, MakeKernelFactory<PlaceholderOp>());
  r->Register("PlaceholderWithDefault", {}, MakeKernelFactory<PassThroughOp>());
  r->Register("Const", {}, MakeKernelFactory<ConstOp>());
  r->Register("Identity", {}, MakeKernelFactory<PassThroughOp>());
  r->Register("IdentityN", {}, MakeKernelFactory<PassThroughOp>());
  r->Register("StopGradient", {}, MakeKernelFactory<PassThroughOp>());
  r->Register("Snapshot", {}, MakeKernelFactory<PassThroughOp>());
  r->Register("NoOp", {}, MakeKernelFactory<NoOp>());
}

}  // namespace tf1hub
