// Internal: Python spellings hub's error messages use (repr of sets, bytes
// lists, TensorShapes and Tensors), so our messages match its text.
//
// Thread safety: pure functions.
#ifndef TF1HUB_HUB_PYTHON_REPR_H_
#define TF1HUB_HUB_PYTHON_REPR_H_

#include <string>
#include <vector>

#include "tf1hub/data_type.h"
#include "tf1hub/hub/module_spec.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub::hub {

// repr(set): "set()", "{'a', 'b'}" (sorted; Python's order is hash order).
std::string PySetRepr(const TagSet& tags);
// repr(frozenset): "frozenset()", "frozenset({'a', 'b'})" (sorted).
std::string PyFrozenSetRepr(const TagSet& tags);
// repr(list of str): "['a', 'b']" (in the given order).
std::string PyStrListRepr(const std::vector<std::string>& items);
// repr(list of bytes): "[b'loc:@a', b'loc:@b']".
std::string PyBytesListRepr(const std::vector<std::string>& items);
// str(TensorShape): "<unknown>", "()", "(3,)", "(None, 3)".
std::string PyShapeStr(const PartialTensorShape& shape);
// repr(tf.Tensor) in a graph: Tensor("x:0", shape=(None, 3), dtype=float32).
std::string PyTensorRepr(const std::string& name, const PartialTensorShape& shape, DataType dtype);

}  // namespace tf1hub::hub

#endif  // TF1HUB_HUB_PYTHON_REPR_H_
