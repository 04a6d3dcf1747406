// Pieces shared by the layers (internal): layer scopes, training flags,
// weights with regularizers.
//
// Thread safety: as Scope.
#ifndef TF1HUB_GRAPH_LAYERS_UTIL_H_
#define TF1HUB_GRAPH_LAYERS_UTIL_H_

#include <optional>
#include <string>
#include <string_view>

#include "tf1hub/graph/layers.h"
#include "tf1hub/graph/output.h"
#include "tf1hub/graph/scope.h"
#include "tf1hub/graph/variables.h"

namespace tf1hub::layers {

// Where a layer builds: `ops` has the layer's (unique) name scope and the
// layer's variable scope; variables made from it are named
// "<variable scope>/<weight>".
struct LayerScope {
  Scope ops;
  std::string variable_scope;
};

// The scope of a layer named `name` (or `default_name` made unique).
LayerScope MakeLayerScope(const Scope& scope, std::string_view name, std::string_view default_name);

// A weight of a layer as Keras' legacy layers add it: GetVariable in the
// layer's variable scope (name scope reset), then the regularizer, if any,
// in name scope "<layer>/<weight>/Regularizer" (not colocated), its loss
// added to regularization_losses. The regularizer is not applied when the
// variable is reused.
Variable AddWeight(const LayerScope& layer, std::string_view name, const TensorShape& shape,
                   const GetVariableOptions& options, const Regularizer& regularizer);

// The constant value of `training` when it is a bool or a Const bool scalar
// (TF's smart_cond), nullopt for other tensors.
std::optional<bool> ConstantTraining(const Scope& scope, const Training& training);

}  // namespace tf1hub::layers

#endif  // TF1HUB_GRAPH_LAYERS_UTIL_H_
