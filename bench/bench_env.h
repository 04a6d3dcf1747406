// Helpers shared by the benchmark programs: where to put scratch files, how
// to flush and drop the page cache, and environment-variable knobs.
//
//   std::string dir = *bench::MakeScratchDir("ckpt");   // removed by caller
//   bench::FsyncFiles(bench::FilesWithPrefix(dir + "/model"));
//   if (bench::ColdCacheRequested()) bench::DropPageCache();
//
// None of these are part of the tf1hub library; errors are plain strings.
#ifndef TF1HUB_BENCH_BENCH_ENV_H_
#define TF1HUB_BENCH_BENCH_ENV_H_

#include <cstdint>
#include <string>
#include <vector>

namespace tf1hub::bench {

// Integer value of environment variable `name`, or `fallback` if unset or
// not a positive integer.
int64_t EnvInt(const char* name, int64_t fallback);

// A human-readable name of the file system holding `path` ("ext4", "tmpfs",
// "xfs", "overlayfs", ... or "0x<magic>").
std::string FileSystemTypeName(const std::string& path);
bool IsMemoryBacked(const std::string& path);

// The directory under which scratch files go: $TF1HUB_BENCH_DIR if set,
// otherwise the first of $TMPDIR, /var/tmp, /tmp and the current directory
// that is not memory-backed (tmpfs/ramfs would measure RAM, not a disk).
std::string ScratchBase();

// Creates a fresh directory "<ScratchBase()>/tf1hub_<tag>.XXXXXX".
// Returns "" and fills *error on failure.
std::string MakeScratchDir(const std::string& tag, std::string* error);

// Deletes `path` and everything under it (errors ignored).
void RemoveTree(const std::string& path);

// Regular files in Dirname(prefix) whose names start with Basename(prefix).
std::vector<std::string> FilesWithPrefix(const std::string& prefix);
void RemoveFilesWithPrefix(const std::string& prefix);

// fsync()s each file; returns false (and fills *error) on the first failure.
bool FsyncFiles(const std::vector<std::string>& paths, std::string* error);

// True if TF1HUB_BENCH_COLD=1: drop the page cache before each timed read.
bool ColdCacheRequested();
// sync(), then writes 3 to /proc/sys/vm/drop_caches. Needs root.
bool DropPageCache(std::string* error);

}  // namespace tf1hub::bench

#endif  // TF1HUB_BENCH_BENCH_ENV_H_
