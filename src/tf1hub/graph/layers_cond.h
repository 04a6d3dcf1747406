// LayerCond: a TF1 conditional (tf.compat.v1.cond with control flow v1, as
// TF1 graphs and tf.compat.v1.disable_control_flow_v2() build it), for the
// layers' tensor `training` flags (internal).
//
// For a cond in name scope "d/cond" over the bool scalar `pred`, TensorFlow
// builds:
//   d/cond/Switch   = Switch(pred, pred)
//   d/cond/switch_t = Identity(Switch:1)      (pivot of the true branch)
//   d/cond/switch_f = Identity(Switch:0)      (pivot of the false branch)
//   d/cond/pred_id  = Identity(pred)
// then the true branch, then the false branch, then d/cond/Merge(false, true).
// Inside a branch, an op's data input coming from outside the cond goes
// through "<op>/Switch" = Switch(tensor, pred_id) (output 1 in the true
// branch, 0 in the false one; one Switch per tensor and branch, colocated
// with the tensor's producer), and an op without data inputs gets a control
// input on the branch pivot. A branch result made outside the cond is
// switched as "d/cond/Switch_N".
//
//   LayerCond cond(scope.NewSubScope("cond"), training);
//   cond.BeginBranch(true);
//   Output a = ops::Mul(cond.scope(), x, k);  cond.Adopt();
//   Output t = cond.EndBranch(a);
//   cond.BeginBranch(false);
//   Output f = cond.EndBranch(x);               // Switch_1 of x
//   Output y = cond.Merge(f, t);
//
// Call Adopt() after every op built in a branch (TF processes each op as it
// is created; adopting late gives the same names in another node order).
// The cond_context collection (CondContextDef) is not written.
//
// Thread safety: as Scope.
#ifndef TF1HUB_GRAPH_LAYERS_COND_H_
#define TF1HUB_GRAPH_LAYERS_COND_H_

#include <map>
#include <set>
#include <string>

#include "tf1hub/graph/output.h"
#include "tf1hub/graph/scope.h"

namespace tf1hub {

class LayerCond {
 public:
  // `cond_scope` is the cond's (already unique) name scope.
  LayerCond(const Scope& cond_scope, const Output& pred);

  // The cond's name scope; branch ops are built from it (or sub-scopes).
  const Scope& scope() const { return scope_; }

  void BeginBranch(bool branch);
  // Wires every node created since the last Adopt/BeginBranch into the
  // current branch.
  void Adopt();
  // Adopts pending nodes and returns the branch's result tensor.
  Output EndBranch(const Output& result);
  // d/cond/Merge(false_result, true_result): output 0.
  Output Merge(const Output& false_result, const Output& true_result);

 private:
  // The switched version of external tensor `t` for the current branch,
  // named "<name_scope>/Switch" (made unique).
  Output SwitchFor(const Output& t, const Scope& name_scope);
  bool IsInternal(const std::string& node) const;

  Scope scope_;
  Output pred_id_;
  Operation pivot_t_, pivot_f_;
  bool branch_ = true;
  int adopted_upto_ = 0;                       // graph nodes [0, adopted_upto_) are processed
  std::set<std::string> own_nodes_;            // nodes of the cond (pivots, branches, switches)
  std::map<std::string, Output> switched_[2];  // per branch: tensor -> switched
};

}  // namespace tf1hub

#endif  // TF1HUB_GRAPH_LAYERS_COND_H_
