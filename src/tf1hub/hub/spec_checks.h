// Internal: the graph checks hub runs while creating a module spec, with
// its messages (native_module.py find_state_op_colocation_error and
// find_signature_input_colocation_error).
//
// Thread safety: pure functions over a Graph that must not change meanwhile.
#ifndef TF1HUB_HUB_SPEC_CHECKS_H_
#define TF1HUB_HUB_SPEC_CHECKS_H_

#include <optional>
#include <string>
#include <vector>

#include "tf1hub/graph/graph.h"
#include "tf1hub/hub/create_module_spec.h"
#include "tf1hub/hub/module_spec.h"
#include "tf1hub/proto/node_def.pb.h"
#include "tf1hub/proto/saved_model.pb.h"
#include "tf1hub/status.h"

namespace tf1hub::hub {

// Operation.colocation_groups(): the node's "loc:@" entries of `_class`, or
// ["loc:@<node>"] if it has none.
std::vector<std::string> ColocationGroups(const tensorflow::NodeDef& node);

// True if `op` is registered, stateful and has no input args (VarHandleOp,
// VariableV2, HashTableV2, ...): what hub treats as state-holding.
bool IsStateHoldingOp(const std::string& op);

// InvalidArgument if a state-holding node is colocated with anything but
// state-holding nodes. `reported_tags` (given when the caller passed
// tags_and_args) is named in the message.
Status CheckStateOpColocation(const Graph& graph, const std::optional<TagSet>& reported_tags);

// InvalidArgument if a signature input (or a component of a sparse one) is
// produced by an op subject to a colocation constraint.
Status CheckSignatureInputColocation(const Graph& graph, const std::string& signature,
                                     const SignatureTensors& inputs);

// hub's check_unique_tags: "Tags frozenset({'train'}) used repeatedly".
Status CheckUniqueTags(const tensorflow::SavedModel& saved_model);

// hub's check_collections_are_supported over every meta graph:
// "Unsupported collections in graph: ['foo']\nUse hub.create_module_spec(...,
// drop_collections=[...]) as appropriate." (keys sorted).
Status CheckCollectionsSupported(const tensorflow::SavedModel& saved_model);

}  // namespace tf1hub::hub

#endif  // TF1HUB_HUB_SPEC_CHECKS_H_
