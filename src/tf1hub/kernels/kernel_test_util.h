// KernelRunner: runs one kernel in isolation, for kernel tests.
//
// It builds a NodeDef for an op, fills the OpDef's default attrs, computes
// the node's signature, creates the kernel from KernelRegistry::Global()
// (or a registry you pass) and runs Compute once per Run() with the inputs
// you give, on the default intra-op pool, with its own ResourceMgr.
//
//   KernelRunner r("Relu");
//   r.Attr("T", DataType::kFloat).Input(Tensor::FromVector<float>({-1, 2}, shape).value());
//   StatusOr<std::vector<Tensor>> out = r.Run();
//   EXPECT_EQ(out->at(0).flat<float>()[0], 0.0f);
//
// Ref inputs (Assign's "ref") take a variable: r.RefInput(var); DT_RESOURCE
// inputs a handle: r.ResourceInput(handle). Outputs that are refs are
// returned dereferenced; DT_RESOURCE outputs come back as an empty Tensor,
// with the handle in resource_outputs().
//
// The runner keeps its inputs between runs, so input buffers are never
// exclusive and forward_input_or_allocate_output always allocates here.
//
// Errors: construction problems (unknown op, bad attrs, no kernel) and
// Compute errors are returned by Run(), messages unchanged (no node suffix).
//
// Thread safety: one thread per runner.
#ifndef TF1HUB_KERNELS_KERNEL_TEST_UTIL_H_
#define TF1HUB_KERNELS_KERNEL_TEST_UTIL_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/kernel_registry.h"
#include "tf1hub/kernels/resource_mgr.h"
#include "tf1hub/proto/attr_value.pb.h"
#include "tf1hub/proto/node_def.pb.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor.h"

namespace tf1hub {

class KernelRunner {
 public:
  explicit KernelRunner(std::string op, std::string node_name = "node");
  ~KernelRunner();

  // Attrs. Vector overloads make list attrs.
  KernelRunner& Attr(std::string_view name, int64_t v);
  KernelRunner& Attr(std::string_view name, int v) { return Attr(name, int64_t{v}); }
  KernelRunner& Attr(std::string_view name, float v);
  KernelRunner& Attr(std::string_view name, bool v);
  KernelRunner& Attr(std::string_view name, const char* v) { return Attr(name, std::string_view(v)); }
  KernelRunner& Attr(std::string_view name, std::string_view v);
  KernelRunner& Attr(std::string_view name, DataType v);
  KernelRunner& Attr(std::string_view name, const PartialTensorShape& v);
  KernelRunner& Attr(std::string_view name, const Tensor& v);
  KernelRunner& Attr(std::string_view name, const std::vector<int64_t>& v);
  KernelRunner& Attr(std::string_view name, const std::vector<float>& v);
  KernelRunner& Attr(std::string_view name, const std::vector<DataType>& v);
  KernelRunner& Attr(std::string_view name, const std::vector<std::string>& v);
  KernelRunner& Attr(std::string_view name, const tensorflow::AttrValue& v);

  // Inputs, in slot order.
  KernelRunner& Input(Tensor t);
  KernelRunner& RefInput(std::shared_ptr<Var> var);
  KernelRunner& ResourceInput(std::shared_ptr<const ResourceHandle> handle);

  // Use another registry than KernelRegistry::Global() (must outlive Run).
  KernelRunner& WithRegistry(const KernelRegistry* registry);
  // Use a shared resource manager (e.g. several runners on one variable);
  // it must outlive Run.
  KernelRunner& WithResourceMgr(ResourceMgr* rm) {
    shared_rm_ = rm;
    return *this;
  }

  // Creates the kernel on the first call (later calls reuse it, like runs of
  // one session) and runs it. Inputs stay set between calls.
  StatusOr<std::vector<Tensor>> Run();

  const tensorflow::NodeDef& node_def() const { return node_; }
  ResourceMgr* resource_mgr() { return shared_rm_ != nullptr ? shared_rm_ : &resource_mgr_; }
  // Outputs of the last Run() as the executor saw them (refs, handles).
  const std::vector<TensorValue>& raw_outputs() const { return outputs_; }
  std::shared_ptr<const ResourceHandle> resource_output(int i) const { return outputs_[i].resource; }

 private:
  Status Prepare();

  tensorflow::NodeDef node_;
  std::vector<TensorValue> inputs_;
  std::vector<TensorValue> outputs_;
  const KernelRegistry* registry_ = nullptr;
  ResourceMgr resource_mgr_;
  ResourceMgr* shared_rm_ = nullptr;
  std::unique_ptr<OpKernel> kernel_;
};

}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_KERNEL_TEST_UTIL_H_
