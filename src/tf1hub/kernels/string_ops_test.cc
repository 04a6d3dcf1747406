// Expected values below were produced with TensorFlow 2.15.1 (tf.raw_ops in
// a tf.compat.v1 Session) unless stated otherwise.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "tf1hub/kernels/kernel_test_util.h"
#include "tf1hub/kernels/string_split.h"

namespace tf1hub {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

Tensor Strings(std::vector<std::string> v, std::vector<int64_t> dims = {-1}) {
  if (dims.size() == 1 && dims[0] == -1) dims[0] = static_cast<int64_t>(v.size());
  return *Tensor::FromVector<std::string>(v, *TensorShape::Create(dims));
}
Tensor Str(std::string s) { return Tensor::Scalar<std::string>(std::move(s)); }

template <typename T>
std::vector<T> Values(const Tensor& t) {
  auto f = t.flat<T>();
  return std::vector<T>(f.begin(), f.end());
}

struct Sparse {
  std::vector<int64_t> indices;
  std::vector<std::string> values;
  std::vector<int64_t> shape;
};

Sparse RunSplit(KernelRunner& r) {
  StatusOr<std::vector<Tensor>> out = r.Run();
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  if (!out.ok()) return {};
  return {Values<int64_t>((*out)[0]), Values<std::string>((*out)[1]), Values<int64_t>((*out)[2])};
}

// ---------------------------------------------------------------------------
// StringSplit

// Enough rows to be split in parallel chunks: every token lands at its row
// and column (expected values built by hand below).
TEST(StringSplitTest, ManyRows) {
  std::vector<std::string> in;
  Sparse want;
  int64_t widest = 0;
  for (int64_t row = 0; row < 3000; ++row) {
    std::string s;
    std::vector<std::string> tokens;
    for (int64_t t = 0; t < row % 7; ++t) {  // rows of 0..6 tokens, with doubled spaces
      tokens.push_back("t" + std::to_string(row) + "_" + std::to_string(t));
      s += (t % 2 ? "  " : " ") + tokens.back();
    }
    in.push_back(s);
    for (size_t t = 0; t < tokens.size(); ++t) {
      want.indices.push_back(row);
      want.indices.push_back(static_cast<int64_t>(t));
      want.values.push_back(tokens[t]);
    }
    widest = std::max<int64_t>(widest, static_cast<int64_t>(tokens.size()));
  }
  KernelRunner r("StringSplit");
  r.Input(Strings(in)).Input(Str(" "));
  Sparse got = RunSplit(r);
  EXPECT_EQ(got.indices, want.indices);
  EXPECT_EQ(got.values, want.values);
  EXPECT_THAT(got.shape, ElementsAre(3000, widest));
}

TEST(StringSplitTest, EmptyDelimiterSplitsBytes) {
  KernelRunner r("StringSplit");
  r.Input(Strings({"a  b", "", "h\xc3\xa9llo"})).Input(Str(""));
  Sparse s = RunSplit(r);
  EXPECT_THAT(s.values, ElementsAre("a", " ", " ", "b", "h", "\xc3", "\xa9", "l", "l", "o"));
  EXPECT_THAT(s.indices, ElementsAre(0, 0, 0, 1, 0, 2, 0, 3, 2, 0, 2, 1, 2, 2, 2, 3, 2, 4, 2, 5));
  EXPECT_THAT(s.shape, ElementsAre(3, 6));
}

TEST(StringSplitTest, KeepsEmptyTokensWithoutSkipEmpty) {
  KernelRunner r("StringSplit");
  r.Attr("skip_empty", false).Input(Strings({"a  b", "", ",a,,b,"})).Input(Str(","));
  Sparse s = RunSplit(r);
  // An empty input string gives no token even without skip_empty.
  EXPECT_THAT(s.values, ElementsAre("a  b", "", "a", "", "b", ""));
  EXPECT_THAT(s.indices, ElementsAre(0, 0, 2, 0, 2, 1, 2, 2, 2, 3, 2, 4));
  EXPECT_THAT(s.shape, ElementsAre(3, 5));
}

TEST(StringSplitTest, LongDelimiterIsACharacterSet) {
  KernelRunner r("StringSplit");
  r.Input(Strings({"a  b", "", ",a,,b,"})).Input(Str(", "));
  Sparse s = RunSplit(r);
  EXPECT_THAT(s.values, ElementsAre("a", "b", "a", "b"));
  EXPECT_THAT(s.indices, ElementsAre(0, 0, 0, 1, 2, 0, 2, 1));
  EXPECT_THAT(s.shape, ElementsAre(3, 2));
}

TEST(StringSplitTest, EmptyBatch) {
  KernelRunner r("StringSplit");
  r.Input(Strings({})).Input(Str(" "));
  StatusOr<std::vector<Tensor>> out = r.Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].shape().DebugString(), "[0,2]");
  EXPECT_EQ((*out)[1].shape().DebugString(), "[0]");
  EXPECT_THAT(Values<int64_t>((*out)[2]), ElementsAre(0, 0));
}

TEST(StringSplitTest, Errors) {
  KernelRunner r1("StringSplit");
  r1.Input(Strings({"a"}, {1, 1})).Input(Str(" "));
  EXPECT_EQ(r1.Run().status().message(), "input must be a vector, got shape: [1,1]");
  KernelRunner r2("StringSplit");
  r2.Input(Strings({"a"})).Input(Strings({" ", " "}));
  EXPECT_EQ(r2.Run().status().message(), "delimiter must be a scalar, got shape: [2]");
}

// SplitV1 as TensorFlow defines it, one byte at a time with none of the
// kernel's machinery (block scans, counting, in-place string writes).
std::vector<std::string> ReferenceSplitV1(const std::string& s, const std::string& delimiter,
                                          bool skip_empty) {
  std::vector<std::string> tokens;
  if (s.empty()) return tokens;
  if (delimiter.empty()) {
    for (char c : s) tokens.push_back(std::string(1, c));
    return tokens;
  }
  std::string token;
  for (char c : s) {
    if (delimiter.find(c) == std::string::npos) {
      token += c;
      continue;
    }
    if (!skip_empty || !token.empty()) tokens.push_back(token);
    token.clear();
  }
  if (!skip_empty || !token.empty()) tokens.push_back(token);
  return tokens;
}

// Runs StringSplit on `rows` and checks every output against the reference.
void ExpectSplitLikeReference(const std::vector<std::string>& rows, const std::string& delimiter,
                              bool skip_empty) {
  Sparse want;
  int64_t widest = 0;
  for (size_t r = 0; r < rows.size(); ++r) {
    std::vector<std::string> tokens = ReferenceSplitV1(rows[r], delimiter, skip_empty);
    for (size_t j = 0; j < tokens.size(); ++j) {
      want.indices.push_back(static_cast<int64_t>(r));
      want.indices.push_back(static_cast<int64_t>(j));
      want.values.push_back(tokens[j]);
    }
    widest = std::max<int64_t>(widest, static_cast<int64_t>(tokens.size()));
  }
  KernelRunner r("StringSplit");
  r.Attr("skip_empty", skip_empty).Input(Strings(rows)).Input(Str(delimiter));
  Sparse got = RunSplit(r);
  EXPECT_EQ(got.indices, want.indices);
  EXPECT_EQ(got.values, want.values);
  EXPECT_THAT(got.shape, ElementsAre(static_cast<int64_t>(rows.size()), widest));
}

// Rows with delimiters at the start, the end and in runs; tokens around the
// 15/16-byte short-string boundary, at the start, middle and end of rows;
// rows just under, at and over the 16-byte blocks the kernel scans.
std::vector<std::string> EdgeRows(char d) {
  const std::string D(1, d);
  const std::string t14(14, 'n'), t15(15, 'o'), t16(16, 'p'), t17(17, 'q'), t40(40, 'r');
  std::vector<std::string> rows = {"", D, D + D + D, "a", "a" + D, D + "a"};
  for (const std::string* t : {&t14, &t15, &t16, &t17, &t40}) rows.push_back(*t);
  for (std::string s : {D + D + "a" + D + D + "b" + D + D, t15 + D + t16 + D + t17, D + t15 + D,
                        t17 + D + t14 + D + t15, "x" + D + t15, "x" + D + t16, "x" + D + D + t17,
                        t14 + D + "y", t15 + D + "y" + D}) {
    rows.push_back(s);
  }
  for (size_t n : {15, 16, 17, 33}) rows.push_back(std::string(n, d));
  rows.push_back("ab" + D + "cd" + D + D + "ef" + D + "gh" + D + "ij" + D + "kl" + D + "m");
  rows.push_back("h\xc3\xa9llo" + D + "w\xf6rld" + D + "\xff\xfe");
  // 16 bytes with the delimiter last, 16 with it first, then 32.
  rows.push_back("0123456789abcde" + D);
  rows.push_back(D + "123456789abcdef");
  rows.push_back("0123456789abcdef" + D + "0123456789abcde");
  return rows;
}

TEST(StringSplitTest, EdgeCasesLikeReference) {
  for (char d : {' ', ',', '\0', '\xff', 'a'}) {
    for (bool skip_empty : {true, false}) {
      SCOPED_TRACE(testing::Message()
                   << "delimiter byte " << static_cast<int>(d) << " skip_empty " << skip_empty);
      ExpectSplitLikeReference(EdgeRows(d), std::string(1, d), skip_empty);
    }
  }
}

TEST(StringSplitTest, RandomRowsLikeReference) {
  std::mt19937 rng(20240611);
  // Few distinct bytes, so delimiters come in runs and tokens vary in length.
  const std::string alphabet = "  ,abcdefghij\xc3\xa9\xff";
  std::vector<std::string> rows;
  for (int i = 0; i < 2000; ++i) {
    std::string s(std::uniform_int_distribution<int>(0, 90)(rng), ' ');
    for (char& c : s)
      c = alphabet[std::uniform_int_distribution<size_t>(0, alphabet.size() - 1)(rng)];
    rows.push_back(s);
  }
  for (const std::string delimiter : {" ", ",", "\xff", ", ", ""}) {
    for (bool skip_empty : {true, false}) {
      SCOPED_TRACE(testing::Message()
                   << "delimiter \"" << delimiter << "\" skip_empty " << skip_empty);
      ExpectSplitLikeReference(rows, delimiter, skip_empty);
    }
  }
}

// Tokens around the short-string boundary (15 bytes) at the end of rows,
// where the kernel reads them from its copy of the row's tail.
TEST(StringSplitTest, TokensAtRowEnds) {
  KernelRunner r("StringSplit");
  r.Input(Strings({"a bcdefghijklmnop", "abcdefghijklmn o", "abcdefghijklmnop q",
                   "xy abcdefghijklmno", "abcdefghijklmnopq"}))
      .Input(Str(" "));
  Sparse s = RunSplit(r);
  EXPECT_THAT(s.values,
              ElementsAre("a", "bcdefghijklmnop", "abcdefghijklmn", "o", "abcdefghijklmnop", "q",
                          "xy", "abcdefghijklmno", "abcdefghijklmnopq"));
  EXPECT_THAT(s.indices, ElementsAre(0, 0, 0, 1, 1, 0, 1, 1, 2, 0, 2, 1, 3, 0, 3, 1, 4, 0));
  EXPECT_THAT(s.shape, ElementsAre(5, 2));
}

// ---------------------------------------------------------------------------
// StringSplitV2

TEST(StringSplitV2Test, WhitespaceLikePython) {
  KernelRunner r("StringSplitV2");
  r.Input(Strings({"  a  b \t\n c ", "", "a,,b,", "x\x0by\x1cz\xa0w", "a\xc2\x85" "b\xe3\x80\x80" "c"}))
      .Input(Str(""));
  Sparse s = RunSplit(r);
  // Only ASCII whitespace splits (\v does, \x1c, \xa0 and Unicode spaces don't).
  EXPECT_THAT(s.values, ElementsAre("a", "b", "c", "a,,b,", "x", "y\x1cz\xa0w",
                                    "a\xc2\x85" "b\xe3\x80\x80" "c"));
  EXPECT_THAT(s.indices, ElementsAre(0, 0, 0, 1, 0, 2, 2, 0, 3, 0, 3, 1, 4, 0));
  EXPECT_THAT(s.shape, ElementsAre(5, 3));
}

TEST(StringSplitV2Test, SeparatorKeepsEmptyTokens) {
  KernelRunner r("StringSplitV2");
  r.Input(Strings({"a<>b<><>c", "", "<>"})).Input(Str("<>"));
  Sparse s = RunSplit(r);
  EXPECT_THAT(s.values, ElementsAre("a", "b", "", "c", "", "", ""));
  EXPECT_THAT(s.indices, ElementsAre(0, 0, 0, 1, 0, 2, 0, 3, 1, 0, 2, 0, 2, 1));
  EXPECT_THAT(s.shape, ElementsAre(3, 4));
}

TEST(StringSplitV2Test, MaxSplit) {
  {
    KernelRunner r("StringSplitV2");
    r.Attr("maxsplit", int64_t{1}).Input(Strings({"  a  b \t\n c ", "", "a,,b,"})).Input(Str(","));
    EXPECT_THAT(RunSplit(r).values, ElementsAre("  a  b \t\n c ", "", "a", ",b,"));
  }
  {
    KernelRunner r("StringSplitV2");
    r.Attr("maxsplit", int64_t{1}).Input(Strings({"a ", "a  ", " a", "a b  "})).Input(Str(""));
    Sparse s = RunSplit(r);
    // The rest after the last split loses its leading whitespace only.
    EXPECT_THAT(s.values, ElementsAre("a", "", "a", "", "a", "", "a", "b  "));
    EXPECT_THAT(s.shape, ElementsAre(4, 2));
  }
  {
    KernelRunner r("StringSplitV2");
    r.Attr("maxsplit", int64_t{0}).Input(Strings({"  a b c d  "})).Input(Str(""));
    EXPECT_THAT(RunSplit(r).values, ElementsAre("  a b c d  "));
  }
  {
    KernelRunner r("StringSplitV2");
    r.Attr("maxsplit", int64_t{2}).Input(Strings({"  a b c d  "})).Input(Str(""));
    EXPECT_THAT(RunSplit(r).values, ElementsAre("a", "b", "c d  "));
  }
  {
    KernelRunner r("StringSplitV2");
    r.Attr("maxsplit", int64_t{-5}).Input(Strings({"a b c d"})).Input(Str(" "));
    EXPECT_THAT(RunSplit(r).values, ElementsAre("a", "b", "c", "d"));
  }
}

// Python's str.split(sep) without maxsplit, one byte at a time: with a
// separator, every occurrence ends a token; with none, runs of ASCII
// whitespace separate tokens and no token is empty.
std::vector<std::string> ReferenceSplitV2(const std::string& s, const std::string& sep) {
  std::vector<std::string> tokens;
  std::string token;
  if (sep.empty()) {
    for (char c : s) {
      if (std::string(" \t\n\v\f\r").find(c) == std::string::npos) {
        token += c;
      } else if (!token.empty()) {
        tokens.push_back(token);
        token.clear();
      }
    }
    if (!token.empty()) tokens.push_back(token);
    return tokens;
  }
  for (size_t i = 0; i < s.size();) {
    if (s.compare(i, sep.size(), sep) == 0) {
      tokens.push_back(token);
      token.clear();
      i += sep.size();
    } else {
      token += s[i++];
    }
  }
  tokens.push_back(token);
  return tokens;
}

TEST(StringSplitV2Test, RandomRowsLikeReference) {
  std::mt19937 rng(5);
  const std::string alphabet = "  <>\t\nabcdefghijklmnopq\xc3\xa9";
  std::vector<std::string> rows;
  for (int i = 0; i < 2000; ++i) {
    std::string s(std::uniform_int_distribution<int>(0, 80)(rng), ' ');
    for (char& c : s)
      c = alphabet[std::uniform_int_distribution<size_t>(0, alphabet.size() - 1)(rng)];
    rows.push_back(s);
  }
  for (const std::string sep : {"", " ", "<>"}) {
    SCOPED_TRACE("sep \"" + sep + "\"");
    Sparse want;
    int64_t widest = 0;
    for (size_t r = 0; r < rows.size(); ++r) {
      std::vector<std::string> tokens = ReferenceSplitV2(rows[r], sep);
      for (size_t j = 0; j < tokens.size(); ++j) {
        want.indices.push_back(static_cast<int64_t>(r));
        want.indices.push_back(static_cast<int64_t>(j));
        want.values.push_back(tokens[j]);
      }
      widest = std::max<int64_t>(widest, static_cast<int64_t>(tokens.size()));
    }
    KernelRunner k("StringSplitV2");
    k.Input(Strings(rows)).Input(Str(sep));
    Sparse got = RunSplit(k);
    EXPECT_EQ(got.indices, want.indices);
    EXPECT_EQ(got.values, want.values);
    EXPECT_THAT(got.shape, ElementsAre(static_cast<int64_t>(rows.size()), widest));
  }
}

TEST(StringSplitV2Test, EmptyBatch) {
  KernelRunner r("StringSplitV2");
  r.Input(Strings({})).Input(Str(""));
  StatusOr<std::vector<Tensor>> out = r.Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].shape().DebugString(), "[0,2]");
  EXPECT_EQ((*out)[1].shape().DebugString(), "[0]");
  EXPECT_THAT(Values<int64_t>((*out)[2]), ElementsAre(0, 0));
}

TEST(StringSplitV2Test, Errors) {
  KernelRunner r1("StringSplitV2");
  r1.Input(Str("a b")).Input(Str(" "));
  EXPECT_EQ(r1.Run().status().message(), "input must be a vector, got shape: []");
  KernelRunner r2("StringSplitV2");
  r2.Input(Strings({"a"})).Input(Strings({" "}));
  EXPECT_EQ(r2.Run().status().message(), "sep must be a scalar, got shape: [1]");
}

// ---------------------------------------------------------------------------
// StringJoin, StringLength

TEST(StringJoinTest, BroadcastsScalars) {
  KernelRunner r("StringJoin");
  r.Attr("N", int64_t{3}).Attr("separator", "-");
  r.Input(Strings({"a", "b"})).Input(Str("x")).Input(Strings({"1", "2"}));
  StatusOr<std::vector<Tensor>> out = r.Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_THAT(Values<std::string>((*out)[0]), ElementsAre("a-x-1", "b-x-2"));
}

TEST(StringJoinTest, ScalarsAndEmpty) {
  KernelRunner r("StringJoin");
  r.Attr("N", int64_t{2}).Input(Str("a")).Input(Str("b"));
  StatusOr<std::vector<Tensor>> out = r.Run();
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)[0].shape().rank(), 0);
  EXPECT_EQ((*out)[0].scalar<std::string>(), "ab");
  KernelRunner e("StringJoin");
  e.Attr("N", int64_t{2}).Input(Strings({})).Input(Str("b"));
  out = e.Run();
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)[0].shape().DebugString(), "[0]");
}

TEST(StringJoinTest, ShapeMismatch) {
  KernelRunner r("StringJoin");
  r.Attr("N", int64_t{2}).Input(Strings({"a", "b"}, {1, 2})).Input(Strings({"x", "y"}));
  EXPECT_EQ(r.Run().status().message(), "Input shapes do not match: [1,2] vs. [2]");
}

TEST(StringLengthTest, BytesAndUtf8Chars) {
  const Tensor in = Strings({"h\xc3\xa9llo", "", "\xff\xfe", "a\xc3"}, {2, 2});
  KernelRunner bytes("StringLength");
  bytes.Input(in);
  StatusOr<std::vector<Tensor>> out = bytes.Run();
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(Values<int32_t>((*out)[0]), ElementsAre(6, 0, 2, 2));
  EXPECT_EQ((*out)[0].shape().DebugString(), "[2,2]");
  KernelRunner chars("StringLength");
  chars.Attr("unit", "UTF8_CHAR").Input(in);
  out = chars.Run();
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(Values<int32_t>((*out)[0]), ElementsAre(5, 0, 2, 2));
}

// ---------------------------------------------------------------------------
// StringToHashBucketFast

TEST(StringToHashBucketFastTest, MatchesTensorFlow) {
  const Tensor in = Strings({"", "a", "h\xc3\xa9llo", std::string(100, 'x')});
  KernelRunner r("StringToHashBucketFast");
  r.Attr("num_buckets", int64_t{1000000007}).Input(in);
  StatusOr<std::vector<Tensor>> out = r.Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_THAT(Values<int64_t>((*out)[0]), ElementsAre(912170738, 384735799, 798228262, 514690446));
  KernelRunner big("StringToHashBucketFast");
  big.Attr("num_buckets", int64_t{1} << 62).Input(in);
  out = big.Run();
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(Values<int64_t>((*out)[0]),
              ElementsAre(1936946117179621455, 3694432073954588131, 3262255192197256439,
                          1978794067220662815));
}

TEST(StringToHashBucketFastTest, AnyShape) {
  KernelRunner r("StringToHashBucketFast");
  r.Attr("num_buckets", int64_t{10}).Input(Strings({"a", "b"}, {1, 2}));
  StatusOr<std::vector<Tensor>> out = r.Run();
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)[0].shape().DebugString(), "[1,2]");
  EXPECT_THAT(Values<int64_t>((*out)[0]), ElementsAre(9, 2));
}

// One bucket: every id is 0 (hub's default num_oov_buckets), any shape.
TEST(StringToHashBucketFastTest, OneBucketIsAllZeros) {
  KernelRunner r("StringToHashBucketFast");
  r.Attr("num_buckets", int64_t{1}).Input(Strings({"", "a", "h\xc3\xa9llo", "w17", "z"}, {5, 1}));
  StatusOr<std::vector<Tensor>> out = r.Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].shape().DebugString(), "[5,1]");
  EXPECT_THAT(Values<int64_t>((*out)[0]), ElementsAre(0, 0, 0, 0, 0));
}

TEST(StringToHashBucketFastTest, RejectsNonPositiveBuckets) {
  KernelRunner r("StringToHashBucketFast");
  r.Attr("num_buckets", int64_t{0}).Input(Strings({"a"}));
  EXPECT_THAT(r.Run().status().message(), HasSubstr("num_buckets"));
}

TEST(StringLengthTest, RejectsUnknownUnit) {
  KernelRunner r("StringLength");
  r.Attr("unit", "CHAR").Input(Strings({"a"}));
  EXPECT_THAT(r.Run().status().message(), HasSubstr("CHAR"));
}

// ---------------------------------------------------------------------------
// Regex

std::vector<std::string> StaticReplace(const std::string& pattern, const std::string& rewrite,
                                       std::vector<std::string> in, bool global = true) {
  KernelRunner r("StaticRegexReplace");
  r.Attr("pattern", pattern).Attr("rewrite", rewrite).Attr("replace_global", global);
  r.Input(Strings(std::move(in)));
  StatusOr<std::vector<Tensor>> out = r.Run();
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? Values<std::string>((*out)[0]) : std::vector<std::string>{};
}

// Many strings, replaced on several threads (each with its own copy of the
// compiled pattern); expected: the ASCII punctuation removed by hand.
TEST(RegexReplaceTest, ManyStrings) {
  std::vector<std::string> in, want;
  for (int i = 0; i < 4000; ++i) {
    std::string s = "w" + std::to_string(i) + (i % 3 ? ", x!" : " y") + (i % 5 ? "." : "");
    in.push_back(s);
    auto punct = [](char c) { return c == ',' || c == '!' || c == '.'; };
    s.erase(std::remove_if(s.begin(), s.end(), punct), s.end());
    want.push_back(s);
  }
  EXPECT_EQ(StaticReplace("\\pP", "", in), want);
}

TEST(RegexReplaceTest, StaticMatchesTensorFlow) {
  const std::vector<std::string> in = {"h\xc3\xa9llo", ""};
  EXPECT_THAT(StaticReplace("(l)", "<\\1\\0\\\\>", in),
              ElementsAre("h\xc3\xa9<ll\\><ll\\>o", ""));
  // A rewrite naming a missing group leaves the strings unchanged.
  EXPECT_THAT(StaticReplace("l", "\\1", in), ElementsAreArray(in));
  EXPECT_THAT(StaticReplace("(l)", "\\2", in), ElementsAreArray(in));
  // Empty matches step over whole UTF-8 characters.
  EXPECT_THAT(StaticReplace("", "-", in), ElementsAre("-h-\xc3\xa9-l-l-o-", "-"));
  EXPECT_THAT(StaticReplace("", "-", in, false), ElementsAre("-h\xc3\xa9llo", "-"));
  EXPECT_THAT(StaticReplace("l*", "-", in), ElementsAre("-h-\xc3\xa9-o-", "-"));
  EXPECT_THAT(StaticReplace(".", "-", {"h\xc3\xa9llo", "\xff\xfe"}), ElementsAre("-----", "\xff\xfe"));
  // Unicode punctuation class.
  EXPECT_THAT(StaticReplace("\\pP", "", {"h\xc3\xa9llo, wor\xc2\xa1ld!\xe2\x80\xa6", ""}),
              ElementsAre("h\xc3\xa9llo world", ""));
}

TEST(RegexReplaceTest, DynamicPattern) {
  KernelRunner r("RegexReplace");
  r.Input(Strings({"h\xc3\xa9llo", ""})).Input(Str("l")).Input(Str("x"));
  StatusOr<std::vector<Tensor>> out = r.Run();
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(Values<std::string>((*out)[0]), ElementsAre("h\xc3\xa9xxo", ""));
  ASSERT_TRUE(r.Run().ok());  // the cached pattern
  KernelRunner first("RegexReplace");
  first.Attr("replace_global", false).Input(Strings({"hello"})).Input(Str("l")).Input(Str("L"));
  out = first.Run();
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(Values<std::string>((*out)[0]), ElementsAre("heLlo"));
}

TEST(RegexReplaceTest, Errors) {
  KernelRunner s("StaticRegexReplace");
  s.Attr("pattern", "(").Attr("rewrite", "x").Input(Strings({"a"}));
  EXPECT_EQ(s.Run().status().message(), "Invalid pattern: (, error: missing ): (");
  KernelRunner d("RegexReplace");
  d.Input(Strings({"a"})).Input(Str("[")).Input(Str("x"));
  EXPECT_EQ(d.Run().status().message(), "Invalid pattern: [, error: missing ]: [");
  KernelRunner p("RegexReplace");
  p.Input(Strings({"a"})).Input(Strings({"l"})).Input(Str("x"));
  EXPECT_EQ(p.Run().status().message(), "Pattern must be scalar, but received [1]");
  KernelRunner w("RegexReplace");
  w.Input(Strings({"a"})).Input(Str("l")).Input(Strings({"x"}));
  EXPECT_EQ(w.Run().status().message(), "Rewrite must be scalar, but received [1]");
}

// ---------------------------------------------------------------------------
// The pure rules (values worked out by hand from Python's str.split).

TEST(StringSplitRulesTest, SplitV2WithSeparatorIsPythonSplit) {
  std::vector<std::string_view> t;
  SplitV2("1,,2", ",", -1, &t);
  EXPECT_THAT(t, ElementsAre("1", "", "2"));
  t.clear();
  SplitV2("", ",", -1, &t);
  EXPECT_THAT(t, ElementsAre(""));
  t.clear();
  SplitV2(" \t ", "", -1, &t);
  EXPECT_TRUE(t.empty());
}

TEST(StringSplitRulesTest, CountSplitV1AtByteCountsTheTokens) {
  std::mt19937 rng(7);
  const std::string alphabet = "  x,yz";
  for (int i = 0; i < 3000; ++i) {
    std::string s(std::uniform_int_distribution<int>(0, 70)(rng), ' ');
    for (char& c : s)
      c = alphabet[std::uniform_int_distribution<size_t>(0, alphabet.size() - 1)(rng)];
    for (char d : {' ', ','}) {
      for (bool skip_empty : {true, false}) {
        EXPECT_EQ(CountSplitV1AtByte(s, d, skip_empty),
                  static_cast<int64_t>(ReferenceSplitV1(s, std::string(1, d), skip_empty).size()))
            << "\"" << s << "\" delimiter '" << d << "' skip_empty " << skip_empty;
      }
    }
  }
  EXPECT_EQ(CountSplitV1AtByte("", ' ', false), 0);
  EXPECT_EQ(CountSplitV1AtByte(" ", ' ', false), 2);
  EXPECT_EQ(CountSplitV1AtByte(" ", ' ', true), 0);
  EXPECT_EQ(CountSplitV1AtByte(" ab  c ", ' ', true), 2);
  EXPECT_EQ(CountSplitV1AtByte(" ab  c ", ' ', false), 5);
}

TEST(StringSplitRulesTest, SplitV1CallsBackInOrder) {
  std::vector<std::string> got;
  SplitV1(",a,,bcdefghijklmnopqrstu,v", ",", /*skip_empty=*/false,
          [&](std::string_view t) { got.emplace_back(t); });
  EXPECT_THAT(got, ElementsAre("", "a", "", "bcdefghijklmnopqrstu", "v"));
}

}  // namespace
}  // namespace tf1hub
