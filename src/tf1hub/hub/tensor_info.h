// Internal: signature TensorInfo protos, in both directions.
//
// ParseTensorInfo is hub's _parse_tensor_info_proto: a dense TensorInfo
// ("name" encoding) gives dtype and shape; a coo_sparse one the values'
// dtype and the dense shape; a composite_tensor one (RaggedTensor, ...) is
// flagged composite, with dtype and shape read from its TypeSpec when the
// spec carries them. The proto may come from a hostile file: bad dtypes and
// shapes are InvalidArgument.
//
// BuildTensorInfo is tf.compat.v1.saved_model.build_tensor_info for a
// tensor of our Graph: "node:idx", dtype and the statically inferred shape
// (unknown_rank when unknown), or coo_sparse with the SparseTensor's dense
// shape (constant_value_as_shape of its dense_shape tensor).
//
// Thread safety: pure functions (BuildTensorInfo uses the caller's
// ShapeInference).
#ifndef TF1HUB_HUB_TENSOR_INFO_H_
#define TF1HUB_HUB_TENSOR_INFO_H_

#include <string>

#include "tf1hub/graph/graph.h"
#include "tf1hub/graph/shape_inference.h"
#include "tf1hub/hub/create_module_spec.h"
#include "tf1hub/hub/module_spec.h"
#include "tf1hub/proto/meta_graph.pb.h"
#include "tf1hub/status.h"

namespace tf1hub::hub {

StatusOr<ParsedTensorInfo> ParseTensorInfo(const tensorflow::TensorInfo& proto);

// Every entry of a signature's input or output map, keyed as in the map.
StatusOr<std::map<std::string, ParsedTensorInfo>> ParseTensorInfoMap(
    const google::protobuf::Map<std::string, tensorflow::TensorInfo>& map);

StatusOr<tensorflow::TensorInfo> BuildTensorInfo(const Graph& graph, ShapeInference& shapes,
                                                 const SignatureTensor& tensor);

// TensorFlow's constant_value_as_shape for a 1-D int32/int64 tensor that
// holds a shape (a SparseTensor's dense_shape): constant entries where they
// can be read (Const, Shape of a shaped tensor, PlaceholderWithDefault of a
// Const, Pack of scalars), else unknown dims of the known rank, else
// unknown rank.
StatusOr<PartialTensorShape> ConstantValueAsShape(const Graph& graph, ShapeInference& shapes,
                                                  const Output& shape_tensor);

}  // namespace tf1hub::hub

#endif  // TF1HUB_HUB_TENSOR_INFO_H_
