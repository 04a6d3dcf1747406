#include "tf1hub/npy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "tf1hub/io/npy_header.h"

namespace tf1hub {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

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

// The bytes of a .npy file as numpy lays them out: magic, version, header
// length (`header_len`, from the numpy-written file), the dict text, spaces,
// '\n', then the data.
std::string NumpyFile(const std::string& dict, size_t header_len, const std::string& data_hex,
                      int version = 1) {
  std::string out("\x93NUMPY", 6);
  out.push_back(static_cast<char>(version));
  out.push_back('\0');
  const int len_bytes = version == 1 ? 2 : 4;
  for (int i = 0; i < len_bytes; ++i) {
    out.push_back(static_cast<char>((header_len >> (8 * i)) & 0xff));
  }
  out += dict;
  out.append(header_len - dict.size() - 1, ' ');
  out.push_back('\n');
  return out + Bytes(data_hex);
}

TensorShape Shape(std::initializer_list<int64_t> dims) { return *TensorShape::Create(dims); }

template <typename T>
Tensor Make(std::vector<T> values, std::initializer_list<int64_t> dims) {
  return *Tensor::FromVector<T>(values, Shape(dims));
}

Tensor HalfTensor(std::vector<uint16_t> bits, std::initializer_list<int64_t> dims) {
  Tensor t = *Tensor::Create(DataType::kHalf, Shape(dims));
  for (size_t i = 0; i < bits.size(); ++i) t.mutable_flat<Half>()[i].bits = bits[i];
  return t;
}

struct Golden {
  const char* name;
  std::function<Tensor()> tensor;
  std::string dict;
  size_t header_len;
  std::string data_hex;
};

// Every expected file below was written by numpy 1.26.4 (np.save into a
// BytesIO) from the array in the comment; the header dict, the header length
// numpy chose and the data bytes are copied from its output.
std::vector<Golden> Goldens() {
  return {
      // np.array([1.5, -2.0], np.float32)
      {"f4", [] { return Make<float>({1.5f, -2.0f}, {2}); },
       "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 118, "00 00 c0 3f 00 00 00 c0"},
      // np.array([1.0, -0.5, 65504], np.float16)
      {"f2", [] { return HalfTensor({0x3c00, 0xb800, 0x7bff}, {3}); },
       "{'descr': '<f2', 'fortran_order': False, 'shape': (3,), }", 118, "00 3c 00 b8 ff 7b"},
      // np.array([[1.0], [2.0]], np.float64)
      {"f8", [] { return Make<double>({1.0, 2.0}, {2, 1}); },
       "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1), }", 118,
       "00 00 00 00 00 00 f0 3f 00 00 00 00 00 00 00 40"},
      // np.array([-1, 2], np.int8)
      {"i1", [] { return Make<int8_t>({-1, 2}, {2}); },
       "{'descr': '|i1', 'fortran_order': False, 'shape': (2,), }", 118, "ff 02"},
      // np.array([-2, 300], np.int16)
      {"i2", [] { return Make<int16_t>({-2, 300}, {2}); },
       "{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }", 118, "fe ff 2c 01"},
      // np.array([[1, -1, 7]], np.int32)
      {"i4", [] { return Make<int32_t>({1, -1, 7}, {1, 3}); },
       "{'descr': '<i4', 'fortran_order': False, 'shape': (1, 3), }", 118,
       "01 00 00 00 ff ff ff ff 07 00 00 00"},
      // np.array([-3, 1 << 40], np.int64)
      {"i8", [] { return Make<int64_t>({-3, int64_t{1} << 40}, {2}); },
       "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", 118,
       "fd ff ff ff ff ff ff ff 00 00 00 00 00 01 00 00"},
      // np.array([0, 255], np.uint8)
      {"u1", [] { return Make<uint8_t>({0, 255}, {2}); },
       "{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }", 118, "00 ff"},
      // np.array([65535], np.uint16)
      {"u2", [] { return Make<uint16_t>({65535}, {1}); },
       "{'descr': '<u2', 'fortran_order': False, 'shape': (1,), }", 118, "ff ff"},
      // np.array([4000000000], np.uint32)
      {"u4", [] { return Make<uint32_t>({4000000000u}, {1}); },
       "{'descr': '<u4', 'fortran_order': False, 'shape': (1,), }", 118, "00 28 6b ee"},
      // np.array([18446744073709551615], np.uint64)
      {"u8", [] { return Make<uint64_t>({18446744073709551615ull}, {1}); },
       "{'descr': '<u8', 'fortran_order': False, 'shape': (1,), }", 118,
       "ff ff ff ff ff ff ff ff"},
      // np.array([True, False, True], np.bool_)
      {"b1", [] { return Make<bool>({true, false, true}, {3}); },
       "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", 118, "01 00 01"},
      // np.array([1+2j], np.complex64)
      {"c8", [] { return Make<Complex64>({{1.0f, 2.0f}}, {1}); },
       "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", 118,
       "00 00 80 3f 00 00 00 40"},
      // np.array([-1-0.5j], np.complex128)
      {"c16", [] { return Make<Complex128>({{-1.0, -0.5}}, {1}); },
       "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", 118,
       "00 00 00 00 00 00 f0 bf 00 00 00 00 00 00 e0 bf"},
      // np.float32(3.0) (a scalar: no growth padding)
      {"scalar", [] { return Tensor::Scalar<float>(3.0f); },
       "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", 118, "00 00 40 40"},
      // np.zeros([0, 3], np.float32)
      {"empty", [] { return *Tensor::Create(DataType::kFloat, Shape({0, 3})); },
       "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), }", 118, ""},
      // np.zeros((0, 999999999, 99999999), np.float32)
      {"big dims",
       [] { return *Tensor::Create(DataType::kFloat, Shape({0, 999999999, 99999999})); },
       "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 999999999, 99999999), }", 118, ""},
      // np.arange(12, dtype=np.uint8) (two digits in shape[0]: less growth padding)
      {"u1 x12", [] { return Make<uint8_t>({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, {12}); },
       "{'descr': '|u1', 'fortran_order': False, 'shape': (12,), }", 118,
       "00 01 02 03 04 05 06 07 08 09 0a 0b"},
      // np.zeros((1,) * 20, np.int8) (a header longer than 128 bytes)
      {"rank 20", [] {
         return *Tensor::Create(DataType::kInt8, Shape({1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                                                       1, 1, 1, 1, 1}));
       },
       "{'descr': '|i1', 'fortran_order': False, 'shape': (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
       "1, 1, 1, 1, 1, 1, 1), }",
       182, "00"},
      // np.array([b"ab", b"", b"xyz"])
      {"S3", [] { return Make<std::string>({"ab", "", "xyz"}, {3}); },
       "{'descr': '|S3', 'fortran_order': False, 'shape': (3,), }", 118,
       "61 62 00 00 00 00 78 79 7a"},
      // np.array([b"", b""], dtype="S1") (all empty: width 1)
      {"S1", [] { return Make<std::string>({"", ""}, {2}); },
       "{'descr': '|S1', 'fortran_order': False, 'shape': (2,), }", 118, "00 00"},
  };
}

TEST(NpyTest, SerializeMatchesNumpy) {
  for (const Golden& g : Goldens()) {
    StatusOr<std::string> bytes = SerializeNpy(g.tensor());
    ASSERT_TRUE(bytes.ok()) << g.name << ": " << bytes.status().ToString();
    EXPECT_EQ(*bytes, NumpyFile(g.dict, g.header_len, g.data_hex)) << g.name;
    EXPECT_EQ((10 + g.header_len) % 64, 0u) << g.name;
  }
}

TEST(NpyTest, ParseNumpyFiles) {
  for (const Golden& g : Goldens()) {
    StatusOr<Tensor> t = ParseNpy(NumpyFile(g.dict, g.header_len, g.data_hex), g.name);
    ASSERT_TRUE(t.ok()) << g.name << ": " << t.status().ToString();
    EXPECT_TRUE(BitwiseEqual(*t, g.tensor())) << g.name << ": " << t->DebugString();
  }
}

TEST(NpyTest, ParseVersions2And3) {
  // np.lib.format.write_array(f, np.array([1, 2], np.int16), version=(2, 0))
  StatusOr<Tensor> v2 = ParseNpy(
      NumpyFile("{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }", 116, "01 00 02 00", 2),
      "v2");
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_TRUE(BitwiseEqual(*v2, Make<int16_t>({1, 2}, {2})));
  // np.lib.format.write_array(f, np.array([1.0], np.float64), version=(3, 0))
  StatusOr<Tensor> v3 = ParseNpy(
      NumpyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", 116,
                "00 00 00 00 00 00 f0 3f", 3),
      "v3");
  ASSERT_TRUE(v3.ok()) << v3.status().ToString();
  EXPECT_TRUE(BitwiseEqual(*v3, Make<double>({1.0}, {1})));
}

TEST(NpyTest, ParseUnicode) {
  // np.array(["h\u00e9", "\U0001F600"]) -> '<U2'
  StatusOr<Tensor> t = ParseNpy(
      NumpyFile("{'descr': '<U2', 'fortran_order': False, 'shape': (2,), }", 118,
                "68 00 00 00 e9 00 00 00 00 f6 01 00 00 00 00 00"),
      "U");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_THAT(t->flat<std::string>(), ElementsAre("h\xc3\xa9", "\xf0\x9f\x98\x80"));
  // np.array(["h\u00e9"], dtype=">U3")
  StatusOr<Tensor> big = ParseNpy(
      NumpyFile("{'descr': '>U3', 'fortran_order': False, 'shape': (1,), }", 118,
                "00 00 00 68 00 00 00 e9 00 00 00 00"),
      "bigU");
  ASSERT_TRUE(big.ok()) << big.status().ToString();
  EXPECT_THAT(big->flat<std::string>(), ElementsAre("h\xc3\xa9"));
}

TEST(NpyTest, ParseBigEndianSwapsBytes) {
  // np.array([1, 2], dtype=">i4")
  StatusOr<Tensor> i4 = ParseNpy(
      NumpyFile("{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }", 118,
                "00 00 00 01 00 00 00 02"),
      "big");
  ASSERT_TRUE(i4.ok());
  EXPECT_TRUE(BitwiseEqual(*i4, Make<int32_t>({1, 2}, {2})));
  // np.array([1.5], dtype=">f8")
  StatusOr<Tensor> f8 = ParseNpy(
      NumpyFile("{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }", 118,
                "3f f8 00 00 00 00 00 00"),
      "bigf8");
  ASSERT_TRUE(f8.ok());
  EXPECT_EQ(f8->flat<double>()[0], 1.5);
  // np.array([1+2j], dtype=">c8"): each part swapped on its own.
  StatusOr<Tensor> c8 = ParseNpy(
      NumpyFile("{'descr': '>c8', 'fortran_order': False, 'shape': (1,), }", 118,
                "3f 80 00 00 40 00 00 00"),
      "bigc8");
  ASSERT_TRUE(c8.ok());
  EXPECT_EQ(c8->flat<Complex64>()[0], Complex64(1.0f, 2.0f));
  // np.array([1.0, -2.0], dtype=">f2")
  StatusOr<Tensor> f2 = ParseNpy(
      NumpyFile("{'descr': '>f2', 'fortran_order': False, 'shape': (2,), }", 118, "3c 00 c0 00"),
      "bigf2");
  ASSERT_TRUE(f2.ok());
  EXPECT_TRUE(BitwiseEqual(*f2, HalfTensor({0x3c00, 0xc000}, {2})));
}

TEST(NpyTest, ParseFortranOrderTransposes) {
  // np.asfortranarray(np.arange(6, dtype=np.int32).reshape(2, 3))
  StatusOr<Tensor> t = ParseNpy(
      NumpyFile("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }", 118,
                "00 00 00 00 03 00 00 00 01 00 00 00 04 00 00 00 02 00 00 00 05 00 00 00"),
      "fortran");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_TRUE(BitwiseEqual(*t, Make<int32_t>({0, 1, 2, 3, 4, 5}, {2, 3})));
  // np.asfortranarray(np.arange(24, dtype=np.int16).reshape(2, 3, 4))
  StatusOr<Tensor> t3 = ParseNpy(
      NumpyFile("{'descr': '<i2', 'fortran_order': True, 'shape': (2, 3, 4), }", 118,
                "00 00 0c 00 04 00 10 00 08 00 14 00 01 00 0d 00 05 00 11 00 09 00 15 00 "
                "02 00 0e 00 06 00 12 00 0a 00 16 00 03 00 0f 00 07 00 13 00 0b 00 17 00"),
      "fortran3d");
  ASSERT_TRUE(t3.ok()) << t3.status().ToString();
  std::vector<int16_t> expected(24);
  for (int i = 0; i < 24; ++i) expected[i] = static_cast<int16_t>(i);
  EXPECT_TRUE(BitwiseEqual(*t3, Make<int16_t>(expected, {2, 3, 4})));
  // np.asfortranarray(np.array([[b"a", b"bb", b"c"], [b"d", b"", b"fff"]]))
  StatusOr<Tensor> s = ParseNpy(
      NumpyFile("{'descr': '|S3', 'fortran_order': True, 'shape': (2, 3), }", 118,
                "61 00 00 64 00 00 62 62 00 00 00 00 63 00 00 66 66 66"),
      "fortranS");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_THAT(s->flat<std::string>(), ElementsAre("a", "bb", "c", "d", "", "fff"));
}

TEST(NpyTest, ParseAcceptsHeaderVariants) {
  // Other key orders, double quotes, no trailing comma, Python 2 'L' suffixes,
  // '=' byte order, and no padding at all.
  const char* dicts[] = {
      "{'shape': (2,), 'fortran_order': False, 'descr': '<i4'}",
      "{\"descr\": \"<i4\", \"fortran_order\": False, \"shape\": (2L,)}",
      "{'descr':'=i4','fortran_order':False,'shape':(2,),}",
      "  {'descr': 'i4', 'fortran_order': False, 'shape': ( 2 , ) }  ",
  };
  for (const char* dict : dicts) {
    std::string file("\x93NUMPY\x01\x00", 8);
    const std::string text = std::string(dict) + "\n";
    file.push_back(static_cast<char>(text.size()));
    file.push_back('\0');
    file += text + Bytes("05 00 00 00 06 00 00 00");
    StatusOr<Tensor> t = ParseNpy(file, "variant");
    ASSERT_TRUE(t.ok()) << dict << ": " << t.status().ToString();
    EXPECT_TRUE(BitwiseEqual(*t, Make<int32_t>({5, 6}, {2}))) << dict;
  }
}

TEST(NpyTest, ParseNormalizesBoolBytes) {
  StatusOr<Tensor> t = ParseNpy(
      NumpyFile("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", 118, "00 02 ff"), "b");
  ASSERT_TRUE(t.ok());
  const auto* raw = static_cast<const unsigned char*>(t->raw_data());
  EXPECT_THAT(std::vector<int>(raw, raw + 3), ElementsAre(0, 1, 1));
}

TEST(NpyTest, ParseIgnoresTrailingBytesLikeNumpy) {
  StatusOr<Tensor> t = ParseNpy(
      NumpyFile("{'descr': '|u1', 'fortran_order': False, 'shape': (1,), }", 118, "07 08 09"), "x");
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(BitwiseEqual(*t, Make<uint8_t>({7}, {1})));
}

struct Hostile {
  const char* why;
  std::string bytes;
  StatusCode code;
  const char* message;
};

std::string WithDict(const std::string& dict, const std::string& data_hex = "") {
  return NumpyFile(dict, 118, data_hex);
}

TEST(NpyTest, RejectsHostileInput) {
  const std::string good = WithDict("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }",
                                    "01 00 00 00 02 00 00 00");
  std::string bad_magic = good;
  bad_magic[1] = 'M';
  std::string bad_version = good;
  bad_version[6] = 4;
  std::string long_header = good;
  long_header[8] = '\xff';
  long_header[9] = '\xff';
  std::string v2_huge_header("\x93NUMPY\x02\x00\xff\xff\xff\xff{", 13);
  const Hostile cases[] = {
      {"empty", "", StatusCode::kDataLoss, "magic"},
      {"bad magic", bad_magic, StatusCode::kDataLoss, "magic"},
      {"bad version", bad_version, StatusCode::kDataLoss, "version 4.0"},
      {"truncated preamble", good.substr(0, 9), StatusCode::kDataLoss, "header length"},
      {"truncated header", good.substr(0, 60), StatusCode::kDataLoss, "runs past the end"},
      {"header beyond file", long_header, StatusCode::kDataLoss, "runs past the end"},
      {"v2 header beyond file", v2_huge_header, StatusCode::kDataLoss, "runs past the end"},
      {"data shorter than shape", good.substr(0, good.size() - 1), StatusCode::kDataLoss,
       "needs 2 x 4 bytes but the file has 7"},
      {"not a dict", WithDict("['descr', '<i4']"), StatusCode::kDataLoss, "'{'"},
      {"missing key", WithDict("{'descr': '<i4', 'shape': (2,), }"), StatusCode::kDataLoss,
       "must have the keys"},
      {"unknown key", WithDict("{'descr': '<i4', 'fortran_order': False, 'shape': (), 'x': 1}"),
       StatusCode::kDataLoss, "unexpected key 'x'"},
      {"duplicate key",
       WithDict("{'descr': '<i4', 'descr': '<i4', 'fortran_order': False, 'shape': ()}"),
       StatusCode::kDataLoss, "appears twice"},
      {"unterminated string", WithDict("{'descr': '<i4, 'fortran_order': False}"),
       StatusCode::kDataLoss, "bad header"},
      {"missing brace", WithDict("{'descr': '<i4', 'fortran_order': False, 'shape': ()"),
       StatusCode::kDataLoss, "bad header"},
      {"garbage after dict",
       WithDict("{'descr': '<i4', 'fortran_order': False, 'shape': ()} x"),
       StatusCode::kDataLoss, "after the header dict"},
      {"bool as int", WithDict("{'descr': '<i4', 'fortran_order': 0, 'shape': ()}"),
       StatusCode::kDataLoss, "True or False"},
      {"negative dim", WithDict("{'descr': '<i4', 'fortran_order': False, 'shape': (-2,)}"),
       StatusCode::kDataLoss, "negative"},
      {"int not tuple", WithDict("{'descr': '<i4', 'fortran_order': False, 'shape': (2)}"),
       StatusCode::kDataLoss, "tuple"},
      {"list shape", WithDict("{'descr': '<i4', 'fortran_order': False, 'shape': [2]}"),
       StatusCode::kDataLoss, "tuple"},
      {"dim overflow",
       WithDict("{'descr': '<i4', 'fortran_order': False, 'shape': (99999999999999999999,)}"),
       StatusCode::kDataLoss, "overflows"},
      {"element count overflow",
       WithDict("{'descr': '|u1', 'fortran_order': False, 'shape': (4294967296, 4294967296)}"),
       StatusCode::kDataLoss, "bad shape"},
      {"byte count overflow",
       WithDict("{'descr': '<c16', 'fortran_order': False, 'shape': (576460752303423487,)}"),
       StatusCode::kDataLoss, "needs"},
      {"huge shape, no data",
       WithDict("{'descr': '<f8', 'fortran_order': False, 'shape': (100000000, 100000)}"),
       StatusCode::kDataLoss, "needs"},
      {"object dtype", WithDict("{'descr': '|O', 'fortran_order': False, 'shape': (1,)}", "00"),
       StatusCode::kInvalidArgument, "pickles"},
      {"structured dtype",
       WithDict("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (1,)}"),
       StatusCode::kInvalidArgument, "structured"},
      {"unknown dtype", WithDict("{'descr': '<f16', 'fortran_order': False, 'shape': (1,)}"),
       StatusCode::kInvalidArgument, "unsupported dtype '<f16'"},
      {"datetime", WithDict("{'descr': '<M8[ns]', 'fortran_order': False, 'shape': (1,)}"),
       StatusCode::kInvalidArgument, "unsupported dtype"},
      {"no byte order on f4", WithDict("{'descr': '|f4', 'fortran_order': False, 'shape': (1,)}"),
       StatusCode::kInvalidArgument, "byte order"},
      {"zero-width string", WithDict("{'descr': '|S0', 'fortran_order': False, 'shape': (5,)}"),
       StatusCode::kInvalidArgument, "zero-width"},
      {"string width overflow",
       WithDict("{'descr': '<U9999999999999999999', 'fortran_order': False, 'shape': (1,)}"),
       StatusCode::kInvalidArgument, "string dtype"},
      {"wide string, little data",
       WithDict("{'descr': '|S1000000', 'fortran_order': False, 'shape': (1000000,)}", "00"),
       StatusCode::kDataLoss, "needs"},
      {"bad code point", WithDict("{'descr': '<U1', 'fortran_order': False, 'shape': (1,)}",
                                  "00 00 11 00"),
       StatusCode::kDataLoss, "code point"},
      {"surrogate", WithDict("{'descr': '<U1', 'fortran_order': False, 'shape': (1,)}",
                             "00 d8 00 00"),
       StatusCode::kDataLoss, "code point"},
  };
  for (const Hostile& h : cases) {
    StatusOr<Tensor> t = ParseNpy(h.bytes, "/in/x.npy");
    ASSERT_FALSE(t.ok()) << h.why;
    EXPECT_EQ(t.status().code(), h.code) << h.why << ": " << t.status().ToString();
    EXPECT_THAT(t.status().message(), HasSubstr(h.message)) << h.why;
    EXPECT_THAT(t.status().message(), HasSubstr("/in/x.npy")) << h.why;
  }
}

TEST(NpyTest, EveryTruncationFailsCleanly) {
  for (const Golden& g : Goldens()) {
    const std::string file = NumpyFile(g.dict, g.header_len, g.data_hex);
    const size_t data_bytes = g.data_hex.empty() ? 0 : (g.data_hex.size() + 1) / 3;
    for (size_t n = 0; n + data_bytes < file.size(); ++n) {
      EXPECT_FALSE(ParseNpy(file.substr(0, n), g.name).ok()) << g.name << " " << n;
    }
  }
}

TEST(NpyTest, RandomCorruptionNeverCrashes) {
  std::mt19937 rng(1);
  const std::vector<Golden> goldens = Goldens();
  int parsed = 0;
  for (int i = 0; i < 20000; ++i) {
    const Golden& g = goldens[rng() % goldens.size()];
    std::string file = NumpyFile(g.dict, g.header_len, g.data_hex);
    const int flips = 1 + rng() % 4;
    for (int f = 0; f < flips; ++f) {
      // Mostly hit the preamble and the dict, where the parsing happens.
      const size_t pos =
          rng() % 4 == 0 ? rng() % file.size() : rng() % std::min<size_t>(file.size(), 80);
      file[pos] = static_cast<char>(rng() % 3 == 0 ? "0123456789(),' -L"[rng() % 17] : rng());
    }
    if (rng() % 3 == 0) file.resize(rng() % (file.size() + 1));
    StatusOr<Tensor> t = ParseNpy(file, "fuzz");
    if (t.ok()) ++parsed;
  }
  SUCCEED() << parsed << " corrupted files still parsed";
}

TEST(NpyTest, SerializeRefusesTypesWithoutNumpyEquivalent) {
  Tensor bf = *Tensor::Create(DataType::kBfloat16, Shape({2}));
  Status s = SerializeNpy(bf).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("bfloat16"));
  EXPECT_THAT(s.message(), HasSubstr("no NumPy type"));
  Tensor q = *Tensor::Create(DataType::kQint8, Shape({2}));
  EXPECT_EQ(SerializeNpy(q).status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(SerializeNpy(Tensor()).ok());
}

TEST(NpyTest, StringsWithEmbeddedNulsRoundTripExceptTrailing) {
  Tensor t = Make<std::string>({std::string("a\0b", 3), "cd"}, {2});
  StatusOr<std::string> bytes = SerializeNpy(t);
  ASSERT_TRUE(bytes.ok());
  StatusOr<Tensor> back = ParseNpy(*bytes, "rt");
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(BitwiseEqual(*back, t));
}

TEST(NpyTest, FileRoundTrip) {
  std::unique_ptr<FileSystem> fs = NewMemoryFileSystem();
  ASSERT_TRUE(fs->RecursivelyCreateDir("/d").ok());
  std::vector<float> values(1000);
  for (size_t i = 0; i < values.size(); ++i) values[i] = 0.5f * i;
  Tensor t = Make<float>(values, {10, 100});
  ASSERT_TRUE(WriteNpyFile("/d/a.npy", t, fs.get()).ok());
  EXPECT_THAT(*fs->GetChildren("/d"), ElementsAre("a.npy"));
  StatusOr<Tensor> back = ReadNpyFile("/d/a.npy", fs.get());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(BitwiseEqual(*back, t));
  EXPECT_EQ(*fs->ReadFileToString("/d/a.npy"), *SerializeNpy(t));

  Tensor s = Make<std::string>({"x", "yz"}, {2});
  ASSERT_TRUE(WriteNpyFile("/d/s.npy", s, fs.get()).ok());
  StatusOr<Tensor> s_back = ReadNpyFile("/d/s.npy", fs.get());
  ASSERT_TRUE(s_back.ok());
  EXPECT_TRUE(BitwiseEqual(*s_back, s));

  EXPECT_EQ(ReadNpyFile("/d/missing.npy", fs.get()).status().code(), StatusCode::kNotFound);
  Tensor bf = *Tensor::Create(DataType::kBfloat16, Shape({1}));
  Status w = WriteNpyFile("/d/bf.npy", bf, fs.get());
  EXPECT_THAT(w.message(), HasSubstr("/d/bf.npy"));
  EXPECT_FALSE(fs->FileExists("/d/bf.npy"));
}

TEST(NpyHeaderTest, FormatPadsLikeNumpy) {
  const std::string h = FormatNpyHeader("<f4", {2});
  EXPECT_EQ(h.size(), 128u);
  EXPECT_EQ(h.back(), '\n');
  // A dict whose text lands exactly on a 64-byte boundary gets 64 more
  // spaces, as numpy's padlen = 64 - (len % 64) does.
  for (int64_t dim = 1; dim < 100000; dim *= 10) {
    const std::string x = FormatNpyHeader("|u1", {dim, 3});
    EXPECT_EQ(x.size() % 64, 0u);
  }
}

}  // namespace
}  // namespace tf1hub
