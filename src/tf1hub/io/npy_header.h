// Internal: the header of a NumPy .npy file.
//
// Layout (numpy/lib/format.py):
//   "\x93NUMPY" | major | minor | header length (uint16 LE for 1.0,
//   uint32 LE for 2.0 and 3.0) | header text | array data
// The header text is a Python dict literal with exactly the keys 'descr'
// (a dtype string such as '<f4'), 'fortran_order' (True/False) and 'shape'
// (a tuple of ints), padded with spaces and ending in '\n'.
//
// numpy 1.26 writes version 1.0 (2.0 only when the text exceeds 65535
// bytes), adds 21 - len(str(shape[0])) spaces after the dict of a non-scalar
// (room to grow axis 0 in place), then pads with spaces so that the data
// starts at a multiple of 64 bytes.
//
// Thread safety: pure functions.
#ifndef TF1HUB_IO_NPY_HEADER_H_
#define TF1HUB_IO_NPY_HEADER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tf1hub/status.h"

namespace tf1hub {

struct NpyHeader {
  int major_version = 1;
  std::string descr;
  bool fortran_order = false;
  std::vector<int64_t> shape;  // each dim >= 0 (the product is not checked)
  size_t data_offset = 0;      // where the array data starts in the file
};

// Parses the preamble and the header dict of `bytes` (a whole file).
// DataLoss naming `what` for a bad magic string, an unknown version, a
// header running past the end of the file, a malformed dict, missing,
// unknown or repeated keys, negative or overflowing dimensions.
// InvalidArgument for structured dtypes (a list as 'descr').
StatusOr<NpyHeader> ParseNpyHeader(std::string_view bytes, std::string_view what);

// The preamble + header text numpy 1.26 writes for a C-order array of
// `descr` and `shape`.
std::string FormatNpyHeader(std::string_view descr, const std::vector<int64_t>& shape);

}  // namespace tf1hub

#endif  // TF1HUB_IO_NPY_HEADER_H_
