// Tensor <-> tensorflow::TensorProto, with TensorFlow's encoding choices and
// decoding rules (TF_FORMATS.md §1.5).
//
// Encoding follows Python's tensor_util.make_tensor_proto, i.e. what
// tf.constant writes into a Const node:
//   * strings: one string_val per element;
//   * float32/64, int8/16/32/64, uint8/32/64 and the quantized types with more
//     than one element: tensor_content (raw little-endian bytes);
//   * everything else (scalars, one-element tensors, empty tensors, bool,
//     half, bfloat16, complex): the typed field, one value per element
//     (half_val carries half and bfloat16 bit patterns; scomplex_val and
//     dcomplex_val interleave real and imaginary parts).
// BroadcastScalarToProto is tf.constant(value, shape=...) with a scalar
// value: the shape plus a single typed value.
//
// Decoding follows Tensor::FromProto: a non-empty tensor_content must hold
// exactly num_elements * element_size bytes (strings: TF's varint-length
// string list); otherwise the typed field gives the values, the last one
// repeated if there are fewer than num_elements, zeros if there are none.
// Every proto is treated as hostile: bad dtypes, shapes, sizes and
// allocations above `max_bytes` are InvalidArgument / ResourceExhausted.
//
//   ASSIGN_OR_RETURN(tensorflow::TensorProto proto, TensorToProto(tensor));
//   ASSIGN_OR_RETURN(Tensor back, TensorFromProto(proto));
//
// Thread safety: pure functions. Assumes a little-endian host.
#ifndef TF1HUB_GRAPH_TENSOR_PROTO_H_
#define TF1HUB_GRAPH_TENSOR_PROTO_H_

#include <cstdint>

#include "tf1hub/data_type.h"
#include "tf1hub/proto/tensor.pb.h"
#include "tf1hub/proto/types.pb.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor.h"

namespace tf1hub {

// Largest tensor TensorFromProto builds unless told otherwise (a Const with a
// single typed value can describe a tensor of any size).
inline constexpr int64_t kDefaultMaxDecodedTensorBytes = int64_t{4} << 30;

inline tensorflow::DataType ToProtoDataType(DataType dtype) {
  return static_cast<tensorflow::DataType>(static_cast<int>(dtype));
}
inline DataType FromProtoDataType(tensorflow::DataType dtype) {
  return static_cast<DataType>(static_cast<int>(dtype));
}

// Fails for uninitialised tensors and dtypes a TensorProto cannot carry here
// (resource, variant).
StatusOr<tensorflow::TensorProto> TensorToProto(const Tensor& tensor);

// `scalar` must hold exactly one element; the proto has `shape` and that one
// typed value (decoders repeat it).
StatusOr<tensorflow::TensorProto> BroadcastScalarToProto(const Tensor& scalar,
                                                         const TensorShape& shape);

StatusOr<Tensor> TensorFromProto(const tensorflow::TensorProto& proto,
                                 int64_t max_bytes = kDefaultMaxDecodedTensorBytes);

}  // namespace tf1hub

#endif  // TF1HUB_GRAPH_TENSOR_PROTO_H_
