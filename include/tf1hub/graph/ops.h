// All op constructors of the graph layer (namespace tf1hub::ops), plus
// Graph and Scope. Include this, or the one family header you need.
//
//   #include "tf1hub/graph/ops.h"
//   Scope root = Scope::NewRootScope();
//   Output y = ops::Relu(root, ops::Const(root, std::vector<float>{-1, 2}));
//
// Thread safety: see scope.h.
#ifndef TF1HUB_GRAPH_OPS_H_
#define TF1HUB_GRAPH_OPS_H_

#include "tf1hub/graph/array_ops.h"
#include "tf1hub/graph/control_flow_ops.h"
#include "tf1hub/graph/graph.h"
#include "tf1hub/graph/io_ops.h"
#include "tf1hub/graph/lookup_ops.h"
#include "tf1hub/graph/math_ops.h"
#include "tf1hub/graph/nn_ops.h"
#include "tf1hub/graph/random_ops.h"
#include "tf1hub/graph/scope.h"
#include "tf1hub/graph/sparse_ops.h"
#include "tf1hub/graph/state_ops.h"
#include "tf1hub/graph/string_ops.h"
#include "tf1hub/graph/training_ops.h"

#endif  // TF1HUB_GRAPH_OPS_H_
