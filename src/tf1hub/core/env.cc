// FileSystem helpers shared by every implementation, and path functions.
#include <fnmatch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>

#include "tf1hub/env.h"

namespace tf1hub {
namespace {

bool HasWildcard(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

// A name unlikely to collide between threads and processes writing the same
// target at once.
std::string TempSuffix() {
  static std::atomic<uint64_t> counter{0};
  thread_local std::mt19937_64 rng(std::random_device{}() ^
                                   static_cast<uint64_t>(
                                       std::chrono::steady_clock::now().time_since_epoch().count()));
  char buf[48];
  std::snprintf(buf, sizeof(buf), ".tmp%016llx%llx", static_cast<unsigned long long>(rng()),
                static_cast<unsigned long long>(counter.fetch_add(1)));
  return buf;
}

constexpr size_t kCopyChunk = size_t{1} << 20;

}  // namespace

StatusOr<std::vector<std::string>> FileSystem::Match(const std::string& pattern) {
  const std::string_view dir = Dirname(pattern);
  const std::string_view base = Basename(pattern);
  std::vector<std::string> out;
  if (!HasWildcard(base)) {
    if (FileExists(pattern)) out.push_back(pattern);
    return out;
  }
  const std::string list_dir = dir.empty() ? std::string(".") : std::string(dir);
  StatusOr<std::vector<std::string>> children = GetChildren(list_dir);
  if (!children.ok()) {
    // A missing directory matches nothing, as in TensorFlow's
    // GetMatchingPaths; other errors are real.
    if (children.status().code() == StatusCode::kNotFound) return out;
    return children.status().WithContext("matching '" + pattern + "'");
  }
  const std::string base_pattern(base);
  for (const std::string& name : *children) {
    if (fnmatch(base_pattern.c_str(), name.c_str(), FNM_PATHNAME) == 0) {
      out.push_back(dir.empty() ? name : JoinPath(dir, name));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Status FileSystem::CopyFile(const std::string& from, const std::string& to) {
  const std::string context = "copying '" + from + "' to '" + to + "'";
  ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> in, NewRandomAccessFile(from));
  ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> out, NewWritableFile(to));
  const uint64_t size = in->Size();
  std::string scratch(static_cast<size_t>(std::min<uint64_t>(size, kCopyChunk)), '\0');
  for (uint64_t offset = 0; offset < size;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(size - offset, kCopyChunk));
    StatusOr<std::string_view> got = in->Read(offset, n, scratch.data());
    if (!got.ok()) return got.status().WithContext(context);
    RETURN_IF_ERROR_WITH_CONTEXT(out->Append(*got), context);
    offset += n;
  }
  RETURN_IF_ERROR_WITH_CONTEXT(out->Close(), context);
  return Status::OK();
}

StatusOr<std::string> FileSystem::ReadFileToString(const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, NewRandomAccessFile(path));
  const uint64_t size = file->Size();
  std::string contents;
  if (size > contents.max_size()) {
    return ResourceExhaustedError("reading '" + path + "': file of " + std::to_string(size) +
                                  " bytes is too large for memory");
  }
  contents.resize(static_cast<size_t>(size));
  if (size == 0) return contents;
  ASSIGN_OR_RETURN(std::string_view got, file->Read(0, contents.size(), contents.data()));
  if (got.data() != contents.data()) contents.assign(got.data(), got.size());
  return contents;
}

Status FileSystem::WriteStringToFile(const std::string& path, std::string_view contents) {
  ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, NewWritableFile(path));
  RETURN_IF_ERROR(file->Append(contents));
  return file->Close();
}

Status FileSystem::WriteStringToFileAtomically(const std::string& path,
                                               std::string_view contents) {
  const std::string tmp = path + TempSuffix();
  Status status = [&]() -> Status {
    ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, NewWritableFile(tmp));
    RETURN_IF_ERROR(file->Append(contents));
    // Sync before the rename so a crash never leaves `path` naming a file
    // whose contents did not reach the disk.
    RETURN_IF_ERROR(file->Sync());
    RETURN_IF_ERROR(file->Close());
    return RenameFile(tmp, path);
  }();
  if (!status.ok()) {
    if (FileExists(tmp)) DeleteFile(tmp).IgnoreError();
    return status.WithContext("writing '" + path + "' atomically");
  }
  return Status::OK();
}

std::string JoinPath(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  if (b.empty()) return std::string(a);
  std::string out(a);
  const bool a_slash = out.back() == '/';
  const bool b_slash = b.front() == '/';
  if (a_slash && b_slash) {
    b.remove_prefix(1);
  } else if (!a_slash && !b_slash) {
    out.push_back('/');
  }
  out.append(b);
  return out;
}

std::string_view Dirname(std::string_view path) {
  const size_t pos = path.rfind('/');
  if (pos == std::string_view::npos) return {};
  if (pos == 0) return path.substr(0, 1);
  return path.substr(0, pos);
}

std::string_view Basename(std::string_view path) {
  const size_t pos = path.rfind('/');
  if (pos == std::string_view::npos) return path;
  return path.substr(pos + 1);
}

bool IsAbsolutePath(std::string_view path) { return !path.empty() && path.front() == '/'; }

}  // namespace tf1hub
