// An in-memory FileSystem for tests.
//
// Files are immutable shared strings: readers keep the version they opened,
// writers publish a new version on Flush/Sync/Close. Parent directories are
// never required, as the public header promises: creating a file or
// directory creates its missing ancestors, which then persist like real
// directories ("/" and "", the root of relative paths, always exist).
#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "tf1hub/env.h"

namespace tf1hub {
namespace {

using Contents = std::shared_ptr<const std::string>;

// Collapses repeated '/', drops trailing '/' and "./" components.
std::string Normalize(std::string_view path) {
  const bool absolute = !path.empty() && path.front() == '/';
  std::string out = absolute ? "/" : "";
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    const std::string_view part = path.substr(i, j - i);
    if (!part.empty() && part != ".") {
      if (!out.empty() && out.back() != '/') out.push_back('/');
      out.append(part);
    }
    i = j;
  }
  return out;
}

// The prefix every entry below directory `dir` starts with.
std::string ChildPrefix(const std::string& dir) {
  if (dir.empty()) return "";
  if (dir == "/") return "/";
  return dir + "/";
}

struct State {
  std::mutex mu;
  std::map<std::string, Contents> files;
  std::set<std::string> dirs;  // explicitly created

  // All below require mu held.
  bool IsFile(const std::string& p) const { return files.count(p) > 0; }
  bool HasEntriesBelow(const std::string& dir) const {
    const std::string prefix = ChildPrefix(dir);
    auto starts = [&](const std::string& s) {
      return s.starts_with(prefix) && s.size() > prefix.size() &&
             (!prefix.empty() || s.front() != '/');
    };
    for (auto it = files.lower_bound(prefix); it != files.end() && it->first.starts_with(prefix);
         ++it) {
      if (starts(it->first)) return true;
    }
    for (auto it = dirs.lower_bound(prefix); it != dirs.end() && it->starts_with(prefix); ++it) {
      if (starts(*it)) return true;
    }
    return false;
  }
  bool IsDir(const std::string& p) const { return p.empty() || p == "/" || dirs.count(p) > 0; }
  // True if some ancestor of `p` is a file (so `p` cannot be created).
  bool HasFileAncestor(const std::string& p) const {
    for (std::string_view d = Dirname(p); !d.empty() && d != "/"; d = Dirname(d)) {
      if (IsFile(std::string(d))) return true;
    }
    return false;
  }
  // Records every ancestor directory of `p` (not `p` itself).
  void AddAncestors(const std::string& p) {
    for (std::string_view d = Dirname(p); !d.empty() && d != "/"; d = Dirname(d)) {
      if (!dirs.emplace(d).second) break;  // its ancestors are there already
    }
  }
  // Calls fn(name) for each entry of `dir` whose path starts with the prefix.
  template <typename Map, typename Fn>
  static void ForEachBelow(const Map& m, const std::string& dir, Fn fn) {
    const std::string prefix = ChildPrefix(dir);
    for (auto it = m.lower_bound(prefix); it != m.end(); ++it) {
      const std::string& key = [&]() -> const std::string& {
        if constexpr (std::is_same_v<Map, std::set<std::string>>) {
          return *it;
        } else {
          return it->first;
        }
      }();
      if (!key.starts_with(prefix)) break;
      if (key.size() == prefix.size()) continue;
      if (prefix.empty() && key.front() == '/') continue;
      fn(key);
    }
  }
};

class MemoryRandomAccessFile : public RandomAccessFile {
 public:
  MemoryRandomAccessFile(std::string path, Contents contents)
      : path_(std::move(path)), contents_(std::move(contents)) {}

  StatusOr<std::string_view> Read(uint64_t offset, size_t n, char* scratch) const override {
    const uint64_t size = contents_->size();
    if (offset > size || n > size - offset) {
      return OutOfRangeError("reading '" + path_ + "': requested " + std::to_string(n) +
                             " bytes at offset " + std::to_string(offset) + " but only " +
                             std::to_string(offset > size ? 0 : size - offset) +
                             " were available (file size " + std::to_string(size) + ")");
    }
    return std::string_view(contents_->data() + offset, n);
  }
  uint64_t Size() const override { return contents_->size(); }
  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  Contents contents_;
};

class MemoryRegion : public ReadOnlyMemoryRegion {
 public:
  explicit MemoryRegion(Contents contents) : contents_(std::move(contents)) {}
  const char* data() const override { return contents_->data(); }
  uint64_t size() const override { return contents_->size(); }

 private:
  Contents contents_;
};

class MemoryWritableFile : public WritableFile {
 public:
  MemoryWritableFile(std::shared_ptr<State> state, std::string key, std::string path)
      : state_(std::move(state)), key_(std::move(key)), path_(std::move(path)) {}
  ~MemoryWritableFile() override { Close().IgnoreError(); }

  Status Append(std::string_view data) override {
    RETURN_IF_ERROR(CheckOpen("appending to"));
    data_.append(data);
    dirty_ = true;
    return Status::OK();
  }
  Status Flush() override {
    RETURN_IF_ERROR(CheckOpen("flushing"));
    Publish();
    return Status::OK();
  }
  Status Sync() override { return Flush(); }
  Status Close() override {
    if (closed_) return Status::OK();
    Publish();
    closed_ = true;
    return Status::OK();
  }
  const std::string& path() const override { return path_; }

 private:
  Status CheckOpen(const char* op) const {
    if (closed_) {
      return FailedPreconditionError(std::string(op) + " '" + path_ + "': file already closed");
    }
    return Status::OK();
  }
  void Publish() {
    if (!dirty_) return;
    auto contents = std::make_shared<const std::string>(data_);
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->files[key_] = std::move(contents);
    state_->AddAncestors(key_);
    dirty_ = false;
  }

  std::shared_ptr<State> state_;
  std::string key_;
  std::string path_;
  std::string data_;
  bool dirty_ = false;
  bool closed_ = false;
};

class MemoryFileSystem : public FileSystem {
 public:
  StatusOr<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(
      const std::string& path) override {
    ASSIGN_OR_RETURN(Contents contents, Lookup("opening", path));
    return std::unique_ptr<RandomAccessFile>(new MemoryRandomAccessFile(path, contents));
  }

  StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override {
    const std::string key = Normalize(path);
    {
      std::lock_guard<std::mutex> lock(state_->mu);
      if (state_->IsDir(key)) {
        return FailedPreconditionError("creating '" + path + "': is a directory");
      }
      if (state_->HasFileAncestor(key)) {
        return FailedPreconditionError("creating '" + path + "': Not a directory");
      }
      state_->files[key] = std::make_shared<const std::string>();  // truncate
      state_->AddAncestors(key);
    }
    return std::unique_ptr<WritableFile>(new MemoryWritableFile(state_, key, path));
  }

  StatusOr<std::unique_ptr<ReadOnlyMemoryRegion>> NewReadOnlyMemoryRegion(
      const std::string& path) override {
    ASSIGN_OR_RETURN(Contents contents, Lookup("mapping", path));
    return std::unique_ptr<ReadOnlyMemoryRegion>(new MemoryRegion(contents));
  }

  bool FileExists(const std::string& path) override {
    const std::string key = Normalize(path);
    std::lock_guard<std::mutex> lock(state_->mu);
    return state_->IsFile(key) || state_->IsDir(key);
  }

  StatusOr<uint64_t> GetFileSize(const std::string& path) override {
    const std::string key = Normalize(path);
    std::lock_guard<std::mutex> lock(state_->mu);
    if (auto it = state_->files.find(key); it != state_->files.end()) return it->second->size();
    if (state_->IsDir(key)) return uint64_t{0};
    return NotFound("getting the size of", path);
  }

  StatusOr<bool> IsDirectory(const std::string& path) override {
    const std::string key = Normalize(path);
    std::lock_guard<std::mutex> lock(state_->mu);
    if (state_->IsFile(key)) return false;
    if (state_->IsDir(key)) return true;
    return NotFound("checking", path);
  }

  StatusOr<std::vector<std::string>> GetChildren(const std::string& dir) override {
    const std::string key = Normalize(dir);
    std::lock_guard<std::mutex> lock(state_->mu);
    if (state_->IsFile(key)) {
      return FailedPreconditionError("listing '" + dir + "': Not a directory");
    }
    if (!state_->IsDir(key)) return NotFound("listing", dir);
    const size_t skip = ChildPrefix(key).size();
    std::set<std::string> names;
    auto add = [&](const std::string& p) {
      const std::string_view rest = std::string_view(p).substr(skip);
      names.emplace(rest.substr(0, rest.find('/')));
    };
    State::ForEachBelow(state_->files, key, add);
    State::ForEachBelow(state_->dirs, key, add);
    return std::vector<std::string>(names.begin(), names.end());
  }

  Status CreateDir(const std::string& path) override {
    const std::string key = Normalize(path);
    std::lock_guard<std::mutex> lock(state_->mu);
    if (state_->IsFile(key) || state_->IsDir(key)) {
      return AlreadyExistsError("creating directory '" + path + "': File exists");
    }
    if (state_->HasFileAncestor(key)) {
      return FailedPreconditionError("creating directory '" + path + "': Not a directory");
    }
    state_->dirs.insert(key);
    state_->AddAncestors(key);
    return Status::OK();
  }

  Status RecursivelyCreateDir(const std::string& path) override {
    const std::string key = Normalize(path);
    std::lock_guard<std::mutex> lock(state_->mu);
    if (state_->IsFile(key) || state_->HasFileAncestor(key)) {
      return FailedPreconditionError("creating directory '" + path +
                                     "': a path component exists and is not a directory");
    }
    if (!key.empty() && key != "/") {
      state_->dirs.insert(key);
      state_->AddAncestors(key);
    }
    return Status::OK();
  }

  Status DeleteFile(const std::string& path) override {
    const std::string key = Normalize(path);
    std::lock_guard<std::mutex> lock(state_->mu);
    if (state_->files.erase(key) > 0) return Status::OK();
    if (state_->IsDir(key)) return FailedPreconditionError("deleting '" + path + "': Is a directory");
    return NotFound("deleting", path);
  }

  Status DeleteDir(const std::string& path) override {
    const std::string key = Normalize(path);
    std::lock_guard<std::mutex> lock(state_->mu);
    if (state_->IsFile(key)) {
      return FailedPreconditionError("deleting directory '" + path + "': Not a directory");
    }
    if (!state_->IsDir(key)) return NotFound("deleting directory", path);
    if (state_->HasEntriesBelow(key)) {
      return FailedPreconditionError("deleting directory '" + path + "': Directory not empty");
    }
    state_->dirs.erase(key);
    return Status::OK();
  }

  Status DeleteRecursively(const std::string& path) override {
    const std::string key = Normalize(path);
    std::lock_guard<std::mutex> lock(state_->mu);
    if (state_->files.erase(key) > 0) return Status::OK();
    if (!state_->IsDir(key)) return NotFound("deleting", path);
    std::vector<std::string> doomed_files, doomed_dirs;
    State::ForEachBelow(state_->files, key, [&](const std::string& p) { doomed_files.push_back(p); });
    State::ForEachBelow(state_->dirs, key, [&](const std::string& p) { doomed_dirs.push_back(p); });
    for (const auto& p : doomed_files) state_->files.erase(p);
    for (const auto& p : doomed_dirs) state_->dirs.erase(p);
    state_->dirs.erase(key);
    return Status::OK();
  }

  Status RenameFile(const std::string& from, const std::string& to) override {
    const std::string src = Normalize(from);
    const std::string dst = Normalize(to);
    const std::string op = "renaming '" + from + "' to '" + to + "'";
    std::lock_guard<std::mutex> lock(state_->mu);
    if (src == dst) {
      if (state_->IsFile(src) || state_->IsDir(src)) return Status::OK();
      return NotFoundError(op + ": No such file or directory");
    }
    if (auto it = state_->files.find(src); it != state_->files.end()) {
      if (state_->IsDir(dst)) return FailedPreconditionError(op + ": Is a directory");
      if (state_->HasFileAncestor(dst)) return FailedPreconditionError(op + ": Not a directory");
      Contents contents = it->second;
      state_->files.erase(it);
      state_->files[dst] = std::move(contents);
      state_->AddAncestors(dst);
      return Status::OK();
    }
    if (!state_->IsDir(src) || src.empty() || src == "/") {
      return NotFoundError(op + ": No such file or directory");
    }
    if (state_->IsFile(dst) || state_->HasFileAncestor(dst)) {
      return FailedPreconditionError(op + ": Not a directory");
    }
    if (state_->HasEntriesBelow(dst)) return FailedPreconditionError(op + ": Directory not empty");
    if (dst.starts_with(ChildPrefix(src))) {
      return InvalidArgumentError(op + ": cannot move a directory into itself");
    }
    // Move the directory and everything beneath it.
    const size_t skip = src.size();
    std::vector<std::string> moved_files, moved_dirs;
    State::ForEachBelow(state_->files, src, [&](const std::string& p) { moved_files.push_back(p); });
    State::ForEachBelow(state_->dirs, src, [&](const std::string& p) { moved_dirs.push_back(p); });
    for (const auto& p : moved_files) {
      auto node = state_->files.extract(p);
      node.key() = dst + p.substr(skip);
      state_->files.insert(std::move(node));
    }
    for (const auto& p : moved_dirs) {
      state_->dirs.erase(p);
      state_->dirs.insert(dst + p.substr(skip));
    }
    state_->dirs.erase(src);
    state_->dirs.insert(dst);
    state_->AddAncestors(dst);
    return Status::OK();
  }

 private:
  static Status NotFound(std::string_view op, const std::string& path) {
    return NotFoundError(std::string(op) + " '" + path + "': No such file or directory");
  }

  StatusOr<Contents> Lookup(std::string_view op, const std::string& path) {
    const std::string key = Normalize(path);
    std::lock_guard<std::mutex> lock(state_->mu);
    if (auto it = state_->files.find(key); it != state_->files.end()) return it->second;
    if (state_->IsDir(key)) {
      return FailedPreconditionError(std::string(op) + " '" + path + "': is a directory");
    }
    return NotFound(op, path);
  }

  std::shared_ptr<State> state_ = std::make_shared<State>();
};

}  // namespace

std::unique_ptr<FileSystem> NewMemoryFileSystem() { return std::make_unique<MemoryFileSystem>(); }

}  // namespace tf1hub
