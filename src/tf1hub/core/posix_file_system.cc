// The real disk, through POSIX calls. Errors name the operation, the path and
// strerror(errno), with TensorFlow's errno-to-code mapping.
#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "tf1hub/env.h"

namespace tf1hub {
namespace {

StatusCode ErrnoToCode(int err) {
  switch (err) {
    case 0: return StatusCode::kOk;
    case ENOENT:
    case ESRCH:
    case ENXIO:
    case ENODEV: return StatusCode::kNotFound;
    case EEXIST: return StatusCode::kAlreadyExists;
    case EPERM:
    case EACCES:
    case EROFS: return StatusCode::kPermissionDenied;
    case ENOTDIR:
    case EISDIR:
    case ENOTEMPTY:
    case EBUSY:
    case ETXTBSY: return StatusCode::kFailedPrecondition;
    case EINVAL:
    case ENAMETOOLONG:
    case E2BIG:
    case EBADF:
    case ELOOP: return StatusCode::kInvalidArgument;
    case ENOSPC:
    case ENOMEM:
    case EMFILE:
    case ENFILE:
    case EDQUOT:
    case EFBIG: return StatusCode::kResourceExhausted;
    case EAGAIN:
    case EINTR: return StatusCode::kUnavailable;
    case ESPIPE:
    case EOVERFLOW:
    case ERANGE: return StatusCode::kOutOfRange;
    default: return StatusCode::kUnknown;
  }
}

// "<op> '<path>': <strerror>"
Status IoError(std::string_view op, const std::string& path, int err) {
  std::string msg(op);
  msg += " '";
  msg += path;
  msg += "': ";
  msg += std::strerror(err);
  StatusCode code = ErrnoToCode(err);
  if (code == StatusCode::kOk) code = StatusCode::kUnknown;
  return Status(code, std::move(msg));
}

class PosixRandomAccessFile : public RandomAccessFile {
 public:
  PosixRandomAccessFile(std::string path, int fd, uint64_t size)
      : path_(std::move(path)), fd_(fd), size_(size) {}
  ~PosixRandomAccessFile() override { close(fd_); }

  StatusOr<std::string_view> Read(uint64_t offset, size_t n, char* scratch) const override {
    size_t done = 0;
    while (done < n) {
      const ssize_t r = pread(fd_, scratch + done, n - done, static_cast<off_t>(offset + done));
      if (r < 0) {
        if (errno == EINTR) continue;
        return IoError("reading " + std::to_string(n) + " bytes at offset " +
                           std::to_string(offset) + " of",
                       path_, errno);
      }
      if (r == 0) break;  // end of file
      done += static_cast<size_t>(r);
    }
    if (done < n) {
      return OutOfRangeError("reading '" + path_ + "': requested " + std::to_string(n) +
                             " bytes at offset " + std::to_string(offset) + " but only " +
                             std::to_string(done) + " were available (file size " +
                             std::to_string(size_) + ")");
    }
    return std::string_view(scratch, n);
  }
  uint64_t Size() const override { return size_; }
  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  int fd_;
  uint64_t size_;
};

class PosixMemoryRegion : public ReadOnlyMemoryRegion {
 public:
  PosixMemoryRegion(void* data, uint64_t size) : data_(data), size_(size) {}
  ~PosixMemoryRegion() override {
    if (data_ != nullptr) munmap(data_, size_);
  }
  const char* data() const override { return static_cast<const char*>(data_); }
  uint64_t size() const override { return size_; }

 private:
  void* data_;  // nullptr for empty files
  uint64_t size_;
};

// Appends are gathered in a buffer; pieces at least as large as the buffer
// go straight to write(2) so big tensors are not copied twice.
class PosixWritableFile : public WritableFile {
 public:
  static constexpr size_t kBufferSize = size_t{1} << 20;

  PosixWritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {
    buffer_.reserve(kBufferSize);
  }
  ~PosixWritableFile() override {
    if (fd_ >= 0) Close().IgnoreError();  // best effort; callers should Close()
  }

  Status Append(std::string_view data) override {
    RETURN_IF_ERROR(CheckOpen("appending to"));
    if (buffer_.size() + data.size() <= kBufferSize) {
      buffer_.append(data);
      return Status::OK();
    }
    RETURN_IF_ERROR(FlushBuffer());
    if (data.size() >= kBufferSize) return WriteAll(data);
    buffer_.append(data);
    return Status::OK();
  }

  Status Flush() override {
    RETURN_IF_ERROR(CheckOpen("flushing"));
    return FlushBuffer();
  }

  Status Sync() override {
    RETURN_IF_ERROR(CheckOpen("syncing"));
    RETURN_IF_ERROR(FlushBuffer());
    if (fdatasync(fd_) != 0) return IoError("syncing", path_, errno);
    return Status::OK();
  }

  Status Close() override {
    if (fd_ < 0) return Status::OK();  // closing twice is harmless
    Status status = FlushBuffer();
    if (close(fd_) != 0 && status.ok()) status = IoError("closing", path_, errno);
    fd_ = -1;
    return status;
  }

  const std::string& path() const override { return path_; }

 private:
  Status CheckOpen(const char* op) const {
    if (fd_ < 0) {
      return FailedPreconditionError(std::string(op) + " '" + path_ + "': file already closed");
    }
    return Status::OK();
  }

  Status FlushBuffer() {
    if (buffer_.empty()) return Status::OK();
    Status status = WriteAll(buffer_);
    buffer_.clear();
    return status;
  }

  Status WriteAll(std::string_view data) {
    while (!data.empty()) {
      const ssize_t w = write(fd_, data.data(), data.size());
      if (w < 0) {
        if (errno == EINTR) continue;
        return IoError("writing " + std::to_string(data.size()) + " bytes to", path_, errno);
      }
      data.remove_prefix(static_cast<size_t>(w));
    }
    return Status::OK();
  }

  std::string path_;
  int fd_;
  std::string buffer_;
};

// Large maps ask for transparent huge pages: where the kernel supports
// large page-cache folios (Linux 6.x), a file read in through this map is
// read ahead in 2 MiB folios and mapped with 2 MiB TLB entries, so random
// reads of a big tensor (an embedding matrix) seldom walk the page tables.
// Best effort: a kernel that refuses (EINVAL) maps 4 KiB pages as before.
void AdviseHugePages(void* data, uint64_t size) {
#ifdef MADV_HUGEPAGE
  constexpr uint64_t kHugePage = uint64_t{2} << 20;
  if (size >= kHugePage) madvise(data, size, MADV_HUGEPAGE);
#else
  (void)data;
  (void)size;
#endif
}

class PosixFileSystemImpl : public FileSystem {
 public:
  StatusOr<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(
      const std::string& path) override {
    ASSIGN_OR_RETURN(int fd, OpenForReading(path));
    struct stat st;
    if (fstat(fd, &st) != 0) {
      const int err = errno;
      close(fd);
      return IoError("opening", path, err);
    }
    return std::unique_ptr<RandomAccessFile>(
        new PosixRandomAccessFile(path, fd, static_cast<uint64_t>(st.st_size)));
  }

  StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override {
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) return IoError("creating", path, errno);
    return std::unique_ptr<WritableFile>(new PosixWritableFile(path, fd));
  }

  StatusOr<std::unique_ptr<ReadOnlyMemoryRegion>> NewReadOnlyMemoryRegion(
      const std::string& path) override {
    ASSIGN_OR_RETURN(int fd, OpenForReading(path));
    struct stat st;
    if (fstat(fd, &st) != 0) {
      const int err = errno;
      close(fd);
      return IoError("mapping", path, err);
    }
    const uint64_t size = static_cast<uint64_t>(st.st_size);
    void* data = nullptr;
    if (size > 0) {  // mmap rejects length 0
      data = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
      if (data == MAP_FAILED) {
        const int err = errno;
        close(fd);
        return IoError("mapping", path, err);
      }
      AdviseHugePages(data, size);
    }
    close(fd);  // the mapping stays valid without the descriptor
    return std::unique_ptr<ReadOnlyMemoryRegion>(new PosixMemoryRegion(data, size));
  }

  bool FileExists(const std::string& path) override {
    struct stat st;
    return stat(path.c_str(), &st) == 0;
  }

  StatusOr<uint64_t> GetFileSize(const std::string& path) override {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) return IoError("getting the size of", path, errno);
    return static_cast<uint64_t>(st.st_size);
  }

  StatusOr<bool> IsDirectory(const std::string& path) override {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) return IoError("checking", path, errno);
    return S_ISDIR(st.st_mode);
  }

  StatusOr<std::vector<std::string>> GetChildren(const std::string& dir) override {
    DIR* d = opendir(dir.c_str());
    if (d == nullptr) return IoError("listing", dir, errno);
    std::vector<std::string> names;
    errno = 0;
    while (struct dirent* entry = readdir(d)) {
      const std::string_view name(entry->d_name);
      if (name != "." && name != "..") names.emplace_back(name);
    }
    const int err = errno;
    closedir(d);
    if (err != 0) return IoError("listing", dir, err);
    std::sort(names.begin(), names.end());
    return names;
  }

  Status CreateDir(const std::string& path) override {
    if (mkdir(path.c_str(), 0777) != 0) return IoError("creating directory", path, errno);
    return Status::OK();
  }

  Status RecursivelyCreateDir(const std::string& path) override {
    if (path.empty()) return Status::OK();
    // Create each prefix ending before a '/', then the whole path.
    for (size_t pos = path.find('/', 1);; pos = path.find('/', pos + 1)) {
      const std::string prefix = pos == std::string::npos ? path : path.substr(0, pos);
      if (!prefix.empty() && prefix.back() != '/' && mkdir(prefix.c_str(), 0777) != 0) {
        const int err = errno;
        struct stat st;
        if (err != EEXIST) return IoError("creating directory", prefix, err);
        if (stat(prefix.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
          return FailedPreconditionError("creating directory '" + path + "': '" + prefix +
                                         "' exists and is not a directory");
        }
      }
      if (pos == std::string::npos) break;
    }
    return Status::OK();
  }

  Status DeleteFile(const std::string& path) override {
    if (unlink(path.c_str()) != 0) return IoError("deleting", path, errno);
    return Status::OK();
  }

  Status DeleteDir(const std::string& path) override {
    if (rmdir(path.c_str()) != 0) return IoError("deleting directory", path, errno);
    return Status::OK();
  }

  Status DeleteRecursively(const std::string& path) override {
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) return IoError("deleting", path, errno);
    if (!S_ISDIR(st.st_mode)) return DeleteFile(path);  // symlinks are not followed
    ASSIGN_OR_RETURN(std::vector<std::string> children, GetChildren(path));
    for (const std::string& child : children) {
      RETURN_IF_ERROR(DeleteRecursively(JoinPath(path, child)));
    }
    return DeleteDir(path);
  }

  Status RenameFile(const std::string& from, const std::string& to) override {
    if (rename(from.c_str(), to.c_str()) != 0) {
      return IoError("renaming '" + from + "' to", to, errno);
    }
    return Status::OK();
  }

 private:
  static StatusOr<int> OpenForReading(const std::string& path) {
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return IoError("opening", path, errno);
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
      close(fd);
      return FailedPreconditionError("opening '" + path + "': is a directory");
    }
    return fd;
  }
};

}  // namespace

FileSystem* PosixFileSystem() {
  static FileSystem* const fs = new PosixFileSystemImpl();  // never deleted
  return fs;
}

}  // namespace tf1hub
