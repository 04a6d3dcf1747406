// ScopedTempDir: a fresh directory for a test, removed with everything in it
// when the object goes out of scope, so test runs leave nothing in /tmp.
//
//   ScopedTempDir tmp("tf1hub_writer_test");  // <base>/tf1hub_writer_test_XXXXXX
//   WriteModuleDirectory(tmp.Join("m"), ...);
//
// The base directory is $TEST_TMPDIR if set, else $TMPDIR, else /tmp.
// Removal errors are ignored (cleanup must not fail a test). For a directory
// shared by a whole test suite, hold a std::unique_ptr<ScopedTempDir> created
// in SetUpTestSuite and reset in TearDownTestSuite.
//
// Not thread-safe; header-only so every test binary can use it without
// another library.
#ifndef TF1HUB_CORE_TEMP_DIR_TEST_UTIL_H_
#define TF1HUB_CORE_TEMP_DIR_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace tf1hub::testing {

class ScopedTempDir {
 public:
  // Creates <base>/<prefix>_XXXXXX; a failure is a gtest failure (path()
  // then names a directory that does not exist).
  explicit ScopedTempDir(std::string_view prefix = "tf1hub_test") {
    path_ = BaseDir() + "/" + std::string(prefix) + "_XXXXXX";
    if (mkdtemp(path_.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp '" << path_ << "': " << std::strerror(errno);
      return;
    }
    owned_ = true;
  }
  ~ScopedTempDir() { Remove(); }

  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;
  ScopedTempDir(ScopedTempDir&& other) noexcept
      : path_(std::move(other.path_)), owned_(std::exchange(other.owned_, false)) {}
  ScopedTempDir& operator=(ScopedTempDir&& other) noexcept {
    if (this != &other) {
      Remove();
      path_ = std::move(other.path_);
      owned_ = std::exchange(other.owned_, false);
    }
    return *this;
  }

  const std::string& path() const { return path_; }
  std::string Join(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  static std::string BaseDir() {
    for (const char* var : {"TEST_TMPDIR", "TMPDIR"}) {
      const char* value = std::getenv(var);
      if (value != nullptr && *value != '\0') return value;
    }
    return "/tmp";
  }

  void Remove() {
    if (!owned_) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
    owned_ = false;
  }

  std::string path_;
  bool owned_ = false;
};

}  // namespace tf1hub::testing

#endif  // TF1HUB_CORE_TEMP_DIR_TEST_UTIL_H_
