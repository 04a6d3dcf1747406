#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tf1hub/hub/text_embedding.h"

namespace tf1hub::hub {
namespace {

class TextEmbeddingReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = ::testing::TempDir() + "/text_embedding_reader_XXXXXX";
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& contents) {
    const std::string path = dir_ + "/emb" + std::to_string(n_++) + ".txt";
    std::ofstream(path, std::ios::binary) << contents;
    return path;
  }
  // The error message with the file's path replaced by "FILE".
  std::string ErrorOf(const std::string& contents) {
    const std::string path = Write(contents);
    StatusOr<TextEmbeddings> got = ReadTextEmbeddings(path);
    EXPECT_FALSE(got.ok());
    if (got.ok()) return "";
    EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
    std::string message = got.status().message();
    if (message.compare(0, path.size(), path) == 0) message = "FILE" + message.substr(path.size());
    return message;
  }

  std::string dir_;
  int n_ = 0;
};

std::vector<float> Values(const Tensor& t) {
  std::span<const float> f = t.flat<float>();
  return {f.begin(), f.end()};
}

TEST_F(TextEmbeddingReaderTest, ReadsTokensAndValues) {
  const std::string path = Write("cat 1 2 3\nlizard 0.5 -1 2e-3\r\ndog\t-2  0.25\t4");
  StatusOr<TextEmbeddings> got = ReadTextEmbeddings(path);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->vocabulary, (std::vector<std::string>{"cat", "lizard", "dog"}));
  EXPECT_EQ(got->dim, 3);
  EXPECT_EQ(got->embeddings.dtype(), DataType::kFloat);
  EXPECT_EQ(got->embeddings.shape().DebugString(), "[3,3]");
  EXPECT_EQ(Values(got->embeddings),
            (std::vector<float>{1, 2, 3, 0.5f, -1, 0.002f, -2, 0.25f, 4}));
}

TEST_F(TextEmbeddingReaderTest, AppendsZeroRows) {
  const std::string path = Write("a 1 2\nb 3 4\n");
  StatusOr<TextEmbeddings> got = ReadTextEmbeddings(path, {.extra_zero_rows = 2});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->embeddings.shape().DebugString(), "[4,2]");
  EXPECT_EQ(Values(got->embeddings), (std::vector<float>{1, 2, 3, 4, 0, 0, 0, 0}));
}

// Values as Python's float() parses them, then rounded to float32 (what hub
// feeds). Expected values from TF's oracle venv: float("+1.5") = 1.5,
// float("1e400") = inf, float("-1e-400") = -0.0, and
// np.float32(float("1.0000000596046447762")) = 1.0 (a direct float32 parse
// would give 1.0000001: double rounding is part of hub's behaviour).
TEST_F(TextEmbeddingReaderTest, ParsesLikePythonFloatThenFloat32) {
  const std::string path =
      Write("t +1.5 1e400 -1e-400 nAn -Infinity 1.0000000596046447762\n");
  StatusOr<TextEmbeddings> got = ReadTextEmbeddings(path);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  std::vector<float> v = Values(got->embeddings);
  ASSERT_EQ(v.size(), 6u);
  EXPECT_EQ(v[0], 1.5f);
  EXPECT_TRUE(std::isinf(v[1]) && v[1] > 0);
  EXPECT_TRUE(v[2] == 0.0f && std::signbit(v[2]));
  EXPECT_TRUE(std::isnan(v[3]));
  EXPECT_TRUE(std::isinf(v[4]) && v[4] < 0);
  EXPECT_EQ(v[5], 1.0f);
}

TEST_F(TextEmbeddingReaderTest, LinesAcrossReadChunks) {
  // ~9 MB: lines straddle the reader's 4 MB chunks.
  std::string contents;
  const int kRows = 30000, kDim = 50;
  for (int r = 0; r < kRows; ++r) {
    contents += "tok" + std::to_string(r);
    for (int c = 0; c < kDim; ++c) contents += " " + std::to_string(r % 97) + ".25";
    contents += "\n";
  }
  const std::string path = Write(contents);
  uint64_t last_done = 0, calls = 0;
  StatusOr<TextEmbeddings> got = ReadTextEmbeddings(
      path, {.progress = [&](uint64_t done, uint64_t total) {
        EXPECT_EQ(total, contents.size());
        EXPECT_GE(done, last_done);
        last_done = done;
        ++calls;
      }});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(last_done, contents.size());
  EXPECT_GE(calls, 2u);
  ASSERT_EQ(got->vocabulary.size(), static_cast<size_t>(kRows));
  EXPECT_EQ(got->vocabulary[kRows - 1], "tok29999");
  std::span<const float> v = got->embeddings.flat<float>();
  for (int r : {0, 1, 12345, kRows - 1}) {
    for (int c : {0, kDim - 1}) EXPECT_EQ(v[r * kDim + c], (r % 97) + 0.25f) << r << "," << c;
  }
}

TEST_F(TextEmbeddingReaderTest, InconsistentDimensionUsesHubWording) {
  std::string message = ErrorOf("a 1 2 3\nb 1 2\n");
  EXPECT_EQ(message, "FILE:2: Inconsistent embedding dimension detected, 3 != 2 for token b");
  message = ErrorOf("a 1 2\nb 1 2\nfoo 1 2 3 4\n");
  EXPECT_EQ(message, "FILE:3: Inconsistent embedding dimension detected, 2 != 4 for token foo");
}

TEST_F(TextEmbeddingReaderTest, BadFloat) {
  EXPECT_EQ(ErrorOf("a 1 2\nfoo 1 x1\n"),
            "FILE:2: value 2 of token 'foo' is not a number: 'x1'");
  EXPECT_EQ(ErrorOf("a 1 0x10\n"), "FILE:1: value 2 of token 'a' is not a number: '0x10'");
  EXPECT_EQ(ErrorOf("a 1 +-2\n"), "FILE:1: value 2 of token 'a' is not a number: '+-2'");
}

TEST_F(TextEmbeddingReaderTest, EmptyFileAndLines) {
  EXPECT_EQ(ErrorOf(""), "FILE: empty file: no embeddings");
  EXPECT_EQ(ErrorOf("a 1\n\nb 2\n"),
            "FILE:2: empty line (expected: token v1 ... vN)");
  EXPECT_EQ(ErrorOf("a 1\n  \t\n"), "FILE:2: empty line (expected: token v1 ... vN)");
  EXPECT_EQ(ErrorOf("lonely\n"), "FILE:1: token 'lonely' has no values");
}

TEST_F(TextEmbeddingReaderTest, DuplicateToken) {
  EXPECT_EQ(ErrorOf("cat 1\ndog 2\ncat 3\n"),
            "FILE:3: duplicate token 'cat' (first on line 1); TensorFlow's vocabulary table "
                   "refuses duplicate keys");
}

TEST_F(TextEmbeddingReaderTest, MissingFile) {
  StatusOr<TextEmbeddings> got = ReadTextEmbeddings(dir_ + "/nope.txt");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kNotFound);
  EXPECT_NE(got.status().message().find("nope.txt"), std::string::npos);
}

}  // namespace
}  // namespace tf1hub::hub
