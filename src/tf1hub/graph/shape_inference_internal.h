// Internals of static shape inference (include/tf1hub/graph/shape_inference.h):
// the partial-shape algebra of TensorFlow's shape_inference::InferenceContext
// (Merge, WithRank, Subshape, Concatenate, dimension arithmetic, broadcasting),
// constant tensors as shape functions read them, the per-node context a
// shape function works on, and the table of shape functions by op name.
//
// A shape function reads its node's input shapes (and, on request, constant
// input values) and sets its output shapes; it returns InvalidArgument with
// a plain message ("Dimensions must be equal, but are 3 and 4"), to which
// the driver adds the node ("for '{{node m}} = MatMul[...](a, b)' with input
// shapes: [2,3], [4,5]").
//
// Thread safety: as ShapeInference (one context per node evaluation).
#ifndef TF1HUB_GRAPH_SHAPE_INFERENCE_INTERNAL_H_
#define TF1HUB_GRAPH_SHAPE_INFERENCE_INTERNAL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tf1hub/proto/node_def.pb.h"
#include "tf1hub/proto/types.pb.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub::shape_inference {

inline constexpr int64_t kUnknownDim = -1;

// A partial shape: unknown rank, or dims with -1 for unknown.
struct Shape {
  bool known = false;
  std::vector<int64_t> dims;

  static Shape Unknown() { return Shape(); }
  static Shape Of(std::vector<int64_t> dims) { return Shape{true, std::move(dims)}; }
  static Shape UnknownOfRank(int64_t rank) {
    return Of(std::vector<int64_t>(static_cast<size_t>(rank), kUnknownDim));
  }
  static Shape Scalar() { return Of({}); }
  static Shape Vector(int64_t dim) { return Of({dim}); }
  static Shape Matrix(int64_t rows, int64_t cols) { return Of({rows, cols}); }
  static Shape FromPartial(const PartialTensorShape& shape);

  int64_t rank() const { return known ? static_cast<int64_t>(dims.size()) : -1; }
  bool FullyDefined() const;
  // Product of the dims; -1 if the rank or a dim is unknown (0 wins).
  int64_t NumElements() const;
  // Dim `index` (negative counts from the end); unknown for unknown rank.
  int64_t Dim(int64_t index) const;
  // "[?,3]", "?" for unknown rank (TF's InferenceContext::DebugString).
  std::string ToString() const;
  PartialTensorShape ToPartial() const;

  friend bool operator==(const Shape&, const Shape&) = default;
};

// What a resource handle refers to (TF's ShapeAndType list): a variable's
// dtype and shape, a table's key and value.
struct HandleShape {
  tensorflow::DataType dtype = tensorflow::DT_INVALID;
  Shape shape;
};
using HandleData = std::vector<HandleShape>;  // empty: nothing known

// A constant tensor as shape functions read it: integers and bools in
// `ints`, floating point in `floats`, strings in `strings`.
struct ConstTensor {
  tensorflow::DataType dtype = tensorflow::DT_INVALID;
  std::vector<int64_t> shape;
  std::vector<int64_t> ints;
  std::vector<double> floats;
  std::vector<std::string> strings;

  int64_t NumElements() const;
  bool IsInteger() const;   // int8..int64, uint8..uint64, bool
  bool IsFloating() const;  // float, double, half, bfloat16
  bool IsString() const { return dtype == tensorflow::DT_STRING; }
  // Elements as int64 / double, whatever the storage.
  int64_t IntAt(int64_t i) const;
  double FloatAt(int64_t i) const;
};

// Largest constant (in elements) evaluated for shape functions.
inline constexpr int64_t kMaxConstElements = int64_t{1} << 20;

bool IsIntegerType(tensorflow::DataType dtype);
bool IsFloatingType(tensorflow::DataType dtype);

// ---- Shape algebra (TF's InferenceContext), plain messages on error. ----

Status MergeDim(int64_t a, int64_t b, int64_t* out);
Status Merge(const Shape& a, const Shape& b, Shape* out);
Status WithRank(const Shape& s, int64_t rank, Shape* out);
Status WithRankAtLeast(const Shape& s, int64_t rank, Shape* out);
Status WithRankAtMost(const Shape& s, int64_t rank, Shape* out);
Status WithValue(int64_t dim, int64_t value, int64_t* out);
// TF's Subshape(s, start, end, stride); end = INT64_MAX means "to the end".
Status Subshape(const Shape& s, int64_t start, int64_t end, int64_t stride, Shape* out);
inline Status Subshape(const Shape& s, int64_t start, Shape* out) {
  return Subshape(s, start, INT64_MAX, 1, out);
}
inline Status Subshape(const Shape& s, int64_t start, int64_t end, Shape* out) {
  return Subshape(s, start, end, 1, out);
}
Shape Concatenate(const Shape& a, const Shape& b);
Status AddDims(int64_t a, int64_t b, int64_t* out);
Status SubtractDims(int64_t a, int64_t b, int64_t* out);
Status MultiplyDims(int64_t a, int64_t b, int64_t* out);
Status DivideDim(int64_t dividend, int64_t divisor, bool evenly_divisible, int64_t* out);
// BroadcastBinaryOpOutputShapeFnHelper with incompatible_shape_error=true.
Status BroadcastShapes(const Shape& a, const Shape& b, Shape* out);

// The static output shape of StridedSlice (TF's ValidateStridedSliceOp over
// a partial input shape). `begin`/`end` may be null (unknown values).
struct StridedSliceMasks {
  int64_t begin = 0, end = 0, ellipsis = 0, new_axis = 0, shrink_axis = 0;
};
struct StridedSliceDense {
  // Per input dim, after canonicalisation (valid when the dim is known and
  // begin/end are known).
  std::vector<int64_t> begin, end, strides;
  Shape processing;  // one dim per input dim
  Shape final_shape;
};
Status ComputeStridedSlice(const Shape& input, const std::vector<int64_t>* begin,
                           const std::vector<int64_t>* end, const std::vector<int64_t>& strides,
                           const StridedSliceMasks& masks, StridedSliceDense* out);

class ShapeInferenceImpl;

// The view a shape function has of one node.
class InferenceContext {
 public:
  InferenceContext(ShapeInferenceImpl* impl, const tensorflow::NodeDef& node,
                   std::vector<Shape> inputs, std::vector<const HandleData*> input_handles,
                   int num_outputs);

  const tensorflow::NodeDef& node() const { return node_; }
  int num_inputs() const { return static_cast<int>(inputs_.size()); }
  const Shape& input(int i) const { return inputs_[i]; }
  const std::vector<Shape>& inputs() const { return inputs_; }
  int num_outputs() const { return static_cast<int>(outputs_.size()); }
  void set_output(int i, Shape s) { outputs_[i] = std::move(s); }
  const Shape& output(int i) const { return outputs_[i]; }
  std::vector<Shape>& outputs() { return outputs_; }
  // Handle data of input i, or nullptr.
  const HandleData* input_handle(int i) const { return input_handles_[i]; }
  void set_output_handle(int i, HandleData data) { output_handles_[i] = std::move(data); }
  std::vector<HandleData>& output_handles() { return output_handles_; }

  // Attr readers with TF's defaults for attrs the node may lack.
  int64_t IntAttr(std::string_view name, int64_t dflt) const;
  bool BoolAttr(std::string_view name, bool dflt) const;
  float FloatAttr(std::string_view name, float dflt) const;
  std::string StringAttr(std::string_view name, std::string_view dflt) const;
  tensorflow::DataType TypeAttr(std::string_view name) const;
  std::vector<int64_t> IntListAttr(std::string_view name) const;
  // Unknown shape when the attr is absent or has unknown rank.
  StatusOr<Shape> ShapeAttr(std::string_view name) const;

  // The value of input i when TF's shape inference can evaluate it (Const,
  // Shape of a known shape, a constant subgraph); nullptr otherwise.
  const ConstTensor* input_tensor(int i);
  // TF's MakeShapeFromShapeTensor: the partial shape input i describes.
  Status MakeShapeFromShapeTensor(int i, Shape* out);
  // TF's MakeDimForScalarInput.
  Status MakeDimForScalarInput(int i, int64_t* out);

 private:
  ShapeInferenceImpl* impl_;
  const tensorflow::NodeDef& node_;
  std::vector<Shape> inputs_;
  std::vector<const HandleData*> input_handles_;
  std::vector<Shape> outputs_;
  std::vector<HandleData> output_handles_;
};

using ShapeFn = Status (*)(InferenceContext& c);

// The shape function of `op`, or nullptr (outputs stay unknown).
ShapeFn LookupShapeFn(std::string_view op);

// Registration lists, one per op family (shape_inference_ops_*.cc).
struct ShapeFnEntry {
  const char* op;
  ShapeFn fn;
};
std::vector<ShapeFnEntry> ArrayShapeFns();
std::vector<ShapeFnEntry> MathShapeFns();
std::vector<ShapeFnEntry> NnShapeFns();
std::vector<ShapeFnEntry> MiscShapeFns();
std::vector<ShapeFnEntry> ExtraShapeFns();

// Shared shape functions.
Status UnchangedShape(InferenceContext& c);
Status ScalarShape(InferenceContext& c);
Status NoOutputs(InferenceContext& c);
Status UnknownShapes(InferenceContext& c);

// Constant evaluation of one op from constant inputs (TF's constant folding
// of shape-function inputs). `op_inputs` are the node's data inputs;
// `input_shapes` their static shapes. nullopt when the op is not evaluated.
std::optional<ConstTensor> EvaluateConstOp(const tensorflow::NodeDef& node, int output,
                                           const std::vector<const ConstTensor*>& op_inputs);
// True if EvaluateConstOp knows `op` (stateless ops only).
bool LookupConstEvaluable(std::string_view op);
// Decodes a Const node's value (nullopt if too large or not decodable).
std::optional<ConstTensor> ConstFromNode(const tensorflow::NodeDef& node);

}  // namespace tf1hub::shape_inference

#endif  // TF1HUB_GRAPH_SHAPE_INFERENCE_INTERNAL_H_
