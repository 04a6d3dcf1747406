// Static shapes of graph tensors, for the layers (internal).
//
// TensorFlow's Python layers read the static shape of their inputs (the
// kernel of dense(x, 3) is [x.shape[-1], 3]; dropout uses a Const noise
// shape when x's shape is fully known). Graph does not track shapes, so this
// file infers them for the ops layer inputs are usually made of:
// placeholders, constants, variable reads, identity-like and element-wise
// ops (with broadcasting), MatMul, BiasAdd, the ops the layers themselves
// build, and Switch/Merge. Anything else has an unknown rank.
//
//   PartialTensorShape s = InferStaticShape(*scope.graph(), x);  // [?,4]
//
// Thread safety: reads the graph only.
#ifndef TF1HUB_GRAPH_LAYERS_STATIC_SHAPE_H_
#define TF1HUB_GRAPH_LAYERS_STATIC_SHAPE_H_

#include "tf1hub/graph/graph.h"
#include "tf1hub/graph/output.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub {

// The static shape of `output`; unknown rank when it cannot be inferred.
PartialTensorShape InferStaticShape(const Graph& graph, const Output& output);

// TF's broadcast of two static shapes (unknown dims stay unknown where they
// could matter; incompatible known dims give an unknown rank).
PartialTensorShape BroadcastStaticShapes(const PartialTensorShape& a, const PartialTensorShape& b);

}  // namespace tf1hub

#endif  // TF1HUB_GRAPH_LAYERS_STATIC_SHAPE_H_
