#include "tf1hub/io/bundle_reader.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <set>
#include <thread>
#include <utility>

#include "tf1hub/core/checked_math.h"
#include "tf1hub/core/crc32c.h"
#include "tf1hub/core/tensor_buffer.h"
#include "tf1hub/io/bundle_index.h"
#include "tf1hub/io/ordered_code.h"
#include "tf1hub/io/tensor_slice_util.h"

namespace tf1hub {

using bundle::QuoteKey;

StatusOr<std::unique_ptr<CheckpointReader>> CheckpointReader::Open(const std::string& prefix) {
  return BundleReader::Open(prefix, Options());
}

StatusOr<std::unique_ptr<CheckpointReader>> CheckpointReader::Open(const std::string& prefix,
                                                                   const Options& options) {
  return BundleReader::Open(prefix, options);
}

namespace {

// Options::verify_threads resolved: 0 is one per core, at most 8 (more
// cores than that do not make a memory-bound checksum faster).
int VerifyThreads(int requested) {
  if (requested > 0) return requested;
  const unsigned cores = std::thread::hardware_concurrency();
  return static_cast<int>(std::clamp(cores, 1u, 8u));
}

}  // namespace

StatusOr<std::unique_ptr<CheckpointReader>> BundleReader::Open(const std::string& prefix,
                                                               const Options& options) {
  if (options.verify_threads < 0 || options.verify_chunk_bytes == 0 ||
      options.verify_chunk_bytes > SIZE_MAX / 2) {
    return InvalidArgumentError("checkpoint '" + prefix + "': bad reader options: verify_threads " +
                                std::to_string(options.verify_threads) +
                                " (must be >= 0), verify_chunk_bytes " +
                                std::to_string(options.verify_chunk_bytes) +
                                " (must be > 0)");
  }
  FileSystem* fs = options.fs != nullptr ? options.fs : PosixFileSystem();
  std::string resolved = prefix;
  if (!fs->FileExists(bundle::IndexFilename(prefix))) {
    StatusOr<bool> is_dir = fs->IsDirectory(prefix);
    if (!is_dir.ok() || !*is_dir) {
      return NotFoundError("checkpoint '" + prefix + "': index file '" +
                           bundle::IndexFilename(prefix) +
                           "' not found (and the prefix is not a directory with a "
                           "'checkpoint' state file)");
    }
    StatusOr<std::string> latest = LatestCheckpoint(prefix, fs);
    if (!latest.ok()) {
      return latest.status().WithContext("opening the latest checkpoint in directory '" + prefix +
                                         "'");
    }
    resolved = *latest;
  }
  std::unique_ptr<BundleReader> reader(
      new BundleReader(fs, options, resolved, VerifyThreads(options.verify_threads)));
  RETURN_IF_ERROR(reader->Load());
  return std::unique_ptr<CheckpointReader>(std::move(reader));
}

Status BundleReader::Load() {
  const std::string index_path = bundle::IndexFilename(prefix_);
  ASSIGN_OR_RETURN(bundle::IndexContents index, bundle::ReadIndexFile(fs_, index_path));
  num_shards_ = index.header.num_shards();
  big_endian_file_ = index.header.endianness() == tensorflow::BundleHeaderProto::BIG;
  swap_bytes_ = index.header.endianness() != bundle::HostEndianness();

  const std::string context = "checkpoint index '" + index_path + "'";
  for (auto& [key, value] : index.entries) {
    StatusOr<bundle::Entry> entry = bundle::ParseEntry(key, value, num_shards_);
    if (!entry.ok()) return entry.status().WithContext(context);
    entries_.emplace_hint(entries_.end(), std::move(key), std::move(*entry));
  }

  // Slice data entries are reached through their tensor's metadata entry;
  // they must exist and agree with it, and are hidden from Entries().
  std::set<std::string_view> slice_keys;
  for (const auto& [name, entry] : entries_) {
    for (const TensorSlice& slice : entry.slices) {
      const std::string key = EncodeTensorNameSlice(name, slice);
      auto it = entries_.find(key);
      const std::string what = "partitioned tensor " + QuoteKey(name) + " slice " +
                               slice.DebugString();
      if (it == entries_.end() || !it->second.slices.empty()) {
        return DataLossError(context + ": " + what + ": its data entry is missing");
      }
      StatusOr<TensorShape> shape = SliceShape(slice, entry.shape);
      if (!shape.ok() || it->second.dtype != entry.dtype || !(it->second.shape == *shape)) {
        return DataLossError(context + ": " + what + ": the data entry holds " +
                             DataTypeName(it->second.dtype) + " " +
                             it->second.shape.DebugString() + ", expected " +
                             DataTypeName(entry.dtype) + " " +
                             (shape.ok() ? shape->DebugString() : std::string("?")));
      }
      slice_keys.insert(it->first);
    }
  }
  for (const auto& [name, entry] : entries_) {
    if (slice_keys.contains(name)) continue;
    visible_.emplace(name, infos_.size());
    infos_.push_back(CheckpointEntryInfo{name, entry.dtype, entry.shape, entry.slices});
  }
  return Status::OK();
}

bool BundleReader::Contains(const std::string& name) const { return visible_.contains(name); }

StatusOr<const bundle::Entry*> BundleReader::Find(const std::string& name) const {
  if (!visible_.contains(name)) {
    return NotFoundError("checkpoint '" + prefix_ + "': tensor " + QuoteKey(name) +
                         " not found");
  }
  return &entries_.find(name)->second;
}

StatusOr<CheckpointEntryInfo> BundleReader::GetInfo(const std::string& name) const {
  auto it = visible_.find(name);
  if (it == visible_.end()) {
    return NotFoundError("checkpoint '" + prefix_ + "': tensor " + QuoteKey(name) +
                         " not found");
  }
  return infos_[it->second];
}

Status BundleReader::DataError(const std::string& key, const DataFile& file,
                               const Status& cause) const {
  return cause.WithContext("checkpoint '" + prefix_ + "': tensor " + QuoteKey(key) + " in '" +
                           file.path + "'");
}

StatusOr<std::shared_ptr<BundleReader::DataFile>> BundleReader::GetDataFile(
    int32_t shard_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = data_files_.find(shard_id);
  if (it != data_files_.end()) return it->second;
  auto file = std::make_shared<DataFile>();
  file->path = bundle::DataFilename(prefix_, shard_id, num_shards_);
  ASSIGN_OR_RETURN(file->file, fs_->NewRandomAccessFile(file->path));
  file->size = file->file->Size();
  data_files_.emplace(shard_id, file);
  return file;
}

StatusOr<std::shared_ptr<const ReadOnlyMemoryRegion>> BundleReader::GetRegion(
    DataFile* file) const {
  std::lock_guard<std::mutex> lock(file->region_mu);
  if (file->region == nullptr) {
    ASSIGN_OR_RETURN(std::unique_ptr<ReadOnlyMemoryRegion> region,
                     fs_->NewReadOnlyMemoryRegion(file->path));
    file->region = std::move(region);
  }
  return file->region;
}

StatusOr<std::shared_ptr<BundleReader::DataFile>> BundleReader::CheckedDataFile(
    const std::string& key, const bundle::Entry& entry) const {
  StatusOr<std::shared_ptr<DataFile>> opened = GetDataFile(entry.shard_id);
  if (!opened.ok()) {
    return opened.status().WithContext("checkpoint '" + prefix_ + "': tensor " + QuoteKey(key) +
                                       ": data file " + std::to_string(entry.shard_id) + " of " +
                                       std::to_string(num_shards_));
  }
  std::shared_ptr<DataFile> file = std::move(*opened);
  if (!RangeWithin(entry.offset, entry.size, file->size)) {
    return DataError(key, *file,
                     DataLossError("bytes [" + std::to_string(entry.offset) + ", +" +
                                   std::to_string(entry.size) + ") lie outside the " +
                                   std::to_string(file->size) + "-byte data file (truncated?)"));
  }
  return file;
}

namespace {

Status ChecksumMismatch(uint32_t masked_stored, uint32_t computed) {
  char buf[128];
  std::snprintf(buf, sizeof(buf), "checksum mismatch (stored 0x%08x, computed 0x%08x)",
                crc32c::Unmask(masked_stored), computed);
  return DataLossError(buf);
}

}  // namespace

StatusOr<Tensor> BundleReader::ReadEntry(const std::string& key,
                                         const bundle::Entry& entry) const {
  if (!bundle::IsBundleDataType(entry.dtype)) {
    return UnimplementedError("checkpoint '" + prefix_ + "': tensor " + QuoteKey(key) +
                              " has dtype " + DataTypeName(entry.dtype) +
                              ", which tf1hub cannot read from checkpoints");
  }
  ASSIGN_OR_RETURN(std::shared_ptr<DataFile> file, CheckedDataFile(key, entry));
  if (entry.dtype != DataType::kString) return ReadMemcpyable(key, entry, file.get());

  // Strings: the payload is at most the file's size (checked above).
  std::string scratch(static_cast<size_t>(entry.size), '\0');
  std::string_view bytes;
  if (entry.size > 0) {
    StatusOr<std::string_view> got = file->file->Read(entry.offset, entry.size, scratch.data());
    if (!got.ok()) return DataError(key, *file, got.status());
    bytes = *got;
  }
  uint32_t crc = 0;
  StatusOr<Tensor> tensor =
      bundle::DecodeStringTensor(bytes, entry.shape, big_endian_file_, &crc);
  if (!tensor.ok()) return DataError(key, *file, tensor.status());
  if (crc32c::Unmask(entry.masked_crc32c) != crc) {
    return DataError(key, *file, ChecksumMismatch(entry.masked_crc32c, crc));
  }
  return tensor;
}

StatusOr<Tensor> BundleReader::ReadMemcpyable(const std::string& key, const bundle::Entry& entry,
                                              DataFile* file) const {
  const size_t size = static_cast<size_t>(entry.size);
  const bool map = !swap_bytes_ && size > 0 && size >= options_.mmap_threshold_bytes;
  if (map) {
    StatusOr<std::shared_ptr<const ReadOnlyMemoryRegion>> region = GetRegion(file);
    if (!region.ok()) return DataError(key, *file, region.status());
    if (!RangeWithin(entry.offset, entry.size, (*region)->size())) {
      return DataError(key, *file,
                       DataLossError("bytes [" + std::to_string(entry.offset) + ", +" +
                                     std::to_string(entry.size) + ") lie outside the mapped " +
                                     std::to_string((*region)->size()) + "-byte data file"));
    }
    const char* data = (*region)->data() + entry.offset;
    const uint32_t crc = crc_.Value(data, size);
    if (crc32c::Unmask(entry.masked_crc32c) != crc) {
      return DataError(key, *file, ChecksumMismatch(entry.masked_crc32c, crc));
    }
    return Tensor::CreateView(entry.dtype, entry.shape, data, size, *region);
  }

  // Copy into a fresh buffer; every byte is overwritten, so skip zero-filling.
  ASSIGN_OR_RETURN(std::shared_ptr<Tensor::Buffer> buffer,
                   Tensor::Buffer::Allocate(entry.dtype, entry.shape.num_elements(),
                                            /*zero_fill=*/false));
  char* dst = static_cast<char*>(buffer->data());
  if (size > 0) {
    StatusOr<std::string_view> got = file->file->Read(entry.offset, size, dst);
    if (!got.ok()) return DataError(key, *file, got.status());
    if (got->data() != dst) std::memcpy(dst, got->data(), size);
  }
  // The checksum covers the bytes as stored, before any byte swapping.
  const uint32_t crc = crc_.Value(dst, size);
  if (crc32c::Unmask(entry.masked_crc32c) != crc) {
    return DataError(key, *file, ChecksumMismatch(entry.masked_crc32c, crc));
  }
  if (swap_bytes_) bundle::ByteSwapElements(entry.dtype, dst, size);
  return Tensor::Buffer::Wrap(entry.dtype, entry.shape, std::move(buffer));
}

StatusOr<Tensor> BundleReader::Read(const std::string& name) const {
  ASSIGN_OR_RETURN(const bundle::Entry* entry, Find(name));
  if (entry->slices.empty()) return ReadEntry(name, *entry);
  return ReadFromSlices(name, *entry, FullSlice(entry->shape.rank()));
}

StatusOr<Tensor> BundleReader::ReadSlice(const std::string& name, const TensorSlice& slice) const {
  ASSIGN_OR_RETURN(const bundle::Entry* entry, Find(name));
  Status valid = ValidateSlice(slice, entry->shape);
  if (!valid.ok()) {
    return valid.WithContext("checkpoint '" + prefix_ + "': reading tensor " + QuoteKey(name));
  }
  if (!entry->slices.empty()) return ReadFromSlices(name, *entry, slice);
  ASSIGN_OR_RETURN(Tensor whole, ReadEntry(name, *entry));
  if (IsFullSlice(slice, entry->shape)) return whole;
  ASSIGN_OR_RETURN(TensorShape shape, SliceShape(slice, entry->shape));
  ASSIGN_OR_RETURN(Tensor out, Tensor::Create(entry->dtype, shape));
  RETURN_IF_ERROR(
      CopySliceData(whole, FullSlice(entry->shape.rank()), &out, slice, entry->shape).status());
  return out;
}

StatusOr<Tensor> BundleReader::ReadFromSlices(const std::string& name, const bundle::Entry& entry,
                                              const TensorSlice& wanted) const {
  // Stored slices do not overlap (checked at Open), so the wanted slice is
  // covered iff the volumes of its intersections add up to its own.
  std::vector<const TensorSlice*> covering;
  int64_t covered = 0;
  for (const TensorSlice& stored : entry.slices) {
    std::optional<TensorSlice> common = IntersectSlices(stored, wanted);
    if (!common.has_value()) continue;
    covering.push_back(&stored);
    covered += SliceVolume(*common, entry.shape);
  }
  const int64_t needed = SliceVolume(wanted, entry.shape);
  if (covered != needed) {
    std::string stored_list;
    for (const TensorSlice& s : entry.slices) {
      stored_list += (stored_list.empty() ? "" : ", ") + s.DebugString();
    }
    return InvalidArgumentError("checkpoint '" + prefix_ +
                                "': does not have sufficient slices for partitioned tensor " +
                                QuoteKey(name) + " to read slice " + wanted.DebugString() +
                                " of shape " + entry.shape.DebugString() + " (stored slices: " +
                                stored_list + "; " + std::to_string(covered) + " of " +
                                std::to_string(needed) + " elements covered)");
  }
  // Fast path: one stored slice is exactly what is wanted (keeps views).
  if (covering.size() == 1 && CanonicalizeSlice(*covering[0], entry.shape) ==
                                  CanonicalizeSlice(wanted, entry.shape)) {
    const std::string key = EncodeTensorNameSlice(name, *covering[0]);
    return ReadEntry(key, entries_.find(key)->second);
  }
  // Before allocating the result, check that the covering slices' bytes
  // exist, and that together they fit in their data files: the slices hold
  // disjoint parts of the tensor, so their payloads cannot share bytes, and
  // the result is then no larger than the files justify.
  std::map<int32_t, uint64_t> claimed;  // shard -> bytes
  for (const TensorSlice* stored : covering) {
    const std::string key = EncodeTensorNameSlice(name, *stored);
    const bundle::Entry& slice_entry = entries_.find(key)->second;
    ASSIGN_OR_RETURN(std::shared_ptr<DataFile> file, CheckedDataFile(key, slice_entry));
    uint64_t& total = claimed[slice_entry.shard_id];
    if (!CheckedAdd<uint64_t>(total, slice_entry.size, &total) || total > file->size) {
      return DataError(name, *file,
                       DataLossError("the slices of the partitioned tensor claim more bytes "
                                     "than the " + std::to_string(file->size) +
                                     "-byte data file holds"));
    }
  }
  ASSIGN_OR_RETURN(TensorShape shape, SliceShape(wanted, entry.shape));
  ASSIGN_OR_RETURN(Tensor out, Tensor::Create(entry.dtype, shape));
  for (const TensorSlice* stored : covering) {
    const std::string key = EncodeTensorNameSlice(name, *stored);
    ASSIGN_OR_RETURN(Tensor part, ReadEntry(key, entries_.find(key)->second));
    RETURN_IF_ERROR(CopySliceData(part, *stored, &out, wanted, entry.shape).status());
  }
  return out;
}

}  // namespace tf1hub
