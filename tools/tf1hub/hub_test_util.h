// Test helpers for the hub commands: small TF1 Hub modules exported with
// the C++ hub API into temporary directories, with known variable values so
// tests can compute expected outputs by hand.
#ifndef TF1HUB_TOOLS_HUB_TEST_UTIL_H_
#define TF1HUB_TOOLS_HUB_TEST_UTIL_H_

#include <string>
#include <vector>

#include "tf1hub/core/temp_dir_test_util.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor.h"

namespace tf1hub::cli::testing {

using tf1hub::testing::ScopedTempDir;

// A fresh empty directory tf1hub_cli_test_XXXXXX under $TEST_TMPDIR (else
// $TMPDIR, else /tmp), removed when the result goes out of scope.
ScopedTempDir NewTempDir();

// The "affine" module:
//   variant []:        x float32 [?,3]; w [3,2] = [[1,2],[3,4],[5,6]],
//                      b [2] = [0.5,-0.5] (resource variables, Constant
//                      initializers);
//     signature default: inputs {default: x},
//                        outputs {default: x@w + b, doubled: 2*x}
//     signature sum:     inputs {a, b: float32 [?,2]}, outputs {default: a+b}
//   variant ['train']: the same, but default = (x@w + b) * 10.
//   attachment "info" (a TensorShapeProto [7,11]) in both variants.
// Exported right after initialization (so w, b hold the values above).
Status ExportAffineModule(const std::string& dir);

// A stateless module with one asset: signature default maps a string
// placeholder to itself, and the Const "vocab_file" (in asset_filepaths)
// names a file "tokens.txt" holding "cat\ndog\n" (8 bytes).
Status ExportAssetModule(const std::string& dir);

// Writes `values` (name -> float32 tensor) as a V2 checkpoint at `prefix`.
Status WriteFloatCheckpoint(const std::string& prefix,
                            const std::vector<std::pair<std::string, Tensor>>& values);

// A float32 tensor of `dims` holding `values`.
Tensor FloatTensor(std::vector<int64_t> dims, std::vector<float> values);

std::string ReadFileOrDie(const std::string& path);
void WriteFileOrDie(const std::string& path, const std::string& contents);

}  // namespace tf1hub::cli::testing

#endif  // TF1HUB_TOOLS_HUB_TEST_UTIL_H_
