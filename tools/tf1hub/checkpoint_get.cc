// `tf1hub checkpoint get PREFIX NAME --out FILE.npy`: extracts one tensor
// (partitioned tensors assembled whole) into a NumPy .npy file.
//
// Strings become fixed-width bytes ('S'), which NumPy pads with NUL bytes:
// trailing NULs of an element cannot be told from padding, so they are lost.
// The file is still written (a warning on stderr says how many elements
// were affected) since every other byte is kept.
#include <cstdio>
#include <memory>
#include <string>

#include "command.h"
#include "tf1hub/checkpoint.h"
#include "tf1hub/npy.h"

namespace tf1hub::cli {
namespace {

// Number of string elements ending in '\0' (NumPy strips them on reading).
int64_t CountTrailingNulStrings(const Tensor& tensor) {
  if (tensor.dtype() != DataType::kString) return 0;
  int64_t count = 0;
  for (const std::string& s : tensor.flat<std::string>()) {
    if (!s.empty() && s.back() == '\0') ++count;
  }
  return count;
}

Status RunGet(const std::string& prefix, const std::string& name, const std::string& out) {
  ASSIGN_OR_RETURN(std::unique_ptr<CheckpointReader> reader, CheckpointReader::Open(prefix));
  const std::string where =
      "tensor '" + name + "' of checkpoint '" + reader->prefix() + "'";
  if (!reader->Contains(name)) {
    return NotFoundError(where + ": no such tensor (`tf1hub checkpoint ls` lists them)");
  }
  ASSIGN_OR_RETURN(CheckpointEntryInfo info, reader->GetInfo(name));
  if (info.dtype == DataType::kBfloat16) {
    // Checked before reading so a large tensor is not loaded for nothing.
    return UnimplementedError(where +
                              ": dtype bfloat16 has no NumPy equivalent, so it cannot be "
                              "written to a .npy file");
  }
  StatusOr<Tensor> tensor = reader->Read(name);
  if (!tensor.ok()) return tensor.status();
  Status written = WriteNpyFile(out, *tensor);
  if (!written.ok()) return written.WithContext("writing " + where + " to '" + out + "'");
  if (const int64_t lossy = CountTrailingNulStrings(*tensor); lossy > 0) {
    std::fprintf(stderr,
                 "tf1hub checkpoint get: warning: %s: %lld string(s) end with NUL bytes, which "
                 "a NumPy 'S' array cannot keep; '%s' holds them without those trailing NULs\n",
                 where.c_str(), static_cast<long long>(lossy), out.c_str());
  }
  return Status::OK();
}

}  // namespace

void AddCheckpointGetCommand(CLI::App& checkpoint, int* exit_code) {
  CLI::App* get = checkpoint.add_subcommand("get", "Write one tensor to a .npy file");
  auto prefix = std::make_shared<std::string>();
  auto name = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  get->add_option("prefix", *prefix,
                  "Checkpoint prefix or a directory holding a 'checkpoint' state file")
      ->required();
  get->add_option("name", *name, "Tensor name as `tf1hub checkpoint ls` prints it")->required();
  get->add_option("--out,-o", *out, "Destination .npy file")->required();
  SetCommandBody(get, exit_code,
                 [prefix, name, out] { return RunGet(*prefix, *name, *out); });
}

}  // namespace tf1hub::cli
