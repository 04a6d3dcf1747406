// CheckpointWriter: exact bytes (TF_FORMATS.md §2.5, §2.6, §2.11), file
// lifecycle (temp files, renames, abandon), streaming, slices and errors.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tf1hub/checkpoint.h"
#include "tf1hub/core/fault_injecting_file_system.h"
#include "tf1hub/io/bundle_test_util.h"
#include "tf1hub/io/bundle_writer.h"
#include "tf1hub/proto/tensor_bundle.pb.h"

namespace tf1hub {
namespace {

using testing::FloatTensor;
using testing::FromHex;
using testing::ReadAll;
using testing::ReadRawIndex;
using testing::ScratchDir;
using testing::StringTensor;
using testing::ToHex;
using testing::WriteCheckpoint;

// The complete 123-byte index TensorFlow 1.5 wrote for one scalar float
// `counter` = 0.0 (TF_FORMATS.md §2.11).
constexpr char kCounterIndexHex[] =
    "00 00 06 08 01 1a 02 08 01"
    "00 07 0b 63 6f 75 6e 74 65 72"
    "08 01 12 00 28 04 35 a6 7b 11 3a"
    "00 00 00 00 01 00 00 00"
    "00 5f a0 10 73"
    "00 00 00 00 01 00 00 00 00 c0 f2 a1 b0"
    "00 01 02 64 00 26 00 00 00 00 01 00 00 00"
    "00 22 b1 61 03"
    "2b 08 38 0e"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
    "57 fb 80 8b 24 75 47 db";

TEST(BundleWriterTest, ScalarCounterIndexIsByteExact) {
  ScratchDir dir;
  const std::string prefix = dir.Join("variables");
  WriteCheckpoint(PosixFileSystem(), prefix, {{"counter", Tensor::Scalar(0.0f)}});
  const std::string index = ReadAll(PosixFileSystem(), prefix + ".index");
  EXPECT_EQ(index.size(), 123u);
  EXPECT_EQ(ToHex(index), ToHex(FromHex(kCounterIndexHex)));
  EXPECT_EQ(ToHex(ReadAll(PosixFileSystem(), prefix + ".data-00000-of-00001")), "00 00 00 00");
}

TEST(BundleWriterTest, HeaderAndSecondEntryBytes) {
  auto fs = NewMemoryFileSystem();
  // 0.5f is 00 00 00 3f; crc32c 0x26973e52, masked 0x1f273806 (§2.3).
  WriteCheckpoint(fs.get(), "/c/p", {{"a", Tensor::Scalar(0.0f)}, {"b", Tensor::Scalar(0.5f)}});
  auto entries = ReadRawIndex(fs.get(), "/c/p.index");
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].first, "");
  EXPECT_EQ(ToHex(entries[0].second), "08 01 1a 02 08 01");
  EXPECT_EQ(entries[1].first, "a");
  EXPECT_EQ(ToHex(entries[1].second), "08 01 12 00 28 04 35 a6 7b 11 3a");
  EXPECT_EQ(entries[2].first, "b");
  EXPECT_EQ(ToHex(entries[2].second), "08 01 12 00 20 04 28 04 35 06 38 27 1f");
  EXPECT_EQ(ToHex(ReadAll(fs.get(), "/c/p.data-00000-of-00001")), "00 00 00 00 00 00 00 3f");
}

TEST(BundleWriterTest, StringWorkedExample) {
  auto fs = NewMemoryFileSystem();
  WriteCheckpoint(fs.get(), "/s/p", {{"s", StringTensor({"ab", "c"}, {2})}});
  EXPECT_EQ(ToHex(ReadAll(fs.get(), "/s/p.data-00000-of-00001")), "02 01 03 71 7c 67 61 62 63");
  auto entries = ReadRawIndex(fs.get(), "/s/p.index");
  ASSERT_EQ(entries.size(), 2u);
  tensorflow::BundleEntryProto entry;
  ASSERT_TRUE(entry.ParseFromString(entries[1].second));
  EXPECT_EQ(entry.dtype(), tensorflow::DT_STRING);
  EXPECT_EQ(entry.size(), 9);
  EXPECT_EQ(entry.crc32c(), 0x5fd830d5u);
}

TEST(BundleWriterTest, EmptyStringTensorIsJustTheMaskedZero) {
  auto fs = NewMemoryFileSystem();
  WriteCheckpoint(fs.get(), "/s/p", {{"s", StringTensor({}, {0})}});
  // Mask(0) = 0xa282ead8, little-endian.
  EXPECT_EQ(ToHex(ReadAll(fs.get(), "/s/p.data-00000-of-00001")), "d8 ea 82 a2");
}

TEST(BundleWriterTest, DataIsInAddOrderAndEntriesInKeyOrder) {
  auto fs = NewMemoryFileSystem();
  WriteCheckpoint(fs.get(), "/o/p",
                  {{"zeta", FloatTensor({1.0f}, {1})}, {"alpha", FloatTensor({2.0f, 3.0f}, {2})}});
  // 1.0f = 00 00 80 3f, 2.0f = 00 00 00 40, 3.0f = 00 00 40 40.
  EXPECT_EQ(ToHex(ReadAll(fs.get(), "/o/p.data-00000-of-00001")),
            "00 00 80 3f 00 00 00 40 00 00 40 40");
  auto entries = ReadRawIndex(fs.get(), "/o/p.index");
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[1].first, "alpha");
  EXPECT_EQ(entries[2].first, "zeta");
  tensorflow::BundleEntryProto alpha, zeta;
  ASSERT_TRUE(alpha.ParseFromString(entries[1].second));
  ASSERT_TRUE(zeta.ParseFromString(entries[2].second));
  EXPECT_EQ(alpha.offset(), 4);
  EXPECT_EQ(alpha.size(), 8);
  EXPECT_EQ(zeta.offset(), 0);
  EXPECT_EQ(zeta.size(), 4);
  EXPECT_EQ(alpha.shape().dim_size(), 1);
  EXPECT_EQ(alpha.shape().dim(0).size(), 2);
}

TEST(BundleWriterTest, FilesAppearOnlyAtFinish) {
  ScratchDir dir;
  FileSystem* fs = PosixFileSystem();
  const std::string prefix = dir.Join("ckpt");
  auto writer = CheckpointWriter::Create(prefix);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE((*writer)->Add("x", FloatTensor({1, 2, 3}, {3})).ok());
  EXPECT_FALSE(fs->FileExists(prefix + ".index"));
  EXPECT_FALSE(fs->FileExists(prefix + ".data-00000-of-00001"));
  auto temps = fs->Match(prefix + ".data-00000-of-00001.tempstate*");
  ASSERT_TRUE(temps.ok());
  EXPECT_EQ(temps->size(), 1u);
  ASSERT_TRUE((*writer)->Finish().ok());
  EXPECT_TRUE(fs->FileExists(prefix + ".index"));
  EXPECT_TRUE(fs->FileExists(prefix + ".data-00000-of-00001"));
  auto children = fs->GetChildren(dir.path());
  ASSERT_TRUE(children.ok());
  EXPECT_EQ(*children, (std::vector<std::string>{"ckpt.data-00000-of-00001", "ckpt.index"}));
  // A finished writer refuses more work.
  EXPECT_EQ((*writer)->Add("y", Tensor::Scalar(1.0f)).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ((*writer)->Finish().code(), StatusCode::kFailedPrecondition);
}

TEST(BundleWriterTest, DestructorWithoutFinishDeletesTempFiles) {
  ScratchDir dir;
  {
    auto writer = CheckpointWriter::Create(dir.Join("sub/ckpt"));
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Add("x", FloatTensor({1, 2, 3}, {3})).ok());
  }
  auto children = PosixFileSystem()->GetChildren(dir.Join("sub"));
  ASSERT_TRUE(children.ok());
  EXPECT_TRUE(children->empty()) << (*children)[0];
}

TEST(BundleWriterTest, StreamsEachTensorBeforeFinish) {
  ScratchDir dir;
  FileSystem* fs = PosixFileSystem();
  const std::string prefix = dir.Join("p");
  auto writer = CheckpointWriter::Create(prefix);
  ASSERT_TRUE(writer.ok());
  // Two and a half of the writer's buffers: at least two whole buffers must
  // be in the temp file before Finish.
  constexpr size_t kBuffer = ChecksummedFileOutput::kBufferSize;
  std::vector<float> values(5 * kBuffer / 2 / sizeof(float));
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i);
  ASSERT_TRUE((*writer)->Add("big", FloatTensor(values, {static_cast<int64_t>(values.size())})).ok());
  auto temps = fs->Match(prefix + ".data-00000-of-00001.tempstate*");
  ASSERT_TRUE(temps.ok());
  ASSERT_EQ(temps->size(), 1u);
  auto size = fs->GetFileSize((*temps)[0]);
  ASSERT_TRUE(size.ok());
  EXPECT_GE(*size, 2 * kBuffer);
  ASSERT_TRUE((*writer)->Finish().ok());
  auto final_size = fs->GetFileSize(prefix + ".data-00000-of-00001");
  ASSERT_TRUE(final_size.ok());
  EXPECT_EQ(*final_size, values.size() * 4);
}

TEST(BundleWriterTest, RejectsBadNames) {
  auto fs = NewMemoryFileSystem();
  auto writer = CheckpointWriter::Create("/n/p", {.fs = fs.get()});
  ASSERT_TRUE(writer.ok());
  EXPECT_EQ((*writer)->Add("", Tensor::Scalar(1.0f)).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE((*writer)->Add("w", Tensor::Scalar(1.0f)).ok());
  Status dup = (*writer)->Add("w", Tensor::Scalar(2.0f));
  EXPECT_EQ(dup.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(dup.message().find("duplicate tensor 'w'"), std::string::npos) << dup.message();
  EXPECT_EQ((*writer)->Add("u", Tensor()).code(), StatusCode::kInvalidArgument);
  // A validation error is not fatal.
  ASSERT_TRUE((*writer)->Finish().ok());
}

TEST(BundleWriterTest, FailedAppendLeavesNoFiles) {
  auto mem = NewMemoryFileSystem();
  FaultInjectingFileSystem fs(mem.get());
  auto writer = CheckpointWriter::Create("/f/p", {.fs = &fs});
  ASSERT_TRUE(writer.ok());
  fs.InjectFault(FaultOp::kAppend, 1, {.sticky = true});
  // Two of the writer's buffers: forces an append during Add.
  const int64_t n = 2 * ChecksummedFileOutput::kBufferSize / sizeof(float);
  std::vector<float> values(n);
  Status s = (*writer)->Add("w", FloatTensor(values, {n}));
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("'/f/p'"), std::string::npos) << s.message();
  // The failure is sticky.
  EXPECT_FALSE((*writer)->Add("v", Tensor::Scalar(1.0f)).ok());
  EXPECT_FALSE((*writer)->Finish().ok());
  writer->reset();
  auto children = mem->GetChildren("/f");
  ASSERT_TRUE(children.ok());
  EXPECT_TRUE(children->empty());
}

TEST(BundleWriterTest, FailedIndexRenameLeavesNoFinalIndex) {
  auto mem = NewMemoryFileSystem();
  FaultInjectingFileSystem fs(mem.get());
  auto writer = CheckpointWriter::Create("/r/p", {.fs = &fs});
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Add("w", Tensor::Scalar(1.0f)).ok());
  fs.InjectFault(FaultOp::kRename, 2);  // data rename succeeds, index rename fails
  EXPECT_FALSE((*writer)->Finish().ok());
  writer->reset();
  EXPECT_FALSE(mem->FileExists("/r/p.index"));
  auto temps = mem->Match("/r/p.index.tempstate*");
  ASSERT_TRUE(temps.ok());
  EXPECT_TRUE(temps->empty());
}

TEST(BundleWriterTest, AddSliceWritesMetadataAndSliceEntries) {
  auto fs = NewMemoryFileSystem();
  auto writer = CheckpointWriter::Create("/sl/p", {.fs = fs.get()});
  ASSERT_TRUE(writer.ok());
  auto full = TensorShape::Create({4, 2});
  ASSERT_TRUE(full.ok());
  TensorSlice top{{{0, 2}, {0, -1}}};
  TensorSlice bottom{{{2, 2}, {0, -1}}};
  ASSERT_TRUE((*writer)->AddSlice("v", *full, top, FloatTensor({1, 2, 3, 4}, {2, 2})).ok());
  ASSERT_TRUE((*writer)->AddSlice("v", *full, bottom, FloatTensor({5, 6, 7, 8}, {2, 2})).ok());
  ASSERT_TRUE((*writer)->Finish().ok());

  auto entries = ReadRawIndex(fs.get(), "/sl/p.index");
  // Header, two slice keys (binary, starting with 00), then "v".
  ASSERT_EQ(entries.size(), 4u);
  // OrderedCode: 00 | "v" 00 01 | rank 01 02 | start 80/82, length 82, start 80, length 7f.
  EXPECT_EQ(ToHex(entries[1].first), "00 76 00 01 01 02 80 82 80 7f");
  EXPECT_EQ(ToHex(entries[2].first), "00 76 00 01 01 02 82 82 80 7f");
  EXPECT_EQ(entries[3].first, "v");
  tensorflow::BundleEntryProto meta;
  ASSERT_TRUE(meta.ParseFromString(entries[3].second));
  // dtype 1, shape [4,2], two slices (a zero start is not emitted, a full
  // extent is empty); no location fields.
  EXPECT_EQ(ToHex(entries[3].second),
            "08 01 12 08 12 02 08 04 12 02 08 02 "
            "3a 06 0a 02 10 02 0a 00 "
            "3a 08 0a 04 08 02 10 02 0a 00");
  tensorflow::BundleEntryProto second;
  ASSERT_TRUE(second.ParseFromString(entries[2].second));
  EXPECT_EQ(second.offset(), 16);
  EXPECT_EQ(second.size(), 16);
}

TEST(BundleWriterTest, FullSliceIsAPlainAdd) {
  auto fs = NewMemoryFileSystem();
  auto writer = CheckpointWriter::Create("/fs/p", {.fs = fs.get()});
  ASSERT_TRUE(writer.ok());
  auto full = TensorShape::Create({2});
  ASSERT_TRUE(full.ok());
  ASSERT_TRUE((*writer)->AddSlice("v", *full, TensorSlice{{{0, 2}}}, FloatTensor({1, 2}, {2})).ok());
  ASSERT_TRUE((*writer)->Finish().ok());
  auto entries = ReadRawIndex(fs.get(), "/fs/p.index");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].first, "v");
  EXPECT_EQ(ToHex(entries[1].second.substr(0, 8)), "08 01 12 04 12 02 08 02");
}

TEST(BundleWriterTest, AddSliceRejectsInconsistentSlices) {
  auto fs = NewMemoryFileSystem();
  auto writer = CheckpointWriter::Create("/bad/p", {.fs = fs.get()});
  ASSERT_TRUE(writer.ok());
  auto full = TensorShape::Create({4, 2});
  ASSERT_TRUE(full.ok());
  const TensorSlice top{{{0, 2}, {0, -1}}};
  ASSERT_TRUE((*writer)->AddSlice("v", *full, top, FloatTensor({1, 2, 3, 4}, {2, 2})).ok());
  // Wrong values shape for the slice.
  EXPECT_EQ((*writer)->AddSlice("v", *full, TensorSlice{{{2, 2}, {0, -1}}},
                                FloatTensor({1, 2}, {2, 1})).code(),
            StatusCode::kInvalidArgument);
  // Overlapping slice.
  EXPECT_EQ((*writer)->AddSlice("v", *full, TensorSlice{{{1, 2}, {0, -1}}},
                                FloatTensor({1, 2, 3, 4}, {2, 2})).code(),
            StatusCode::kInvalidArgument);
  // Different full shape.
  auto other = TensorShape::Create({6, 2});
  ASSERT_TRUE(other.ok());
  EXPECT_EQ((*writer)->AddSlice("v", *other, TensorSlice{{{4, 2}, {0, -1}}},
                                FloatTensor({1, 2, 3, 4}, {2, 2})).code(),
            StatusCode::kInvalidArgument);
  // Slice outside the full shape.
  EXPECT_EQ((*writer)->AddSlice("v", *full, TensorSlice{{{3, 2}, {0, -1}}},
                                FloatTensor({1, 2, 3, 4}, {2, 2})).code(),
            StatusCode::kInvalidArgument);
  // A whole tensor under a partitioned name.
  EXPECT_EQ((*writer)->Add("v", Tensor::Scalar(1.0f)).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE((*writer)->Finish().ok());
}

// Records what reaches the file: each Append's offset and size.
class RecordingFile : public WritableFile {
 public:
  struct Piece {
    uint64_t offset, size;
  };
  explicit RecordingFile(std::vector<Piece>* pieces) : pieces_(pieces) {}
  Status Append(std::string_view data) override {
    pieces_->push_back({offset_, data.size()});
    offset_ += data.size();
    return Status::OK();
  }
  Status Flush() override { return Status::OK(); }
  Status Sync() override { return Status::OK(); }
  Status Close() override { return Status::OK(); }
  const std::string& path() const override { return path_; }

 private:
  std::vector<Piece>* pieces_;
  uint64_t offset_ = 0;
  std::string path_ = "recording";
};

// The data file gets whole buffers at offsets that are multiples of the
// buffer size, whatever the callers' piece sizes.
TEST(ChecksummedFileOutputTest, WritesAlignedWholeBuffers) {
  constexpr size_t kBuffer = ChecksummedFileOutput::kBufferSize;
  std::vector<RecordingFile::Piece> pieces;
  ChecksummedFileOutput out(std::make_unique<RecordingFile>(&pieces));
  const std::string odd(12345, 'x');  // appends of an odd size, and one big one
  uint64_t total = 0;
  for (int i = 0; i < 300; ++i, total += odd.size()) ASSERT_TRUE(out.Append(odd).ok());
  const std::string big(kBuffer + 777, 'y');
  ASSERT_TRUE(out.Append(big).ok());
  total += big.size();
  ASSERT_TRUE(out.Close().ok());
  ASSERT_GE(pieces.size(), 3u);
  uint64_t written = 0;
  for (size_t i = 0; i < pieces.size(); ++i) {
    EXPECT_EQ(pieces[i].offset, i * kBuffer);
    if (i + 1 < pieces.size()) {
      EXPECT_EQ(pieces[i].size, kBuffer) << "piece " << i;
    }
    written += pieces[i].size;
  }
  EXPECT_EQ(written, total);
  EXPECT_EQ(out.position(), total);
}

}  // namespace
}  // namespace tf1hub
