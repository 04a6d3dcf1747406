// See string_inputs.h.
#include "string_inputs.h"

#include <string>
#include <utility>
#include <vector>

#include "tf1hub/env.h"
#include "tf1hub/npy.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub::cli {
namespace {

constexpr std::string_view kNpyMagic = "\x93NUMPY";

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

StatusOr<Tensor> StringTensorFromLines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    const bool last = end == std::string_view::npos;
    if (last) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(line);
    start = end + 1;
  }
  ASSIGN_OR_RETURN(TensorShape shape, TensorShape::Create({static_cast<int64_t>(lines.size())}));
  return Tensor::FromVector(lines, shape);
}

StatusOr<Tensor> ReadInputFile(const std::string& path) {
  FileSystem* fs = PosixFileSystem();
  if (!EndsWith(path, ".npy")) {
    ASSIGN_OR_RETURN(std::string contents, fs->ReadFileToString(path));
    if (contents.compare(0, kNpyMagic.size(), kNpyMagic) != 0) {
      return StringTensorFromLines(contents);
    }
  }
  return ReadNpyFile(path);
}

}  // namespace tf1hub::cli
