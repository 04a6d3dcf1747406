// The tensor bundle (V2 checkpoint) format as plain data plus functions:
// file naming, the header entry, index entries, the DT_STRING payload layout
// and byte swapping. Reader, writer and merge are built on these.
//
// Files of a bundle with prefix P (TF_FORMATS.md §2.1):
//   P.index                         LevelDB table: "" -> BundleHeaderProto,
//                                   tensor name -> BundleEntryProto
//   P.data-00000-of-00001 ...       tensor payloads, "%s.data-%05d-of-%05d"
//
// DT_STRING payload of n elements (§2.6):
//   varint64 len[0] .. len[n-1] | fixed32 Mask(crc_len) | str[0] .. str[n-1]
// crc_len extends CRC-32C (from 0) with each length as a little-endian uint32
// (uint64 if it does not fit); the entry's checksum continues from crc_len
// over the 4 stored checksum bytes and then the string bytes.
//
// Every function here is pure, validates before it allocates, and names the
// tensor in its errors; callers add the file as context.
#ifndef TF1HUB_IO_BUNDLE_FORMAT_H_
#define TF1HUB_IO_BUNDLE_FORMAT_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tf1hub/checkpoint.h"
#include "tf1hub/data_type.h"
#include "tf1hub/proto/tensor_bundle.pb.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub::bundle {

// Key of the header entry; it sorts first.
inline constexpr std::string_view kHeaderKey = "";
// VersionDef we write: producer 1, min_consumer 0 (TensorFlow's values).
inline constexpr int32_t kBundleVersion = 1;
inline constexpr int32_t kBundleMinConsumer = 0;
// What we accept: producer >= 0; we are consumer version 1.
inline constexpr int32_t kBundleMinProducer = 0;
inline constexpr int32_t kBundleConsumer = 1;

// Most slices one partitioned tensor may have. Checking that slices do not
// overlap is quadratic (as in TensorFlow); real partitioned variables have
// at most a few thousand parts.
inline constexpr int kMaxSlicesPerTensor = 16384;

// LevelDB table parameters TensorFlow writes with (§2.2).
inline constexpr size_t kIndexBlockSize = 262144;
inline constexpr int kIndexBlockRestartInterval = 16;

std::string IndexFilename(std::string_view prefix);
std::string DataFilename(std::string_view prefix, int32_t shard_id, int32_t num_shards);

// Host byte order as the header spells it.
tensorflow::BundleHeaderProto::Endianness HostEndianness();

// The header TensorFlow writes for `num_shards` data files on this host:
// for one shard on a little-endian host the bytes 08 01 1a 02 08 01.
tensorflow::BundleHeaderProto MakeHeader(int32_t num_shards);

// Checks a parsed header: num_shards >= 1, endianness known, and the version
// rule (producer >= 0, min_consumer <= 1, 1 not in bad_consumers).
// DataLoss / FailedPrecondition naming what is wrong.
Status CheckHeader(const tensorflow::BundleHeaderProto& header);

// A validated index entry.
struct Entry {
  DataType dtype = DataType::kInvalid;  // may be a known but unreadable dtype
  TensorShape shape;                    // full shape
  int32_t shard_id = 0;
  int64_t offset = 0;
  int64_t size = 0;
  uint32_t masked_crc32c = 0;
  std::vector<TensorSlice> slices;  // non-empty: metadata of a partitioned tensor
};

// Parses and validates the value stored under `key`:
//  * the proto parses; the dtype is a DataType TensorFlow defines;
//  * the shape is concrete (no unknown rank, dims >= 0, rank <= 254,
//    element count representable);
//  * for data entries: 0 <= shard_id < num_shards, offset >= 0, and size
//    equals num_elements * element size (memcpy-able dtypes) or can hold the
//    string layout (n length bytes + 4 checksum bytes at least);
//  * for partitioned tensors: at most kMaxSlicesPerTensor slices, every
//    slice fits the full shape and no two slices overlap.
// DataLoss naming the tensor otherwise.
StatusOr<Entry> ParseEntry(std::string_view key, std::string_view value, int32_t num_shards);

// Sets `proto` to the dims of `shape` (no names, as TensorFlow writes).
void ShapeToProto(const TensorShape& shape, tensorflow::TensorShapeProto* proto);

// TensorSliceProto <-> TensorSlice (a missing length means the whole
// dimension).
TensorSlice SliceFromProto(const tensorflow::TensorSliceProto& proto);
void SliceToProto(const TensorSlice& slice, tensorflow::TensorSliceProto* proto);

// True if `dtype` can be stored in and read from a bundle by tf1hub
// (supported tensor types: numbers, bool, string, quantized).
bool IsBundleDataType(DataType dtype);

// DT_STRING writer side: appends the varint lengths of `strings` to `*out`
// and returns crc_len (unmasked) as defined above (little-endian host).
uint32_t EncodeStringLengths(std::span<const std::string> strings, std::string* out);
// Extends `crc` by one element length as the checksum rule wants, writing
// the length in the given byte order (the order of the machine that wrote
// the file).
uint32_t ExtendCrcWithLength(uint32_t crc, uint64_t length, bool big_endian = false);

// DT_STRING reader side: decodes `bytes` (the whole entry payload) into a
// string tensor of `shape`, checking the varints, the length checksum and
// that the lengths account for exactly the remaining bytes, all before the
// strings are allocated. `big_endian` is the file's byte order (header
// endianness), which the length checksum follows. Sets `*crc` to the
// checksum of the payload (unmasked) for the caller to compare with the
// entry's. DataLoss without file or tensor names (the caller adds them).
StatusOr<Tensor> DecodeStringTensor(std::string_view bytes, const TensorShape& shape,
                                    bool big_endian, uint32_t* crc);

// Reverses the byte order of every element (each component of a complex)
// of a memcpy-able dtype in place; 1-byte types are left alone.
void ByteSwapElements(DataType dtype, void* data, size_t bytes);

// "'name'" with non-printable bytes escaped (slice keys are binary).
std::string QuoteKey(std::string_view key);

}  // namespace tf1hub::bundle

#endif  // TF1HUB_IO_BUNDLE_FORMAT_H_
