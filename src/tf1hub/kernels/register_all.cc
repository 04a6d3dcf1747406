// The one list of kernel families (see register_all.h).
#include "tf1hub/kernels/register_all.h"

#include "tf1hub/kernels/kernel_registry.h"

namespace tf1hub {

void RegisterAllKernels(KernelRegistry* registry) {
  RegisterPlumbingKernels(registry);
  RegisterVariableKernels(registry);
  // Uncomment a family's line when its file is in kernels/CMakeLists.txt.
  // RegisterMathKernels(registry);
  RegisterArrayKernels(registry);
  RegisterNnKernels(registry);
  RegisterMatMulKernels(registry);
  RegisterRandomKernels(registry);
  RegisterReductionKernels(registry);
  RegisterCwiseBinaryKernels(registry);
  RegisterCwiseUnaryKernels(registry);
  RegisterCwiseCompareKernels(registry);
  RegisterIoKernels(registry);
  RegisterStringKernels(registry);
  RegisterLookupKernels(registry);
  RegisterSparseKernels(registry);
}

}  // namespace tf1hub
