// Checkpoint I/O kernels: RestoreV2, SaveV2, MergeV2Checkpoints,
// ShardedFilename and ShardedFilespec, with TensorFlow 2.15's semantics and
// error messages (checked against TensorFlow; see io_ops_test.cc and
// interop/test_kernels_io.py). The checkpoint bytes are read and written by
// tf1hub's V2 checkpoint library (include/tf1hub/checkpoint.h).
//
// Differences from TensorFlow, all on inputs TensorFlow mishandles:
//   * a prefix without PREFIX.index that names an existing path would be
//     read by TensorFlow as a V1 (TensorSliceReader) checkpoint; tf1hub has
//     no V1 reader and returns Unimplemented;
//   * slices of string / half / unsigned tensors are restored (TensorFlow
//     fails with "Dtype string not supported." unless the stored slice is the
//     requested one);
//   * empty tensor names, overlapping or mismatched slices and negative
//     dimensions are InvalidArgument (TensorFlow check-fails, crashing the
//     process, or writes an unreadable checkpoint);
//   * MergeV2Checkpoints into one of its own inputs keeps the merged index
//     (TensorFlow deletes it after writing it).
#include <algorithm>
#include <charconv>
#include <map>
#include <cstdio>
#include <memory>
#include <numeric>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tf1hub/checkpoint.h"
#include "tf1hub/core/checked_math.h"
#include "tf1hub/env.h"
#include "tf1hub/io/bundle_format.h"
#include "tf1hub/io/bundle_index.h"
#include "tf1hub/io/tensor_slice_util.h"
#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/kernel_registry.h"
#include "tf1hub/kernels/register_all.h"

namespace tf1hub {
namespace {

// ---------------------------------------------------------------------------
// TensorFlow's shape_and_slice grammar ("dim0 dim1 ... slice", the slice as
// "start,length" or "-" per dimension separated by ':'), with its exact
// acceptance rules and messages. tf1hub's ParseShapeAndSlice
// (checkpoint.h) is stricter and words its errors for tf1hub users; the ops
// must answer as TensorFlow does (e.g. TensorFlow ignores empty ':' items
// and reports out-of-range extents as Internal errors).

std::vector<std::string_view> SplitOn(std::string_view s, char sep, bool skip_empty) {
  std::vector<std::string_view> parts;
  size_t begin = 0;
  while (true) {
    const size_t pos = s.find(sep, begin);
    const std::string_view part =
        s.substr(begin, pos == std::string_view::npos ? std::string_view::npos : pos - begin);
    if (!skip_empty || !part.empty()) parts.push_back(part);
    if (pos == std::string_view::npos) return parts;
    begin = pos + 1;
  }
}

// A whole decimal int64 with an optional '-' (TensorFlow's safe_strto64 on
// tokens that cannot hold spaces).
bool ParseDecimal(std::string_view token, int64_t* out) {
  if (token.empty()) return false;
  const char* end = token.data() + token.size();
  auto [ptr, ec] = std::from_chars(token.data(), end, *out);
  return ec == std::errc() && ptr == end;
}

struct ParsedSpec {
  TensorShape full_shape;
  TensorSlice slice;
  TensorShape slice_shape;
};

Status ParseSliceText(std::string_view text, TensorSlice* slice) {
  for (std::string_view item : SplitOn(text, ':', /*skip_empty=*/true)) {
    if (item == "-") {
      slice->extents.push_back(SliceExtent{0, kFullExtentLength});
      continue;
    }
    std::vector<std::string_view> pair = SplitOn(item, ',', /*skip_empty=*/true);
    SliceExtent e;
    if (pair.size() != 2 || !ParseDecimal(pair[0], &e.start) ||
        !ParseDecimal(pair[1], &e.length)) {
      return InvalidArgumentError("Expected a pair of numbers or '-' but got '" +
                                  std::string(item) + "': string = " + std::string(text));
    }
    if (e.start < 0 || e.length <= 0) {
      return InvalidArgumentError(
          "Expected non-negative start and positive length but got start = " +
          std::to_string(e.start) + ", length = " + std::to_string(e.length) +
          ": string = " + std::string(text));
    }
    slice->extents.push_back(e);
  }
  return Status::OK();
}

StatusOr<ParsedSpec> ParseSpec(const std::string& spec) {
  std::vector<std::string_view> parts = SplitOn(spec, ' ', /*skip_empty=*/false);
  if (parts.size() < 2) {
    return InvalidArgumentError("Need least two elements in shape_and_slice specification: " +
                                spec);
  }
  ParsedSpec parsed;
  RETURN_IF_ERROR(ParseSliceText(parts.back(), &parsed.slice));
  parts.pop_back();
  std::vector<int64_t> dims;
  for (std::string_view token : parts) {
    int64_t dim = 0;
    if (!ParseDecimal(token, &dim)) {
      return InvalidArgumentError("Non numerical dimension in shape_and_slice: " + spec);
    }
    if (dim < 0) {  // TensorFlow check-fails here
      return InvalidArgumentError("Negative dimension " + std::to_string(dim) +
                                  " in shape_and_slice: " + spec);
    }
    dims.push_back(dim);
  }
  StatusOr<TensorShape> shape = TensorShape::Create(dims);
  if (!shape.ok()) return shape.status().WithContext("shape_and_slice '" + spec + "'");
  parsed.full_shape = *std::move(shape);

  const TensorSlice& slice = parsed.slice;
  if (static_cast<int>(slice.extents.size()) != parsed.full_shape.rank()) {
    return InternalError("Mismatching ranks: shape = " + parsed.full_shape.DebugString() +
                         ", slice = " + slice.DebugString());
  }
  std::vector<int64_t> slice_dims;
  for (int d = 0; d < parsed.full_shape.rank(); ++d) {
    const SliceExtent& e = slice.extents[d];
    if (IsFullExtent(e)) {
      slice_dims.push_back(parsed.full_shape.dim(d));
      continue;
    }
    int64_t end = 0;
    if (!CheckedAdd(e.start, e.length, &end) || end > parsed.full_shape.dim(d)) {
      return InternalError("Extent in dimension " + std::to_string(d) +
                           " out of bounds: shape = " + parsed.full_shape.DebugString() +
                           ", slice = " + slice.DebugString());
    }
    slice_dims.push_back(e.length);
  }
  ASSIGN_OR_RETURN(parsed.slice_shape, TensorShape::Create(slice_dims));
  return parsed;
}

// ---------------------------------------------------------------------------
// Shared input checks of SaveV2 and RestoreV2 (TensorFlow's ValidateInputs).

Status ValidateSaveRestoreInputs(const OpKernelContext& ctx, bool is_save) {
  const Tensor& prefix = ctx.input(0);
  const Tensor& names = ctx.input(1);
  const Tensor& specs = ctx.input(2);
  if (prefix.NumElements() != 1) {
    return InvalidArgumentError("Input prefix should have a single element, got " +
                                std::to_string(prefix.NumElements()) + " instead.");
  }
  if (names.shape().rank() != 1 || specs.shape().rank() != 1) {
    return InvalidArgumentError(
        "Input tensor_names and shape_and_slices should be an 1-D tensors, got " +
        names.shape().DebugString() + " and " + specs.shape().DebugString() + " instead.");
  }
  if (names.NumElements() != specs.NumElements()) {
    return InvalidArgumentError(
        "tensor_names and shape_and_slices have different number of elements: " +
        std::to_string(names.NumElements()) + " vs. " + std::to_string(specs.NumElements()));
  }
  if (is_save && ctx.num_inputs() != names.NumElements() + 3) {
    return InvalidArgumentError("Got " + std::to_string(names.NumElements()) +
                                " tensor names but " + std::to_string(ctx.num_inputs() - 3) +
                                " tensors.");
  }
  return Status::OK();
}

// TensorFlow creates the parent directory of a checkpoint (one level, not
// recursively) before writing; its error reads "<dir>; No such file or
// directory".
Status CreateParentDir(FileSystem* fs, const std::string& prefix) {
  const std::string dir(Dirname(prefix));
  if (dir.empty()) return Status::OK();
  Status s = fs->CreateDir(dir);
  if (s.ok() || s.code() == StatusCode::kAlreadyExists) return Status::OK();
  if (s.code() == StatusCode::kNotFound) {
    return NotFoundError(dir + "; No such file or directory");
  }
  return s;
}

// Tensors with more elements than this are restored after the others, as
// TensorFlow restores them from a thread pool (this orders the errors alike).
constexpr int64_t kLargeTensorElements = int64_t{16} << 20;

// ---------------------------------------------------------------------------
// RestoreV2: reads `tensor_names` (whole, or the slices `shape_and_slices`
// give) from the checkpoint at `prefix`. The checkpoint is opened on every
// run (opening reads only the index), so a rewritten checkpoint is always
// seen. Large tensors come back as views over the memory-mapped data file.
class RestoreV2Op : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    std::vector<DataType> dtypes;
    RETURN_IF_ERROR(c.GetAttr("dtypes", &dtypes));
    return std::unique_ptr<OpKernel>(new RestoreV2Op(c, std::move(dtypes)));
  }

  Status Compute(OpKernelContext* ctx) override {
    const Tensor& names = ctx->input(1);
    if (names.NumElements() != static_cast<int64_t>(dtypes_.size())) {
      return InvalidArgumentError("Got " + std::to_string(names.NumElements()) +
                                  " tensor names, but " + std::to_string(dtypes_.size()) +
                                  " expected dtypes.");
    }
    RETURN_IF_ERROR(ValidateSaveRestoreInputs(*ctx, /*is_save=*/false));
    const std::string& prefix = ctx->input(0).flat<std::string>()[0];
    std::span<const std::string> name_list = names.flat<std::string>();
    std::span<const std::string> specs = ctx->input(2).flat<std::string>();

    ASSIGN_OR_RETURN(std::unique_ptr<CheckpointReader> reader, OpenCheckpoint(prefix));

    // TensorFlow looks every name up (the first missing one, in input order,
    // is the error), then reports all dtype mismatches at once, then reads;
    // it visits the tensors in data-file order, which only shows in errors.
    const size_t n = name_list.size();
    std::vector<CheckpointEntryInfo> infos(n);
    for (size_t i = 0; i < n; ++i) {
      if (!reader->Contains(name_list[i])) {
        return NotFoundError("Key " + name_list[i] + " not found in checkpoint");
      }
      ASSIGN_OR_RETURN(infos[i], reader->GetInfo(name_list[i]));
    }
    std::vector<size_t> mismatched;
    for (size_t i = 0; i < n; ++i) {
      if (infos[i].dtype != dtypes_[i]) mismatched.push_back(i);
    }
    if (!mismatched.empty()) {
      std::string message;
      for (size_t i : FileOrder(prefix, name_list)) {
        if (infos[i].dtype == dtypes_[i]) continue;
        if (!message.empty()) message += "\n";
        message += "tensor_name = " + name_list[i] + "; expected dtype " +
                   TfTypeName(dtypes_[i]) + " does not equal original dtype " +
                   TfTypeName(infos[i].dtype);
      }
      return InvalidArgumentError(message);
    }

    std::vector<Tensor> values(n);
    for (size_t i = 0; i < n; ++i) {
      StatusOr<Tensor> value = RestoreOne(*reader, infos[i], specs[i]);
      if (!value.ok()) return FirstErrorInTfOrder(*reader, prefix, name_list, infos, specs);
      values[i] = *std::move(value);
    }
    for (size_t i = 0; i < n; ++i) ctx->set_output(static_cast<int>(i), std::move(values[i]));
    return Status::OK();
  }

 private:
  RestoreV2Op(const KernelConstruction& c, std::vector<DataType> dtypes)
      : OpKernel(c), dtypes_(std::move(dtypes)) {}

  static StatusOr<std::unique_ptr<CheckpointReader>> OpenCheckpoint(const std::string& prefix) {
    FileSystem* fs = PosixFileSystem();
    if (!fs->FileExists(prefix + ".index")) {
      // TensorFlow then tries the V1 format, whose reader globs `prefix`.
      StatusOr<std::vector<std::string>> matches = fs->Match(prefix);
      if (matches.ok() && !matches->empty()) {
        return UnimplementedError("'" + prefix + "' is not a V2 checkpoint (there is no '" +
                                  prefix + ".index'); tf1hub does not read TensorFlow's V1 "
                                  "checkpoint format");
      }
      return NotFoundError(
          "Unsuccessful TensorSliceReader constructor: Failed to find any matching files for " +
          prefix);
    }
    CheckpointReader::Options options;
    options.fs = fs;
    return CheckpointReader::Open(prefix, options);
  }

  // The input indices in TensorFlow's reading order: by (shard, offset) of
  // each tensor's index entry. Reads the index again: for error paths only.
  static std::vector<size_t> FileOrder(const std::string& prefix,
                                       std::span<const std::string> names) {
    std::vector<size_t> order(names.size());
    std::iota(order.begin(), order.end(), size_t{0});
    StatusOr<bundle::IndexContents> index =
        bundle::ReadIndexFile(PosixFileSystem(), bundle::IndexFilename(prefix));
    if (!index.ok()) return order;
    std::map<std::string, std::pair<int32_t, int64_t>, std::less<>> position;
    for (const std::string& name : names) position.emplace(name, std::make_pair(0, int64_t{0}));
    for (const auto& [key, value] : index->entries) {
      auto it = position.find(key);
      if (it == position.end()) continue;
      StatusOr<bundle::Entry> entry = bundle::ParseEntry(key, value, index->header.num_shards());
      if (entry.ok()) it->second = {entry->shard_id, entry->offset};
    }
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return position.find(names[a])->second < position.find(names[b])->second;
    });
    return order;
  }

  // The error TensorFlow reports when some read fails: it reads tensors of
  // up to kLargeTensorElements elements first, then the larger ones, each
  // group in file order, and stops at the first failure.
  static Status FirstErrorInTfOrder(const CheckpointReader& reader, const std::string& prefix,
                                    std::span<const std::string> names,
                                    const std::vector<CheckpointEntryInfo>& infos,
                                    std::span<const std::string> specs) {
    std::vector<size_t> order = FileOrder(prefix, names);
    std::stable_partition(order.begin(), order.end(), [&](size_t i) {
      return infos[i].shape.num_elements() <= kLargeTensorElements;
    });
    for (size_t i : order) {
      StatusOr<Tensor> value = RestoreOne(reader, infos[i], specs[i]);
      if (!value.ok()) return value.status();
    }
    return InternalError("RestoreV2: a read failed once but not when repeated");
  }

  static StatusOr<Tensor> RestoreOne(const CheckpointReader& reader,
                                     const CheckpointEntryInfo& info, const std::string& spec) {
    if (spec.empty()) {
      if (!info.slices.empty()) {
        RETURN_IF_ERROR(CheckCovered(info, FullSlice(info.shape.rank())));
      }
      return reader.Read(info.name);
    }
    ASSIGN_OR_RETURN(ParsedSpec parsed, ParseSpec(spec));
    if (!(parsed.full_shape == info.shape)) {
      return InvalidArgumentError("tensor_name = " + info.name +
                                  "; shape in shape_and_slice spec " +
                                  parsed.full_shape.DebugString() +
                                  " does not match the shape stored in checkpoint: " +
                                  info.shape.DebugString());
    }
    if (!info.slices.empty()) RETURN_IF_ERROR(CheckCovered(info, parsed.slice));
    return reader.ReadSlice(info.name, parsed.slice);
  }

  // TensorFlow's message when the stored slices of a partitioned tensor do
  // not cover the requested slice (stored slices never overlap).
  static Status CheckCovered(const CheckpointEntryInfo& info, const TensorSlice& wanted) {
    int64_t covered = 0;
    for (const TensorSlice& stored : info.slices) {
      if (std::optional<TensorSlice> common = IntersectSlices(stored, wanted)) {
        covered += SliceVolume(*common, info.shape);
      }
    }
    if (covered == SliceVolume(wanted, info.shape)) return Status::OK();
    return InvalidArgumentError("Does not have sufficient slices for partitioned tensor " +
                                info.name + " to restore in slice_spec: " + wanted.DebugString());
  }

  const std::vector<DataType> dtypes_;
};

// ---------------------------------------------------------------------------
// SaveV2: writes the tensors (or, with a shape_and_slice spec, slices of
// larger tensors) as a single-shard V2 checkpoint at `prefix`.
class SaveV2Op : public OpKernel {
 public:
  explicit SaveV2Op(const KernelConstruction& c) : OpKernel(c) {}

  Status Compute(OpKernelContext* ctx) override {
    RETURN_IF_ERROR(ValidateSaveRestoreInputs(*ctx, /*is_save=*/true));
    const std::string& prefix = ctx->input(0).flat<std::string>()[0];
    std::span<const std::string> names = ctx->input(1).flat<std::string>();
    std::span<const std::string> specs = ctx->input(2).flat<std::string>();

    FileSystem* fs = PosixFileSystem();
    RETURN_IF_ERROR(CreateParentDir(fs, prefix));
    CheckpointWriter::Options options;
    options.fs = fs;
    ASSIGN_OR_RETURN(std::unique_ptr<CheckpointWriter> writer,
                     CheckpointWriter::Create(prefix, options));
    std::set<std::string> added;  // names added so far, whole or sliced
    for (size_t i = 0; i < names.size(); ++i) {
      const std::string& name = names[i];
      const Tensor& tensor = ctx->input(static_cast<int>(i) + 3);
      if (specs[i].empty()) {
        if (!added.insert(name).second) {
          return InvalidArgumentError("Adding duplicate key: " + name);
        }
        RETURN_IF_ERROR(writer->Add(name, tensor));
        continue;
      }
      ASSIGN_OR_RETURN(ParsedSpec parsed, ParseSpec(specs[i]));
      if (!(parsed.slice_shape == tensor.shape())) {
        return InvalidArgumentError(
            "Slice in shape_and_slice specification does not match the shape of the tensor to "
            " save: " + specs[i] + ", tensor: " + tensor.shape().DebugString());
      }
      // TensorFlow writes a slice covering the whole tensor as the tensor.
      if (IsFullSlice(parsed.slice, parsed.full_shape) && added.contains(name)) {
        return InvalidArgumentError("Adding duplicate key: " + name);
      }
      added.insert(name);
      RETURN_IF_ERROR(writer->AddSlice(name, parsed.full_shape, parsed.slice, tensor));
    }
    return writer->Finish();
  }
};

// ---------------------------------------------------------------------------
// MergeV2Checkpoints: merges the single-shard checkpoints
// `checkpoint_prefixes` into `destination_prefix` (their data files are
// renamed, their index files deleted) and, with delete_old_dirs, removes
// their directories when empty and other than the destination's.
class MergeV2CheckpointsOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    bool delete_old_dirs = true, allow_missing_files = false;
    RETURN_IF_ERROR(c.GetAttr("delete_old_dirs", &delete_old_dirs));
    RETURN_IF_ERROR(c.GetAttr("allow_missing_files", &allow_missing_files));
    return std::unique_ptr<OpKernel>(
        new MergeV2CheckpointsOp(c, delete_old_dirs, allow_missing_files));
  }

  Status Compute(OpKernelContext* ctx) override {
    const Tensor& sources = ctx->input(0);
    const Tensor& destination = ctx->input(1);
    if (sources.shape().rank() != 1) {
      return InvalidArgumentError("Input checkpoint_prefixes should be an 1-D tensor, got " +
                                  sources.shape().DebugString() + " instead.");
    }
    if (destination.shape().rank() != 0) {
      return InvalidArgumentError("Input destination_prefix should be a scalar tensor, got " +
                                  destination.shape().DebugString() + " instead.");
    }
    std::span<const std::string> prefixes = sources.flat<std::string>();
    const std::string& merged = destination.scalar<std::string>();
    FileSystem* fs = PosixFileSystem();

    RETURN_IF_ERROR(CreateParentDir(fs, merged));
    std::vector<std::string> present;
    for (const std::string& prefix : prefixes) {
      if (fs->FileExists(prefix + ".index")) {
        present.push_back(prefix);
        continue;
      }
      if (allow_missing_files_) continue;
      // TensorFlow appends the status of FileExists(prefix) to its message.
      return InvalidArgumentError(
          "allow_missing_files was set to false and " + prefix + " did not exist." +
          (fs->FileExists(prefix) ? std::string("OK") : "NOT_FOUND: " + prefix + " not found"));
    }
    if (present.empty()) {
      return InvalidArgumentError(
          "At least one prefix checkpoint file must exist, but none existed.");
    }
    RETURN_IF_ERROR(MergeCheckpoints(present, merged, fs));

    if (delete_old_dirs_) {
      const std::string_view merged_dir = Dirname(merged);
      for (const std::string& prefix : prefixes) {
        const std::string dir(Dirname(prefix));
        if (dir == merged_dir) continue;
        // Best effort, as in TensorFlow: a shared or non-empty directory
        // stays (only the first of several shards' deletes succeeds).
        fs->DeleteDir(dir).IgnoreError();
      }
    }
    return Status::OK();
  }

 private:
  MergeV2CheckpointsOp(const KernelConstruction& c, bool delete_old_dirs,
                       bool allow_missing_files)
      : OpKernel(c), delete_old_dirs_(delete_old_dirs), allow_missing_files_(allow_missing_files) {}
  const bool delete_old_dirs_;
  const bool allow_missing_files_;
};

// ---------------------------------------------------------------------------
// ShardedFilename / ShardedFilespec: TensorFlow's "%s-%05d-of-%05d" names.

std::string FormatShardNumber(int32_t n) {
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "%05d", static_cast<int>(n));
  return buffer;
}

Status CheckScalar(const Tensor& t, const char* what) {
  if (t.shape().rank() == 0) return Status::OK();
  return InvalidArgumentError(std::string(what) + " must be a scalar, got shape " +
                              t.shape().DebugString());
}

class ShardedFilenameOp : public OpKernel {
 public:
  explicit ShardedFilenameOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    RETURN_IF_ERROR(CheckScalar(ctx->input(0), "basename"));
    RETURN_IF_ERROR(CheckScalar(ctx->input(1), "shard"));
    RETURN_IF_ERROR(CheckScalar(ctx->input(2), "num_shards"));
    ctx->set_output(0, Tensor::Scalar<std::string>(
                           ctx->input(0).scalar<std::string>() + "-" +
                           FormatShardNumber(ctx->input(1).scalar<int32_t>()) + "-of-" +
                           FormatShardNumber(ctx->input(2).scalar<int32_t>())));
    return Status::OK();
  }
};

class ShardedFilespecOp : public OpKernel {
 public:
  explicit ShardedFilespecOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    RETURN_IF_ERROR(CheckScalar(ctx->input(0), "basename"));
    RETURN_IF_ERROR(CheckScalar(ctx->input(1), "num_shards"));
    ctx->set_output(0, Tensor::Scalar<std::string>(
                           ctx->input(0).scalar<std::string>() + "-\?\?\?\?\?-of-" +
                           FormatShardNumber(ctx->input(1).scalar<int32_t>())));
    return Status::OK();
  }
};

}  // namespace

void RegisterIoKernels(KernelRegistry* r) {
  r->Register("RestoreV2", {}, MakeKernelFactory<RestoreV2Op>());
  r->Register("SaveV2", {}, MakeKernelFactory<SaveV2Op>());
  r->Register("MergeV2Checkpoints", {}, MakeKernelFactory<MergeV2CheckpointsOp>());
  r->Register("ShardedFilename", {}, MakeKernelFactory<ShardedFilenameOp>());
  r->Register("ShardedFilespec", {}, MakeKernelFactory<ShardedFilespecOp>());
}

}  // namespace tf1hub
