#include "tf1hub/io/leveldb_file_adapters.h"

#include <gtest/gtest.h>

#include <string>

#include "tf1hub/core/fault_injecting_file_system.h"

namespace tf1hub {
namespace {

TEST(LevelDbRegionFileTest, ReadsInsideAndShortensAtTheEnd) {
  const std::string bytes = "0123456789";
  LevelDbRegionFile file(bytes.data(), bytes.size());
  char scratch[16];
  leveldb::Slice got;
  ASSERT_TRUE(file.Read(2, 3, &got, scratch).ok());
  EXPECT_EQ(got.ToString(), "234");
  EXPECT_EQ(got.data(), bytes.data() + 2);  // no copy
  ASSERT_TRUE(file.Read(8, 5, &got, scratch).ok());
  EXPECT_EQ(got.ToString(), "89");
  ASSERT_TRUE(file.Read(10, 5, &got, scratch).ok());
  EXPECT_TRUE(got.empty());
  ASSERT_TRUE(file.Read(1000, 5, &got, scratch).ok());
  EXPECT_TRUE(got.empty());
}

TEST(LevelDbWritableFileTest, BuffersAndCloses) {
  auto fs = NewMemoryFileSystem();
  auto out = fs->NewWritableFile("/w");
  ASSERT_TRUE(out.ok());
  LevelDbWritableFile file(out->get());
  std::string expected;
  for (int i = 0; i < 1000; ++i) {
    const std::string piece = std::to_string(i) + ",";
    ASSERT_TRUE(file.Append(piece).ok());
    expected += piece;
  }
  const std::string big(200 << 10, 'x');  // larger than the buffer
  ASSERT_TRUE(file.Append(big).ok());
  expected += big;
  ASSERT_TRUE(file.Close().ok());
  EXPECT_TRUE(file.status().ok());
  auto contents = fs->ReadFileToString("/w");
  ASSERT_TRUE(contents.ok());
  EXPECT_EQ(*contents, expected);
}

TEST(LevelDbWritableFileTest, KeepsTheFirstErrorWithItsCode) {
  auto mem = NewMemoryFileSystem();
  FaultInjectingFileSystem fs(mem.get());
  auto out = fs.NewWritableFile("/w");
  ASSERT_TRUE(out.ok());
  LevelDbWritableFile file(out->get());
  fs.InjectFault(FaultOp::kAppend, 1, {.error = ResourceExhaustedError("disk full")});
  ASSERT_TRUE(file.Append("buffered").ok());  // not yet written
  leveldb::Status s = file.Close();
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(file.status().code(), StatusCode::kResourceExhausted);
  EXPECT_FALSE(file.Append("more").ok());
}

TEST(FromLevelDbStatusTest, MapsCodesAndAddsContext) {
  EXPECT_TRUE(FromLevelDbStatus(leveldb::Status::OK(), "x").ok());
  Status corrupt = FromLevelDbStatus(leveldb::Status::Corruption("bad block"), "/a.index");
  EXPECT_EQ(corrupt.code(), StatusCode::kDataLoss);
  EXPECT_EQ(corrupt.message(), "/a.index: Corruption: bad block");
  EXPECT_EQ(FromLevelDbStatus(leveldb::Status::NotFound("k"), "c").code(), StatusCode::kNotFound);
  EXPECT_EQ(FromLevelDbStatus(leveldb::Status::NotSupported("z"), "c").code(),
            StatusCode::kUnimplemented);
  EXPECT_EQ(FromLevelDbStatus(leveldb::Status::InvalidArgument("a"), "c").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(FromLevelDbStatus(leveldb::Status::IOError("io"), "c").code(), StatusCode::kUnknown);
}

}  // namespace
}  // namespace tf1hub
