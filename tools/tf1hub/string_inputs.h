// Input files of `tf1hub run --input KEY=FILE`: NumPy .npy files, or plain
// text with one string per line (for string signatures such as text
// embedding modules).
//
//   FILE starts with NumPy's magic ("\x93NUMPY") or ends in ".npy":
//     read as .npy (numeric arrays; strings from 'S' and 'U' arrays).
//   Otherwise: a UTF-8 text file giving a string tensor [n], one element per
//     line. Lines end at '\n'; a '\r' before it is dropped; the newline after
//     the last line is optional (a file "a\n\nb\n" is ["a", "", "b"]); an
//     empty file is a [0] tensor.
//
// Thread safety: reentrant.
#ifndef TF1HUB_TOOLS_STRING_INPUTS_H_
#define TF1HUB_TOOLS_STRING_INPUTS_H_

#include <string>
#include <string_view>

#include "tf1hub/status.h"
#include "tf1hub/tensor.h"

namespace tf1hub::cli {

// The lines of `text` as a string tensor [n] (rules above).
StatusOr<Tensor> StringTensorFromLines(std::string_view text);

// Reads an --input file (rules above).
StatusOr<Tensor> ReadInputFile(const std::string& path);

}  // namespace tf1hub::cli

#endif  // TF1HUB_TOOLS_STRING_INPUTS_H_
