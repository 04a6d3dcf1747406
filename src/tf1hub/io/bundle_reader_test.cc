// CheckpointReader: round trips of every dtype, layout facts, partitioned
// tensors, merged multi-shard bundles, Snappy indexes, memory-mapped views,
// big-endian bundles, state-file directories and concurrent reads.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <complex>
#include <cstring>
#include <thread>
#include <vector>

#include "tf1hub/checkpoint.h"
#include "tf1hub/core/crc32c.h"
#include "tf1hub/io/bundle_test_util.h"
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
using testing::WriteAll;
using testing::WriteCheckpoint;

TensorShape Shape(std::vector<int64_t> dims) {
  auto shape = TensorShape::Create(dims);
  EXPECT_TRUE(shape.ok());
  return shape.ok() ? *shape : TensorShape();
}

template <typename T>
Tensor Make(std::vector<T> values, std::vector<int64_t> dims) {
  auto t = Tensor::FromVector(values, Shape(dims));
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? *t : Tensor();
}

// A tensor of `dtype` whose bytes are given raw (for quantized types).
Tensor RawTensor(DataType dtype, std::vector<int64_t> dims, std::string_view bytes) {
  auto t = Tensor::Create(dtype, Shape(dims));
  EXPECT_TRUE(t.ok());
  EXPECT_EQ(t->TotalBytes(), bytes.size());
  if (!bytes.empty()) std::memcpy(t->mutable_raw_data(), bytes.data(), bytes.size());
  return *t;
}

std::vector<std::pair<std::string, Tensor>> EveryDtype() {
  return {
      {"bfloat16", Make<BFloat16>({{0x3f80}, {0xc000}, {0x7f80}}, {3})},
      {"bool", Make<bool>({true, false, true}, {3})},
      {"complex128", Make<Complex128>({{1.5, -2.25}, {0, 1e300}}, {2})},
      {"complex64", Make<Complex64>({{1.0f, -2.0f}}, {1, 1})},
      {"float16", Make<Half>({{0x3c00}, {0xfbff}, {0x0001}, {0x7e00}}, {2, 2})},
      {"float32", Make<float>({1.5f, -0.0f, 3.4e38f, 1e-45f, 7.0f, 8.0f}, {2, 3})},
      {"float64", Make<double>({3.141592653589793, -1e-300}, {2})},
      {"int16", Make<int16_t>({-2, 32767, -32768}, {3})},
      {"int32", Make<int32_t>({-1, 2147483647, 0}, {3, 1})},
      {"int64", Make<int64_t>({INT64_MIN, INT64_MAX, 42}, {3})},
      {"int8", Make<int8_t>({-128, 127, 0, 5}, {4})},
      {"qint32", RawTensor(DataType::kQint32, {2}, FromHex("01 00 00 80 ff ff ff 7f"))},
      {"qint8", RawTensor(DataType::kQint8, {2}, FromHex("80 7f"))},
      {"quint8", RawTensor(DataType::kQuint8, {1}, FromHex("ff"))},
      {"string", StringTensor({"", std::string("a\0b", 3), "\xc3\xa9t\xc3\xa9 \xe2\x9c\x93",
                               std::string(300, 'x')},
                              {2, 2})},
      {"uint16", Make<uint16_t>({65535, 1}, {2})},
      {"uint32", Make<uint32_t>({4294967295u, 7}, {2})},
      {"uint64", Make<uint64_t>({UINT64_MAX, 9}, {1, 2})},
      {"uint8", Make<uint8_t>({255, 0, 128}, {3})},
  };
}

// Runs each test on the POSIX file system and on the in-memory one.
class BundleReaderTest : public ::testing::TestWithParam<bool> {
 protected:
  BundleReaderTest() : mem_(NewMemoryFileSystem()) {}
  bool in_memory() const { return GetParam(); }
  FileSystem* fs() { return in_memory() ? mem_.get() : PosixFileSystem(); }
  std::string Path(const std::string& name) {
    return in_memory() ? "/mem/" + name : dir_.Join(name);
  }
  std::unique_ptr<CheckpointReader> Open(const std::string& prefix,
                                         uint64_t mmap_threshold = 1 << 20) {
    CheckpointReader::Options options;
    options.fs = fs();
    options.mmap_threshold_bytes = mmap_threshold;
    auto reader = CheckpointReader::Open(prefix, options);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    return reader.ok() ? std::move(*reader) : nullptr;
  }
  std::unique_ptr<CheckpointWriter> Writer(const std::string& prefix) {
    auto writer = CheckpointWriter::Create(prefix, {.fs = fs()});
    EXPECT_TRUE(writer.ok()) << writer.status().ToString();
    return writer.ok() ? std::move(*writer) : nullptr;
  }

  ScratchDir dir_;
  std::unique_ptr<FileSystem> mem_;
};

INSTANTIATE_TEST_SUITE_P(FileSystems, BundleReaderTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Memory" : "Posix"; });

TEST_P(BundleReaderTest, RoundTripsEveryDtype) {
  const std::string prefix = Path("all");
  const auto tensors = EveryDtype();
  WriteCheckpoint(fs(), prefix, tensors);
  for (uint64_t threshold : {uint64_t{1}, uint64_t{1} << 20}) {  // mapped and copied
    auto reader = Open(prefix, threshold);
    ASSERT_NE(reader, nullptr);
    ASSERT_EQ(reader->Entries().size(), tensors.size());
    for (size_t i = 0; i < tensors.size(); ++i) {
      const auto& [name, expected] = tensors[i];
      const CheckpointEntryInfo& info = reader->Entries()[i];
      EXPECT_EQ(info.name, name);  // EveryDtype() is sorted by name
      EXPECT_EQ(info.dtype, expected.dtype());
      EXPECT_EQ(info.shape, expected.shape());
      EXPECT_TRUE(info.slices.empty());
      auto got = reader->Read(name);
      ASSERT_TRUE(got.ok()) << name << ": " << got.status().ToString();
      EXPECT_TRUE(BitwiseEqual(*got, expected)) << name << ": " << got->DebugString();
    }
  }
}

TEST_P(BundleReaderTest, PayloadsAreLittleEndianElementBytes) {
  const std::string prefix = Path("le");
  WriteCheckpoint(fs(), prefix,
                  {{"a", Make<int16_t>({-2}, {1})},
                   {"b", Make<bool>({true}, {1})},
                   {"c", Make<Half>({{0x3c00}}, {1})},
                   {"d", Make<Complex64>({{1.0f, -2.0f}}, {1})},
                   {"e", Make<int64_t>({258}, {1})}});
  EXPECT_EQ(ToHex(ReadAll(fs(), prefix + ".data-00000-of-00001")),
            "fe ff 01 00 3c 00 00 80 3f 00 00 00 c0 02 01 00 00 00 00 00 00");
}

TEST_P(BundleReaderTest, ScalarsAndEmptyTensors) {
  const std::string prefix = Path("edge");
  WriteCheckpoint(fs(), prefix,
                  {{"empty_f", Make<float>({}, {0})},
                   {"empty_2d", Make<int32_t>({}, {3, 0})},
                   {"empty_s", StringTensor({}, {0, 2})},
                   {"scalar_f", Tensor::Scalar(2.5f)},
                   {"scalar_s", Tensor::Scalar(std::string("hub"))},
                   {"scalar_empty_s", Tensor::Scalar(std::string())}});
  auto reader = Open(prefix, /*mmap_threshold=*/1);
  ASSERT_NE(reader, nullptr);
  auto f = reader->Read("empty_f");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->shape(), Shape({0}));
  auto e2 = reader->Read("empty_2d");
  ASSERT_TRUE(e2.ok());
  EXPECT_EQ(e2->shape(), Shape({3, 0}));
  EXPECT_EQ(e2->dtype(), DataType::kInt32);
  auto es = reader->Read("empty_s");
  ASSERT_TRUE(es.ok()) << es.status().ToString();
  EXPECT_EQ(es->shape(), Shape({0, 2}));
  auto sf = reader->Read("scalar_f");
  ASSERT_TRUE(sf.ok());
  EXPECT_TRUE(sf->shape().IsScalar());
  EXPECT_EQ(sf->scalar<float>(), 2.5f);
  auto ss = reader->Read("scalar_s");
  ASSERT_TRUE(ss.ok());
  EXPECT_EQ(ss->scalar<std::string>(), "hub");
  auto se = reader->Read("scalar_empty_s");
  ASSERT_TRUE(se.ok());
  EXPECT_EQ(se->scalar<std::string>(), "");
}

TEST_P(BundleReaderTest, LookupsAndNotFound) {
  const std::string prefix = Path("look");
  WriteCheckpoint(fs(), prefix, {{"dense/kernel", FloatTensor({1, 2}, {1, 2})}});
  auto reader = Open(prefix);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->prefix(), prefix);
  EXPECT_TRUE(reader->Contains("dense/kernel"));
  EXPECT_FALSE(reader->Contains("dense"));
  auto info = reader->GetInfo("dense/kernel");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->shape, Shape({1, 2}));
  auto missing = reader->Read("dense/bias");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("'dense/bias'"), std::string::npos);
  EXPECT_EQ(reader->GetInfo("x").status().code(), StatusCode::kNotFound);

  CheckpointReader::Options options;
  options.fs = fs();
  auto absent = CheckpointReader::Open(Path("nothing"), options);
  EXPECT_EQ(absent.status().code(), StatusCode::kNotFound);
  EXPECT_NE(absent.status().message().find(Path("nothing") + ".index"), std::string::npos);
}

TEST_P(BundleReaderTest, OpensTheLatestCheckpointOfADirectory) {
  WriteCheckpoint(fs(), Path("train/model.ckpt-5"), {{"step", Make<int64_t>({5}, {})}});
  WriteAll(fs(), Path("train/checkpoint"),
           "model_checkpoint_path: \"model.ckpt-5\"\n"
           "all_model_checkpoint_paths: \"model.ckpt-5\"\n");
  auto reader = Open(Path("train"));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->prefix(), Path("train/model.ckpt-5"));
  auto step = reader->Read("step");
  ASSERT_TRUE(step.ok());
  EXPECT_EQ(step->scalar<int64_t>(), 5);

  ASSERT_TRUE(fs()->RecursivelyCreateDir(Path("empty_dir")).ok());
  CheckpointReader::Options options;
  options.fs = fs();
  auto none = CheckpointReader::Open(Path("empty_dir"), options);
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound) << none.status().ToString();
}

// A [6,4] float tensor with value 10*row + col, stored as row slices.
Tensor Grid(int64_t row0, int64_t rows, int64_t col0 = 0, int64_t cols = 4) {
  std::vector<float> v;
  for (int64_t r = row0; r < row0 + rows; ++r) {
    for (int64_t c = col0; c < col0 + cols; ++c) v.push_back(static_cast<float>(10 * r + c));
  }
  return FloatTensor(v, {rows, cols});
}

TEST_P(BundleReaderTest, PartitionedTensorsAreAssembled) {
  const std::string prefix = Path("part");
  auto writer = Writer(prefix);
  ASSERT_NE(writer, nullptr);
  const TensorShape full = Shape({6, 4});
  for (int64_t row0 : {4, 0, 2}) {
    ASSERT_TRUE(writer->AddSlice("emb", full, TensorSlice{{{row0, 2}, {0, -1}}}, Grid(row0, 2)).ok());
  }
  ASSERT_TRUE(writer->Add("other", Tensor::Scalar(1.0f)).ok());
  ASSERT_TRUE(writer->Finish().ok());

  auto reader = Open(prefix, /*mmap_threshold=*/1);
  ASSERT_NE(reader, nullptr);
  // Slice data entries are folded into their tensor.
  ASSERT_EQ(reader->Entries().size(), 2u);
  EXPECT_EQ(reader->Entries()[0].name, "emb");
  EXPECT_EQ(reader->Entries()[0].shape, full);
  EXPECT_EQ(reader->Entries()[0].slices.size(), 3u);
  EXPECT_EQ(reader->Entries()[1].name, "other");

  auto whole = reader->Read("emb");
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  EXPECT_TRUE(BitwiseEqual(*whole, Grid(0, 6)));
  // Rows 1..3, cols 1..2 span two stored slices.
  auto part = reader->ReadSlice("emb", TensorSlice{{{1, 3}, {1, 2}}});
  ASSERT_TRUE(part.ok()) << part.status().ToString();
  EXPECT_TRUE(BitwiseEqual(*part, Grid(1, 3, 1, 2))) << part->DebugString();
  // Exactly one stored slice: returned as stored (a view of the mapping).
  auto one = reader->ReadSlice("emb", TensorSlice{{{2, 2}, {0, 4}}});
  ASSERT_TRUE(one.ok());
  EXPECT_TRUE(BitwiseEqual(*one, Grid(2, 2)));
  EXPECT_TRUE(one->IsView());
  // Invalid requests.
  EXPECT_EQ(reader->ReadSlice("emb", TensorSlice{{{5, 2}, {0, -1}}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(reader->ReadSlice("emb", TensorSlice{{{0, 1}}}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(BundleReaderTest, MissingSlicesAreReported) {
  const std::string prefix = Path("holes");
  auto writer = Writer(prefix);
  ASSERT_NE(writer, nullptr);
  const TensorShape full = Shape({6, 4});
  ASSERT_TRUE(writer->AddSlice("emb", full, TensorSlice{{{0, 2}, {0, -1}}}, Grid(0, 2)).ok());
  ASSERT_TRUE(writer->AddSlice("emb", full, TensorSlice{{{4, 2}, {0, -1}}}, Grid(4, 2)).ok());
  ASSERT_TRUE(writer->Finish().ok());
  auto reader = Open(prefix);
  ASSERT_NE(reader, nullptr);
  auto whole = reader->Read("emb");
  EXPECT_EQ(whole.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(whole.status().message().find("does not have sufficient slices"), std::string::npos)
      << whole.status().message();
  EXPECT_EQ(reader->ReadSlice("emb", TensorSlice{{{1, 2}, {0, -1}}}).status().code(),
            StatusCode::kInvalidArgument);
  auto covered = reader->ReadSlice("emb", TensorSlice{{{4, 2}, {1, 3}}});
  ASSERT_TRUE(covered.ok()) << covered.status().ToString();
  EXPECT_TRUE(BitwiseEqual(*covered, Grid(4, 2, 1, 3)));
}

TEST_P(BundleReaderTest, PartitionedStrings) {
  const std::string prefix = Path("pstr");
  auto writer = Writer(prefix);
  ASSERT_NE(writer, nullptr);
  const TensorShape full = Shape({4});
  ASSERT_TRUE(writer->AddSlice("vocab", full, TensorSlice{{{2, 2}}}, StringTensor({"c", "dd"}, {2})).ok());
  ASSERT_TRUE(writer->AddSlice("vocab", full, TensorSlice{{{0, 2}}}, StringTensor({"", "b"}, {2})).ok());
  ASSERT_TRUE(writer->Finish().ok());
  auto reader = Open(prefix);
  ASSERT_NE(reader, nullptr);
  auto whole = reader->Read("vocab");
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  EXPECT_TRUE(BitwiseEqual(*whole, StringTensor({"", "b", "c", "dd"}, {4})));
  auto mid = reader->ReadSlice("vocab", TensorSlice{{{1, 2}}});
  ASSERT_TRUE(mid.ok());
  EXPECT_TRUE(BitwiseEqual(*mid, StringTensor({"b", "c"}, {2})));
}

TEST_P(BundleReaderTest, ReadSliceOfAWholeTensor) {
  const std::string prefix = Path("whole");
  WriteCheckpoint(fs(), prefix, {{"g", Grid(0, 6)}});
  auto reader = Open(prefix);
  ASSERT_NE(reader, nullptr);
  auto part = reader->ReadSlice("g", TensorSlice{{{3, 2}, {2, 2}}});
  ASSERT_TRUE(part.ok()) << part.status().ToString();
  EXPECT_TRUE(BitwiseEqual(*part, Grid(3, 2, 2, 2)));
  auto all = reader->ReadSlice("g", TensorSlice{{{0, -1}, {0, -1}}});
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(BitwiseEqual(*all, Grid(0, 6)));
}

TEST_P(BundleReaderTest, MergedMultiShardCheckpoint) {
  WriteCheckpoint(fs(), Path("tmp/part-0"), {{"a", FloatTensor({1, 2}, {2})}, {"c", Tensor::Scalar(3.0f)}});
  WriteCheckpoint(fs(), Path("tmp/part-1"), {{"b", StringTensor({"x", "yz"}, {2})}});
  const std::string data0 = ReadAll(fs(), Path("tmp/part-0.data-00000-of-00001"));
  const std::string data1 = ReadAll(fs(), Path("tmp/part-1.data-00000-of-00001"));
  ASSERT_TRUE(MergeCheckpoints({Path("tmp/part-0"), Path("tmp/part-1")}, Path("out/model"), fs()).ok());

  // Data files renamed in input order; input index files deleted.
  EXPECT_EQ(ReadAll(fs(), Path("out/model.data-00000-of-00002")), data0);
  EXPECT_EQ(ReadAll(fs(), Path("out/model.data-00001-of-00002")), data1);
  EXPECT_FALSE(fs()->FileExists(Path("tmp/part-0.index")));
  EXPECT_FALSE(fs()->FileExists(Path("tmp/part-1.index")));
  EXPECT_FALSE(fs()->FileExists(Path("tmp/part-0.data-00000-of-00001")));

  auto raw = ReadRawIndex(fs(), Path("out/model.index"));
  ASSERT_EQ(raw.size(), 4u);
  EXPECT_EQ(ToHex(raw[0].second), "08 02 1a 02 08 01");  // num_shards 2
  tensorflow::BundleEntryProto b;
  ASSERT_TRUE(b.ParseFromString(raw[2].second));
  EXPECT_EQ(raw[2].first, "b");
  EXPECT_EQ(b.shard_id(), 1);

  auto reader = Open(Path("out/model"));
  ASSERT_NE(reader, nullptr);
  auto a = reader->Read("a");
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(BitwiseEqual(*a, FloatTensor({1, 2}, {2})));
  auto bs = reader->Read("b");
  ASSERT_TRUE(bs.ok()) << bs.status().ToString();
  EXPECT_TRUE(BitwiseEqual(*bs, StringTensor({"x", "yz"}, {2})));
  auto c = reader->Read("c");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->scalar<float>(), 3.0f);
}

TEST_P(BundleReaderTest, MergeCombinesSlicesOfPartitionedTensors) {
  const TensorShape full = Shape({6, 4});
  for (int part = 0; part < 3; ++part) {
    auto writer = Writer(Path("tmp/p" + std::to_string(part)));
    ASSERT_NE(writer, nullptr);
    ASSERT_TRUE(writer->AddSlice("emb", full, TensorSlice{{{2 * part, 2}, {0, -1}}}, Grid(2 * part, 2)).ok());
    ASSERT_TRUE(writer->Finish().ok());
  }
  ASSERT_TRUE(MergeCheckpoints({Path("tmp/p0"), Path("tmp/p1"), Path("tmp/p2")}, Path("m"), fs()).ok());
  auto reader = Open(Path("m"));
  ASSERT_NE(reader, nullptr);
  ASSERT_EQ(reader->Entries().size(), 1u);
  EXPECT_EQ(reader->Entries()[0].slices.size(), 3u);
  auto whole = reader->Read("emb");
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  EXPECT_TRUE(BitwiseEqual(*whole, Grid(0, 6)));
}

TEST_P(BundleReaderTest, MergeRejectsDuplicatesBeforeTouchingFiles) {
  WriteCheckpoint(fs(), Path("d0"), {{"w", Tensor::Scalar(1.0f)}});
  WriteCheckpoint(fs(), Path("d1"), {{"w", Tensor::Scalar(2.0f)}});
  Status s = MergeCheckpoints({Path("d0"), Path("d1")}, Path("dm"), fs());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("duplicate tensor 'w'"), std::string::npos) << s.message();
  EXPECT_TRUE(fs()->FileExists(Path("d0.index")));
  EXPECT_TRUE(fs()->FileExists(Path("d1.data-00000-of-00001")));
  EXPECT_FALSE(fs()->FileExists(Path("dm.index")));
  EXPECT_EQ(MergeCheckpoints({}, Path("dm"), fs()).code(), StatusCode::kInvalidArgument);
}

TEST_P(BundleReaderTest, ReadsSnappyCompressedIndex) {
  const std::string prefix = Path("snappy");
  std::vector<std::pair<std::string, Tensor>> tensors;
  char name[64];
  for (int i = 0; i < 200; ++i) {
    std::snprintf(name, sizeof(name), "module/layer_%03d/dense/kernel", i);
    tensors.emplace_back(name, Tensor::Scalar(static_cast<float>(i)));
  }
  WriteCheckpoint(fs(), prefix, tensors);
  const std::string index = prefix + ".index";
  const auto entries = ReadRawIndex(fs(), index);
  const uint64_t plain_size = ReadAll(fs(), index).size();
  // Small blocks so that there are several Snappy data blocks.
  testing::WriteRawIndex(fs(), index, entries, {.compression = leveldb::kSnappyCompression,
                                                .block_size = 1024});
  EXPECT_LT(ReadAll(fs(), index).size(), plain_size * 3 / 4);
  auto reader = Open(prefix);
  ASSERT_NE(reader, nullptr);
  ASSERT_EQ(reader->Entries().size(), 200u);
  for (int i = 0; i < 200; ++i) {
    auto t = reader->Read(tensors[i].first);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_EQ(t->scalar<float>(), static_cast<float>(i));
  }
}

TEST_P(BundleReaderTest, LargeTensorsAreViewsOfTheMappedDataFile) {
  const std::string prefix = Path("mmap");
  std::vector<float> big(1024), small = {1, 2, 3};
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<float>(i) * 0.5f;
  WriteCheckpoint(fs(), prefix, {{"big", FloatTensor(big, {1024})},
                                 {"big2", FloatTensor(big, {32, 32})},
                                 {"small", FloatTensor(small, {3})}});
  Tensor kept;
  {
    auto reader = Open(prefix, /*mmap_threshold=*/4096);
    ASSERT_NE(reader, nullptr);
    auto b = reader->Read("big");
    ASSERT_TRUE(b.ok());
    EXPECT_TRUE(b->IsView());
    EXPECT_TRUE(BitwiseEqual(*b, FloatTensor(big, {1024})));
    auto b2 = reader->Read("big2");
    ASSERT_TRUE(b2.ok());
    EXPECT_TRUE(b2->IsView());
    // Both views share one mapping: their data lie 4096 bytes apart.
    EXPECT_EQ(static_cast<const char*>(b2->raw_data()) - static_cast<const char*>(b->raw_data()),
              4096);
    auto s = reader->Read("small");
    ASSERT_TRUE(s.ok());
    EXPECT_FALSE(s->IsView());
    kept = *b;
  }
  // The view keeps the mapping alive after the reader is gone.
  EXPECT_TRUE(BitwiseEqual(kept, FloatTensor(big, {1024})));
  auto copying = Open(prefix, /*mmap_threshold=*/1 << 20);
  auto c = copying->Read("big");
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->IsView());
}

TEST_P(BundleReaderTest, ConcurrentReads) {
  const std::string prefix = Path("threads");
  const auto tensors = EveryDtype();
  WriteCheckpoint(fs(), prefix, tensors);
  auto reader = Open(prefix, /*mmap_threshold=*/16);
  ASSERT_NE(reader, nullptr);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int round = 0; round < 20; ++round) {
        for (const auto& [name, expected] : tensors) {
          auto got = reader->Read(name);
          if (!got.ok() || !BitwiseEqual(*got, expected)) ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

// A bundle as a big-endian machine writes it (header endianness BIG),
// built by hand.
TEST_P(BundleReaderTest, ReadsBigEndianBundles) {
  const std::string prefix = Path("be");
  std::string data;
  std::vector<std::pair<std::string, std::string>> index;
  tensorflow::BundleHeaderProto header;
  header.set_num_shards(1);
  header.set_endianness(tensorflow::BundleHeaderProto::BIG);
  header.mutable_version()->set_producer(1);
  index.emplace_back("", header.SerializeAsString());
  auto add = [&](const std::string& name, tensorflow::DataType dtype, std::vector<int64_t> dims,
                 const std::string& payload, uint32_t crc) {
    tensorflow::BundleEntryProto e;
    e.set_dtype(dtype);
    for (int64_t d : dims) e.mutable_shape()->add_dim()->set_size(d);
    e.set_offset(static_cast<int64_t>(data.size()));
    e.set_size(static_cast<int64_t>(payload.size()));
    e.set_crc32c(crc32c::Mask(crc));
    data += payload;
    index.emplace_back(name, e.SerializeAsString());
  };
  auto plain = [&](const std::string& name, tensorflow::DataType dtype, std::vector<int64_t> dims,
                   const std::string& payload) {
    add(name, dtype, dims, payload, crc32c::Value(payload.data(), payload.size()));
  };
  plain("c64", tensorflow::DT_COMPLEX64, {1}, FromHex("3f 80 00 00 c0 00 00 00"));  // (1, -2)
  plain("f32", tensorflow::DT_FLOAT, {2}, FromHex("3f c0 00 00 c0 00 00 00"));      // 1.5, -2
  plain("i16", tensorflow::DT_INT16, {2}, FromHex("ff fe 00 03"));                  // -2, 3
  plain("i64", tensorflow::DT_INT64, {}, FromHex("00 00 00 00 00 00 01 02"));       // 258
  plain("u8", tensorflow::DT_UINT8, {2}, FromHex("01 02"));
  // ["ab", "c"]: lengths checksummed as big-endian uint32s.
  const std::string be_lengths = FromHex("00 00 00 02 00 00 00 01");
  const uint32_t length_crc = crc32c::Value(be_lengths.data(), be_lengths.size());
  const uint32_t masked = crc32c::Mask(length_crc);
  std::string masked_be;
  for (int i = 3; i >= 0; --i) masked_be.push_back(static_cast<char>((masked >> (8 * i)) & 0xff));
  uint32_t crc = crc32c::Extend(length_crc, masked_be.data(), 4);
  crc = crc32c::Extend(crc, "abc", 3);
  add("str", tensorflow::DT_STRING, {2}, FromHex("02 01") + masked_be + "abc", crc);
  WriteAll(fs(), prefix + ".data-00000-of-00001", data);
  std::sort(index.begin(), index.end());
  testing::WriteRawIndex(fs(), prefix + ".index", index);

  auto reader = Open(prefix, /*mmap_threshold=*/1);
  ASSERT_NE(reader, nullptr);
  auto expect = [&](const std::string& name, const Tensor& want) {
    auto got = reader->Read(name);
    ASSERT_TRUE(got.ok()) << name << ": " << got.status().ToString();
    EXPECT_TRUE(BitwiseEqual(*got, want)) << name << ": " << got->DebugString();
    EXPECT_FALSE(got->IsView()) << name;  // swapped copies, never views
  };
  expect("c64", Make<Complex64>({{1.0f, -2.0f}}, {1}));
  expect("f32", FloatTensor({1.5f, -2.0f}, {2}));
  expect("i16", Make<int16_t>({-2, 3}, {2}));
  expect("i64", Make<int64_t>({258}, {}));
  expect("u8", Make<uint8_t>({1, 2}, {2}));
  auto s = reader->Read("str");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(BitwiseEqual(*s, StringTensor({"ab", "c"}, {2})));
}

}  // namespace
}  // namespace tf1hub
