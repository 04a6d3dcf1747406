#include "tf1hub/env.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <thread>

#include "tf1hub/core/fault_injecting_file_system.h"

namespace tf1hub {
namespace {

// ---------------------------------------------------------------------------
// The same behaviour tests, run on the POSIX file system (in a fresh temp
// directory) and on the memory file system.

enum class FsKind { kPosix, kMemory };

class FileSystemTest : public ::testing::TestWithParam<FsKind> {
 protected:
  void SetUp() override {
    if (GetParam() == FsKind::kPosix) {
      fs_ = PosixFileSystem();
      const char* tmp = getenv("TEST_TMPDIR");
      std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/tf1hub_env_test.XXXXXX";
      ASSERT_NE(mkdtemp(templ.data()), nullptr);
      root_ = templ;
    } else {
      memory_ = NewMemoryFileSystem();
      fs_ = memory_.get();
      root_ = "/mem/root";
      ASSERT_TRUE(fs_->RecursivelyCreateDir(root_).ok());
    }
  }
  void TearDown() override {
    if (GetParam() == FsKind::kPosix && !root_.empty()) fs_->DeleteRecursively(root_).IgnoreError();
  }
  std::string Path(std::string_view name) const { return JoinPath(root_, name); }
  void Write(const std::string& path, std::string_view contents) {
    ASSERT_TRUE(fs_->WriteStringToFile(path, contents).ok());
  }

  FileSystem* fs_ = nullptr;
  std::unique_ptr<FileSystem> memory_;
  std::string root_;
};

TEST_P(FileSystemTest, WriteReadRoundTrip) {
  const std::string path = Path("a.bin");
  const std::string contents("hello\0world", 11);
  Write(path, contents);
  EXPECT_TRUE(fs_->FileExists(path));
  EXPECT_EQ(*fs_->GetFileSize(path), 11u);
  EXPECT_EQ(*fs_->ReadFileToString(path), contents);
  EXPECT_FALSE(*fs_->IsDirectory(path));

  StatusOr<std::unique_ptr<RandomAccessFile>> file = fs_->NewRandomAccessFile(path);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ((*file)->Size(), 11u);
  EXPECT_EQ((*file)->path(), path);
  char scratch[5];
  EXPECT_EQ(*(*file)->Read(6, 5, scratch), "world");
  EXPECT_EQ(*(*file)->Read(11, 0, scratch), "");
}

TEST_P(FileSystemTest, ShortReadIsOutOfRange) {
  const std::string path = Path("short");
  Write(path, "0123456789");
  auto file = *fs_->NewRandomAccessFile(path);
  char scratch[8];
  StatusOr<std::string_view> got = file->Read(6, 8, scratch);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(got.status().message(), "reading '" + path +
                                        "': requested 8 bytes at offset 6 but only 4 were "
                                        "available (file size 10)");
  EXPECT_EQ(file->Read(20, 1, scratch).status().code(), StatusCode::kOutOfRange);
}

TEST_P(FileSystemTest, MissingFileIsNotFoundNamingThePath) {
  const std::string path = Path("nope/variables.index");
  StatusOr<std::unique_ptr<RandomAccessFile>> file = fs_->NewRandomAccessFile(path);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(file.status().message(), "opening '" + path + "': No such file or directory");
  EXPECT_FALSE(fs_->FileExists(path));
  EXPECT_EQ(fs_->GetFileSize(path).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(fs_->IsDirectory(path).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(fs_->NewReadOnlyMemoryRegion(path).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(fs_->DeleteFile(path).code(), StatusCode::kNotFound);
}

TEST_P(FileSystemTest, ManyAppendsSmallAndLarge) {
  const std::string path = Path("big");
  std::string expected;
  auto file = *fs_->NewWritableFile(path);
  EXPECT_EQ(file->path(), path);
  for (int i = 0; i < 5000; ++i) {
    std::string piece(static_cast<size_t>(i % 97), static_cast<char>('a' + i % 26));
    expected += piece;
    ASSERT_TRUE(file->Append(piece).ok());
  }
  std::string large(3 << 20, '\0');
  for (size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>(i * 31 + 7);
  expected += large;
  ASSERT_TRUE(file->Append(large).ok());
  ASSERT_TRUE(file->Append("tail").ok());
  expected += "tail";
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Close().ok());
  EXPECT_TRUE(file->Close().ok());  // twice is fine
  EXPECT_EQ(file->Append("x").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(*fs_->ReadFileToString(path), expected);
}

TEST_P(FileSystemTest, NewWritableFileTruncates) {
  const std::string path = Path("t");
  Write(path, "long old contents");
  Write(path, "new");
  EXPECT_EQ(*fs_->ReadFileToString(path), "new");
}

TEST_P(FileSystemTest, MemoryRegion) {
  const std::string path = Path("region");
  Write(path, "mapped bytes");
  auto region = *fs_->NewReadOnlyMemoryRegion(path);
  EXPECT_EQ(std::string_view(region->data(), region->size()), "mapped bytes");

  const std::string empty = Path("empty");
  Write(empty, "");
  StatusOr<std::unique_ptr<ReadOnlyMemoryRegion>> e = fs_->NewReadOnlyMemoryRegion(empty);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ((*e)->size(), 0u);
  EXPECT_EQ(*fs_->ReadFileToString(empty), "");
}

TEST_P(FileSystemTest, Directories) {
  const std::string dir = Path("d");
  ASSERT_TRUE(fs_->CreateDir(dir).ok());
  EXPECT_EQ(fs_->CreateDir(dir).code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(*fs_->IsDirectory(dir));
  EXPECT_TRUE(fs_->GetChildren(dir)->empty());

  ASSERT_TRUE(fs_->RecursivelyCreateDir(Path("d/x/y/z")).ok());
  ASSERT_TRUE(fs_->RecursivelyCreateDir(Path("d/x/y/z")).ok());  // idempotent
  Write(Path("d/b.txt"), "b");
  Write(Path("d/a.txt"), "a");
  Write(Path("d/x/inner"), "i");
  EXPECT_EQ(*fs_->GetChildren(dir), (std::vector<std::string>{"a.txt", "b.txt", "x"}));
  EXPECT_EQ(*fs_->GetChildren(Path("d/x")), (std::vector<std::string>{"inner", "y"}));

  EXPECT_EQ(fs_->GetChildren(Path("missing")).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(fs_->DeleteDir(dir).code(), StatusCode::kFailedPrecondition);  // not empty
  EXPECT_EQ(fs_->RecursivelyCreateDir(Path("d/a.txt/sub")).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(fs_->NewRandomAccessFile(dir).status().code(), StatusCode::kFailedPrecondition);

  ASSERT_TRUE(fs_->DeleteDir(Path("d/x/y/z")).ok());
  EXPECT_FALSE(fs_->FileExists(Path("d/x/y/z")));
  EXPECT_TRUE(*fs_->IsDirectory(Path("d/x/y")));  // parents stay
  ASSERT_TRUE(fs_->DeleteDir(Path("d/x/y")).ok());
  EXPECT_EQ(fs_->DeleteDir(Path("d/x/y")).code(), StatusCode::kNotFound);
  ASSERT_TRUE(fs_->DeleteFile(Path("d/a.txt")).ok());
  EXPECT_FALSE(fs_->FileExists(Path("d/a.txt")));
  ASSERT_TRUE(fs_->DeleteRecursively(dir).ok());
  EXPECT_FALSE(fs_->FileExists(dir));
  EXPECT_FALSE(fs_->FileExists(Path("d/x/inner")));
  EXPECT_EQ(fs_->DeleteRecursively(dir).code(), StatusCode::kNotFound);
}

TEST_P(FileSystemTest, RenameReplacesTarget) {
  Write(Path("from"), "new");
  Write(Path("to"), "old");
  ASSERT_TRUE(fs_->RenameFile(Path("from"), Path("to")).ok());
  EXPECT_FALSE(fs_->FileExists(Path("from")));
  EXPECT_EQ(*fs_->ReadFileToString(Path("to")), "new");
  Status missing = fs_->RenameFile(Path("from"), Path("to"));
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_NE(missing.message().find(Path("from")), std::string::npos);
}

TEST_P(FileSystemTest, RenameDirectory) {
  ASSERT_TRUE(fs_->RecursivelyCreateDir(Path("src/sub")).ok());
  Write(Path("src/sub/f"), "f");
  ASSERT_TRUE(fs_->RenameFile(Path("src"), Path("dst")).ok());
  EXPECT_FALSE(fs_->FileExists(Path("src")));
  EXPECT_EQ(*fs_->ReadFileToString(Path("dst/sub/f")), "f");
}

TEST_P(FileSystemTest, Match) {
  ASSERT_TRUE(fs_->CreateDir(Path("m")).ok());
  for (const char* name : {"model.ckpt-10.index", "model.ckpt-2.index", "model.ckpt-2.data",
                           "other", "a.x", "bb.x"}) {
    Write(Path(std::string("m/") + name), "");
  }
  EXPECT_EQ(*fs_->Match(Path("m/model.ckpt-*.index")),
            (std::vector<std::string>{Path("m/model.ckpt-10.index"),
                                      Path("m/model.ckpt-2.index")}));
  EXPECT_EQ(*fs_->Match(Path("m/?.x")), (std::vector<std::string>{Path("m/a.x")}));
  EXPECT_EQ(*fs_->Match(Path("m/other")), (std::vector<std::string>{Path("m/other")}));
  EXPECT_TRUE(fs_->Match(Path("m/none*"))->empty());
  EXPECT_TRUE(fs_->Match(Path("missing/*"))->empty());
}

TEST_P(FileSystemTest, CopyFile) {
  std::string contents(3 << 20, '\0');
  for (size_t i = 0; i < contents.size(); ++i) contents[i] = static_cast<char>(i % 251);
  Write(Path("orig"), contents);
  ASSERT_TRUE(fs_->CopyFile(Path("orig"), Path("copy")).ok());
  EXPECT_EQ(*fs_->ReadFileToString(Path("copy")), contents);
  EXPECT_EQ(fs_->CopyFile(Path("missing"), Path("copy2")).code(), StatusCode::kNotFound);
}

TEST_P(FileSystemTest, WriteStringToFileAtomically) {
  const std::string path = Path("saved_model.pb");
  Write(path, "old");
  ASSERT_TRUE(fs_->WriteStringToFileAtomically(path, "new contents").ok());
  EXPECT_EQ(*fs_->ReadFileToString(path), "new contents");
  EXPECT_EQ(*fs_->GetChildren(root_), (std::vector<std::string>{"saved_model.pb"}));
}

TEST_P(FileSystemTest, ConcurrentReads) {
  std::string contents(1 << 16, '\0');
  for (size_t i = 0; i < contents.size(); ++i) contents[i] = static_cast<char>(i * 13);
  Write(Path("shared"), contents);
  auto file = *fs_->NewRandomAccessFile(Path("shared"));
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::string scratch(1000, '\0');
      for (int i = 0; i < 200; ++i) {
        const uint64_t offset = static_cast<uint64_t>((i * 977 + t * 131) % 60000);
        StatusOr<std::string_view> got = file->Read(offset, 1000, scratch.data());
        if (!got.ok() || *got != std::string_view(contents).substr(offset, 1000)) ++mismatches;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

INSTANTIATE_TEST_SUITE_P(AllFileSystems, FileSystemTest,
                         ::testing::Values(FsKind::kPosix, FsKind::kMemory),
                         [](const auto& info) {
                           return info.param == FsKind::kPosix ? "Posix" : "Memory";
                         });

// ---------------------------------------------------------------------------
// POSIX- and memory-specific behaviour.

TEST(PosixFileSystemTest, ErrorsCarryStrerror) {
  Status s = PosixFileSystem()->CreateDir("/proc/definitely/not/here");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "creating directory '/proc/definitely/not/here': No such file or directory");
}

TEST(MemoryFileSystemTest, ReadersKeepTheVersionTheyOpened) {
  auto fs = NewMemoryFileSystem();
  ASSERT_TRUE(fs->WriteStringToFile("/f", "one").ok());
  auto region = *fs->NewReadOnlyMemoryRegion("/f");
  ASSERT_TRUE(fs->WriteStringToFile("/f", "two!").ok());
  EXPECT_EQ(std::string_view(region->data(), region->size()), "one");
  EXPECT_EQ(*fs->ReadFileToString("/f"), "two!");
}

TEST(MemoryFileSystemTest, ParentsAreImplicitAndPathsNormalised) {
  auto fs = NewMemoryFileSystem();
  ASSERT_TRUE(fs->WriteStringToFile("/a/b//c/file", "x").ok());
  EXPECT_TRUE(*fs->IsDirectory("/a/b/"));
  EXPECT_EQ(*fs->GetChildren("/"), std::vector<std::string>{"a"});
  EXPECT_EQ(*fs->ReadFileToString("/a/./b/c/file"), "x");
  ASSERT_TRUE(fs->DeleteFile("/a/b/c/file").ok());
  EXPECT_TRUE(*fs->IsDirectory("/a/b/c"));  // like a real disk, the directory stays
  ASSERT_TRUE(fs->WriteStringToFile("/a/f", "").ok());
  EXPECT_EQ(fs->NewWritableFile("/a/f/x").status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(fs->CreateDir("/a/f/d").code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(fs->WriteStringToFile("rel/f", "r").ok());
  EXPECT_EQ(*fs->GetChildren("."), std::vector<std::string>{"rel"});
  EXPECT_EQ(*fs->Match("rel/*"), std::vector<std::string>{"rel/f"});
}

// ---------------------------------------------------------------------------
// Fault injection: failures leave the previous state intact.

class FaultInjectionTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(base_->WriteStringToFile("/d/target", "precious").ok()); }
  void ExpectUntouched() {
    EXPECT_EQ(*base_->ReadFileToString("/d/target"), "precious");
    EXPECT_EQ(*base_->GetChildren("/d"), std::vector<std::string>{"target"});  // no temp files
  }
  std::unique_ptr<FileSystem> base_ = NewMemoryFileSystem();
  FaultInjectingFileSystem fs_{base_.get()};
};

TEST_F(FaultInjectionTest, FailedRenameLosesNothing) {
  fs_.InjectFault(FaultOp::kRename, 1);
  Status s = fs_.WriteStringToFileAtomically("/d/target", "replacement");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("writing '/d/target' atomically: injected fault: rename #1"),
            std::string::npos)
      << s.message();
  ExpectUntouched();
  EXPECT_EQ(fs_.count(FaultOp::kRename), 1);
  // The fault was one-shot: the next attempt succeeds.
  ASSERT_TRUE(fs_.WriteStringToFileAtomically("/d/target", "replacement").ok());
  EXPECT_EQ(*base_->ReadFileToString("/d/target"), "replacement");
}

TEST_F(FaultInjectionTest, FailedAppendSyncOrCloseLosesNothing) {
  for (FaultOp op : {FaultOp::kAppend, FaultOp::kSync, FaultOp::kClose, FaultOp::kOpenWrite}) {
    SCOPED_TRACE(FaultOpName(op));
    fs_.InjectFault(op, 1, {.error = ResourceExhaustedError("disk full")});
    Status s = fs_.WriteStringToFileAtomically("/d/target", "replacement");
    EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
    ExpectUntouched();
    fs_.ClearFaults();
  }
}

TEST_F(FaultInjectionTest, NthAndStickyFaults) {
  fs_.InjectFault(FaultOp::kAppend, 3, {.sticky = true});
  auto file = *fs_.NewWritableFile("/d/log");
  EXPECT_TRUE(file->Append("a").ok());
  EXPECT_TRUE(file->Append("b").ok());
  EXPECT_FALSE(file->Append("c").ok());
  EXPECT_FALSE(file->Append("d").ok());
  EXPECT_TRUE(file->Close().ok());
  EXPECT_EQ(*base_->ReadFileToString("/d/log"), "ab");
  EXPECT_EQ(fs_.count(FaultOp::kAppend), 4);
  EXPECT_EQ(fs_.failed_paths(), (std::vector<std::string>{"/d/log", "/d/log"}));
}

TEST_F(FaultInjectionTest, TornAppend) {
  fs_.InjectFault(FaultOp::kAppend, 1, {.partial_bytes = 3});
  auto file = *fs_.NewWritableFile("/d/torn");
  EXPECT_FALSE(file->Append("abcdef").ok());
  EXPECT_TRUE(file->Close().ok());
  EXPECT_EQ(*base_->ReadFileToString("/d/torn"), "abc");
}

TEST_F(FaultInjectionTest, ReadFaults) {
  fs_.InjectFault(FaultOp::kRead, 2);
  auto file = *fs_.NewRandomAccessFile("/d/target");
  char scratch[4];
  EXPECT_TRUE(file->Read(0, 4, scratch).ok());
  StatusOr<std::string_view> failed = file->Read(0, 4, scratch);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().message(), "injected fault: read #2 on '/d/target'");
  EXPECT_EQ(*file->Read(4, 4, scratch), "ious");
  fs_.InjectFault(FaultOp::kOpenRead, 1);
  EXPECT_FALSE(fs_.ReadFileToString("/d/target").ok());
  EXPECT_EQ(*fs_.ReadFileToString("/d/target"), "precious");
}

// ---------------------------------------------------------------------------
// Path helpers.

TEST(PathTest, JoinPath) {
  EXPECT_EQ(JoinPath("a", "b"), "a/b");
  EXPECT_EQ(JoinPath("a/", "b"), "a/b");
  EXPECT_EQ(JoinPath("a", "/b"), "a/b");
  EXPECT_EQ(JoinPath("a/", "/b"), "a/b");
  EXPECT_EQ(JoinPath("/", "b"), "/b");
  EXPECT_EQ(JoinPath("", "b"), "b");
  EXPECT_EQ(JoinPath("a", ""), "a");
  EXPECT_EQ(JoinPath("/m", "variables/variables.index"), "/m/variables/variables.index");
}

TEST(PathTest, DirnameBasename) {
  EXPECT_EQ(Dirname("a/b"), "a");
  EXPECT_EQ(Dirname("b"), "");
  EXPECT_EQ(Dirname("/b"), "/");
  EXPECT_EQ(Dirname("/a/b/c"), "/a/b");
  EXPECT_EQ(Basename("a/b"), "b");
  EXPECT_EQ(Basename("b"), "b");
  EXPECT_EQ(Basename("a/"), "");
  EXPECT_TRUE(IsAbsolutePath("/x"));
  EXPECT_FALSE(IsAbsolutePath("x/y"));
  EXPECT_FALSE(IsAbsolutePath(""));
}

}  // namespace
}  // namespace tf1hub
