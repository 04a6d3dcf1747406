// Expected values and messages below were produced with TensorFlow 2.15.1
// (tf.raw_ops in a tf.compat.v1 Session) unless stated otherwise.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "tf1hub/core/temp_dir_test_util.h"
#include "tf1hub/kernels/kernel_test_util.h"
#include "tf1hub/kernels/lookup_table.h"
#include "tf1hub/kernels/text_file_lines.h"

namespace tf1hub {
namespace {

using ::testing::ElementsAre;

template <typename T>
Tensor Vec(std::vector<T> v, std::vector<int64_t> dims = {-1}) {
  if (dims.size() == 1 && dims[0] == -1) dims[0] = static_cast<int64_t>(v.size());
  return *Tensor::FromVector<T>(v, *TensorShape::Create(dims));
}
using Strs = std::vector<std::string>;

template <typename T>
std::vector<T> Values(const Tensor& t) {
  auto f = t.flat<T>();
  return std::vector<T>(f.begin(), f.end());
}

// This binary's table files: a private directory (tests may run in parallel),
// removed when the process exits.
const std::string& FileDir() {
  static const tf1hub::testing::ScopedTempDir dir("tf1hub_lookup_test");
  return dir.path();
}

std::string WriteFile(const std::string& name, const std::string& contents) {
  const std::string path = FileDir() + "/lookup_" + name;
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

// One table in one resource manager, driven op by op.
class TableFixture {
 public:
  TableFixture(DataType kd, DataType vd, std::string shared_name = "t") {
    KernelRunner r("HashTableV2", "table");
    r.WithResourceMgr(&rm_).Attr("key_dtype", kd).Attr("value_dtype", vd);
    r.Attr("shared_name", shared_name);
    StatusOr<std::vector<Tensor>> out = r.Run();
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    handle_ = r.resource_output(0);
  }

  Status InitFromFile(const std::string& path, int64_t key_index, int64_t value_index,
                      int64_t vocab_size = -1, const char* delimiter = "\t", int64_t offset = 0) {
    KernelRunner r("InitializeTableFromTextFileV2");
    r.WithResourceMgr(&rm_).Attr("key_index", key_index).Attr("value_index", value_index);
    r.Attr("vocab_size", vocab_size).Attr("delimiter", delimiter).Attr("offset", offset);
    r.ResourceInput(handle_).Input(Tensor::Scalar<std::string>(path));
    return r.Run().status();
  }

  Status Import(const Tensor& keys, const Tensor& values) {
    KernelRunner r("LookupTableImportV2");
    r.WithResourceMgr(&rm_).Attr("Tin", keys.dtype()).Attr("Tout", values.dtype());
    r.ResourceInput(handle_).Input(keys).Input(values);
    return r.Run().status();
  }

  StatusOr<Tensor> Find(const Tensor& keys, const Tensor& default_value) {
    KernelRunner r("LookupTableFindV2");
    r.WithResourceMgr(&rm_).Attr("Tin", keys.dtype()).Attr("Tout", default_value.dtype());
    r.ResourceInput(handle_).Input(keys).Input(default_value);
    ASSIGN_OR_RETURN(std::vector<Tensor> out, r.Run());
    return out[0];
  }

  int64_t Size() {
    KernelRunner r("LookupTableSizeV2");
    r.WithResourceMgr(&rm_).ResourceInput(handle_);
    StatusOr<std::vector<Tensor>> out = r.Run();
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? (*out)[0].scalar<int64_t>() : -1;
  }

  ResourceMgr* rm() { return &rm_; }
  const std::shared_ptr<const ResourceHandle>& handle() const { return handle_; }

 private:
  ResourceMgr rm_;
  std::shared_ptr<const ResourceHandle> handle_;
};

TEST(LookupTableTest, VocabularyFileWholeLineToLineNumber) {
  const std::string vocab = WriteFile("vocab.txt", "apple\nbanana\ncherry\n");
  TableFixture t(DataType::kString, DataType::kInt64);
  EXPECT_EQ(t.Size(), 0);
  ASSERT_TRUE(t.InitFromFile(vocab, kTextFileWholeLine, kTextFileLineNumber).ok());
  EXPECT_EQ(t.Size(), 3);
  StatusOr<Tensor> out = t.Find(Vec<std::string>({"apple", "cherry", "zzz", ""}, {2, 2}),
                                Tensor::Scalar<int64_t>(-1));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->shape().DebugString(), "[2,2]");
  EXPECT_THAT(Values<int64_t>(*out), ElementsAre(0, 2, -1, -1));
  // Initializing again from a file is a no-op.
  EXPECT_TRUE(t.InitFromFile(vocab, kTextFileWholeLine, kTextFileLineNumber).ok());
}

TEST(LookupTableTest, OffsetAndVocabSize) {
  const std::string vocab = WriteFile("vocab2.txt", "apple\nbanana\ncherry\n");
  TableFixture t(DataType::kString, DataType::kInt64);
  ASSERT_TRUE(t.InitFromFile(vocab, kTextFileWholeLine, kTextFileLineNumber, 2, "\t", 10).ok());
  EXPECT_EQ(t.Size(), 2);
  StatusOr<Tensor> out = t.Find(Vec<std::string>({"apple", "banana", "cherry"}),
                                Tensor::Scalar<int64_t>(-1));
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(Values<int64_t>(*out), ElementsAre(10, 11, -1));
  TableFixture short_file(DataType::kString, DataType::kInt64);
  EXPECT_EQ(short_file.InitFromFile(vocab, kTextFileWholeLine, kTextFileLineNumber, 5).message(),
            "Invalid vocab_size in " + vocab + ": expected 5 but got 3");
  TableFixture zero(DataType::kString, DataType::kInt64);
  Status s = zero.InitFromFile(vocab, kTextFileWholeLine, kTextFileLineNumber, 0);
  EXPECT_EQ(s.code(), StatusCode::kOutOfRange);
  EXPECT_EQ(s.message(), "Finished reading 0 of lines from " + vocab);
}

TEST(LookupTableTest, ColumnsAndTypes) {
  const std::string kv = WriteFile("kv.txt", "apple\t5\nbanana\t7\napple\t5\n");
  TableFixture t(DataType::kString, DataType::kInt32);
  // int32 fields get the offset; the duplicate key with the same value is fine.
  ASSERT_TRUE(t.InitFromFile(kv, 0, 1, -1, "\t", 100).ok());
  EXPECT_EQ(t.Size(), 2);
  StatusOr<Tensor> out = t.Find(Vec<std::string>({"apple", "x"}), Tensor::Scalar<int32_t>(0));
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(Values<int32_t>(*out), ElementsAre(105, 0));

  TableFixture i64(DataType::kString, DataType::kInt64);
  ASSERT_TRUE(i64.InitFromFile(kv, 0, 1, -1, "\t", 100).ok());  // no offset for int64
  out = i64.Find(Vec<std::string>({"apple"}), Tensor::Scalar<int64_t>(0));
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(Values<int64_t>(*out), ElementsAre(5));

  TableFixture rev(DataType::kInt64, DataType::kString);
  ASSERT_TRUE(rev.InitFromFile(WriteFile("v3.txt", "apple\nbanana\ncherry\n"), kTextFileLineNumber,
                               kTextFileWholeLine)
                  .ok());
  out = rev.Find(Vec<int64_t>({0, 2, 5}), Tensor::Scalar<std::string>("UNK"));
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(Values<std::string>(*out), ElementsAre("apple", "cherry", "UNK"));

  const std::string f = WriteFile("f.txt", "a\t 12 \nb\t0x1A\nc\t-0\nd\t1e3\n");
  TableFixture fl(DataType::kString, DataType::kFloat);
  ASSERT_TRUE(fl.InitFromFile(f, 0, 1).ok());
  out = fl.Find(Vec<std::string>({"a", "b", "c", "d", "e"}), Tensor::Scalar<float>(0.5f));
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(Values<float>(*out), ElementsAre(12.0f, 26.0f, -0.0f, 1000.0f, 0.5f));
  EXPECT_TRUE(std::signbit(Values<float>(*out)[2]));
  TableFixture bad(DataType::kString, DataType::kInt32);
  EXPECT_EQ(bad.InitFromFile(f, 0, 1).message(), "Field 0x1A in line 1 is not a valid int32.");
}

TEST(LookupTableTest, FileLineRules) {
  // "\r\n" ends a line; a last line without '\n' counts.
  TableFixture t(DataType::kString, DataType::kInt64);
  ASSERT_TRUE(t.InitFromFile(WriteFile("crlf.txt", "a\r\nb"), kTextFileWholeLine,
                             kTextFileLineNumber)
                  .ok());
  StatusOr<Tensor> out = t.Find(Vec<std::string>({"a", "b", "a\r"}), Tensor::Scalar<int64_t>(-1));
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(Values<int64_t>(*out), ElementsAre(0, 1, -1));

  const std::string empty_line = WriteFile("emptyline.txt", "a\n\nb\n");
  TableFixture e(DataType::kString, DataType::kInt64);
  EXPECT_EQ(e.InitFromFile(empty_line, kTextFileWholeLine, kTextFileLineNumber).message(),
            "Invalid content in " + empty_line + ": empty line found at position 3.");
  const std::string empty = WriteFile("empty.txt", "");
  TableFixture z(DataType::kString, DataType::kInt64);
  Status s = z.InitFromFile(empty, kTextFileWholeLine, kTextFileLineNumber);
  EXPECT_EQ(s.code(), StatusCode::kOutOfRange);
  EXPECT_EQ(s.message(), "Read less bytes than requested");
}

TEST(LookupTableTest, FileErrors) {
  TableFixture t(DataType::kString, DataType::kInt64);
  const std::string missing = FileDir() + "/lookup_nonexist.txt";
  Status s = t.InitFromFile(missing, 0, 1);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), missing + "; No such file or directory");
  s = t.InitFromFile(FileDir(), 0, 1);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), FileDir() + "; Is a directory");

  const std::string vocab = WriteFile("vocab4.txt", "apple\nbanana\n");
  EXPECT_EQ(t.InitFromFile(vocab, 0, 1).message(),
            "Invalid number of columns in " + vocab +
                " line 0 (apple) : expected at least 2 got 1");
  const std::string dup = WriteFile("kvdup.txt", "apple\t5\nbanana\t7\napple\t6\n");
  s = t.InitFromFile(dup, 0, 1);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "HashTable has different value for same key. Key apple has 5 and trying to add "
            "value 6");
  EXPECT_EQ(t.InitFromFile(vocab, kTextFileLineNumber, kTextFileWholeLine).message(),
            "Key index for line number requires table key dtype of int64, got string");
  TableFixture f(DataType::kInt64, DataType::kFloat);
  EXPECT_EQ(f.InitFromFile(vocab, kTextFileLineNumber, kTextFileWholeLine).message(),
            "Value index for whole line requires table value dtype of integer or string, got "
            "float");
  TableFixture b(DataType::kString, DataType::kBool);
  EXPECT_EQ(b.InitFromFile(WriteFile("kv5.txt", "a\t1\n"), 0, 1).message(),
            "Data type bool not supported.");
  TableFixture sp(DataType::kString, DataType::kInt64);
  EXPECT_EQ(sp.InitFromFile(WriteFile("kv4.txt", "apple\t5\t\t9\nbanana\t7\t\t \n"), 0, 3)
                .message(),
            "Field   in line 1 is not a valid int64.");
}

// A vocabulary larger than the table's insertion batches: every line maps
// to its number, and errors keep file order (the first problem wins).
TEST(LookupTableTest, LargeVocabularyFile) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "tok" + std::to_string(i) + "\n";
  TableFixture t(DataType::kString, DataType::kInt64);
  ASSERT_TRUE(t.InitFromFile(WriteFile("big.txt", text), kTextFileWholeLine, kTextFileLineNumber)
                  .ok());
  EXPECT_EQ(t.Size(), 5000);
  StatusOr<Tensor> out = t.Find(Vec<std::string>({"tok0", "tok4999", "tok2500", "tok5000", ""}),
                                Tensor::Scalar<int64_t>(-1));
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(Values<int64_t>(*out), ElementsAre(0, 4999, 2500, -1, -1));

  // Line 40 repeats line 3; line 45 is empty: the duplicate is reported.
  std::string dup;
  for (int i = 0; i < 60; ++i) {
    dup += (i == 40 ? "w3" : i == 45 ? "" : "w" + std::to_string(i)) + "\n";
  }
  TableFixture d(DataType::kString, DataType::kInt64);
  Status s = d.InitFromFile(WriteFile("dup40.txt", dup), kTextFileWholeLine, kTextFileLineNumber);
  EXPECT_EQ(s.message(),
            "HashTable has different value for same key. Key w3 has 3 and trying to add value 40");
  // The same with the empty line first: the empty line is reported.
  std::string empty_first;
  for (int i = 0; i < 60; ++i) {
    empty_first += (i == 40 ? "w3" : i == 35 ? "" : "w" + std::to_string(i)) + "\n";
  }
  TableFixture e(DataType::kString, DataType::kInt64);
  const std::string path = WriteFile("empty35.txt", empty_first);
  s = e.InitFromFile(path, kTextFileWholeLine, kTextFileLineNumber);
  EXPECT_EQ(s.message(), "Invalid content in " + path + ": empty line found at position " +
                             std::to_string(empty_first.find("\n\n") + 2) + ".");
}

TEST(LookupTableTest, InitializerAttrAndInputErrors) {
  TableFixture t(DataType::kString, DataType::kInt64);
  KernelRunner r("InitializeTableFromTextFileV2");
  r.WithResourceMgr(t.rm()).Attr("key_index", int64_t{0}).Attr("value_index", int64_t{1});
  r.Attr("delimiter", "ab").ResourceInput(t.handle()).Input(Tensor::Scalar<std::string>("x"));
  EXPECT_EQ(r.Run().status().message(), "delimiter should be only 1 char");
  KernelRunner v("InitializeTableFromTextFileV2");
  v.WithResourceMgr(t.rm()).Attr("key_index", int64_t{0}).Attr("value_index", int64_t{1});
  v.ResourceInput(t.handle()).Input(Vec<std::string>({"x"}));
  EXPECT_EQ(v.Run().status().message(), "filename should be a single string, but got [1]");
}

TEST(LookupTableTest, ImportFindAndReinitialize) {
  TableFixture t(DataType::kString, DataType::kInt64);
  StatusOr<Tensor> out = t.Find(Vec<std::string>({"x"}), Tensor::Scalar<int64_t>(-1));
  EXPECT_EQ(out.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(out.status().message(), "Table not initialized.");
  ASSERT_TRUE(t.Import(Vec<std::string>({"a", "b"}), Vec<int64_t>({1, 2})).ok());
  EXPECT_EQ(t.Size(), 2);
  // Same number of entries: a no-op; another number: an error.
  ASSERT_TRUE(t.Import(Vec<std::string>({"c", "d"}), Vec<int64_t>({1, 2})).ok());
  Status s = t.Import(Vec<std::string>({"c"}), Vec<int64_t>({1}));
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "Table was already initialized with different data.");
  // The default's first element serves every missing key (TF 2.15).
  out = t.Find(Vec<std::string>({"a", "c"}, {1, 2}), Vec<int64_t>({-7, -2}, {1, 2}));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_THAT(Values<int64_t>(*out), ElementsAre(1, -7));
  out = t.Find(Vec<std::string>({"a", "c"}), Vec<int64_t>({-1, -2, -3}));
  EXPECT_EQ(out.status().message(), "Expected shape [] or [2] for default value, got [3]");
  out = t.Find(Vec<int32_t>({1}), Tensor::Scalar<int64_t>(-1));
  EXPECT_EQ(out.status().message(),
            "Signature mismatch, have: resource, int32, int64->int64 expected: resource, "
            "string, int64->int64");
}

TEST(LookupTableTest, ImportErrors) {
  TableFixture t(DataType::kString, DataType::kInt64);
  EXPECT_EQ(t.Import(Vec<std::string>({"a", "b"}), Vec<int64_t>({1, 2, 3})).message(),
            "Expected shape [2] for value, got [3]");
  EXPECT_EQ(t.Import(Vec<std::string>({"a", "b"}), Vec<int32_t>({1, 2})).message(),
            "Signature mismatch, have: resource, string, int32-> expected: resource, string, "
            "int64->");
  Status s = t.Import(Vec<std::string>({"a", "b", "a"}), Vec<int64_t>({1, 2, 3}));
  EXPECT_EQ(s.message(),
            "HashTable has different value for same key. Key a has 1 and trying to add value 3");
  // Keys of any shape.
  TableFixture m(DataType::kInt64, DataType::kDouble);
  ASSERT_TRUE(m.Import(Vec<int64_t>({4, 5}, {1, 2}), Vec<double>({0.25, 0.5}, {1, 2})).ok());
  StatusOr<Tensor> out = m.Find(Tensor::Scalar<int64_t>(5), Tensor::Scalar<double>(0));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->scalar<double>(), 0.5);
}

TEST(LookupTableTest, SharingAndDtypeConflicts) {
  ResourceMgr rm;
  auto make = [&](const char* node, DataType kd, const char* shared, bool by_node) {
    KernelRunner r("HashTableV2", node);
    r.WithResourceMgr(&rm).Attr("key_dtype", kd).Attr("value_dtype", DataType::kInt64);
    r.Attr("shared_name", shared).Attr("use_node_name_sharing", by_node);
    StatusOr<std::vector<Tensor>> out = r.Run();
    return std::make_pair(out.status(), out.ok() ? r.resource_output(0) : nullptr);
  };
  auto [s1, h1] = make("t1", DataType::kString, "a", false);
  ASSERT_TRUE(s1.ok());
  EXPECT_EQ(h1->container, "localhost");
  EXPECT_EQ(h1->name, "a");
  auto [s2, h2] = make("t2", DataType::kInt64, "a", false);
  EXPECT_EQ(s2.message(),
            "Conflicting key/value dtypes int64->int64 with string-int64 for table a");
  auto [s3, h3] = make("t3", DataType::kString, "", true);
  ASSERT_TRUE(s3.ok());
  EXPECT_EQ(h3->name, "t3");
  auto [s4, h4] = make("t4", DataType::kString, "", false);
  auto [s5, h5] = make("t4", DataType::kString, "", false);
  ASSERT_TRUE(s4.ok() && s5.ok());
  EXPECT_NE(h4->name, h5->name);  // private tables
}

TEST(TextFileLinesTest, ParsesIntegersLikeTensorFlow) {
  int64_t v = 0;
  EXPECT_TRUE(ParseTextField<int64_t>(" -9223372036854775808 ", 0, 0, &v).ok());
  EXPECT_EQ(v, INT64_MIN);
  EXPECT_FALSE(ParseTextField<int64_t>("9223372036854775808", 0, 0, &v).ok());
  EXPECT_FALSE(ParseTextField<int64_t>("+1", 0, 0, &v).ok());
  EXPECT_FALSE(ParseTextField<int64_t>("", 0, 0, &v).ok());
  int32_t i = 0;
  EXPECT_TRUE(ParseTextField<int32_t>("2147483647", 0, 1, &i).ok());
  EXPECT_EQ(i, INT32_MIN);  // the offset wraps
  double d = 0;
  EXPECT_TRUE(ParseTextField<double>(" -InF", 0, 0, &d).ok());
  EXPECT_EQ(d, -HUGE_VAL);
  EXPECT_FALSE(ParseTextField<double>("1.5x", 0, 0, &d).ok());
  EXPECT_FALSE(ParseTextField<double>("infinity", 0, 0, &d).ok());
}

}  // namespace
}  // namespace tf1hub
