#include "bench_env.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace tf1hub::bench {
namespace {

namespace fs = std::filesystem;

#ifndef OVERLAYFS_SUPER_MAGIC
#define OVERLAYFS_SUPER_MAGIC 0x794c7630
#endif
#ifndef XFS_SUPER_MAGIC
#define XFS_SUPER_MAGIC 0x58465342
#endif

std::string Errno(const std::string& what, const std::string& path) {
  return what + " '" + path + "': " + std::strerror(errno);
}

}  // namespace

int64_t EnvInt(const char* name, int64_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  char* end = nullptr;
  long long parsed = std::strtoll(v, &end, 10);
  if (end == v || *end != '\0' || parsed <= 0) return fallback;
  return parsed;
}

std::string FileSystemTypeName(const std::string& path) {
  struct statfs st;
  if (statfs(path.c_str(), &st) != 0) return "unknown";
  switch (static_cast<unsigned long>(st.f_type)) {
    case EXT4_SUPER_MAGIC: return "ext4";  // same magic for ext2/3
    case TMPFS_MAGIC: return "tmpfs";
    case RAMFS_MAGIC: return "ramfs";
    case XFS_SUPER_MAGIC: return "xfs";
    case BTRFS_SUPER_MAGIC: return "btrfs";
    case OVERLAYFS_SUPER_MAGIC: return "overlayfs";
    case NFS_SUPER_MAGIC: return "nfs";
    default: {
      char buf[32];
      std::snprintf(buf, sizeof(buf), "0x%lx", static_cast<unsigned long>(st.f_type));
      return buf;
    }
  }
}

bool IsMemoryBacked(const std::string& path) {
  struct statfs st;
  if (statfs(path.c_str(), &st) != 0) return false;
  return st.f_type == TMPFS_MAGIC || st.f_type == RAMFS_MAGIC;
}

std::string ScratchBase() {
  if (const char* d = std::getenv("TF1HUB_BENCH_DIR"); d != nullptr && *d != '\0') return d;
  std::vector<std::string> candidates;
  if (const char* t = std::getenv("TMPDIR"); t != nullptr && *t != '\0') candidates.push_back(t);
  candidates.push_back("/var/tmp");
  candidates.push_back("/tmp");
  for (const std::string& c : candidates) {
    std::error_code ec;
    if (fs::is_directory(c, ec) && access(c.c_str(), W_OK) == 0 && !IsMemoryBacked(c)) return c;
  }
  std::error_code ec;
  return fs::current_path(ec).string();
}

std::string MakeScratchDir(const std::string& tag, std::string* error) {
  std::string base = ScratchBase();
  std::error_code ec;
  fs::create_directories(base, ec);
  std::string templ = base + "/tf1hub_" + tag + ".XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) {
    *error = Errno("creating scratch directory", templ);
    return "";
  }
  return templ;
}

void RemoveTree(const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
}

std::vector<std::string> FilesWithPrefix(const std::string& prefix) {
  fs::path p(prefix);
  fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  std::string stem = p.filename().string();
  std::vector<std::string> out;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (name.compare(0, stem.size(), stem) == 0 && e.is_regular_file(ec)) {
      out.push_back(e.path().string());
    }
  }
  return out;
}

void RemoveFilesWithPrefix(const std::string& prefix) {
  for (const std::string& f : FilesWithPrefix(prefix)) {
    std::error_code ec;
    fs::remove(f, ec);
  }
}

bool FsyncFiles(const std::vector<std::string>& paths, std::string* error) {
  for (const std::string& path : paths) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      *error = Errno("opening for fsync", path);
      return false;
    }
    int rc = fsync(fd);
    int saved = errno;
    close(fd);
    if (rc != 0) {
      errno = saved;
      *error = Errno("fsync", path);
      return false;
    }
  }
  return true;
}

bool ColdCacheRequested() { return EnvInt("TF1HUB_BENCH_COLD", 0) == 1; }

bool DropPageCache(std::string* error) {
  sync();
  int fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = Errno("opening", "/proc/sys/vm/drop_caches") + " (cold-cache runs need root)";
    return false;
  }
  bool ok = write(fd, "3\n", 2) == 2;
  if (!ok) *error = Errno("writing", "/proc/sys/vm/drop_caches");
  close(fd);
  return ok;
}

}  // namespace tf1hub::bench
