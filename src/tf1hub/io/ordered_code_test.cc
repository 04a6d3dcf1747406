#include "tf1hub/io/ordered_code.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace tf1hub {
namespace {

using ::testing::HasSubstr;

// "80 85" -> the bytes 0x80 0x85.
std::string Bytes(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i < hex.size();) {
    if (hex[i] == ' ') {
      ++i;
      continue;
    }
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    i += 2;
  }
  return out;
}

constexpr SliceExtent kFull{0, -1};
TensorSlice Slice(std::vector<SliceExtent> extents) { return TensorSlice{std::move(extents)}; }

std::string Signed(int64_t v) {
  std::string out;
  ordered_code::WriteSignedNumIncreasing(&out, v);
  return out;
}

// Keys copied from the .index files TensorFlow 2.15.1 (CPU, Linux) wrote.
// The leveldb table was parsed by hand with a throwaway Python script (TF's
// own readers hide slice keys). Two sources:
//  (a) tf.compat.v1 graph mode, tf.compat.v1.train.Saver().save() of
//        get_variable("part/w", [10, 20], partitioner=fixed_size_partitioner(2, axis=0))
//        get_variable("big", [3, 200, 2], partitioner=fixed_size_partitioner(3, axis=1))
//        get_variable("emb", [70000, 1], partitioner=fixed_size_partitioner(2, axis=0))
//      (Python writes explicit extents, never '-').
//  (b) tf.raw_ops.SaveV2 with tensor_names / shape_and_slices
//        "a"          "10 20 0,5:-"
//        "n\x00\xffx" "4 2,2"
//        "huge"       "1099511627776 1048576 1099511627775,1:1048575,1"
//        "r0"         "3 1,2"
//        "h9"         "72057594037927936 36028797018963968,1"
struct TfKey {
  std::string name;
  TensorSlice slice;
  std::string hex;
};

std::vector<TfKey> TensorFlowKeys() {
  return {
      {"part/w", Slice({{0, 5}, {0, 20}}), "00 70 61 72 74 2f 77 00 01 01 02 80 85 80 94"},
      {"part/w", Slice({{5, 5}, {0, 20}}), "00 70 61 72 74 2f 77 00 01 01 02 85 85 80 94"},
      {"big", Slice({{0, 3}, {0, 67}, {0, 2}}), "00 62 69 67 00 01 01 03 80 83 80 c0 43 80 82"},
      {"big", Slice({{0, 3}, {67, 67}, {0, 2}}), "00 62 69 67 00 01 01 03 80 83 c0 43 c0 43 80 82"},
      {"big", Slice({{0, 3}, {134, 66}, {0, 2}}),
       "00 62 69 67 00 01 01 03 80 83 c0 86 c0 42 80 82"},
      {"emb", Slice({{0, 35000}, {0, 1}}), "00 65 6d 62 00 01 01 02 80 e0 88 b8 80 81"},
      {"emb", Slice({{35000, 35000}, {0, 1}}), "00 65 6d 62 00 01 01 02 e0 88 b8 e0 88 b8 80 81"},
      {"a", Slice({{0, 5}, kFull}), "00 61 00 01 01 02 80 85 80 7f"},
      {std::string("n\0\xffx", 4), Slice({{2, 2}}), "00 6e 00 ff ff 00 78 00 01 01 01 82 82"},
      {"huge", Slice({{1099511627775, 1}, {1048575, 1}}),
       "00 68 75 67 65 00 01 01 02 fc ff ff ff ff ff 81 ef ff ff 81"},
      {"r0", Slice({{1, 2}}), "00 72 30 00 01 01 01 81 82"},
      {"h9", Slice({{int64_t{1} << 55, 1}}), "00 68 39 00 01 01 01 ff 80 80 00 00 00 00 00 00 81"},
  };
}

TEST(OrderedCodeTest, EncodeMatchesTensorFlow) {
  for (const TfKey& k : TensorFlowKeys()) {
    EXPECT_EQ(EncodeTensorNameSlice(k.name, k.slice), Bytes(k.hex)) << k.hex;
  }
}

TEST(OrderedCodeTest, DecodeMatchesTensorFlow) {
  for (const TfKey& k : TensorFlowKeys()) {
    std::string name;
    TensorSlice slice;
    Status s = DecodeTensorNameSlice(Bytes(k.hex), &name, &slice);
    ASSERT_TRUE(s.ok()) << k.hex << ": " << s.ToString();
    EXPECT_EQ(name, k.name);
    EXPECT_EQ(slice, k.slice) << k.hex;
  }
}

TEST(OrderedCodeTest, NumIncreasing) {
  const std::pair<uint64_t, const char*> cases[] = {
      {0, "00"},
      {1, "01 01"},
      {2, "01 02"},
      {255, "01 ff"},
      {256, "02 01 00"},
      {0x123456, "03 12 34 56"},
      {std::numeric_limits<uint64_t>::max(), "08 ff ff ff ff ff ff ff ff"},
  };
  for (const auto& [value, hex] : cases) {
    std::string out;
    ordered_code::WriteNumIncreasing(&out, value);
    EXPECT_EQ(out, Bytes(hex)) << value;
    std::string_view src = out;
    uint64_t back = 1234;
    ASSERT_TRUE(ordered_code::ReadNumIncreasing(&src, &back));
    EXPECT_EQ(back, value);
    EXPECT_TRUE(src.empty());
  }
}

TEST(OrderedCodeTest, StringEscapes) {
  const std::pair<std::string, const char*> cases[] = {
      {"", "00 01"},
      {"ab", "61 62 00 01"},
      {std::string("\0", 1), "00 ff 00 01"},
      {"\xff", "ff 00 00 01"},
      {std::string("a\0\xff\x01\xfe", 5), "61 00 ff ff 00 01 fe 00 01"},
  };
  for (const auto& [value, hex] : cases) {
    std::string out;
    ordered_code::WriteString(&out, value);
    EXPECT_EQ(out, Bytes(hex)) << hex;
    std::string_view src = out;
    std::string back = "junk";
    ASSERT_TRUE(ordered_code::ReadString(&src, &back));
    EXPECT_EQ(back, value);
    EXPECT_TRUE(src.empty());
  }
}

// Expected bytes worked out by hand from the format: sign bit, L-1 more one
// bits, a zero bit, then the value in 7L-1 bits (two's complement).
TEST(OrderedCodeTest, SignedNumIncreasing) {
  const std::pair<int64_t, const char*> cases[] = {
      {0, "80"},
      {5, "85"},
      {63, "bf"},
      {-1, "7f"},
      {-64, "40"},
      {64, "c0 40"},
      {-65, "3f bf"},
      {-0x800, "38 00"},  // TensorFlow's own documented example
      {8191, "df ff"},
      {8192, "e0 20 00"},
      {-8192, "20 00"},
      {-8193, "1f df ff"},
      {0x424242, "f0 42 42 42"},  // TensorFlow's own documented example
      {(int64_t{1} << 55) - 1, "ff 7f ff ff ff ff ff ff"},
      {int64_t{1} << 55, "ff 80 80 00 00 00 00 00 00"},
      {(int64_t{1} << 62) - 1, "ff bf ff ff ff ff ff ff ff"},
      {int64_t{1} << 62, "ff c0 40 00 00 00 00 00 00 00"},
      {-(int64_t{1} << 62), "00 40 00 00 00 00 00 00 00"},
      {-(int64_t{1} << 62) - 1, "00 3f bf ff ff ff ff ff ff ff"},
      {std::numeric_limits<int64_t>::max(), "ff c0 7f ff ff ff ff ff ff ff"},
      {std::numeric_limits<int64_t>::min(), "00 3f 80 00 00 00 00 00 00 00"},
  };
  for (const auto& [value, hex] : cases) {
    EXPECT_EQ(Signed(value), Bytes(hex)) << value;
    std::string encoded = Bytes(hex);
    std::string_view src = encoded;
    int64_t back = 12345;
    ASSERT_TRUE(ordered_code::ReadSignedNumIncreasing(&src, &back)) << hex;
    EXPECT_EQ(back, value) << hex;
    EXPECT_TRUE(src.empty()) << hex;
  }
}

TEST(OrderedCodeTest, SignedEncodingPreservesOrder) {
  std::vector<int64_t> values = {std::numeric_limits<int64_t>::min(), -(int64_t{1} << 40),
                                 -8193, -8192, -65, -64, -1, 0, 1, 63, 64, 8191, 8192,
                                 int64_t{1} << 40, std::numeric_limits<int64_t>::max()};
  for (size_t i = 1; i < values.size(); ++i) {
    EXPECT_LT(Signed(values[i - 1]), Signed(values[i])) << values[i - 1] << " vs " << values[i];
  }
}

TEST(OrderedCodeTest, SignedRoundTripAcrossLengths) {
  std::mt19937_64 rng(7);
  for (int shift = 0; shift < 64; ++shift) {
    for (int i = 0; i < 20; ++i) {
      const int64_t magnitude = static_cast<int64_t>(rng() >> (63 - shift) >> 1);
      for (int64_t v : {magnitude, -magnitude, ~magnitude}) {
        std::string enc = Signed(v);
        std::string_view src = enc;
        int64_t back = 0;
        ASSERT_TRUE(ordered_code::ReadSignedNumIncreasing(&src, &back)) << v;
        EXPECT_EQ(back, v);
        EXPECT_TRUE(src.empty());
      }
    }
  }
}

TEST(OrderedCodeTest, RoundTripTensorNameSlice) {
  const std::pair<std::string, TensorSlice> cases[] = {
      {"w", Slice({kFull})},
      {"dense/kernel", Slice({{0, 100}, kFull})},
      {std::string("\0\xff\0", 3), Slice({{64, 8192}, {1, 1}, kFull})},
      {"", Slice({{std::numeric_limits<int64_t>::max() - 1, 1}})},
  };
  for (const auto& [name, slice] : cases) {
    std::string key = EncodeTensorNameSlice(name, slice);
    std::string back_name;
    TensorSlice back_slice;
    ASSERT_TRUE(DecodeTensorNameSlice(key, &back_name, &back_slice).ok());
    EXPECT_EQ(back_name, name);
    EXPECT_EQ(back_slice, slice);
  }
}

TEST(OrderedCodeTest, DecodeRejectsHostileKeys) {
  const char* bad[] = {
      "",                                       // nothing
      "01 01 61 00 01 01 01 80 7f",             // leading number is 1
      "09 00 00 00 00 00 00 00 00 00",          // length byte above 8
      "00 61 62",                               // name not terminated
      "00 61 00",                               // name ends inside the terminator
      "00 61 00 02 01 01 80 7f",                // unknown escape 00 02
      "00 61 ff ff 00 01 01 01 80 7f",          // "infinity" escape
      "00 61 00 01",                            // no rank
      "00 61 00 01 00",                         // rank 0
      "00 61 00 01 01 ff",                      // rank 255
      "00 61 00 01 08 ff ff ff ff ff ff ff ff", // rank 2^64-1 (no allocation)
      "00 61 00 01 01 01",                      // missing extent
      "00 61 00 01 01 01 80",                   // missing length
      "00 61 00 01 01 01 80 c0",                // truncated 2-byte length
      "00 61 00 01 01 01 80 ff",                // truncated long length
      "00 61 00 01 01 01 80 ff 80 00",          // truncated 9-byte length
      "00 61 00 01 01 01 80 ff e0 00 00 00 00 00 00 00 00",  // 11+ byte length
      "00 61 00 01 01 01 80 ff c1 00 00 00 00 00 00 00 00",  // 10 bytes, > 63 bits
      "00 61 00 01 01 01 80 ff c0 80 00 00 00 00 00 00 00",  // 10 bytes, > 63 bits
      "00 61 00 01 01 01 7f 81",                // start -1
      "00 61 00 01 01 01 80 80",                // length 0
      "00 61 00 01 01 01 80 7e",                // length -2
      "00 61 00 01 01 01 85 7f",                // full extent with start 5
      "00 61 00 01 01 01 ff bf ff ff ff ff ff ff ff ff c0 7f ff ff ff ff ff ff ff",
                                                // start + length overflows
      "00 61 00 01 01 01 80 7f 00",             // trailing byte
  };
  for (const char* hex : bad) {
    std::string name = "unchanged";
    TensorSlice slice;
    Status s = DecodeTensorNameSlice(Bytes(hex), &name, &slice);
    EXPECT_EQ(s.code(), StatusCode::kDataLoss) << hex;
    EXPECT_EQ(name, "unchanged") << hex;
  }
}

TEST(OrderedCodeTest, ErrorShowsTheKeyEscaped) {
  std::string name;
  TensorSlice slice;
  Status s = DecodeTensorNameSlice(Bytes("00 61 00 01 01 01 80 80"), &name, &slice);
  EXPECT_THAT(s.message(), HasSubstr("\\x00a\\x00\\x01"));
  EXPECT_THAT(s.message(), HasSubstr("length 0"));
}

TEST(OrderedCodeTest, DecodeNeverCrashesOnTruncationsOrRandomBytes) {
  std::string name;
  TensorSlice slice;
  for (const TfKey& k : TensorFlowKeys()) {
    const std::string key = Bytes(k.hex);
    for (size_t n = 0; n < key.size(); ++n) {
      EXPECT_FALSE(DecodeTensorNameSlice(key.substr(0, n), &name, &slice).ok())
          << k.hex << " " << n;
    }
  }
  std::mt19937 rng(42);
  int decoded = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string key(rng() % 24, '\0');
    for (char& c : key) c = static_cast<char>(rng() % 4 == 0 ? (rng() % 2 ? 0x00 : 0xff) : rng());
    if (i % 2 == 0 && key.size() > 3) key[0] = 0, key[2] = 0, key[3] = 1;  // plausible prefix
    if (DecodeTensorNameSlice(key, &name, &slice).ok()) {
      ++decoded;
      // Whatever decodes re-encodes (canonically) to something that decodes
      // to the same name and slice.
      std::string name2;
      TensorSlice slice2;
      ASSERT_TRUE(DecodeTensorNameSlice(EncodeTensorNameSlice(name, slice), &name2, &slice2).ok());
      EXPECT_EQ(name2, name);
      EXPECT_EQ(slice2, slice);
    }
  }
  SUCCEED() << decoded << " random keys decoded";
}

}  // namespace
}  // namespace tf1hub
