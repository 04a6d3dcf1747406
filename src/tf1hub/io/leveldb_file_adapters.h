// Adapters between tf1hub's file seam (include/tf1hub/env.h) and the file
// interfaces LevelDB's Table / TableBuilder want, so that the checkpoint
// index (a LevelDB table) is read and written through any tf1hub FileSystem,
// including the in-memory one used by tests.
//
//   ASSIGN_OR_RETURN(std::string bytes, fs->ReadFileToString(path));
//   LevelDbRegionFile file(bytes.data(), bytes.size());  // for leveldb::Table::Open
//
//   ASSIGN_OR_RETURN(auto out, fs->NewWritableFile(path));
//   LevelDbWritableFile sink(out.get());            // for leveldb::TableBuilder
//
// Errors from the tf1hub side are turned into leveldb::Status::IOError with
// the original message; FromLevelDbStatus() turns a leveldb::Status back
// into ours.
//
// Thread safety: LevelDbRegionFile is safe for concurrent reads (as LevelDB
// requires); LevelDbWritableFile is used by one thread. Neither owns the
// wrapped bytes or file.
#ifndef TF1HUB_IO_LEVELDB_FILE_ADAPTERS_H_
#define TF1HUB_IO_LEVELDB_FILE_ADAPTERS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "leveldb/env.h"
#include "leveldb/status.h"
#include "tf1hub/env.h"
#include "tf1hub/status.h"

namespace tf1hub {

// Serves reads from bytes already in memory (a loaded or mapped file).
// Returned slices point into the region itself (no copy); reads past the end
// return the bytes that exist, as LevelDB expects of a short file.
class LevelDbRegionFile final : public leveldb::RandomAccessFile {
 public:
  LevelDbRegionFile(const char* data, uint64_t size) : data_(data), size_(size) {}
  explicit LevelDbRegionFile(const ReadOnlyMemoryRegion* region)
      : LevelDbRegionFile(region->data(), region->size()) {}

  leveldb::Status Read(uint64_t offset, size_t n, leveldb::Slice* result,
                       char* scratch) const override;

 private:
  const char* data_;
  uint64_t size_;
};

// Buffers LevelDB's many small appends and forwards them to a
// tf1hub::WritableFile. Close() flushes and closes the wrapped file.
class LevelDbWritableFile final : public leveldb::WritableFile {
 public:
  explicit LevelDbWritableFile(tf1hub::WritableFile* file) : file_(file) {}

  leveldb::Status Append(const leveldb::Slice& data) override;
  leveldb::Status Close() override;
  leveldb::Status Flush() override;
  leveldb::Status Sync() override;

  // The first tf1hub error seen (OK if none): keeps the original code.
  const Status& status() const { return status_; }

 private:
  static constexpr size_t kBufferSize = 64 << 10;
  leveldb::Status FlushBuffer();
  leveldb::Status Record(Status status);

  tf1hub::WritableFile* file_;
  std::string buffer_;
  Status status_;
};

// Converts a LevelDB status into ours: Corruption -> DataLoss, NotFound ->
// NotFound, NotSupported -> Unimplemented, InvalidArgument ->
// InvalidArgument, IOError -> Unknown. The message is "<context>: <LevelDB's
// message>" (context is typically the file path).
Status FromLevelDbStatus(const leveldb::Status& status, std::string_view context);

}  // namespace tf1hub

#endif  // TF1HUB_IO_LEVELDB_FILE_ADAPTERS_H_
