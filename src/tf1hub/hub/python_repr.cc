// Python spellings for hub's messages (see python_repr.h).
#include "tf1hub/hub/python_repr.h"

namespace tf1hub::hub {
namespace {

std::string Join(const std::vector<std::string>& items, const std::string& prefix) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    out += prefix + "'" + item + "'";
  }
  return out;
}

}  // namespace

std::string PySetRepr(const TagSet& tags) {
  if (tags.empty()) return "set()";
  return "{" + Join(std::vector<std::string>(tags.begin(), tags.end()), "") + "}";
}

std::string PyFrozenSetRepr(const TagSet& tags) {
  if (tags.empty()) return "frozenset()";
  return "frozenset(" + PySetRepr(tags) + ")";
}

std::string PyStrListRepr(const std::vector<std::string>& items) {
  return "[" + Join(items, "") + "]";
}

std::string PyBytesListRepr(const std::vector<std::string>& items) {
  return "[" + Join(items, "b") + "]";
}

std::string PyShapeStr(const PartialTensorShape& shape) {
  if (shape.unknown_rank()) return "<unknown>";
  std::string out = "(";
  for (size_t i = 0; i < shape.dims().size(); ++i) {
    if (i > 0) out += ", ";
    int64_t d = shape.dims()[i];
    out += d < 0 ? "None" : std::to_string(d);
  }
  if (shape.dims().size() == 1) out += ",";
  return out + ")";
}

std::string PyTensorRepr(const std::string& name, const PartialTensorShape& shape, DataType dtype) {
  return "Tensor(\"" + name + "\", shape=" + PyShapeStr(shape) + ", dtype=" + DataTypeName(dtype) +
         ")";
}

}  // namespace tf1hub::hub
