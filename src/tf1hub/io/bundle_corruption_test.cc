// Hostile input: every way an index or data file can be broken must give a
// Status naming the file (and the tensor), never a crash or an allocation
// the file cannot justify. Good checkpoints are written with our writer and
// then broken byte by byte (bundle_test_util.h).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "tf1hub/checkpoint.h"
#include "tf1hub/core/crc32c.h"
#include "tf1hub/core/fault_injecting_file_system.h"
#include "tf1hub/io/bundle_test_util.h"
#include "tf1hub/proto/tensor_bundle.pb.h"

namespace tf1hub {
namespace {

using testing::CorruptFile;
using testing::EditHeader;
using testing::EditIndex;
using testing::EditIndexEntry;
using testing::EditIndexValue;
using testing::FloatTensor;
using testing::FromHex;
using testing::ReadAll;
using testing::ReadRawIndex;
using testing::StringTensor;
using testing::WriteAll;
using testing::WriteCheckpoint;
using testing::WriteRawIndex;
using ::testing::HasSubstr;

using RawEntries = std::vector<std::pair<std::string, std::string>>;

class BundleCorruptionTest : public ::testing::TestWithParam<bool> {
 protected:
  BundleCorruptionTest() : mem_(NewMemoryFileSystem()) {
    prefix_ = GetParam() ? "/mem/ckpt" : dir_.Join("ckpt");
    index_ = prefix_ + ".index";
    data_ = prefix_ + ".data-00000-of-00001";
    // "s" at offset 0 (9 bytes: 02 01 | crc | "abc"), "w" at offset 9.
    WriteCheckpoint(fs(), prefix_,
                    {{"s", StringTensor({"ab", "c"}, {2})},
                     {"w", FloatTensor({1, 2, 3, 4}, {2, 2})}});
  }
  FileSystem* fs() { return GetParam() ? mem_.get() : PosixFileSystem(); }

  StatusOr<std::unique_ptr<CheckpointReader>> Open(uint64_t mmap_threshold = 1 << 20) {
    CheckpointReader::Options options;
    options.fs = fs();
    options.mmap_threshold_bytes = mmap_threshold;
    return CheckpointReader::Open(prefix_, options);
  }
  // Opening fails with `code`, naming the index file.
  void ExpectOpenFails(StatusCode code, const std::string& what) {
    auto reader = Open();
    ASSERT_FALSE(reader.ok()) << "opened a broken checkpoint (" << what << ")";
    EXPECT_EQ(reader.status().code(), code) << what << ": " << reader.status().ToString();
    EXPECT_THAT(reader.status().message(), HasSubstr(index_)) << what;
  }
  // Opening succeeds; reading `name` fails with `code`, naming file and tensor.
  Status ExpectReadFails(const std::string& name, StatusCode code, const std::string& file,
                         uint64_t mmap_threshold = 1 << 20) {
    auto reader = Open(mmap_threshold);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok()) return reader.status();
    auto t = (*reader)->Read(name);
    EXPECT_FALSE(t.ok()) << "read a broken tensor '" << name << "'";
    if (t.ok()) return Status::OK();
    EXPECT_EQ(t.status().code(), code) << t.status().ToString();
    EXPECT_THAT(t.status().message(), HasSubstr(file));
    EXPECT_THAT(t.status().message(), HasSubstr("'" + name + "'"));
    return t.status();
  }
  // Replaces the index with a table built by hand.
  void WriteRawTable(const std::string& bytes) { WriteAll(fs(), index_, bytes); }
  RawEntries Raw() { return ReadRawIndex(fs(), index_); }

  testing::ScratchDir dir_;
  std::unique_ptr<FileSystem> mem_;
  std::string prefix_, index_, data_;
};

INSTANTIATE_TEST_SUITE_P(FileSystems, BundleCorruptionTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Memory" : "Posix"; });

TEST_P(BundleCorruptionTest, GoodCheckpointReads) {
  auto reader = Open();
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_TRUE((*reader)->Read("s").ok());
  EXPECT_TRUE((*reader)->Read("w").ok());
}

// ---- The index file as a LevelDB table --------------------------------------

TEST_P(BundleCorruptionTest, TruncatedIndex) {
  const std::string good = ReadAll(fs(), index_);
  const size_t n = good.size();
  for (size_t cut : {size_t{0}, size_t{1}, size_t{20}, size_t{47}, size_t{48}, n / 2, n - 48,
                     n - 9, n - 1}) {
    WriteAll(fs(), index_, good.substr(0, cut));
    ExpectOpenFails(StatusCode::kDataLoss, "index cut to " + std::to_string(cut) + " bytes");
  }
}

TEST_P(BundleCorruptionTest, IndexShorterThanAFooterSaysSo) {
  WriteAll(fs(), index_, std::string(47, '\0'));
  auto reader = Open();
  ASSERT_FALSE(reader.ok());
  EXPECT_THAT(reader.status().message(), HasSubstr("too short"));
  EXPECT_THAT(reader.status().message(), HasSubstr("47 bytes"));
}

TEST_P(BundleCorruptionTest, EveryBitFlipInIndexBlocksIsCaught) {
  const std::string good = ReadAll(fs(), index_);
  const size_t blocks_end = good.size() - 48;
  for (size_t byte = 0; byte < blocks_end; ++byte) {
    for (int bit : {0, 7}) {
      WriteAll(fs(), index_, good);
      CorruptFile::FlipBit(fs(), index_, byte, bit);
      ExpectOpenFails(StatusCode::kDataLoss,
                      "bit " + std::to_string(bit) + " of byte " + std::to_string(byte));
    }
  }
}

TEST_P(BundleCorruptionTest, ChecksumMismatchIsNamed) {
  CorruptFile::FlipBit(fs(), index_, 10, 2);  // inside the data block
  auto reader = Open();
  ASSERT_FALSE(reader.ok());
  EXPECT_THAT(reader.status().message(), HasSubstr("checksum mismatch"));
}

TEST_P(BundleCorruptionTest, FooterHandleAndMagicDamage) {
  const std::string good = ReadAll(fs(), index_);
  const size_t footer = good.size() - 48;
  for (size_t byte : {footer, footer + 1, footer + 2, footer + 3, good.size() - 8,
                      good.size() - 1}) {
    WriteAll(fs(), index_, good);
    CorruptFile::FlipBit(fs(), index_, byte, 1);
    ExpectOpenFails(StatusCode::kDataLoss, "footer byte " + std::to_string(byte));
  }
}

TEST_P(BundleCorruptionTest, WrongMagic) {
  const std::string good = ReadAll(fs(), index_);
  CorruptFile::Overwrite(fs(), index_, good.size() - 8, "TFHUB!!!");
  auto reader = Open();
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(reader.status().message(), HasSubstr("magic"));
}

TEST_P(BundleCorruptionTest, NotACheckpointAtAll) {
  WriteAll(fs(), index_,
           "model_checkpoint_path: \"model.ckpt-100\"\n"
           "all_model_checkpoint_paths: \"model.ckpt-100\"\n");
  ExpectOpenFails(StatusCode::kDataLoss, "a text file");
  std::mt19937 rng(42);
  std::string noise(4096, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  WriteAll(fs(), index_, noise);
  ExpectOpenFails(StatusCode::kDataLoss, "random bytes");
  // Random bytes ending in the right magic.
  WriteAll(fs(), index_, noise + FromHex("57 fb 80 8b 24 75 47 db"));
  ExpectOpenFails(StatusCode::kDataLoss, "random bytes with magic");
}

TEST_P(BundleCorruptionTest, HugeIndexHandleInFooter) {
  const std::string meta = testing::RawBlockWithTrailer(testing::RawBlock({}));
  // The index handle claims 2^60 bytes at offset 0.
  WriteRawTable(meta + testing::RawFooter(0, meta.size() - 5, 0, uint64_t{1} << 60));
  ExpectOpenFails(StatusCode::kDataLoss, "huge index handle");
}

TEST_P(BundleCorruptionTest, HugeDataBlockHandleInIndexBlock) {
  // Valid checksums everywhere, but the index block points at a 2^40-byte
  // data block: must be refused before LevelDB allocates it.
  const std::string data = testing::RawBlockWithTrailer(testing::RawBlock({{"", "\x08\x01"}}));
  const std::string meta = testing::RawBlockWithTrailer(testing::RawBlock({}));
  const std::string index = testing::RawBlockWithTrailer(
      testing::RawBlock({{"a", testing::Varint(0) + testing::Varint(uint64_t{1} << 40)}}));
  WriteRawTable(data + meta + index +
                testing::RawFooter(data.size(), meta.size() - 5, data.size() + meta.size(),
                                   index.size() - 5));
  ExpectOpenFails(StatusCode::kDataLoss, "huge data block handle");
}

TEST_P(BundleCorruptionTest, SnappyBlockClaimingHugeSize) {
  // A "Snappy" data block whose header claims ~4 GiB uncompressed.
  const std::string bomb = FromHex("ff ff ff ff 0f 00");
  const std::string data = testing::RawBlockWithTrailer(bomb, /*type=*/1);
  const std::string meta = testing::RawBlockWithTrailer(testing::RawBlock({}));
  const std::string index = testing::RawBlockWithTrailer(testing::RawBlock(
      {{"a", testing::Varint(0) + testing::Varint(bomb.size())}}));
  WriteRawTable(data + meta + index +
                testing::RawFooter(data.size(), meta.size() - 5, data.size() + meta.size(),
                                   index.size() - 5));
  ExpectOpenFails(StatusCode::kDataLoss, "snappy bomb");
}

TEST_P(BundleCorruptionTest, UnknownBlockType) {
  const std::string data = testing::RawBlockWithTrailer(testing::RawBlock({{"", "\x08\x01"}}), 2);
  const std::string meta = testing::RawBlockWithTrailer(testing::RawBlock({}));
  const std::string index = testing::RawBlockWithTrailer(testing::RawBlock(
      {{"a", testing::Varint(0) + testing::Varint(data.size() - 5)}}));
  WriteRawTable(data + meta + index +
                testing::RawFooter(data.size(), meta.size() - 5, data.size() + meta.size(),
                                   index.size() - 5));
  ExpectOpenFails(StatusCode::kDataLoss, "block type 2");
}

TEST_P(BundleCorruptionTest, KeysOutOfOrder) {
  // A well-formed table whose keys are not sorted.
  std::string entry = Raw()[2].second;  // "w"
  const std::string data = testing::RawBlockWithTrailer(
      testing::RawBlock({{"", Raw()[0].second}, {"z", entry}, {"b", entry}}));
  const std::string meta = testing::RawBlockWithTrailer(testing::RawBlock({}));
  const std::string index = testing::RawBlockWithTrailer(testing::RawBlock(
      {{"{", testing::Varint(0) + testing::Varint(data.size() - 5)}}));
  WriteRawTable(data + meta + index +
                testing::RawFooter(data.size(), meta.size() - 5, data.size() + meta.size(),
                                   index.size() - 5));
  auto reader = Open();
  ASSERT_FALSE(reader.ok());
  EXPECT_THAT(reader.status().message(), HasSubstr("out of order"));
}

// ---- The header entry --------------------------------------------------------

TEST_P(BundleCorruptionTest, MissingHeaderEntry) {
  EditIndex(fs(), prefix_, [](RawEntries* e) { e->erase(e->begin()); });
  ExpectOpenFails(StatusCode::kDataLoss, "no header");
  auto reader = Open();
  EXPECT_THAT(reader.status().message(), HasSubstr("missing header"));
  WriteRawIndex(fs(), index_, {});
  ExpectOpenFails(StatusCode::kDataLoss, "empty table");
}

TEST_P(BundleCorruptionTest, UnparseableHeader) {
  EditIndexValue(fs(), prefix_, "", [](std::string* v) { *v = "\xff\xff\xff"; });
  ExpectOpenFails(StatusCode::kDataLoss, "garbage header");
}

TEST_P(BundleCorruptionTest, VersionChecks) {
  const std::string good = ReadAll(fs(), index_);
  EditHeader(fs(), prefix_, [](tensorflow::BundleHeaderProto* h) {
    h->mutable_version()->set_min_consumer(2);
  });
  ExpectOpenFails(StatusCode::kFailedPrecondition, "min_consumer 2");
  WriteAll(fs(), index_, good);
  EditHeader(fs(), prefix_, [](tensorflow::BundleHeaderProto* h) {
    h->mutable_version()->add_bad_consumers(1);
  });
  ExpectOpenFails(StatusCode::kFailedPrecondition, "bad_consumers 1");
  // A header without a version (producer 0) is accepted, like TensorFlow.
  WriteAll(fs(), index_, good);
  EditHeader(fs(), prefix_, [](tensorflow::BundleHeaderProto* h) { h->clear_version(); });
  EXPECT_TRUE(Open().ok());
}

TEST_P(BundleCorruptionTest, BadShardCountOrEndianness) {
  const std::string good = ReadAll(fs(), index_);
  EditHeader(fs(), prefix_, [](tensorflow::BundleHeaderProto* h) { h->set_num_shards(0); });
  ExpectOpenFails(StatusCode::kDataLoss, "num_shards 0");
  WriteAll(fs(), index_, good);
  EditHeader(fs(), prefix_, [](tensorflow::BundleHeaderProto* h) {
    h->set_endianness(static_cast<tensorflow::BundleHeaderProto::Endianness>(7));
  });
  ExpectOpenFails(StatusCode::kDataLoss, "endianness 7");
}

// ---- Entries -------------------------------------------------------------

TEST_P(BundleCorruptionTest, UnparseableEntry) {
  EditIndexValue(fs(), prefix_, "w", [](std::string* v) { *v = "\xff\xff"; });
  ExpectOpenFails(StatusCode::kDataLoss, "garbage entry");
  EXPECT_THAT(Open().status().message(), HasSubstr("'w'"));
}

TEST_P(BundleCorruptionTest, UnknownAndUnsupportedDtypes) {
  const std::string good = ReadAll(fs(), index_);
  for (int dtype : {0, 99, 1000, 101}) {
    WriteAll(fs(), index_, good);
    EditIndexEntry(fs(), prefix_, "w", [&](tensorflow::BundleEntryProto* e) {
      e->set_dtype(static_cast<tensorflow::DataType>(dtype));
    });
    ExpectOpenFails(StatusCode::kDataLoss, "dtype " + std::to_string(dtype));
  }
  // A dtype TensorFlow knows but checkpoints of tf1hub cannot hold: the
  // checkpoint opens, that tensor does not read.
  WriteAll(fs(), index_, good);
  EditIndexEntry(fs(), prefix_, "w", [](tensorflow::BundleEntryProto* e) {
    e->set_dtype(tensorflow::DT_VARIANT);
  });
  auto reader = Open();
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto t = (*reader)->Read("w");
  EXPECT_EQ(t.status().code(), StatusCode::kUnimplemented);
  EXPECT_THAT(t.status().message(), HasSubstr("'w'"));
  EXPECT_TRUE((*reader)->Read("s").ok());
}

TEST_P(BundleCorruptionTest, InvalidShapes) {
  const std::string good = ReadAll(fs(), index_);
  const std::vector<std::pair<std::string, std::function<void(tensorflow::TensorShapeProto*)>>>
      cases = {
          {"negative dim", [](auto* s) { s->mutable_dim(0)->set_size(-1); }},
          {"rank 255",
           [](auto* s) {
             s->clear_dim();
             for (int i = 0; i < 255; ++i) s->add_dim()->set_size(1);
           }},
          {"element count overflow",
           [](auto* s) {
             s->clear_dim();
             for (int i = 0; i < 3; ++i) s->add_dim()->set_size(int64_t{1} << 30);
           }},
          {"unknown rank", [](auto* s) { s->set_unknown_rank(true); }},
      };
  for (const auto& [what, edit] : cases) {
    WriteAll(fs(), index_, good);
    EditIndexEntry(fs(), prefix_, "w",
                   [&](tensorflow::BundleEntryProto* e) { edit(e->mutable_shape()); });
    ExpectOpenFails(StatusCode::kDataLoss, what);
    EXPECT_THAT(Open().status().message(), HasSubstr("invalid tensor shape"));
  }
}

TEST_P(BundleCorruptionTest, SizeNotMatchingShape) {
  EditIndexEntry(fs(), prefix_, "w", [](tensorflow::BundleEntryProto* e) { e->set_size(15); });
  ExpectOpenFails(StatusCode::kDataLoss, "size 15 for 4 floats");
  EXPECT_THAT(Open().status().message(), HasSubstr("expected 16 bytes"));
}

TEST_P(BundleCorruptionTest, NegativeOffsetOrSize) {
  const std::string good = ReadAll(fs(), index_);
  EditIndexEntry(fs(), prefix_, "w", [](tensorflow::BundleEntryProto* e) { e->set_offset(-4); });
  ExpectOpenFails(StatusCode::kDataLoss, "negative offset");
  WriteAll(fs(), index_, good);
  EditIndexEntry(fs(), prefix_, "s", [](tensorflow::BundleEntryProto* e) { e->set_size(-9); });
  ExpectOpenFails(StatusCode::kDataLoss, "negative size");
}

TEST_P(BundleCorruptionTest, ShardIdOutOfRange) {
  EditIndexEntry(fs(), prefix_, "w", [](tensorflow::BundleEntryProto* e) { e->set_shard_id(1); });
  ExpectOpenFails(StatusCode::kDataLoss, "shard_id 1 of 1");
  EXPECT_THAT(Open().status().message(), HasSubstr("shard_id 1"));
}

TEST_P(BundleCorruptionTest, EntryBeyondTheDataFile) {
  EditIndexEntry(fs(), prefix_, "w", [](tensorflow::BundleEntryProto* e) { e->set_offset(100); });
  Status s = ExpectReadFails("w", StatusCode::kDataLoss, data_);
  EXPECT_THAT(s.message(), HasSubstr("outside"));
}

TEST_P(BundleCorruptionTest, HugeClaimedTensorIsRefusedBeforeAllocating) {
  // 2^40 floats = 4 TiB claimed by a 25-byte data file.
  EditIndexEntry(fs(), prefix_, "w", [](tensorflow::BundleEntryProto* e) {
    e->mutable_shape()->clear_dim();
    e->mutable_shape()->add_dim()->set_size(int64_t{1} << 40);
    e->set_size(int64_t{1} << 42);
  });
  ExpectReadFails("w", StatusCode::kDataLoss, data_, /*mmap_threshold=*/1).IgnoreError();
  ExpectReadFails("w", StatusCode::kDataLoss, data_).IgnoreError();
  // The same for 2^40 strings.
  EditIndexEntry(fs(), prefix_, "s", [](tensorflow::BundleEntryProto* e) {
    e->mutable_shape()->mutable_dim(0)->set_size(int64_t{1} << 40);
    e->set_size((int64_t{1} << 40) + 4);
  });
  ExpectReadFails("s", StatusCode::kDataLoss, data_).IgnoreError();
}

TEST_P(BundleCorruptionTest, TruncatedDataFile) {
  CorruptFile::Truncate(fs(), data_, 24);
  ExpectReadFails("w", StatusCode::kDataLoss, data_).IgnoreError();
  ExpectReadFails("w", StatusCode::kDataLoss, data_, /*mmap_threshold=*/1).IgnoreError();
}

TEST_P(BundleCorruptionTest, MissingDataFile) {
  ASSERT_TRUE(fs()->DeleteFile(data_).ok());
  auto reader = Open();
  ASSERT_TRUE(reader.ok());  // data files are opened on first use
  auto t = (*reader)->Read("w");
  EXPECT_EQ(t.status().code(), StatusCode::kNotFound) << t.status().ToString();
  EXPECT_THAT(t.status().message(), HasSubstr(data_));
}

TEST_P(BundleCorruptionTest, MissingShardOfAMultiShardCheckpoint) {
  const std::string other = prefix_ + "-b";
  WriteCheckpoint(fs(), other, {{"x", Tensor::Scalar(1.0f)}});
  const std::string merged = prefix_ + "-m";
  ASSERT_TRUE(MergeCheckpoints({prefix_, other}, merged, fs()).ok());
  ASSERT_TRUE(fs()->DeleteFile(merged + ".data-00001-of-00002").ok());
  CheckpointReader::Options options;
  options.fs = fs();
  auto reader = CheckpointReader::Open(merged, options);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_TRUE((*reader)->Read("w").ok());
  auto x = (*reader)->Read("x");
  EXPECT_EQ(x.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(x.status().message(), HasSubstr(merged + ".data-00001-of-00002"));
}

TEST_P(BundleCorruptionTest, DataBitFlipIsAChecksumMismatch) {
  for (uint64_t threshold : {uint64_t{1}, uint64_t{1} << 20}) {  // mapped and copied
    const std::string good = ReadAll(fs(), data_);
    CorruptFile::FlipBit(fs(), data_, 9 + 5, 3);  // a byte of "w"
    Status s = ExpectReadFails("w", StatusCode::kDataLoss, data_, threshold);
    EXPECT_THAT(s.message(), HasSubstr("checksum mismatch (stored 0x"));
    EXPECT_THAT(s.message(), HasSubstr(", computed 0x"));
    EXPECT_THAT(s.message(), HasSubstr("checkpoint '" + prefix_ + "'"));
    WriteAll(fs(), data_, good);
  }
}

// ---- DT_STRING payloads ------------------------------------------------------

TEST_P(BundleCorruptionTest, StringBytesFlipIsAChecksumMismatch) {
  CorruptFile::FlipBit(fs(), data_, 7, 0);  // the 'b' of "ab"
  Status s = ExpectReadFails("s", StatusCode::kDataLoss, data_);
  EXPECT_THAT(s.message(), HasSubstr("checksum mismatch"));
}

TEST_P(BundleCorruptionTest, StringLengthChecksumMismatch) {
  CorruptFile::FlipBit(fs(), data_, 3, 4);  // inside the stored length checksum
  Status s = ExpectReadFails("s", StatusCode::kDataLoss, data_);
  EXPECT_THAT(s.message(), HasSubstr("length checksum mismatch (stored 0x"));
}

TEST_P(BundleCorruptionTest, StringVarintOverflow) {
  // One element whose length varint runs past 64 bits.
  const std::string payload = FromHex("ff ff ff ff ff ff ff ff ff 7f") + std::string(4, '\0');
  WriteAll(fs(), data_, payload + ReadAll(fs(), data_).substr(9));
  EditIndexEntry(fs(), prefix_, "s", [&](tensorflow::BundleEntryProto* e) {
    e->mutable_shape()->mutable_dim(0)->set_size(1);
    e->set_size(static_cast<int64_t>(payload.size()));
  });
  EditIndexEntry(fs(), prefix_, "w", [&](tensorflow::BundleEntryProto* e) {
    e->set_offset(static_cast<int64_t>(payload.size()));
  });
  Status s = ExpectReadFails("s", StatusCode::kDataLoss, data_);
  EXPECT_THAT(s.message(), HasSubstr("varint"));
  auto reader = Open();
  ASSERT_TRUE(reader.ok());
  EXPECT_TRUE((*reader)->Read("w").ok());
}

TEST_P(BundleCorruptionTest, StringLengthsLargerThanThePayload) {
  // Lengths 100 and 2^62 with a correct length checksum, followed by 3 bytes.
  for (uint64_t second : {uint64_t{1}, uint64_t{1} << 62}) {
    std::string lengths = testing::Varint(100) + testing::Varint(second);
    uint32_t crc = 0;
    for (uint64_t len : {uint64_t{100}, second}) {
      std::string le;
      const int width = len <= UINT32_MAX ? 4 : 8;
      for (int i = 0; i < width; ++i) le.push_back(static_cast<char>((len >> (8 * i)) & 0xff));
      crc = crc32c::Extend(crc, le.data(), le.size());
    }
    const std::string payload = lengths + testing::Fixed32(crc32c::Mask(crc)) + "abc";
    WriteAll(fs(), data_, payload);
    EditIndexEntry(fs(), prefix_, "s", [&](tensorflow::BundleEntryProto* e) {
      e->set_size(static_cast<int64_t>(payload.size()));
    });
    Status s = ExpectReadFails("s", StatusCode::kDataLoss, data_);
    EXPECT_THAT(s.message(), HasSubstr("add up to more than"));
  }
}

TEST_P(BundleCorruptionTest, StringEntryTooSmallForItsElements) {
  EditIndexEntry(fs(), prefix_, "s", [](tensorflow::BundleEntryProto* e) { e->set_size(5); });
  ExpectOpenFails(StatusCode::kDataLoss, "2 strings in 5 bytes");
}

// ---- Partitioned tensors -----------------------------------------------------

class SlicedCorruptionTest : public BundleCorruptionTest {
 protected:
  SlicedCorruptionTest() {
    CheckpointWriter::Options options;
    options.fs = fs();
    auto writer = CheckpointWriter::Create(prefix_, options);
    EXPECT_TRUE(writer.ok());
    auto full = TensorShape::Create({4, 2});
    EXPECT_TRUE((*writer)->AddSlice("v", *full, TensorSlice{{{0, 2}, {0, -1}}},
                                    FloatTensor({1, 2, 3, 4}, {2, 2})).ok());
    EXPECT_TRUE((*writer)->AddSlice("v", *full, TensorSlice{{{2, 2}, {0, -1}}},
                                    FloatTensor({5, 6, 7, 8}, {2, 2})).ok());
    EXPECT_TRUE((*writer)->Finish().ok());
  }
  void AddSliceProto(int64_t start, int64_t length) {
    EditIndexEntry(fs(), prefix_, "v", [&](tensorflow::BundleEntryProto* e) {
      auto* slice = e->add_slices();
      auto* extent = slice->add_extent();
      extent->set_start(start);
      extent->set_length(length);
      slice->add_extent();
    });
  }
};

INSTANTIATE_TEST_SUITE_P(FileSystems, SlicedCorruptionTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Memory" : "Posix"; });

TEST_P(SlicedCorruptionTest, GoodSlicesRead) {
  auto reader = Open();
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto v = (*reader)->Read("v");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(BitwiseEqual(*v, FloatTensor({1, 2, 3, 4, 5, 6, 7, 8}, {4, 2})));
}

TEST_P(SlicedCorruptionTest, OverlappingSlices) {
  AddSliceProto(1, 2);
  ExpectOpenFails(StatusCode::kDataLoss, "overlap");
  EXPECT_THAT(Open().status().message(), HasSubstr("overlap"));
}

TEST_P(SlicedCorruptionTest, SliceOutsideTheFullShape) {
  const std::string good = ReadAll(fs(), index_);
  AddSliceProto(4, 1);
  ExpectOpenFails(StatusCode::kDataLoss, "slice past the end");
  WriteAll(fs(), index_, good);
  EditIndexEntry(fs(), prefix_, "v", [](tensorflow::BundleEntryProto* e) {
    e->mutable_slices(0)->add_extent();  // rank 3 slice of a rank-2 tensor
  });
  ExpectOpenFails(StatusCode::kDataLoss, "slice rank");
}

TEST_P(SlicedCorruptionTest, SliceDataEntryMissingOrWrong) {
  const std::string good = ReadAll(fs(), index_);
  const RawEntries raw = Raw();
  ASSERT_EQ(raw.size(), 4u);  // header, two slice keys, "v"
  EditIndex(fs(), prefix_, [](RawEntries* e) { e->erase(e->begin() + 1); });
  ExpectOpenFails(StatusCode::kDataLoss, "slice entry missing");
  EXPECT_THAT(Open().status().message(), HasSubstr("'v'"));

  WriteAll(fs(), index_, good);
  EditIndexEntry(fs(), prefix_, raw[2].first, [](tensorflow::BundleEntryProto* e) {
    e->mutable_shape()->mutable_dim(0)->set_size(1);
    e->set_size(8);
  });
  ExpectOpenFails(StatusCode::kDataLoss, "slice entry of the wrong shape");
}

TEST_P(SlicedCorruptionTest, SlicesSharingBytesCannotInflateTheResult) {
  // Both slices point at the same 16 bytes of a 16-byte data file (with the
  // right checksum): each range fits, together they claim 32 bytes.
  const RawEntries raw = Raw();
  tensorflow::BundleEntryProto first;
  ASSERT_TRUE(first.ParseFromString(raw[1].second));
  EditIndexEntry(fs(), prefix_, raw[2].first, [&](tensorflow::BundleEntryProto* e) {
    e->set_offset(first.offset());
    e->set_crc32c(first.crc32c());
  });
  CorruptFile::Truncate(fs(), data_, 16);
  auto reader = Open();
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto v = (*reader)->Read("v");
  EXPECT_EQ(v.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(v.status().message(), HasSubstr("claim more bytes"));
  EXPECT_THAT(v.status().message(), HasSubstr("'v'"));
}

TEST_P(SlicedCorruptionTest, TooManySlices) {
  EditIndexEntry(fs(), prefix_, "v", [](tensorflow::BundleEntryProto* e) {
    const auto slice = e->slices(0);
    for (int i = 0; i < 16384; ++i) *e->add_slices() = slice;
  });
  ExpectOpenFails(StatusCode::kDataLoss, "16386 slices");
  EXPECT_THAT(Open().status().message(), HasSubstr("at most 16384"));
}

TEST_P(SlicedCorruptionTest, SliceDataBitFlip) {
  CorruptFile::FlipBit(fs(), data_, 20, 0);  // inside the second slice
  auto reader = Open();
  ASSERT_TRUE(reader.ok());
  auto v = (*reader)->Read("v");
  EXPECT_EQ(v.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(v.status().message(), HasSubstr("checksum mismatch"));
  EXPECT_THAT(v.status().message(), HasSubstr(data_));
}

// ---- Random damage -----------------------------------------------------------

// Random byte edits, flips and cuts of either file must end in a Status,
// never a crash (run under ASan to catch bad reads), and a tensor that does
// read must be the one written or fail its checksum.
TEST_P(SlicedCorruptionTest, RandomDamageNeverCrashes) {
  // Add strings and whole tensors next to the partitioned one.
  const std::string other = prefix_ + "-x";
  WriteCheckpoint(fs(), other,
                  {{"s", StringTensor({"ab", std::string(200, 'z'), ""}, {3})},
                   {"w", FloatTensor({1, 2, 3, 4}, {2, 2})}});
  ASSERT_TRUE(MergeCheckpoints({prefix_, other}, prefix_ + "-m", fs()).ok());
  const std::string merged = prefix_ + "-m";
  const std::vector<std::string> files = {merged + ".index", merged + ".data-00000-of-00002",
                                          merged + ".data-00001-of-00002"};
  std::vector<std::string> originals;
  for (const auto& f : files) originals.push_back(ReadAll(fs(), f));
  std::mt19937 rng(1234);
  CheckpointReader::Options options;
  options.fs = fs();
  int opened = 0;
  // The parsing is the same on either file system; disk writes are slow.
  const int rounds = GetParam() ? 600 : 150;
  for (int round = 0; round < rounds; ++round) {
    for (size_t i = 0; i < files.size(); ++i) WriteAll(fs(), files[i], originals[i]);
    const size_t which = rng() % files.size();
    std::string damaged = originals[which];
    switch (rng() % 3) {
      case 0:  // overwrite 1-4 random bytes
        for (int k = 1 + rng() % 4; k > 0; --k) damaged[rng() % damaged.size()] = static_cast<char>(rng());
        break;
      case 1:  // flip one bit
        damaged[rng() % damaged.size()] ^= static_cast<char>(1 << (rng() % 8));
        break;
      default:  // cut
        damaged.resize(rng() % damaged.size());
        break;
    }
    WriteAll(fs(), files[which], damaged);
    options.mmap_threshold_bytes = (round % 2) ? 1 : 1 << 20;
    auto reader = CheckpointReader::Open(merged, options);
    if (!reader.ok()) continue;
    ++opened;
    for (const auto& info : (*reader)->Entries()) {
      auto t = (*reader)->Read(info.name);
      if (!t.ok()) continue;
      if (info.name == "v") {
        EXPECT_TRUE(BitwiseEqual(*t, FloatTensor({1, 2, 3, 4, 5, 6, 7, 8}, {4, 2}))) << round;
      } else if (info.name == "w") {
        EXPECT_TRUE(BitwiseEqual(*t, FloatTensor({1, 2, 3, 4}, {2, 2}))) << round;
      } else if (info.name == "s") {
        EXPECT_TRUE(BitwiseEqual(*t, StringTensor({"ab", std::string(200, 'z'), ""}, {3})))
            << round;
      }
    }
  }
  EXPECT_GT(opened, rounds / 6);  // data-file damage leaves the index readable
}

// Random edits of index values behind valid table checksums: only the
// bundle-level checks stand between them and the reader.
TEST_P(SlicedCorruptionTest, RandomEntryEditsNeverCrash) {
  const RawEntries original = Raw();
  std::mt19937 rng(99);
  CheckpointReader::Options options;
  options.fs = fs();
  const int rounds = GetParam() ? 400 : 100;
  for (int round = 0; round < rounds; ++round) {
    RawEntries entries = original;
    std::string& value = entries[rng() % entries.size()].second;
    switch (rng() % 3) {
      case 0:
        if (!value.empty()) value[rng() % value.size()] = static_cast<char>(rng());
        break;
      case 1:
        value.insert(rng() % (value.size() + 1), 1, static_cast<char>(rng()));
        break;
      default:
        value.resize(rng() % (value.size() + 1));
        break;
    }
    WriteRawIndex(fs(), index_, entries);
    options.mmap_threshold_bytes = (round % 2) ? 1 : 1 << 20;
    auto reader = CheckpointReader::Open(prefix_, options);
    if (!reader.ok()) {
      EXPECT_THAT(reader.status().message(), HasSubstr(index_)) << round;
      continue;
    }
    for (const auto& info : (*reader)->Entries()) {
      (*reader)->Read(info.name).status().IgnoreError();
      if (info.shape.rank() == 2) {
        (*reader)->ReadSlice(info.name, TensorSlice{{{1, 1}, {0, -1}}}).status().IgnoreError();
      }
    }
  }
}

// ---- Failing disks -----------------------------------------------------------

TEST_P(BundleCorruptionTest, ReadErrorsPropagate) {
  FaultInjectingFileSystem faulty(fs());
  CheckpointReader::Options options;
  options.fs = &faulty;
  auto reader = CheckpointReader::Open(prefix_, options);
  ASSERT_TRUE(reader.ok());
  faulty.InjectFault(FaultOp::kRead, 1, {.sticky = true});
  auto t = (*reader)->Read("w");
  EXPECT_EQ(t.status().code(), StatusCode::kUnavailable) << t.status().ToString();
  EXPECT_THAT(t.status().message(), HasSubstr("'w'"));
  faulty.ClearFaults();
  EXPECT_TRUE((*reader)->Read("w").ok());

  faulty.InjectFault(FaultOp::kOpenRead, 1, {.sticky = true});
  auto again = CheckpointReader::Open(prefix_, options);
  EXPECT_FALSE(again.ok());
  EXPECT_THAT(again.status().message(), HasSubstr(index_));
}

}  // namespace
}  // namespace tf1hub
