#include "tf1hub/io/bundle_writer.h"

#include <algorithm>
#include <cstring>
#include <random>
#include <span>
#include <utility>

#include "tf1hub/core/crc32c.h"
#include "tf1hub/io/bundle_format.h"
#include "tf1hub/io/bundle_index.h"
#include "tf1hub/io/ordered_code.h"
#include "tf1hub/io/tensor_slice_util.h"

namespace tf1hub {

// ---------------------------------------------------------------------------
// ChecksummedFileOutput

ChecksummedFileOutput::ChecksummedFileOutput(std::unique_ptr<WritableFile> file)
    : file_(std::move(file)), buffer_(new char[kBufferSize]) {}

Status ChecksummedFileOutput::FlushBuffer() {
  if (used_ == 0) return Status::OK();
  Status s = file_->Append(std::string_view(buffer_.get(), used_));
  used_ = 0;
  return s;
}

Status ChecksummedFileOutput::Append(std::string_view data) {
  while (!data.empty()) {
    if (used_ == kBufferSize) RETURN_IF_ERROR(FlushBuffer());
    const size_t n = std::min(data.size(), kBufferSize - used_);
    char* dst = buffer_.get() + used_;
    std::memcpy(dst, data.data(), n);
    crc_ = crc32c::Extend(crc_, dst, n);
    used_ += n;
    position_ += n;
    data.remove_prefix(n);
  }
  return Status::OK();
}

Status ChecksummedFileOutput::Close() {
  RETURN_IF_ERROR(FlushBuffer());
  return file_->Close();
}

// ---------------------------------------------------------------------------
// BundleWriter

namespace {

std::string TempSuffix() {
  std::random_device device;
  const uint64_t r = (static_cast<uint64_t>(device()) << 32) | device();
  return ".tempstate" + std::to_string(r);
}

}  // namespace

StatusOr<std::unique_ptr<CheckpointWriter>> CheckpointWriter::Create(const std::string& prefix) {
  return BundleWriter::Create(prefix, Options());
}

StatusOr<std::unique_ptr<CheckpointWriter>> CheckpointWriter::Create(const std::string& prefix,
                                                                     const Options& options) {
  return BundleWriter::Create(prefix, options);
}

BundleWriter::BundleWriter(FileSystem* fs, std::string prefix)
    : fs_(fs), prefix_(std::move(prefix)) {}

StatusOr<std::unique_ptr<CheckpointWriter>> BundleWriter::Create(const std::string& prefix,
                                                                 const Options& options) {
  if (prefix.empty()) return InvalidArgumentError("CheckpointWriter: empty checkpoint prefix");
  FileSystem* fs = options.fs != nullptr ? options.fs : PosixFileSystem();
  const std::string context = "creating checkpoint '" + prefix + "'";
  const std::string dir(Dirname(prefix));
  if (!dir.empty()) {
    Status s = fs->RecursivelyCreateDir(dir);
    if (!s.ok() && s.code() != StatusCode::kAlreadyExists) return s.WithContext(context);
  }
  std::unique_ptr<BundleWriter> writer(new BundleWriter(fs, prefix));
  writer->data_temp_path_ = bundle::DataFilename(prefix, 0, 1) + TempSuffix();
  writer->index_temp_path_ = bundle::IndexFilename(prefix) + TempSuffix();
  StatusOr<std::unique_ptr<WritableFile>> file = fs->NewWritableFile(writer->data_temp_path_);
  if (!file.ok()) return file.status().WithContext(context);
  writer->out_ = std::make_unique<ChecksummedFileOutput>(std::move(*file));
  return std::unique_ptr<CheckpointWriter>(std::move(writer));
}

BundleWriter::~BundleWriter() {
  if (!finished_) DeleteTempFiles();
}

void BundleWriter::DeleteTempFiles() {
  if (out_ != nullptr) {
    out_->Close().IgnoreError();
    out_.reset();
  }
  if (fs_->FileExists(data_temp_path_)) fs_->DeleteFile(data_temp_path_).IgnoreError();
  if (fs_->FileExists(index_temp_path_)) fs_->DeleteFile(index_temp_path_).IgnoreError();
}

Status BundleWriter::Fail(const Status& status) {
  status_ = status.WithContext("checkpoint '" + prefix_ + "'");
  return status_;
}

Status BundleWriter::CheckUsable() const {
  if (finished_) {
    return FailedPreconditionError("checkpoint '" + prefix_ + "': writer already finished");
  }
  return status_;
}

Status BundleWriter::Add(const std::string& name, const Tensor& tensor) {
  RETURN_IF_ERROR(CheckUsable());
  if (name.empty()) {
    return InvalidArgumentError("checkpoint '" + prefix_ +
                                "': tensor names must be non-empty (\"\" is the header key)");
  }
  if (entries_.contains(name)) {
    return InvalidArgumentError("checkpoint '" + prefix_ + "': duplicate tensor " +
                                bundle::QuoteKey(name));
  }
  return WriteEntry(name, tensor);
}

Status BundleWriter::WriteEntry(const std::string& key, const Tensor& tensor) {
  if (!bundle::IsBundleDataType(tensor.dtype())) {
    return InvalidArgumentError("checkpoint '" + prefix_ + "': tensor " + bundle::QuoteKey(key) +
                                " has dtype " + DataTypeName(tensor.dtype()) +
                                ", which checkpoints cannot hold");
  }
  tensorflow::BundleEntryProto entry;
  entry.set_dtype(static_cast<tensorflow::DataType>(tensor.dtype()));
  bundle::ShapeToProto(tensor.shape(), entry.mutable_shape());
  entry.set_shard_id(0);
  const uint64_t start = out_->position();
  entry.set_offset(static_cast<int64_t>(start));
  Status s = WritePayload(tensor);
  if (!s.ok()) return Fail(s.WithContext("writing tensor " + bundle::QuoteKey(key)));
  entry.set_size(static_cast<int64_t>(out_->position() - start));
  entry.set_crc32c(crc32c::Mask(out_->crc()));
  entries_.emplace(key, std::move(entry));
  return Status::OK();
}

Status BundleWriter::WritePayload(const Tensor& tensor) {
  if (tensor.dtype() != DataType::kString) {
    out_->ResetCrc();
    if (tensor.TotalBytes() == 0) return Status::OK();
    return out_->Append(
        std::string_view(static_cast<const char*>(tensor.raw_data()), tensor.TotalBytes()));
  }
  // varint lengths | masked length checksum | string bytes (bundle_format.h).
  std::span<const std::string> strings = tensor.flat<std::string>();
  std::string lengths;
  lengths.reserve(strings.size());
  const uint32_t length_crc = bundle::EncodeStringLengths(strings, &lengths);
  RETURN_IF_ERROR(out_->Append(lengths));
  const uint32_t masked = crc32c::Mask(length_crc);
  char masked_bytes[4];
  for (int i = 0; i < 4; ++i) masked_bytes[i] = static_cast<char>((masked >> (8 * i)) & 0xff);
  out_->ResetCrc(length_crc);
  RETURN_IF_ERROR(out_->Append(std::string_view(masked_bytes, 4)));
  for (const std::string& s : strings) RETURN_IF_ERROR(out_->Append(s));
  return Status::OK();
}

Status BundleWriter::AddSlice(const std::string& name, const TensorShape& full_shape,
                              const TensorSlice& slice, const Tensor& slice_tensor) {
  RETURN_IF_ERROR(CheckUsable());
  const std::string context = "checkpoint '" + prefix_ + "': slice " + slice.DebugString() +
                              " of tensor " + bundle::QuoteKey(name);
  if (name.empty()) return InvalidArgumentError(context + ": tensor names must be non-empty");
  StatusOr<TensorShape> slice_shape = SliceShape(slice, full_shape);
  if (!slice_shape.ok()) return slice_shape.status().WithContext(context);
  if (!(*slice_shape == slice_tensor.shape())) {
    return InvalidArgumentError(context + ": the slice has shape " + slice_shape->DebugString() +
                                " but the tensor given has shape " +
                                slice_tensor.shape().DebugString());
  }
  if (IsFullSlice(slice, full_shape)) return Add(name, slice_tensor);

  auto it = entries_.find(name);
  if (it != entries_.end()) {
    const tensorflow::BundleEntryProto& meta = it->second;
    if (meta.slices_size() == 0) {
      return InvalidArgumentError(context + ": the tensor was already added whole");
    }
    if (static_cast<DataType>(meta.dtype()) != slice_tensor.dtype()) {
      return InvalidArgumentError(context + ": dtype " + DataTypeName(slice_tensor.dtype()) +
                                  " differs from the earlier slices' " +
                                  DataTypeName(static_cast<DataType>(meta.dtype())));
    }
    std::vector<int64_t> dims;
    for (const auto& d : meta.shape().dim()) dims.push_back(d.size());
    if (dims != full_shape.dims()) {
      return InvalidArgumentError(context + ": full shape " + full_shape.DebugString() +
                                  " differs from the earlier slices' full shape");
    }
    for (const auto& other : meta.slices()) {
      const TensorSlice existing = bundle::SliceFromProto(other);
      if (IntersectSlices(existing, slice).has_value()) {
        return InvalidArgumentError(context + ": overlaps the slice " + existing.DebugString() +
                                    " added before");
      }
    }
  }
  const std::string slice_key = EncodeTensorNameSlice(name, slice);
  if (entries_.contains(slice_key)) {
    return InvalidArgumentError(context + ": duplicate slice");
  }
  RETURN_IF_ERROR(WriteEntry(slice_key, slice_tensor));

  // The full tensor's metadata entry: dtype, full shape and the slices; no
  // location (TensorFlow leaves shard_id/offset/size unset there).
  tensorflow::BundleEntryProto& meta = entries_[name];
  meta.set_dtype(static_cast<tensorflow::DataType>(slice_tensor.dtype()));
  bundle::ShapeToProto(full_shape, meta.mutable_shape());
  bundle::SliceToProto(slice, meta.add_slices());
  return Status::OK();
}

Status BundleWriter::Finish() {
  RETURN_IF_ERROR(CheckUsable());
  Status s = out_->Close();
  out_.reset();
  if (!s.ok()) {
    DeleteTempFiles();
    return Fail(s.WithContext("closing the data file"));
  }
  s = bundle::WriteIndexFile(fs_, index_temp_path_, bundle::MakeHeader(1), entries_);
  if (s.ok()) s = fs_->RenameFile(data_temp_path_, bundle::DataFilename(prefix_, 0, 1));
  if (s.ok()) s = fs_->RenameFile(index_temp_path_, bundle::IndexFilename(prefix_));
  if (!s.ok()) {
    DeleteTempFiles();
    return Fail(s);
  }
  finished_ = true;
  return Status::OK();
}

}  // namespace tf1hub
