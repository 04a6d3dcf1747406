// Internal: the text of the `checkpoint` state file, as Python's
// text_format writes it, without file-system access (used by
// checkpoint_state.cc and its tests).
//
//   FormatPythonFloat(1595521834.7208126) == "1595521834.7208126"
//   FormatPythonFloat(1e16) == "1e+16"
//   PythonCEscape("a\"b\xe9") == "a\\\"b\\351"
//
// Thread safety: pure functions.
#ifndef TF1HUB_IO_CHECKPOINT_STATE_FORMAT_H_
#define TF1HUB_IO_CHECKPOINT_STATE_FORMAT_H_

#include <string>
#include <string_view>

#include "tf1hub/checkpoint.h"
#include "tf1hub/status.h"

namespace tf1hub {

// Python's repr(float): shortest digits that round-trip, fixed notation for
// decimal exponents in [-4, 16) ("0.0001", "1595521800.0"), else scientific
// with a signed two-digit-minimum exponent ("1e-05", "1.5e+16"); "nan",
// "inf", "-inf".
std::string FormatPythonFloat(double value);

// Python protobuf's text_format string escaping (as_utf8=False): \t \n \r
// \" \' \\ by name, other bytes below 0x20 or from 0x7f up as \ooo octal.
std::string PythonCEscape(std::string_view bytes);

// The file text for `state`, written as given (no path rewriting). Appends
// model_checkpoint_path to all_model_checkpoint_paths unless it is already
// the last one. InvalidArgument if model_checkpoint_path is empty or the
// timestamps are neither empty nor one per path.
StatusOr<std::string> FormatCheckpointState(const CheckpointState& state);

// Parses the file text (no path rewriting, no check of
// model_checkpoint_path). DataLoss naming `what` and the position if the
// text is not a CheckpointState. A 0.0 last_preserved_timestamp reads as
// absent (proto3 cannot tell them apart).
StatusOr<CheckpointState> ParseCheckpointState(std::string_view text, const std::string& what);

}  // namespace tf1hub

#endif  // TF1HUB_IO_CHECKPOINT_STATE_FORMAT_H_
