// FileSystem: the seam through which tf1hub touches files.
//
// PosixFileSystem() is the real disk. NewMemoryFileSystem() keeps files in
// memory for tests. Every error names the path and the operation, e.g.
//   NOT_FOUND: opening '/m/variables/variables.index': No such file or directory
//
//   FileSystem* fs = PosixFileSystem();
//   ASSIGN_OR_RETURN(auto file, fs->NewRandomAccessFile(path));
//   std::string buf(16, '\0');
//   ASSIGN_OR_RETURN(std::string_view got, file->Read(0, 16, buf.data()));
//
// Thread safety: FileSystem methods and RandomAccessFile::Read and
// ReadOnlyMemoryRegion accessors are safe to call concurrently; a
// WritableFile is used by one thread at a time.
#ifndef TF1HUB_ENV_H_
#define TF1HUB_ENV_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tf1hub/status.h"

namespace tf1hub {

class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Reads up to `n` bytes at `offset` into `scratch` (which must hold n
  // bytes) and returns a view of what was read (may point into scratch or
  // elsewhere). Reading fewer than `n` bytes because the file ends is
  // OutOfRange, naming the file, offset and sizes.
  virtual StatusOr<std::string_view> Read(uint64_t offset, size_t n, char* scratch) const = 0;
  virtual uint64_t Size() const = 0;
  virtual const std::string& path() const = 0;
};

class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  virtual Status Flush() = 0;
  virtual Status Sync() = 0;
  virtual Status Close() = 0;
  virtual const std::string& path() const = 0;
};

// Read-only bytes of a whole file, memory-mapped where the file system can.
class ReadOnlyMemoryRegion {
 public:
  virtual ~ReadOnlyMemoryRegion() = default;
  virtual const char* data() const = 0;
  virtual uint64_t size() const = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  virtual StatusOr<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(const std::string& path) = 0;
  // Creates or truncates.
  virtual StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) = 0;
  virtual StatusOr<std::unique_ptr<ReadOnlyMemoryRegion>> NewReadOnlyMemoryRegion(const std::string& path) = 0;

  virtual bool FileExists(const std::string& path) = 0;
  virtual StatusOr<uint64_t> GetFileSize(const std::string& path) = 0;
  virtual StatusOr<bool> IsDirectory(const std::string& path) = 0;
  // Names (not paths) of the entries of a directory, sorted.
  virtual StatusOr<std::vector<std::string>> GetChildren(const std::string& dir) = 0;
  // Glob on the last path component only ('*', '?'); returns full paths, sorted.
  virtual StatusOr<std::vector<std::string>> Match(const std::string& pattern);

  virtual Status CreateDir(const std::string& path) = 0;  // AlreadyExists if present
  virtual Status RecursivelyCreateDir(const std::string& path) = 0;
  virtual Status DeleteFile(const std::string& path) = 0;
  virtual Status DeleteDir(const std::string& path) = 0;  // must be empty
  virtual Status DeleteRecursively(const std::string& path) = 0;
  // Atomic where the file system supports it (POSIX rename).
  virtual Status RenameFile(const std::string& from, const std::string& to) = 0;
  virtual Status CopyFile(const std::string& from, const std::string& to);

  // Whole-file helpers.
  StatusOr<std::string> ReadFileToString(const std::string& path);
  Status WriteStringToFile(const std::string& path, std::string_view contents);
  // Writes to "<path>.tmp<random>" then renames over `path`.
  Status WriteStringToFileAtomically(const std::string& path, std::string_view contents);
};

// The process-wide POSIX file system (never null, never deleted).
FileSystem* PosixFileSystem();

// A fresh in-memory file system (for tests). Paths are plain strings; "/" is
// the separator; directories are implicit in file paths but can be created.
std::unique_ptr<FileSystem> NewMemoryFileSystem();

// Path helpers (POSIX semantics, no file-system access).
std::string JoinPath(std::string_view a, std::string_view b);
std::string_view Dirname(std::string_view path);   // "a/b" -> "a", "b" -> ""
std::string_view Basename(std::string_view path);  // "a/b" -> "b"
bool IsAbsolutePath(std::string_view path);

}  // namespace tf1hub

#endif  // TF1HUB_ENV_H_
