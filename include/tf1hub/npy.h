// NumPy .npy files (format versions 1.0, 2.0 and 3.0), read into and written
// from Tensors.
//
// Numeric dtypes map one to one ('<f4' float32, '<f2' float16, '|b1' bool,
// '<c8' complex64, ...). bfloat16 has no NumPy type: it is refused. Strings
// are written as fixed-width bytes ('|S<n>', n = longest string, at least 1)
// and read from 'S' (NUL padding removed) and 'U' (UTF-32 → UTF-8) arrays.
// Fortran-order arrays are transposed on read. Object arrays ('|O') are
// refused: they are pickles.
//
// Thread safety: functions are reentrant.
#ifndef TF1HUB_NPY_H_
#define TF1HUB_NPY_H_

#include <string>
#include <string_view>

#include "tf1hub/env.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor.h"

namespace tf1hub {

// Parses .npy bytes. `what` names the source in errors (usually the path).
StatusOr<Tensor> ParseNpy(std::string_view bytes, std::string_view what);
StatusOr<std::string> SerializeNpy(const Tensor& tensor);

StatusOr<Tensor> ReadNpyFile(const std::string& path, FileSystem* fs = nullptr);
Status WriteNpyFile(const std::string& path, const Tensor& tensor, FileSystem* fs = nullptr);

}  // namespace tf1hub

#endif  // TF1HUB_NPY_H_
