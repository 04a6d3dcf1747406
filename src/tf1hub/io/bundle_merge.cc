// MergeCheckpoints: TensorFlow's MergeV2Checkpoints / MergeBundles.
//
// Every input index is read and checked first (same endianness and version,
// no duplicate whole tensors, slices of a partitioned tensor that do not
// overlap); only then are the data files renamed to DEST.data-K-of-N (K
// assigned in input order: input i's shard s becomes the sum of the earlier
// inputs' num_shards plus s), DEST.index written (temp file + rename) and the
// inputs' index files deleted. For single-shard inputs this gives the bytes
// TensorFlow writes.
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tf1hub/checkpoint.h"
#include "tf1hub/core/checked_math.h"
#include "tf1hub/io/bundle_format.h"
#include "tf1hub/io/bundle_index.h"
#include "tf1hub/io/tensor_slice_util.h"

namespace tf1hub {
namespace {

struct MergeState {
  bool have_header = false;
  tensorflow::BundleHeaderProto::Endianness endianness = tensorflow::BundleHeaderProto::LITTLE;
  std::string version_bytes;
  tensorflow::VersionDef version;
  int32_t num_shards = 0;
  std::map<std::string, tensorflow::BundleEntryProto> entries;
  // (source data file, destination shard id), for referenced shards only.
  std::map<std::string, int32_t> renames;
};

Status MergeOne(FileSystem* fs, const std::string& prefix, MergeState* state) {
  const std::string index_path = bundle::IndexFilename(prefix);
  const std::string context = "checkpoint index '" + index_path + "'";
  ASSIGN_OR_RETURN(bundle::IndexContents index, bundle::ReadIndexFile(fs, index_path));
  const tensorflow::BundleHeaderProto& header = index.header;
  std::string version_bytes;
  header.version().SerializeToString(&version_bytes);
  if (!state->have_header) {
    state->have_header = true;
    state->endianness = header.endianness();
    state->version_bytes = version_bytes;
    state->version = header.version();
  } else if (state->endianness != header.endianness()) {
    return InvalidArgumentError(context + ": endianness differs from the first checkpoint's");
  } else if (state->version_bytes != version_bytes) {
    return InvalidArgumentError(context + ": format version " + header.version().DebugString() +
                                " differs from the first checkpoint's " +
                                state->version.DebugString());
  }
  const int32_t base = state->num_shards;
  if (!CheckedAdd(state->num_shards, header.num_shards(), &state->num_shards)) {
    return InvalidArgumentError(context + ": total number of shards overflows");
  }

  for (const auto& [key, value] : index.entries) {
    // Validates everything ParseEntry checks; the proto itself is what we
    // write back (unchanged but for shard_id, as TensorFlow does).
    StatusOr<bundle::Entry> parsed = bundle::ParseEntry(key, value, header.num_shards());
    if (!parsed.ok()) return parsed.status().WithContext(context);
    tensorflow::BundleEntryProto entry;
    entry.ParseFromString(value);

    auto existing = state->entries.find(key);
    if (existing != state->entries.end()) {
      tensorflow::BundleEntryProto& merged = existing->second;
      if (merged.slices_size() == 0 || entry.slices_size() == 0) {
        return InvalidArgumentError(context + ": duplicate tensor " + bundle::QuoteKey(key) +
                                    " (already in an earlier checkpoint)");
      }
      StatusOr<bundle::Entry> before =
          bundle::ParseEntry(key, merged.SerializeAsString(), state->num_shards);
      if (!before.ok()) return before.status().WithContext(context);
      if (before->dtype != parsed->dtype || !(before->shape == parsed->shape)) {
        return InvalidArgumentError(context + ": partitioned tensor " + bundle::QuoteKey(key) +
                                    " is " + DataTypeName(parsed->dtype) + " " +
                                    parsed->shape.DebugString() + " here but " +
                                    DataTypeName(before->dtype) + " " +
                                    before->shape.DebugString() + " in an earlier checkpoint");
      }
      for (const TensorSlice& slice : parsed->slices) {
        for (const TensorSlice& other : before->slices) {
          if (IntersectSlices(slice, other).has_value()) {
            return InvalidArgumentError(context + ": partitioned tensor " +
                                        bundle::QuoteKey(key) + ": slice " + slice.DebugString() +
                                        " overlaps slice " + other.DebugString() +
                                        " of an earlier checkpoint");
          }
        }
      }
      if (merged.slices_size() + entry.slices_size() > bundle::kMaxSlicesPerTensor) {
        return InvalidArgumentError(context + ": partitioned tensor " + bundle::QuoteKey(key) +
                                    " would have more than " +
                                    std::to_string(bundle::kMaxSlicesPerTensor) + " slices");
      }
      for (const auto& slice : entry.slices()) *merged.add_slices() = slice;
      continue;
    }
    if (entry.slices_size() == 0) {
      state->renames.emplace(bundle::DataFilename(prefix, entry.shard_id(), header.num_shards()),
                             base + entry.shard_id());
      entry.set_shard_id(base + entry.shard_id());
    } else {
      entry.set_shard_id(base);  // TensorFlow records the input's first shard here
    }
    state->entries.emplace(key, std::move(entry));
  }
  return Status::OK();
}

}  // namespace

Status MergeCheckpoints(const std::vector<std::string>& prefixes, const std::string& dest,
                        FileSystem* fs) {
  if (fs == nullptr) fs = PosixFileSystem();
  const std::string context = "merging checkpoints into '" + dest + "'";
  if (prefixes.empty()) return InvalidArgumentError(context + ": no input checkpoints");
  std::set<std::string> seen;
  for (const std::string& p : prefixes) {
    if (!seen.insert(p).second) {
      return InvalidArgumentError(context + ": checkpoint '" + p + "' is listed twice");
    }
  }

  MergeState state;
  for (const std::string& prefix : prefixes) {
    RETURN_IF_ERROR_WITH_CONTEXT(MergeOne(fs, prefix, &state), context);
  }
  for (const auto& [from, shard] : state.renames) {
    if (!fs->FileExists(from)) {
      return NotFoundError(context + ": data file '" + from + "' does not exist");
    }
  }

  const std::string dir(Dirname(dest));
  if (!dir.empty()) {
    Status s = fs->RecursivelyCreateDir(dir);
    if (!s.ok() && s.code() != StatusCode::kAlreadyExists) return s.WithContext(context);
  }
  for (const auto& [from, shard] : state.renames) {
    RETURN_IF_ERROR_WITH_CONTEXT(
        fs->RenameFile(from, bundle::DataFilename(dest, shard, state.num_shards)), context);
  }

  tensorflow::BundleHeaderProto header;
  header.set_num_shards(state.num_shards);
  header.set_endianness(state.endianness);
  *header.mutable_version() = state.version;
  const std::string index_path = bundle::IndexFilename(dest);
  const std::string temp_path = index_path + ".tempstate-merge";
  Status s = bundle::WriteIndexFile(fs, temp_path, header, state.entries);
  if (s.ok()) s = fs->RenameFile(temp_path, index_path);
  if (!s.ok()) {
    if (fs->FileExists(temp_path)) fs->DeleteFile(temp_path).IgnoreError();
    return s.WithContext(context);
  }

  // Best effort, as in TensorFlow: the merged checkpoint is complete already.
  for (const std::string& prefix : prefixes) {
    const std::string old_index = bundle::IndexFilename(prefix);
    if (old_index != index_path) fs->DeleteFile(old_index).IgnoreError();
  }
  return Status::OK();
}

}  // namespace tf1hub
