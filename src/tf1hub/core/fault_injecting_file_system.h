// FaultInjectingFileSystem: a FileSystem wrapper for tests that makes chosen
// operations fail, to prove that writers lose nothing and readers report
// clean errors when the disk misbehaves.
//
//   auto mem = NewMemoryFileSystem();
//   FaultInjectingFileSystem fs(mem.get());
//   fs.InjectFault(FaultOp::kRename, /*nth=*/1);       // next rename fails
//   fs.InjectFault(FaultOp::kAppend, 3,                // disk full from the
//                  {.error = ResourceExhaustedError("disk full"),  // 3rd on
//                   .sticky = true});
//   EXPECT_FALSE(WriteModule(&fs, "/m").ok());
//   EXPECT_EQ(fs.count(FaultOp::kRename), 1);
//
// Counting starts when a fault is injected (or at ResetCounts()); `nth` is
// 1-based. Operations on files opened through this wrapper are counted too.
//
// Thread safety: all methods may be called concurrently.
#ifndef TF1HUB_CORE_FAULT_INJECTING_FILE_SYSTEM_H_
#define TF1HUB_CORE_FAULT_INJECTING_FILE_SYSTEM_H_

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tf1hub/env.h"

namespace tf1hub {

enum class FaultOp : int {
  kOpenRead = 0,   // NewRandomAccessFile and NewReadOnlyMemoryRegion
  kRead,           // RandomAccessFile::Read
  kOpenWrite,      // NewWritableFile
  kAppend,         // WritableFile::Append
  kFlush,          // WritableFile::Flush
  kSync,           // WritableFile::Sync
  kClose,          // WritableFile::Close
  kRename,         // RenameFile
  kDelete,         // DeleteFile, DeleteDir, DeleteRecursively
  kCreateDir,      // CreateDir, RecursivelyCreateDir
  kNumOps,
};

struct FaultOptions {
  // Failure returned; default Unavailable("injected fault: <op> #<n> on '<path>'").
  std::optional<Status> error = std::nullopt;
  // Keep failing every later call of the op too (e.g. a full disk).
  bool sticky = false;
  // For kAppend: write this many leading bytes of the data before failing
  // (a torn write). Ignored for other ops.
  size_t partial_bytes = 0;
};

class FaultInjectingFileSystem : public FileSystem {
 public:
  // `base` must outlive this wrapper and every file opened through it.
  explicit FaultInjectingFileSystem(FileSystem* base) : base_(base) {}

  // Makes the `nth` call of `op` from now on fail (restarting its count).
  void InjectFault(FaultOp op, int nth, FaultOptions options = {});
  // Removes all faults (counts are kept).
  void ClearFaults();
  // Calls of `op` since its last InjectFault/ResetCounts.
  int count(FaultOp op) const;
  void ResetCounts();
  // Paths passed to operations that failed by injection, in order.
  std::vector<std::string> failed_paths() const;

  StatusOr<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(const std::string& path) override;
  StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override;
  StatusOr<std::unique_ptr<ReadOnlyMemoryRegion>> NewReadOnlyMemoryRegion(
      const std::string& path) override;
  bool FileExists(const std::string& path) override { return base_->FileExists(path); }
  StatusOr<uint64_t> GetFileSize(const std::string& path) override {
    return base_->GetFileSize(path);
  }
  StatusOr<bool> IsDirectory(const std::string& path) override { return base_->IsDirectory(path); }
  StatusOr<std::vector<std::string>> GetChildren(const std::string& dir) override {
    return base_->GetChildren(dir);
  }
  Status CreateDir(const std::string& path) override;
  Status RecursivelyCreateDir(const std::string& path) override;
  Status DeleteFile(const std::string& path) override;
  Status DeleteDir(const std::string& path) override;
  Status DeleteRecursively(const std::string& path) override;
  Status RenameFile(const std::string& from, const std::string& to) override;

  // Counts the call and returns the injected failure, if this call is one.
  // Public for the wrapped file objects. `partial_bytes` receives the torn
  // write length for kAppend.
  Status MaybeFail(FaultOp op, const std::string& path, size_t* partial_bytes = nullptr);

 private:
  struct Fault {
    bool armed = false;
    int nth = 0;
    FaultOptions options;
  };

  FileSystem* const base_;
  mutable std::mutex mu_;
  std::array<int, static_cast<size_t>(FaultOp::kNumOps)> counts_{};
  std::array<Fault, static_cast<size_t>(FaultOp::kNumOps)> faults_{};
  std::vector<std::string> failed_paths_;
};

// "append", "rename", ... for messages.
const char* FaultOpName(FaultOp op);

}  // namespace tf1hub

#endif  // TF1HUB_CORE_FAULT_INJECTING_FILE_SYSTEM_H_
