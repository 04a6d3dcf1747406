#include "tf1hub/io/leveldb_file_adapters.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace tf1hub {

leveldb::Status LevelDbRegionFile::Read(uint64_t offset, size_t n, leveldb::Slice* result,
                                        char* scratch) const {
  if (offset >= size_) {
    *result = leveldb::Slice();
    return leveldb::Status::OK();
  }
  const uint64_t available = size_ - offset;
  *result = leveldb::Slice(data_ + offset, static_cast<size_t>(std::min<uint64_t>(n, available)));
  return leveldb::Status::OK();
}

leveldb::Status LevelDbWritableFile::Record(Status status) {
  if (status.ok()) return leveldb::Status::OK();
  if (status_.ok()) status_ = status;
  return leveldb::Status::IOError(status.ToString());
}

leveldb::Status LevelDbWritableFile::FlushBuffer() {
  if (buffer_.empty()) return leveldb::Status::OK();
  leveldb::Status s = Record(file_->Append(buffer_));
  buffer_.clear();
  return s;
}

leveldb::Status LevelDbWritableFile::Append(const leveldb::Slice& data) {
  if (!status_.ok()) return leveldb::Status::IOError(status_.ToString());
  if (buffer_.size() + data.size() > kBufferSize) {
    leveldb::Status s = FlushBuffer();
    if (!s.ok()) return s;
  }
  if (data.size() >= kBufferSize) {
    return Record(file_->Append(std::string_view(data.data(), data.size())));
  }
  buffer_.append(data.data(), data.size());
  return leveldb::Status::OK();
}

leveldb::Status LevelDbWritableFile::Flush() {
  leveldb::Status s = FlushBuffer();
  if (!s.ok()) return s;
  return Record(file_->Flush());
}

leveldb::Status LevelDbWritableFile::Sync() {
  leveldb::Status s = FlushBuffer();
  if (!s.ok()) return s;
  return Record(file_->Sync());
}

leveldb::Status LevelDbWritableFile::Close() {
  leveldb::Status s = FlushBuffer();
  if (!s.ok()) return s;
  return Record(file_->Close());
}

Status FromLevelDbStatus(const leveldb::Status& status, std::string_view context) {
  if (status.ok()) return Status::OK();
  std::string message = std::string(context) + ": " + status.ToString();
  if (status.IsCorruption()) return DataLossError(std::move(message));
  if (status.IsNotFound()) return NotFoundError(std::move(message));
  if (status.IsNotSupportedError()) return UnimplementedError(std::move(message));
  if (status.IsInvalidArgument()) return InvalidArgumentError(std::move(message));
  return UnknownError(std::move(message));
}

}  // namespace tf1hub
