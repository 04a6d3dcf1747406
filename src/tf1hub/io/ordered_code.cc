#include "tf1hub/io/ordered_code.h"

#include <bit>
#include <cstdio>

#include "tf1hub/io/tensor_slice_util.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub {
namespace ordered_code {
namespace {

constexpr char kEscape0 = '\x00';      // starts 00 01 (end) and 00 ff (a 00 byte)
constexpr char kEscapeFF = '\xff';     // starts ff 00 (an ff byte)
constexpr int kMaxSignedLength = 10;  // bytes of the longest signed encoding

// Total length L of the signed encoding of a value whose magnitude bits are
// x (x = v or ~v, so x >= 0): the smallest L with x < 2^(7L-1).
int SignedLength(uint64_t x) {
  const int bits = 64 - std::countl_zero(x);  // 0 for x == 0
  for (int len = 1; len < kMaxSignedLength; ++len) {
    if (bits <= 7 * len - 1) return len;
  }
  return kMaxSignedLength;
}

}  // namespace

void WriteNumIncreasing(std::string* dest, uint64_t value) {
  const int bytes = value == 0 ? 0 : (64 - std::countl_zero(value) + 7) / 8;
  dest->push_back(static_cast<char>(bytes));
  for (int i = bytes - 1; i >= 0; --i) {
    dest->push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  }
}

void WriteString(std::string* dest, std::string_view s) {
  for (char c : s) {
    if (c == kEscape0) {
      dest->push_back(kEscape0);
      dest->push_back('\xff');
    } else if (c == kEscapeFF) {
      dest->push_back(kEscapeFF);
      dest->push_back('\x00');
    } else {
      dest->push_back(c);
    }
  }
  dest->push_back(kEscape0);
  dest->push_back('\x01');
}

void WriteSignedNumIncreasing(std::string* dest, int64_t value) {
  const uint64_t x = static_cast<uint64_t>(value < 0 ? ~value : value);
  const int len = SignedLength(x);
  // The value as a 10-byte big-endian two's complement number; the encoding
  // is its last `len` bytes with the header bits (len ones, then the zero
  // delimiter) XORed into the first two of them.
  unsigned char buf[kMaxSignedLength];
  const uint64_t bits = static_cast<uint64_t>(value);
  const unsigned char sign = value < 0 ? 0xff : 0x00;
  buf[0] = sign;
  buf[1] = sign;
  for (int i = 0; i < 8; ++i) buf[2 + i] = static_cast<unsigned char>(bits >> (56 - 8 * i));
  unsigned char* begin = buf + kMaxSignedLength - len;
  const uint16_t header = static_cast<uint16_t>(((1u << len) - 1) << (16 - len));
  begin[0] ^= static_cast<unsigned char>(header >> 8);
  if (len > 1) begin[1] ^= static_cast<unsigned char>(header & 0xff);
  dest->append(reinterpret_cast<const char*>(begin), len);
}

bool ReadNumIncreasing(std::string_view* src, uint64_t* value) {
  if (src->empty()) return false;
  const size_t len = static_cast<unsigned char>((*src)[0]);
  if (len > 8 || src->size() < len + 1) return false;
  uint64_t v = 0;
  for (size_t i = 1; i <= len; ++i) v = (v << 8) | static_cast<unsigned char>((*src)[i]);
  *value = v;
  src->remove_prefix(len + 1);
  return true;
}

bool ReadString(std::string_view* src, std::string* value) {
  value->clear();
  size_t i = 0;
  while (i < src->size()) {
    const char c = (*src)[i];
    if (c != kEscape0 && c != kEscapeFF) {
      value->push_back(c);
      ++i;
      continue;
    }
    if (i + 1 >= src->size()) return false;
    const char next = (*src)[i + 1];
    if (c == kEscape0 && next == '\x01') {
      src->remove_prefix(i + 2);
      return true;
    }
    if (c == kEscape0 && next == '\xff') {
      value->push_back('\x00');
    } else if (c == kEscapeFF && next == '\x00') {
      value->push_back('\xff');
    } else {
      return false;  // an unused escape (e.g. ff ff, "infinity")
    }
    i += 2;
  }
  return false;  // no terminator
}

bool ReadSignedNumIncreasing(std::string_view* src, int64_t* value) {
  if (src->empty()) return false;
  const auto byte = [&](size_t i) { return static_cast<unsigned char>((*src)[i]); };
  const bool negative = (byte(0) & 0x80) == 0;
  const unsigned char flip = negative ? 0xff : 0x00;  // decode ~v for negatives
  const unsigned char b0 = byte(0) ^ flip;
  int len = 0;
  if (b0 != 0xff) {
    len = std::countl_one(b0);  // 1..7: the sign bit is set after the flip
  } else {
    if (src->size() < 2) return false;
    const unsigned char b1 = byte(1) ^ flip;
    len = 8 + std::countl_one(b1);
    if (len > kMaxSignedLength) return false;
    if (len == kMaxSignedLength) {
      // 69 payload bits, of which only the low 63 may be set.
      if (b1 != 0xc0 || src->size() < 3 || ((byte(2) ^ flip) & 0x80) != 0) return false;
    }
  }
  if (src->size() < static_cast<size_t>(len)) return false;
  // Drop the len header bits and the delimiter bit, keep the 7*len-1
  // payload bits (at most 63 after the check above).
  unsigned __int128 raw = 0;
  for (int i = 0; i < len; ++i) raw = (raw << 8) | static_cast<unsigned char>(byte(i) ^ flip);
  const int payload_bits = len == kMaxSignedLength ? 63 : 7 * len - 1;
  const unsigned __int128 mask = (static_cast<unsigned __int128>(1) << payload_bits) - 1;
  const uint64_t x = static_cast<uint64_t>(raw & mask);
  *value = negative ? ~static_cast<int64_t>(x) : static_cast<int64_t>(x);
  src->remove_prefix(len);
  return true;
}

}  // namespace ordered_code

namespace {

std::string EscapeBytes(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[5];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace

std::string EncodeTensorNameSlice(std::string_view name, const TensorSlice& slice) {
  std::string key;
  ordered_code::WriteNumIncreasing(&key, 0);
  ordered_code::WriteString(&key, name);
  ordered_code::WriteNumIncreasing(&key, slice.extents.size());
  for (const SliceExtent& e : slice.extents) {
    const bool full = IsFullExtent(e);
    ordered_code::WriteSignedNumIncreasing(&key, full ? 0 : e.start);
    ordered_code::WriteSignedNumIncreasing(&key, full ? kFullExtentLength : e.length);
  }
  return key;
}

Status DecodeTensorNameSlice(std::string_view key, std::string* name, TensorSlice* slice) {
  const auto fail = [&](const std::string& what) {
    return DataLossError("tensor slice key '" + EscapeBytes(key) + "': " + what);
  };
  std::string_view src = key;
  uint64_t tag = 0;
  if (!ordered_code::ReadNumIncreasing(&src, &tag) || tag != 0) {
    return fail("does not start with the number 0");
  }
  std::string decoded_name;
  if (!ordered_code::ReadString(&src, &decoded_name)) return fail("malformed tensor name");
  uint64_t rank = 0;
  if (!ordered_code::ReadNumIncreasing(&src, &rank)) return fail("malformed rank");
  if (rank == 0 || rank > static_cast<uint64_t>(kMaxTensorRank)) {
    return fail("rank " + std::to_string(rank) + " is not in [1, " +
                std::to_string(kMaxTensorRank) + "]");
  }
  TensorSlice decoded;
  decoded.extents.reserve(rank);
  for (uint64_t d = 0; d < rank; ++d) {
    SliceExtent e;
    if (!ordered_code::ReadSignedNumIncreasing(&src, &e.start) ||
        !ordered_code::ReadSignedNumIncreasing(&src, &e.length)) {
      return fail("malformed extent " + std::to_string(d));
    }
    if (e.length == kFullExtentLength) {
      if (e.start != 0) {
        return fail("extent " + std::to_string(d) + " is full but has start " +
                    std::to_string(e.start));
      }
    } else if (e.start < 0 || e.length <= 0) {
      return fail("extent " + std::to_string(d) + " has start " + std::to_string(e.start) +
                  " and length " + std::to_string(e.length));
    }
    decoded.extents.push_back(e);
  }
  if (!src.empty()) return fail(std::to_string(src.size()) + " trailing bytes");
  Status valid = ValidateSliceExtents(decoded);
  if (!valid.ok()) return fail(valid.message());
  *name = std::move(decoded_name);
  *slice = std::move(decoded);
  return Status::OK();
}

}  // namespace tf1hub
