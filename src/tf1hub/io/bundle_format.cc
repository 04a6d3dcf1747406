#include "tf1hub/io/bundle_format.h"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>
#include <optional>
#include <utility>

#include "tf1hub/core/checked_math.h"
#include "tf1hub/core/crc32c.h"
#include "tf1hub/io/tensor_slice_util.h"

namespace tf1hub::bundle {

static_assert(std::endian::native == std::endian::little || std::endian::native == std::endian::big);

std::string IndexFilename(std::string_view prefix) { return std::string(prefix) + ".index"; }

std::string DataFilename(std::string_view prefix, int32_t shard_id, int32_t num_shards) {
  char suffix[64];
  std::snprintf(suffix, sizeof(suffix), ".data-%05d-of-%05d", shard_id, num_shards);
  return std::string(prefix) + suffix;
}

tensorflow::BundleHeaderProto::Endianness HostEndianness() {
  return std::endian::native == std::endian::little ? tensorflow::BundleHeaderProto::LITTLE
                                                    : tensorflow::BundleHeaderProto::BIG;
}

tensorflow::BundleHeaderProto MakeHeader(int32_t num_shards) {
  tensorflow::BundleHeaderProto header;
  header.set_num_shards(num_shards);
  header.set_endianness(HostEndianness());
  header.mutable_version()->set_producer(kBundleVersion);
  header.mutable_version()->set_min_consumer(kBundleMinConsumer);
  return header;
}

Status CheckHeader(const tensorflow::BundleHeaderProto& header) {
  if (header.num_shards() < 1) {
    return DataLossError("header: invalid num_shards " + std::to_string(header.num_shards()) +
                         " (expected at least 1)");
  }
  if (header.endianness() != tensorflow::BundleHeaderProto::LITTLE &&
      header.endianness() != tensorflow::BundleHeaderProto::BIG) {
    return DataLossError("header: unknown endianness " + std::to_string(header.endianness()));
  }
  const tensorflow::VersionDef& v = header.version();
  if (v.producer() < kBundleMinProducer) {
    return FailedPreconditionError("header: checkpoint producer version " +
                                   std::to_string(v.producer()) + " is below the minimum " +
                                   std::to_string(kBundleMinProducer) + " this reader supports");
  }
  if (v.min_consumer() > kBundleConsumer) {
    return FailedPreconditionError(
        "header: checkpoint needs a reader of version " + std::to_string(v.min_consumer()) +
        " or newer (this reader is version " + std::to_string(kBundleConsumer) + ")");
  }
  for (int bad : v.bad_consumers()) {
    if (bad == kBundleConsumer) {
      return FailedPreconditionError("header: checkpoint disallows reader version " +
                                     std::to_string(kBundleConsumer) + " (bad_consumers)");
    }
  }
  return Status::OK();
}

std::string QuoteKey(std::string_view key) {
  std::string out = "'";
  for (unsigned char c : key) {
    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
    }
  }
  out += "'";
  return out;
}

bool IsBundleDataType(DataType dtype) {
  return IsSupportedTensorType(dtype) && (IsMemcpyable(dtype) || dtype == DataType::kString);
}

TensorSlice SliceFromProto(const tensorflow::TensorSliceProto& proto) {
  TensorSlice slice;
  slice.extents.reserve(proto.extent_size());
  for (const auto& e : proto.extent()) {
    if (e.has_length_case() == tensorflow::TensorSliceProto::Extent::kLength) {
      slice.extents.push_back({e.start(), e.length()});
    } else {
      slice.extents.push_back({0, kFullExtentLength});
    }
  }
  return slice;
}

void SliceToProto(const TensorSlice& slice, tensorflow::TensorSliceProto* proto) {
  proto->Clear();
  for (const SliceExtent& e : slice.extents) {
    auto* out = proto->add_extent();
    if (!IsFullExtent(e)) {
      out->set_start(e.start);
      out->set_length(e.length);
    }
  }
}

namespace {

Status EntryError(std::string_view key, const std::string& what) {
  return DataLossError("tensor " + QuoteKey(key) + ": " + what);
}

// Checks the slices of a partitioned tensor's metadata entry: each fits the
// full shape and no two overlap (pairwise; partition counts are small).
Status CheckSlices(std::string_view key, const Entry& entry) {
  if (entry.slices.size() > static_cast<size_t>(kMaxSlicesPerTensor)) {
    return EntryError(key, std::to_string(entry.slices.size()) +
                               " stored slices (tf1hub reads at most " +
                               std::to_string(kMaxSlicesPerTensor) + ")");
  }
  for (size_t i = 0; i < entry.slices.size(); ++i) {
    Status valid = ValidateSlice(entry.slices[i], entry.shape);
    if (!valid.ok()) return EntryError(key, "invalid stored slice: " + valid.message());
    for (size_t j = 0; j < i; ++j) {
      if (IntersectSlices(entry.slices[j], entry.slices[i]).has_value()) {
        return EntryError(key, "stored slices " + entry.slices[j].DebugString() + " and " +
                                   entry.slices[i].DebugString() + " overlap");
      }
    }
  }
  return Status::OK();
}

}  // namespace

StatusOr<Entry> ParseEntry(std::string_view key, std::string_view value, int32_t num_shards) {
  tensorflow::BundleEntryProto proto;
  if (!proto.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return EntryError(key, "index entry is not parseable as a BundleEntryProto (" +
                               std::to_string(value.size()) + " bytes)");
  }
  Entry entry;
  const int dtype_value = static_cast<int>(proto.dtype());
  if (!IsValidDataTypeValue(dtype_value)) {
    return EntryError(key, "unknown dtype " + std::to_string(dtype_value));
  }
  entry.dtype = static_cast<DataType>(dtype_value);

  const tensorflow::TensorShapeProto& shape = proto.shape();
  if (shape.unknown_rank()) return EntryError(key, "invalid tensor shape: unknown rank");
  if (shape.dim_size() > kMaxTensorRank) {
    return EntryError(key, "invalid tensor shape: rank " + std::to_string(shape.dim_size()) +
                               " exceeds " + std::to_string(kMaxTensorRank));
  }
  std::vector<int64_t> dims;
  dims.reserve(shape.dim_size());
  for (const auto& d : shape.dim()) dims.push_back(d.size());
  StatusOr<TensorShape> parsed_shape = TensorShape::Create(dims);
  if (!parsed_shape.ok()) {
    return EntryError(key, "invalid tensor shape: " + parsed_shape.status().message());
  }
  entry.shape = std::move(*parsed_shape);

  if (proto.slices_size() > 0) {
    entry.slices.reserve(proto.slices_size());
    for (const auto& s : proto.slices()) entry.slices.push_back(SliceFromProto(s));
    RETURN_IF_ERROR(CheckSlices(key, entry));
    return entry;
  }

  entry.shard_id = proto.shard_id();
  entry.offset = proto.offset();
  entry.size = proto.size();
  entry.masked_crc32c = proto.crc32c();
  if (entry.shard_id < 0 || entry.shard_id >= num_shards) {
    return EntryError(key, "shard_id " + std::to_string(entry.shard_id) + " is outside [0, " +
                               std::to_string(num_shards) + ") (the header's num_shards)");
  }
  if (entry.offset < 0 || entry.size < 0) {
    return EntryError(key, "negative offset " + std::to_string(entry.offset) + " or size " +
                               std::to_string(entry.size));
  }
  if (!CheckedAdd(entry.offset, entry.size).has_value()) {
    return EntryError(key, "offset " + std::to_string(entry.offset) + " + size " +
                               std::to_string(entry.size) + " overflows");
  }
  const int64_t n = entry.shape.num_elements();
  if (IsMemcpyable(entry.dtype)) {
    // n <= 2^59 and element sizes <= 16, so this cannot overflow.
    const int64_t expected = n * static_cast<int64_t>(DataTypeSize(entry.dtype));
    if (entry.size != expected) {
      return EntryError(key, "invalid size " + std::to_string(entry.size) + " for " +
                                 DataTypeName(entry.dtype) + " " + entry.shape.DebugString() +
                                 " (expected " + std::to_string(expected) + " bytes)");
    }
  } else if (entry.dtype == DataType::kString) {
    // At least one varint byte per element plus the 4-byte length checksum;
    // TensorFlow also accepts an empty payload for an empty tensor.
    const bool empty_ok = n == 0 && entry.size == 0;
    if (!empty_ok && entry.size < n + 4) {
      return EntryError(key, "invalid size " + std::to_string(entry.size) + " for string " +
                                 entry.shape.DebugString() + " (expected at least " +
                                 std::to_string(n + 4) + " bytes)");
    }
  }
  return entry;
}

void ShapeToProto(const TensorShape& shape, tensorflow::TensorShapeProto* proto) {
  proto->Clear();
  for (int64_t d : shape.dims()) proto->add_dim()->set_size(d);
}

uint32_t ExtendCrcWithLength(uint32_t crc, uint64_t length, bool big_endian) {
  // The checksum covers each length as a fixed-width integer in the writer's
  // byte order: 4 bytes, or 8 if the length does not fit in 32 bits.
  const int width = length <= UINT32_MAX ? 4 : 8;
  char buf[8];
  for (int i = 0; i < width; ++i) {
    const int shift = 8 * (big_endian ? width - 1 - i : i);
    buf[i] = static_cast<char>((length >> shift) & 0xff);
  }
  return crc32c::Extend(crc, buf, width);
}

uint32_t EncodeStringLengths(std::span<const std::string> strings, std::string* out) {
  uint32_t crc = 0;
  for (const std::string& s : strings) {
    uint64_t v = s.size();
    while (v >= 0x80) {
      out->push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out->push_back(static_cast<char>(v));
    crc = ExtendCrcWithLength(crc, s.size());
  }
  return crc;
}

namespace {

// Decodes a varint64 at bytes[*pos]; nullopt if truncated or longer than 64
// bits.
std::optional<uint64_t> ReadVarint64(std::string_view bytes, size_t* pos) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63 && *pos < bytes.size(); shift += 7) {
    const uint8_t byte = static_cast<uint8_t>(bytes[(*pos)++]);
    const uint64_t bits = byte & 0x7f;
    if (shift == 63 && bits > 1) return std::nullopt;  // more than 64 bits
    result |= bits << shift;
    if ((byte & 0x80) == 0) return result;
  }
  return std::nullopt;
}

uint32_t Load32(const char* p, bool big_endian) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(p[big_endian ? i : 3 - i]);
  return v;
}

}  // namespace

StatusOr<Tensor> DecodeStringTensor(std::string_view bytes, const TensorShape& shape,
                                    bool big_endian, uint32_t* crc) {
  const int64_t n = shape.num_elements();
  *crc = 0;
  if (bytes.empty() && n == 0) return Tensor::Create(DataType::kString, shape);
  // Every element has at least one varint byte, so the vector of lengths
  // below is bounded by the payload size.
  if (static_cast<uint64_t>(n) > bytes.size()) {
    return DataLossError("string payload of " + std::to_string(bytes.size()) +
                         " bytes cannot hold " + std::to_string(n) + " lengths");
  }
  std::vector<uint64_t> lengths(static_cast<size_t>(n));
  size_t pos = 0;
  uint32_t length_crc = 0;
  for (int64_t i = 0; i < n; ++i) {
    std::optional<uint64_t> len = ReadVarint64(bytes, &pos);
    if (!len.has_value()) {
      return DataLossError("string length " + std::to_string(i) + " (ending at payload byte " +
                           std::to_string(pos) + ") is not a valid varint64");
    }
    lengths[i] = *len;
    length_crc = ExtendCrcWithLength(length_crc, *len, big_endian);
  }
  if (bytes.size() - pos < 4) {
    return DataLossError("string payload ends inside the length checksum");
  }
  const uint32_t stored = crc32c::Unmask(Load32(bytes.data() + pos, big_endian));
  if (stored != length_crc) {
    char buf[96];
    std::snprintf(buf, sizeof(buf), "(stored 0x%08x, computed 0x%08x)", stored, length_crc);
    return DataLossError(std::string("string length checksum mismatch ") + buf);
  }
  uint32_t running = crc32c::Extend(length_crc, bytes.data() + pos, 4);
  pos += 4;
  const uint64_t remaining = bytes.size() - pos;
  uint64_t total = 0;
  for (uint64_t len : lengths) {
    if (!CheckedAdd(total, len, &total) || total > remaining) {
      return DataLossError("string lengths add up to more than the " + std::to_string(remaining) +
                           " payload bytes that follow them");
    }
  }
  if (total != remaining) {
    return DataLossError("string lengths add up to " + std::to_string(total) + " bytes but " +
                         std::to_string(remaining) + " payload bytes follow them");
  }
  running = crc32c::Extend(running, bytes.data() + pos, remaining);
  ASSIGN_OR_RETURN(Tensor tensor, Tensor::Create(DataType::kString, shape));
  std::span<std::string> out = tensor.mutable_flat<std::string>();
  for (int64_t i = 0; i < n; ++i) {
    out[i].assign(bytes.data() + pos, lengths[i]);
    pos += lengths[i];
  }
  *crc = running;
  return tensor;
}

void ByteSwapElements(DataType dtype, void* data, size_t bytes) {
  size_t width = DataTypeSize(dtype);
  if (dtype == DataType::kComplex64 || dtype == DataType::kComplex128) width /= 2;
  char* p = static_cast<char*>(data);
  if (width <= 1) return;
  for (size_t i = 0; i + width <= bytes; i += width) std::reverse(p + i, p + i + width);
}

}  // namespace tf1hub::bundle
