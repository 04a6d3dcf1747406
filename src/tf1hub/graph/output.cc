#include "tf1hub/graph/output.h"

#include <charconv>

namespace tf1hub {

StatusOr<Output> ParseTensorName(std::string_view name) {
  auto bad = [&](const char* why) {
    return InvalidArgumentError("tensor name '" + std::string(name) + "': " + why);
  };
  if (name.empty()) return bad("empty");
  if (name[0] == '^') return bad("is a control input, not a tensor");
  const size_t colon = name.rfind(':');
  if (colon == std::string_view::npos) return Output{std::string(name), 0};
  std::string_view node = name.substr(0, colon);
  std::string_view index = name.substr(colon + 1);
  if (node.empty()) return bad("no node name before ':'");
  if (index.empty()) return bad("no output index after ':'");
  if (index.size() > 1 && index[0] == '0') return bad("output index has a leading zero");
  int value = 0;
  auto [ptr, ec] = std::from_chars(index.data(), index.data() + index.size(), value);
  if (ec != std::errc() || ptr != index.data() + index.size() || value < 0) {
    return bad("output index is not a non-negative int32");
  }
  return Output{std::string(node), value};
}

}  // namespace tf1hub
