#include "tf1hub/session.h"

#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <utility>

#include "tf1hub/kernels/kernel_registry.h"
#include "tf1hub/kernels/resource_mgr.h"
#include "tf1hub/kernels/thread_pool.h"
#include "tf1hub/proto/graph.pb.h"
#include "tf1hub/runtime/executor.h"
#include "tf1hub/runtime/graph_state.h"
#include "tf1hub/runtime/plan.h"

namespace tf1hub {

class Session::Impl {
 public:
  Impl(std::shared_ptr<const GraphState> graph, const SessionOptions& options)
      : options_(options), graph_(std::move(graph)) {
    if (options.intra_op_threads > 0) {
      own_pool_ = std::make_unique<IntraOpThreadPool>(options.intra_op_threads);
    }
    env_.resource_mgr = &resource_mgr_;
    env_.thread_pool = own_pool_ != nullptr ? own_pool_.get() : IntraOpThreadPool::Default();
  }

  StatusOr<std::vector<Tensor>> Run(const std::vector<std::pair<std::string, Tensor>>& feeds,
                                    const std::vector<std::string>& fetches,
                                    const std::vector<std::string>& targets) {
    // The key keeps the caller's order: feeds are matched to the plan's feed
    // slots by position.
    std::string key;
    for (const auto& f : feeds) (key += f.first) += '\0';
    key += '\1';
    for (const std::string& f : fetches) (key += f) += '\0';
    key += '\1';
    for (const std::string& t : targets) (key += t) += '\0';

    std::shared_ptr<const Plan> plan;
    {
      std::shared_lock<std::shared_mutex> lock(plans_mu_);
      auto it = plans_.find(key);
      if (it != plans_.end()) plan = it->second;
    }
    if (plan == nullptr) {
      std::vector<std::string> feed_names;
      feed_names.reserve(feeds.size());
      for (const auto& f : feeds) feed_names.push_back(f.first);
      std::shared_ptr<const GraphState> graph;
      {
        std::lock_guard<std::mutex> lock(graph_mu_);
        graph = graph_;
      }
      ASSIGN_OR_RETURN(plan, CompilePlan(graph, feed_names, fetches, targets,
                                         [&](int node) { return GetKernel(*graph, node); }));
      std::unique_lock<std::shared_mutex> lock(plans_mu_);
      if (plans_.size() >= options_.max_cached_plans) plans_.clear();
      auto [it, inserted] = plans_.emplace(std::move(key), plan);
      plan = it->second;
    }
    return ExecutePlan(*plan, feeds, env_);
  }

  Status Extend(const tensorflow::GraphDef& graph) {
    std::lock_guard<std::mutex> lock(graph_mu_);
    ASSIGN_OR_RETURN(std::shared_ptr<const GraphState> extended, graph_->Extend(graph));
    graph_ = std::move(extended);
    return Status::OK();
  }

  size_t num_cached_plans() const {
    std::shared_lock<std::shared_mutex> lock(plans_mu_);
    return plans_.size();
  }

 private:
  // One kernel per node for the session's lifetime, shared by every plan
  // (stateful kernels keep their state across signatures, as TensorFlow's
  // OpSegment does). Node names never change meaning: Extend only adds.
  StatusOr<std::shared_ptr<OpKernel>> GetKernel(const GraphState& graph, int node) {
    const NodeInfo& n = graph.node(node);
    {
      std::lock_guard<std::mutex> lock(kernels_mu_);
      auto it = kernels_.find(n.def.name());
      if (it != kernels_.end()) return it->second;
    }
    KernelConstruction c(n.def, *n.op_def, n.input_types, n.input_is_ref, n.output_types,
                         n.output_is_ref);
    ASSIGN_OR_RETURN(std::unique_ptr<OpKernel> made, KernelRegistry::Global().CreateKernel(c));
    std::shared_ptr<OpKernel> kernel(std::move(made));
    std::lock_guard<std::mutex> lock(kernels_mu_);
    auto [it, inserted] = kernels_.emplace(n.def.name(), std::move(kernel));
    return it->second;
  }

  const SessionOptions options_;
  std::unique_ptr<IntraOpThreadPool> own_pool_;
  ResourceMgr resource_mgr_;
  ExecutionEnv env_;

  std::mutex graph_mu_;
  std::shared_ptr<const GraphState> graph_;  // guarded by graph_mu_

  mutable std::shared_mutex plans_mu_;
  std::unordered_map<std::string, std::shared_ptr<const Plan>> plans_;  // guarded by plans_mu_

  std::mutex kernels_mu_;
  std::unordered_map<std::string, std::shared_ptr<OpKernel>> kernels_;  // guarded by kernels_mu_
};

StatusOr<std::unique_ptr<Session>> Session::Create(const tensorflow::GraphDef& graph,
                                                   const SessionOptions& options) {
  return Create(tensorflow::GraphDef(graph), options);
}

StatusOr<std::unique_ptr<Session>> Session::Create(tensorflow::GraphDef&& graph,
                                                   const SessionOptions& options) {
  RETURN_IF_ERROR_WITH_CONTEXT(KernelRegistry::Global().status(),
                               "tf1hub's kernel registry is inconsistent");
  ASSIGN_OR_RETURN(std::shared_ptr<const GraphState> state, GraphState::Create(std::move(graph)));
  return std::unique_ptr<Session>(new Session(std::make_unique<Impl>(std::move(state), options)));
}

Session::Session(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Session::~Session() = default;

StatusOr<std::vector<Tensor>> Session::Run(
    const std::vector<std::pair<std::string, Tensor>>& feeds,
    const std::vector<std::string>& fetches, const std::vector<std::string>& targets) {
  return impl_->Run(feeds, fetches, targets);
}

Status Session::Extend(const tensorflow::GraphDef& graph) { return impl_->Extend(graph); }

size_t Session::num_cached_plans() const { return impl_->num_cached_plans(); }

}  // namespace tf1hub
