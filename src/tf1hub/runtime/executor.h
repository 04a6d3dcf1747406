// ExecutePlan: runs a compiled Plan once (internal to the runtime).
//
// Steps run one after another on the calling thread, in the plan's
// topological order; kernels parallelise inside an op on the intra-op pool.
// Each run owns its slots, so any number of runs of one plan may execute at
// once; variables synchronise through their own locks.
#ifndef TF1HUB_RUNTIME_EXECUTOR_H_
#define TF1HUB_RUNTIME_EXECUTOR_H_

#include <string>
#include <utility>
#include <vector>

#include "tf1hub/kernels/resource_mgr.h"
#include "tf1hub/kernels/thread_pool.h"
#include "tf1hub/runtime/plan.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor.h"

namespace tf1hub {

struct ExecutionEnv {
  ResourceMgr* resource_mgr = nullptr;
  const IntraOpThreadPool* thread_pool = nullptr;
};

// `feeds` must be in the plan's feed order (the same names it was compiled
// with). Checks each fed value's dtype and, for placeholders, shape.
StatusOr<std::vector<Tensor>> ExecutePlan(const Plan& plan,
                                          const std::vector<std::pair<std::string, Tensor>>& feeds,
                                          const ExecutionEnv& env);

}  // namespace tf1hub

#endif  // TF1HUB_RUNTIME_EXECUTOR_H_
