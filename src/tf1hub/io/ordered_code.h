// OrderedCode: TensorFlow's order-preserving binary encoding, used for the
// index keys of checkpoint slices (partitioned variables).
//
// Encodings (bytes compare in the same order as the values):
//   NumIncreasing(uint64)       one length byte n (0..8), then the value in n
//                               big-endian bytes without leading zeros:
//                               0 -> 00, 2 -> 01 02, 256 -> 02 01 00.
//   String(s)                   s with 00 -> 00 ff and ff -> ff 00, then the
//                               terminator 00 01.
//   SignedNumIncreasing(int64)  1..10 bytes. The first bit is the sign (1 for
//                               v >= 0). For v >= 0 it is followed by L-1 more
//                               one bits and a zero bit, where L is the total
//                               length, then the 7L-1 bit value; a negative v
//                               is the bitwise inverse of the encoding of ~v.
//                               [-64, 64) takes one byte (0 -> 80, 5 -> 85,
//                               -1 -> 7f), [-2^13, 2^13) two, ...,
//                               [-2^(7L-1), 2^(7L-1)) L bytes (L <= 9), and the
//                               rest of int64 ten bytes.
//
// A slice key (EncodeTensorNameSlice, TensorFlow's checkpoint key for one slice
// of a partitioned tensor) is
//   NumIncreasing(0) String(name) NumIncreasing(rank)
//   { SignedNumIncreasing(start) SignedNumIncreasing(length) } per dimension
// with a full extent written as start 0, length -1.
//
// Readers return false (or a Status) on malformed input and never read past
// the end of their input.
//
// Thread safety: all functions are pure.
#ifndef TF1HUB_IO_ORDERED_CODE_H_
#define TF1HUB_IO_ORDERED_CODE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "tf1hub/checkpoint.h"
#include "tf1hub/status.h"

namespace tf1hub {
namespace ordered_code {

void WriteNumIncreasing(std::string* dest, uint64_t value);
void WriteString(std::string* dest, std::string_view s);
void WriteSignedNumIncreasing(std::string* dest, int64_t value);

// Each reader consumes one item from the front of *src on success; on
// failure *src and the output are unspecified.
bool ReadNumIncreasing(std::string_view* src, uint64_t* value);
bool ReadString(std::string_view* src, std::string* value);
bool ReadSignedNumIncreasing(std::string_view* src, int64_t* value);

}  // namespace ordered_code

// The index key TensorFlow stores one slice of tensor `name` under.
std::string EncodeTensorNameSlice(std::string_view name, const TensorSlice& slice);

// Inverse of EncodeTensorNameSlice. DataLoss if `key` is not a well-formed
// slice key: no leading 0, bad string escape, rank 0 or above 254, a start
// below 0, a length below -1 or equal to 0, a truncated number or trailing
// bytes. The decoded extents are not checked against any shape.
Status DecodeTensorNameSlice(std::string_view key, std::string* name, TensorSlice* slice);

}  // namespace tf1hub

#endif  // TF1HUB_IO_ORDERED_CODE_H_
