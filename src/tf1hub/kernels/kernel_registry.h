// KernelRegistry: which kernel runs a node, chosen by op name and the
// node's type attrs.
//
// Each registration names an op, constraints on its type attrs and a
// factory. A node matches a registration when, for each constrained attr,
// the node's "type" attr (or every element of its "list(type)" attr) is in
// the allowed set. Registering two kernels for the same op whose constraints
// could match one node is a duplicate: the registry records the error and
// status() reports it.
//
//   KernelRegistry r;
//   r.Register("Relu", {{"T", {DataType::kFloat}}}, MakeKernelFactory<ReluOp<float>>());
//   r.Register("Relu", {{"T", {DataType::kDouble}}}, MakeKernelFactory<ReluOp<double>>());
//   RETURN_IF_ERROR(r.status());
//   ASSIGN_OR_RETURN(std::unique_ptr<OpKernel> k, r.CreateKernel(construction));
//
// KernelRegistry::Global() holds every kernel of tf1hub (RegisterAllKernels,
// kernels/register_all.cc), built on first use.
//
// Thread safety: Register is for setup on one thread; once built, lookups
// are thread-safe (Global() is built once, thread-safely).
#ifndef TF1HUB_KERNELS_KERNEL_REGISTRY_H_
#define TF1HUB_KERNELS_KERNEL_REGISTRY_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tf1hub/data_type.h"
#include "tf1hub/kernels/kernel.h"
#include "tf1hub/status.h"

namespace tf1hub {

// `attr` (a "type" or "list(type)" attr of the op) must be one of `allowed`.
struct TypeConstraint {
  std::string attr;
  std::vector<DataType> allowed;
};

class KernelRegistry {
 public:
  KernelRegistry() = default;
  KernelRegistry(const KernelRegistry&) = delete;
  KernelRegistry& operator=(const KernelRegistry&) = delete;

  // The registry of all tf1hub kernels. Its status() is checked by
  // Session::Create (a duplicate there is a tf1hub bug, caught by tests).
  static const KernelRegistry& Global();

  // Adds a kernel for `op`. Constraints with an empty `allowed` list, or
  // naming one attr twice, and overlaps with an earlier registration of the
  // op are recorded as errors (see status()); the registration is dropped.
  void Register(std::string op, std::vector<TypeConstraint> constraints, KernelFactory factory);

  // OK, or the first registration error.
  const Status& status() const { return status_; }

  // The factory whose constraints `def` (defaults filled in) satisfies.
  // NotFound, in TensorFlow's words, naming the node, its type attrs and the
  // registered constraints, when none matches.
  StatusOr<const KernelFactory*> Find(const tensorflow::NodeDef& def) const;

  // Find() + run the factory; errors gain no node context (callers add it).
  StatusOr<std::unique_ptr<OpKernel>> CreateKernel(const KernelConstruction& c) const;

  bool HasKernelsFor(std::string_view op) const;
  // "Relu: T in [float, double]" lines, sorted, for documentation and tests.
  std::vector<std::string> DebugStrings() const;

 private:
  struct Registration {
    std::vector<TypeConstraint> constraints;
    KernelFactory factory;
  };
  std::map<std::string, std::vector<Registration>, std::less<>> by_op_;
  Status status_;
};

}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_KERNEL_REGISTRY_H_
