// `tf1hub checkpoint write PREFIX NAME=FILE.npy [NAME=FILE.npy ...]`: writes a
// V2 checkpoint holding the given .npy arrays, in argument order (which fixes
// the layout of the data file, as SaveV2's input order does in TensorFlow).
//
// Names may contain '=' and '/': each argument is split on its LAST '='.
// Every argument is checked before anything is written, and the checkpoint
// files appear only if all tensors were added (CheckpointWriter::Finish), so
// a failed write leaves nothing at PREFIX.
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "command.h"
#include "tf1hub/checkpoint.h"
#include "tf1hub/npy.h"

namespace tf1hub::cli {
namespace {

struct TensorArg {
  std::string name;
  std::string path;
};

StatusOr<std::vector<TensorArg>> ParseTensorArgs(const std::vector<std::string>& args) {
  std::vector<TensorArg> parsed;
  std::set<std::string> seen;
  for (const std::string& arg : args) {
    const size_t eq = arg.rfind('=');
    if (eq == std::string::npos) {
      return InvalidArgumentError("argument '" + arg +
                                  "': expected NAME=FILE.npy (no '=' found)");
    }
    TensorArg tensor{arg.substr(0, eq), arg.substr(eq + 1)};
    if (tensor.name.empty()) {
      return InvalidArgumentError("argument '" + arg + "': the tensor name before '=' is empty");
    }
    if (tensor.path.empty()) {
      return InvalidArgumentError("argument '" + arg + "': the .npy file after '=' is empty");
    }
    if (!seen.insert(tensor.name).second) {
      return InvalidArgumentError("argument '" + arg + "': tensor '" + tensor.name +
                                  "' is given more than once");
    }
    parsed.push_back(std::move(tensor));
  }
  return parsed;
}

Status RunWrite(const std::string& prefix, const std::vector<std::string>& args) {
  ASSIGN_OR_RETURN(std::vector<TensorArg> tensors, ParseTensorArgs(args));
  ASSIGN_OR_RETURN(std::unique_ptr<CheckpointWriter> writer, CheckpointWriter::Create(prefix));
  // One tensor in memory at a time: the writer streams each to the data file.
  for (const TensorArg& arg : tensors) {
    const std::string context = "checkpoint '" + prefix + "': tensor '" + arg.name + "'";
    StatusOr<Tensor> tensor = ReadNpyFile(arg.path);
    if (!tensor.ok()) return tensor.status().WithContext(context + " from '" + arg.path + "'");
    RETURN_IF_ERROR(writer->Add(arg.name, *tensor));
  }
  return writer->Finish();
}

}  // namespace

void AddCheckpointWriteCommand(CLI::App& checkpoint, int* exit_code) {
  CLI::App* write = checkpoint.add_subcommand(
      "write", "Write a checkpoint from .npy files (tensors in argument order)");
  auto prefix = std::make_shared<std::string>();
  auto args = std::make_shared<std::vector<std::string>>();
  write->add_option("prefix", *prefix, "Checkpoint prefix to create (PREFIX.index, ...)")
      ->required();
  write->add_option("tensors", *args, "NAME=FILE.npy (split on the last '=')")->required();
  SetCommandBody(write, exit_code, [prefix, args] { return RunWrite(*prefix, *args); });
}

}  // namespace tf1hub::cli
