// `tf1hub checkpoint ls PREFIX [--json]`: lists every tensor of a checkpoint
// with its dtype and full shape.
//
// Text form, one line per tensor (partitioned tensors get a fourth column):
//   dense/kernel<TAB>float32<TAB>[784,10]
//   emb<TAB>float32<TAB>[1000,64]<TAB>partitioned: 3 slices (0,334:0,64 334,333:0,64 667,333:0,64)
// JSON form, one tensor per line:
//   [
//    {"name":"dense/kernel","dtype":"float32","shape":[784,10]},
//    {"name":"emb","dtype":"float32","shape":[1000,64],"slices":["0,334:0,64",...]}
//   ]
// ("slices" only for partitioned tensors).
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "command.h"
#include "tf1hub/checkpoint.h"

namespace tf1hub::cli {
namespace {

std::string TextLine(const CheckpointEntryInfo& entry) {
  std::string line = entry.name + "\t" + DataTypeName(entry.dtype) + "\t" +
                     entry.shape.DebugString();
  if (!entry.slices.empty()) {
    line += "\tpartitioned: " + std::to_string(entry.slices.size()) + " slices (";
    for (size_t i = 0; i < entry.slices.size(); ++i) {
      if (i > 0) line += " ";
      line += entry.slices[i].DebugString();
    }
    line += ")";
  }
  return line + "\n";
}

// ordered_json keeps the keys in the order written (name, dtype, shape).
nlohmann::ordered_json JsonEntry(const CheckpointEntryInfo& entry) {
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  object["name"] = entry.name;
  object["dtype"] = DataTypeName(entry.dtype);
  object["shape"] = entry.shape.dims();
  if (!entry.slices.empty()) {
    nlohmann::ordered_json slices = nlohmann::ordered_json::array();
    for (const TensorSlice& slice : entry.slices) slices.push_back(slice.DebugString());
    object["slices"] = std::move(slices);
  }
  return object;
}

Status WriteStdout(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() ||
      std::fflush(stdout) != 0) {
    return UnavailableError("writing the listing to standard output failed");
  }
  return Status::OK();
}

Status RunLs(const std::string& prefix, bool json) {
  ASSIGN_OR_RETURN(std::unique_ptr<CheckpointReader> reader, CheckpointReader::Open(prefix));
  const std::vector<CheckpointEntryInfo>& entries = reader->Entries();
  if (json) {
    // Tensor names are arbitrary bytes; JSON must be UTF-8, so invalid
    // sequences become U+FFFD instead of throwing.
    std::string text = "[";
    for (size_t i = 0; i < entries.size(); ++i) {
      text += i == 0 ? "\n " : ",\n ";
      text += JsonEntry(entries[i]).dump(-1, ' ', false,
                                         nlohmann::ordered_json::error_handler_t::replace);
    }
    text += entries.empty() ? "]\n" : "\n]\n";
    return WriteStdout(text);
  }
  std::string text;
  for (const CheckpointEntryInfo& entry : entries) text += TextLine(entry);
  return WriteStdout(text);
}

}  // namespace

void AddCheckpointLsCommand(CLI::App& checkpoint, int* exit_code) {
  CLI::App* ls = checkpoint.add_subcommand("ls", "List every tensor with its dtype and shape");
  auto prefix = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  ls->add_option("prefix", *prefix,
                 "Checkpoint prefix (PREFIX.index must exist) or a directory holding a "
                 "'checkpoint' state file")
      ->required();
  ls->add_flag("--json", *json, "Print a JSON list of {name, dtype, shape}");
  SetCommandBody(ls, exit_code, [prefix, json] { return RunLs(*prefix, *json); });
}

}  // namespace tf1hub::cli
