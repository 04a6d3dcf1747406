// The `checkpoint` state file: a text-format tensorflow.CheckpointState.
//
// Reading uses protobuf's TextFormat parser in merge mode (as TensorFlow's
// Python text_format.Merge: a repeated singular field keeps the last value).
// Writing reproduces Python's text_format.MessageToString byte for byte:
// one "name: value" line per field in field-number order, strings
// double-quoted with Python's C escapes (bytes >= 0x7f and control bytes as
// 3-digit octal), doubles as Python's repr (shortest round-trip digits), and
// proto3 defaults (an empty string, a 0.0 double) omitted.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include "tf1hub/checkpoint.h"
#include "tf1hub/io/checkpoint_state_format.h"
#include "tf1hub/proto/checkpoint_state.pb.h"

namespace tf1hub {
namespace {

constexpr char kStateFileName[] = "checkpoint";

// Collects the first parse error with its position.
class FirstErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (!error_.empty()) return;
    error_ = "line " + std::to_string(line + 1) + " column " + std::to_string(column + 1) + ": " +
             message;
  }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

// `path` relative to `dir` if it lies inside it, else unchanged.
std::string RelativeTo(const std::string& path, std::string_view dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.remove_suffix(1);
  if (dir.empty()) return path;
  const std::string prefix = dir == "/" ? std::string("/") : std::string(dir) + "/";
  if (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0) {
    return path.substr(prefix.size());
  }
  return path;
}

std::string JoinIfRelative(const std::string& dir, const std::string& path) {
  return IsAbsolutePath(path) ? path : JoinPath(dir, path);
}

}  // namespace

std::string FormatPythonFloat(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  // Shortest round-trip digits in scientific form: "-d.ddde+XX".
  char buf[64];
  const std::to_chars_result r =
      std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::scientific);
  std::string_view sci(buf, r.ptr - buf);
  std::string out;
  if (!sci.empty() && sci.front() == '-') {
    out.push_back('-');
    sci.remove_prefix(1);
  }
  const size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = 0;
  const std::string_view exp_text = sci.substr(e_pos + 1);
  const char* exp_begin = exp_text.data() + (exp_text.front() == '+' ? 1 : 0);
  std::from_chars(exp_begin, exp_text.data() + exp_text.size(), exponent);
  // Python's repr: value = 0.DIGITS * 10^decpt; fixed notation unless
  // decpt <= -4 or decpt > 16.
  const int decpt = exponent + 1;
  const int n = static_cast<int>(digits.size());
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) {
      out += "0." + std::string(-decpt, '0') + digits;
    } else if (decpt >= n) {
      out += digits + std::string(decpt - n, '0') + ".0";
    } else {
      out += digits.substr(0, decpt) + "." + digits.substr(decpt);
    }
    return out;
  }
  out.push_back(digits[0]);
  if (n > 1) out += "." + digits.substr(1);
  const int e = decpt - 1;
  char exp_buf[16];
  std::snprintf(exp_buf, sizeof(exp_buf), "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
  out += exp_buf;
  return out;
}

std::string PythonCEscape(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (unsigned char c : bytes) {
    switch (c) {
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '"': out += "\\\""; break;
      case '\'': out += "\\'"; break;
      case '\\': out += "\\\\"; break;
      default:
        if (c < 0x20 || c >= 0x7f) {
          char oct[5];
          std::snprintf(oct, sizeof(oct), "\\%03o", c);
          out += oct;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out;
}

StatusOr<std::string> FormatCheckpointState(const CheckpointState& state) {
  if (state.model_checkpoint_path.empty()) {
    return InvalidArgumentError("checkpoint state: model_checkpoint_path is empty");
  }
  std::vector<std::string> paths = state.all_model_checkpoint_paths;
  if (paths.empty() || paths.back() != state.model_checkpoint_path) {
    paths.push_back(state.model_checkpoint_path);
  }
  const std::vector<double>& stamps = state.all_model_checkpoint_timestamps;
  if (!stamps.empty() && stamps.size() != paths.size()) {
    return InvalidArgumentError(
        "checkpoint state: timestamps, if provided, must match checkpoint paths (got " +
        std::to_string(paths.size()) + " paths and " + std::to_string(stamps.size()) +
        " timestamps)");
  }
  std::string text =
      "model_checkpoint_path: \"" + PythonCEscape(state.model_checkpoint_path) + "\"\n";
  for (const std::string& p : paths) {
    text += "all_model_checkpoint_paths: \"" + PythonCEscape(p) + "\"\n";
  }
  for (double t : stamps) text += "all_model_checkpoint_timestamps: " + FormatPythonFloat(t) + "\n";
  if (state.last_preserved_timestamp.has_value() && *state.last_preserved_timestamp != 0.0) {
    text += "last_preserved_timestamp: " + FormatPythonFloat(*state.last_preserved_timestamp) +
            "\n";
  }
  return text;
}

StatusOr<CheckpointState> ParseCheckpointState(std::string_view text, const std::string& what) {
  tensorflow::CheckpointState proto;
  google::protobuf::TextFormat::Parser parser;
  FirstErrorCollector errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.MergeFromString(std::string(text), &proto)) {
    return DataLossError("checkpoint state file '" + what +
                         "': not a text-format CheckpointState (" + errors.error() + ")");
  }
  CheckpointState state;
  state.model_checkpoint_path = proto.model_checkpoint_path();
  state.all_model_checkpoint_paths.assign(proto.all_model_checkpoint_paths().begin(),
                                          proto.all_model_checkpoint_paths().end());
  state.all_model_checkpoint_timestamps.assign(proto.all_model_checkpoint_timestamps().begin(),
                                               proto.all_model_checkpoint_timestamps().end());
  if (proto.last_preserved_timestamp() != 0.0) {
    state.last_preserved_timestamp = proto.last_preserved_timestamp();
  }
  return state;
}

StatusOr<CheckpointState> ReadCheckpointState(const std::string& dir, FileSystem* fs) {
  if (fs == nullptr) fs = PosixFileSystem();
  const std::string path = JoinPath(dir, kStateFileName);
  if (!fs->FileExists(path)) {
    return NotFoundError("no checkpoint state file '" + path + "'");
  }
  ASSIGN_OR_RETURN(std::string text, fs->ReadFileToString(path));
  ASSIGN_OR_RETURN(CheckpointState state, ParseCheckpointState(text, path));
  if (state.model_checkpoint_path.empty()) {
    return InvalidArgumentError("Invalid checkpoint state loaded from " + dir +
                                " (file '" + path + "' has no model_checkpoint_path)");
  }
  state.model_checkpoint_path = JoinIfRelative(dir, state.model_checkpoint_path);
  for (std::string& p : state.all_model_checkpoint_paths) p = JoinIfRelative(dir, p);
  return state;
}

Status WriteCheckpointState(const std::string& dir, const CheckpointState& state, bool relative,
                            FileSystem* fs) {
  if (fs == nullptr) fs = PosixFileSystem();
  const std::string path = JoinPath(dir, kStateFileName);
  CheckpointState out = state;
  if (relative) {
    out.model_checkpoint_path = RelativeTo(out.model_checkpoint_path, dir);
    for (std::string& p : out.all_model_checkpoint_paths) p = RelativeTo(p, dir);
  }
  if (out.model_checkpoint_path == path ||
      JoinIfRelative(dir, out.model_checkpoint_path) == path) {
    return InvalidArgumentError("checkpoint path '" + state.model_checkpoint_path +
                                "' conflicts with the checkpoint state file '" + path +
                                "'; use a different save path");
  }
  StatusOr<std::string> text = FormatCheckpointState(out);
  if (!text.ok()) return text.status().WithContext("writing '" + path + "'");
  return fs->WriteStringToFileAtomically(path, *text);
}

StatusOr<std::string> LatestCheckpoint(const std::string& dir, FileSystem* fs) {
  if (fs == nullptr) fs = PosixFileSystem();
  ASSIGN_OR_RETURN(CheckpointState state, ReadCheckpointState(dir, fs));
  const std::string& prefix = state.model_checkpoint_path;
  // V2 checkpoints have PREFIX.index; V1 checkpoints are the file PREFIX.
  for (const std::string& pattern : {prefix + ".index", prefix}) {
    ASSIGN_OR_RETURN(std::vector<std::string> matches, fs->Match(pattern));
    if (!matches.empty()) return prefix;
  }
  return NotFoundError("Couldn't match files for checkpoint " + prefix + " (named by '" +
                       JoinPath(dir, kStateFileName) + "')");
}

}  // namespace tf1hub
