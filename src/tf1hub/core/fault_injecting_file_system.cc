#include "tf1hub/core/fault_injecting_file_system.h"

namespace tf1hub {
namespace {

class FaultyRandomAccessFile : public RandomAccessFile {
 public:
  FaultyRandomAccessFile(FaultInjectingFileSystem* fs, std::unique_ptr<RandomAccessFile> base)
      : fs_(fs), base_(std::move(base)) {}
  StatusOr<std::string_view> Read(uint64_t offset, size_t n, char* scratch) const override {
    RETURN_IF_ERROR(fs_->MaybeFail(FaultOp::kRead, base_->path()));
    return base_->Read(offset, n, scratch);
  }
  uint64_t Size() const override { return base_->Size(); }
  const std::string& path() const override { return base_->path(); }

 private:
  FaultInjectingFileSystem* fs_;
  std::unique_ptr<RandomAccessFile> base_;
};

class FaultyWritableFile : public WritableFile {
 public:
  FaultyWritableFile(FaultInjectingFileSystem* fs, std::unique_ptr<WritableFile> base)
      : fs_(fs), base_(std::move(base)) {}
  Status Append(std::string_view data) override {
    size_t partial = 0;
    Status status = fs_->MaybeFail(FaultOp::kAppend, base_->path(), &partial);
    if (!status.ok()) {
      if (partial > 0) base_->Append(data.substr(0, partial)).IgnoreError();
      return status;
    }
    return base_->Append(data);
  }
  Status Flush() override {
    RETURN_IF_ERROR(fs_->MaybeFail(FaultOp::kFlush, base_->path()));
    return base_->Flush();
  }
  Status Sync() override {
    RETURN_IF_ERROR(fs_->MaybeFail(FaultOp::kSync, base_->path()));
    return base_->Sync();
  }
  Status Close() override {
    Status status = fs_->MaybeFail(FaultOp::kClose, base_->path());
    // The underlying file is closed either way, like close(2) reporting a
    // deferred write error.
    Status closed = base_->Close();
    return status.ok() ? closed : status;
  }
  const std::string& path() const override { return base_->path(); }

 private:
  FaultInjectingFileSystem* fs_;
  std::unique_ptr<WritableFile> base_;
};

}  // namespace

const char* FaultOpName(FaultOp op) {
  switch (op) {
    case FaultOp::kOpenRead: return "open for reading";
    case FaultOp::kRead: return "read";
    case FaultOp::kOpenWrite: return "open for writing";
    case FaultOp::kAppend: return "append";
    case FaultOp::kFlush: return "flush";
    case FaultOp::kSync: return "sync";
    case FaultOp::kClose: return "close";
    case FaultOp::kRename: return "rename";
    case FaultOp::kDelete: return "delete";
    case FaultOp::kCreateDir: return "create directory";
    case FaultOp::kNumOps: break;
  }
  return "?";
}

void FaultInjectingFileSystem::InjectFault(FaultOp op, int nth, FaultOptions options) {
  std::lock_guard<std::mutex> lock(mu_);
  const size_t i = static_cast<size_t>(op);
  counts_[i] = 0;
  faults_[i] = Fault{true, nth, std::move(options)};
}

void FaultInjectingFileSystem::ClearFaults() {
  std::lock_guard<std::mutex> lock(mu_);
  faults_ = {};
}

int FaultInjectingFileSystem::count(FaultOp op) const {
  std::lock_guard<std::mutex> lock(mu_);
  return counts_[static_cast<size_t>(op)];
}

void FaultInjectingFileSystem::ResetCounts() {
  std::lock_guard<std::mutex> lock(mu_);
  counts_ = {};
}

std::vector<std::string> FaultInjectingFileSystem::failed_paths() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failed_paths_;
}

Status FaultInjectingFileSystem::MaybeFail(FaultOp op, const std::string& path,
                                           size_t* partial_bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  const size_t i = static_cast<size_t>(op);
  const int n = ++counts_[i];
  const Fault& fault = faults_[i];
  if (!fault.armed || n < fault.nth || (n > fault.nth && !fault.options.sticky)) {
    return Status::OK();
  }
  failed_paths_.push_back(path);
  if (partial_bytes != nullptr) *partial_bytes = fault.options.partial_bytes;
  if (fault.options.error) return *fault.options.error;
  return UnavailableError(std::string("injected fault: ") + FaultOpName(op) + " #" +
                          std::to_string(n) + " on '" + path + "'");
}

StatusOr<std::unique_ptr<RandomAccessFile>> FaultInjectingFileSystem::NewRandomAccessFile(
    const std::string& path) {
  RETURN_IF_ERROR(MaybeFail(FaultOp::kOpenRead, path));
  ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, base_->NewRandomAccessFile(path));
  return std::unique_ptr<RandomAccessFile>(new FaultyRandomAccessFile(this, std::move(file)));
}

StatusOr<std::unique_ptr<WritableFile>> FaultInjectingFileSystem::NewWritableFile(
    const std::string& path) {
  RETURN_IF_ERROR(MaybeFail(FaultOp::kOpenWrite, path));
  ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, base_->NewWritableFile(path));
  return std::unique_ptr<WritableFile>(new FaultyWritableFile(this, std::move(file)));
}

StatusOr<std::unique_ptr<ReadOnlyMemoryRegion>> FaultInjectingFileSystem::NewReadOnlyMemoryRegion(
    const std::string& path) {
  RETURN_IF_ERROR(MaybeFail(FaultOp::kOpenRead, path));
  return base_->NewReadOnlyMemoryRegion(path);
}

Status FaultInjectingFileSystem::CreateDir(const std::string& path) {
  RETURN_IF_ERROR(MaybeFail(FaultOp::kCreateDir, path));
  return base_->CreateDir(path);
}

Status FaultInjectingFileSystem::RecursivelyCreateDir(const std::string& path) {
  RETURN_IF_ERROR(MaybeFail(FaultOp::kCreateDir, path));
  return base_->RecursivelyCreateDir(path);
}

Status FaultInjectingFileSystem::DeleteFile(const std::string& path) {
  RETURN_IF_ERROR(MaybeFail(FaultOp::kDelete, path));
  return base_->DeleteFile(path);
}

Status FaultInjectingFileSystem::DeleteDir(const std::string& path) {
  RETURN_IF_ERROR(MaybeFail(FaultOp::kDelete, path));
  return base_->DeleteDir(path);
}

Status FaultInjectingFileSystem::DeleteRecursively(const std::string& path) {
  RETURN_IF_ERROR(MaybeFail(FaultOp::kDelete, path));
  return base_->DeleteRecursively(path);
}

Status FaultInjectingFileSystem::RenameFile(const std::string& from, const std::string& to) {
  RETURN_IF_ERROR(MaybeFail(FaultOp::kRename, from));
  return base_->RenameFile(from, to);
}

}  // namespace tf1hub
