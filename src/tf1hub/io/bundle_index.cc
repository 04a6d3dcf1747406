#include "tf1hub/io/bundle_index.h"

#include <snappy.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>

#include "leveldb/comparator.h"
#include "leveldb/iterator.h"
#include "leveldb/options.h"
#include "leveldb/table.h"
#include "leveldb/table_builder.h"
#include "tf1hub/core/checked_math.h"
#include "tf1hub/core/crc32c.h"
#include "tf1hub/io/bundle_format.h"
#include "tf1hub/io/leveldb_file_adapters.h"

namespace tf1hub::bundle {
namespace {

// Table layout constants (LevelDB table/format.h).
constexpr uint64_t kTableMagic = 0xdb4775248b80fb57ull;
constexpr size_t kBlockTrailerSize = 5;  // type byte + masked CRC
constexpr uint8_t kNoCompression = 0;
constexpr uint8_t kSnappyCompression = 1;
// Snappy cannot expand input by more than ~22x (a 3-byte copy yields at most
// 64 bytes); a larger claimed size is corruption, not data.
constexpr uint64_t kMaxSnappyRatio = 32;

uint32_t Fixed32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

std::optional<uint64_t> Varint64(std::string_view s, size_t* pos) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63 && *pos < s.size(); shift += 7) {
    const uint8_t byte = static_cast<uint8_t>(s[(*pos)++]);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return result;
  }
  return std::nullopt;
}

struct Handle {
  uint64_t offset = 0;
  uint64_t size = 0;
};

std::string HandleString(const Handle& h) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "[%llu, +%llu)", static_cast<unsigned long long>(h.offset),
                static_cast<unsigned long long>(h.size));
  return buf;
}

StatusOr<Handle> DecodeHandle(std::string_view s, size_t* pos, const char* what) {
  std::optional<uint64_t> offset = Varint64(s, pos);
  std::optional<uint64_t> size = offset ? Varint64(s, pos) : std::nullopt;
  if (!size) return DataLossError(std::string("bad block handle for the ") + what);
  return Handle{*offset, *size};
}

// Checks that the block with its trailer lies in the blocks area and that its
// compression type is one TensorFlow knows; returns the type.
StatusOr<uint8_t> CheckBlock(std::string_view file, uint64_t blocks_end, const Handle& h,
                             const std::string& what) {
  uint64_t with_trailer;
  if (!CheckedAdd<uint64_t>(h.size, kBlockTrailerSize, &with_trailer) ||
      !RangeWithin(h.offset, with_trailer, blocks_end)) {
    return DataLossError(what + " " + HandleString(h) + " extends past the end of the " +
                         std::to_string(file.size()) + "-byte file (truncated?)");
  }
  const uint8_t type = static_cast<uint8_t>(file[h.offset + h.size]);
  if (type != kNoCompression && type != kSnappyCompression) {
    return DataLossError(what + " " + HandleString(h) + " has bad block type " +
                         std::to_string(type));
  }
  if (type == kSnappyCompression) {
    size_t ulength = 0;
    if (!snappy::GetUncompressedLength(file.data() + h.offset, h.size, &ulength) ||
        ulength > kMaxSnappyRatio * h.size + 64) {
      return DataLossError(what + " " + HandleString(h) + " is not valid Snappy data");
    }
  }
  return type;
}

// Verifies the masked CRC in the trailer of a block that passed CheckBlock;
// the CRC covers the stored bytes and the type byte.
Status VerifyBlockChecksum(std::string_view file, const Handle& h, const std::string& what) {
  const char* data = file.data() + h.offset;
  const uint32_t stored = crc32c::Unmask(Fixed32(data + h.size + 1));
  const uint32_t actual = crc32c::Value(data, h.size + 1);
  if (stored != actual) {
    char buf[96];
    std::snprintf(buf, sizeof(buf), " (stored 0x%08x, computed 0x%08x)", stored, actual);
    return DataLossError(what + " checksum mismatch" + buf);
  }
  return Status::OK();
}

// Returns the contents of the index block (checksum verified, decompressed).
StatusOr<std::string> ReadIndexBlock(std::string_view file, uint64_t blocks_end, const Handle& h) {
  ASSIGN_OR_RETURN(uint8_t type, CheckBlock(file, blocks_end, h, "index block"));
  RETURN_IF_ERROR(VerifyBlockChecksum(file, h, "index block"));
  const char* data = file.data() + h.offset;
  std::string contents;
  if (type == kNoCompression) {
    contents.assign(data, h.size);
  } else if (!snappy::Uncompress(data, h.size, &contents)) {
    return DataLossError("index block is not valid Snappy data");
  }
  return contents;
}

}  // namespace

Status CheckTableLayout(std::string_view file) {
  if (file.size() < kTableFooterSize) {
    return DataLossError("file is too short to be a checkpoint index (" +
                         std::to_string(file.size()) + " bytes; a LevelDB table has at least " +
                         std::to_string(kTableFooterSize) + ")");
  }
  const uint64_t blocks_end = file.size() - kTableFooterSize;
  const std::string_view footer = file.substr(blocks_end);
  const uint64_t magic = (static_cast<uint64_t>(Fixed32(footer.data() + 44)) << 32) |
                         Fixed32(footer.data() + 40);
  if (magic != kTableMagic) {
    return DataLossError("not a checkpoint index: bad LevelDB table magic number");
  }
  size_t pos = 0;
  const std::string_view handles = footer.substr(0, 40);
  ASSIGN_OR_RETURN(Handle metaindex, DecodeHandle(handles, &pos, "metaindex block"));
  ASSIGN_OR_RETURN(Handle index, DecodeHandle(handles, &pos, "index block"));
  RETURN_IF_ERROR(CheckBlock(file, blocks_end, metaindex, "metaindex block").status());
  RETURN_IF_ERROR(VerifyBlockChecksum(file, metaindex, "metaindex block"));
  ASSIGN_OR_RETURN(std::string block, ReadIndexBlock(file, blocks_end, index));

  // Index block: entries (shared, unshared, value_len varints, key delta,
  // value = data block handle) followed by the restart array.
  if (block.size() < 4) return DataLossError("index block is too short");
  const uint64_t num_restarts = Fixed32(block.data() + block.size() - 4);
  if (num_restarts > (block.size() - 4) / 4) {
    return DataLossError("index block has a bad restart count");
  }
  const std::string_view entries(block.data(), block.size() - 4 - 4 * num_restarts);
  pos = 0;
  int64_t count = 0;
  while (pos < entries.size()) {
    std::optional<uint64_t> shared = Varint64(entries, &pos);
    std::optional<uint64_t> unshared = shared ? Varint64(entries, &pos) : std::nullopt;
    std::optional<uint64_t> value_len = unshared ? Varint64(entries, &pos) : std::nullopt;
    if (!value_len || *unshared > entries.size() - pos ||
        *value_len > entries.size() - pos - *unshared) {
      return DataLossError("index block entry " + std::to_string(count) + " is malformed");
    }
    pos += *unshared;
    std::string_view value = entries.substr(pos, *value_len);
    pos += *value_len;
    size_t vpos = 0;
    ASSIGN_OR_RETURN(Handle data, DecodeHandle(value, &vpos, "data block"));
    RETURN_IF_ERROR(
        CheckBlock(file, blocks_end, data, "data block " + std::to_string(count)).status());
    ++count;
  }
  return Status::OK();
}

StatusOr<IndexContents> ReadIndexFile(FileSystem* fs, const std::string& path) {
  const std::string context = "checkpoint index '" + path + "'";
  ASSIGN_OR_RETURN(uint64_t file_size, fs->GetFileSize(path));
  if (file_size < kTableFooterSize) {
    return DataLossError(context + ": file is too short to be a checkpoint index (" +
                         std::to_string(file_size) + " bytes; a LevelDB table has at least " +
                         std::to_string(kTableFooterSize) + ")");
  }
  // Index files are small; a private copy (rather than a mapping) cannot
  // change under us while LevelDB parses it.
  ASSIGN_OR_RETURN(const std::string bytes, fs->ReadFileToString(path));
  RETURN_IF_ERROR_WITH_CONTEXT(CheckTableLayout(bytes), context);

  LevelDbRegionFile file(bytes.data(), bytes.size());
  leveldb::Options options;
  options.paranoid_checks = true;  // verify the index block checksum too
  leveldb::Table* raw_table = nullptr;
  RETURN_IF_ERROR(FromLevelDbStatus(leveldb::Table::Open(options, &file, bytes.size(), &raw_table),
                                    context));
  std::unique_ptr<leveldb::Table> table(raw_table);
  leveldb::ReadOptions read_options;
  read_options.verify_checksums = true;
  read_options.fill_cache = false;
  std::unique_ptr<leveldb::Iterator> it(table->NewIterator(read_options));

  IndexContents contents;
  it->SeekToFirst();
  if (!it->Valid() || !it->key().empty()) {
    RETURN_IF_ERROR(FromLevelDbStatus(it->status(), context));
    return DataLossError(context + ": missing header entry (the first key is " +
                         (it->Valid() ? QuoteKey(std::string_view(it->key().data(),
                                                                  it->key().size()))
                                      : std::string("absent: the table is empty")) +
                         ", expected '')");
  }
  if (!contents.header.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
    return DataLossError(context + ": unable to parse the header entry as a BundleHeaderProto");
  }
  RETURN_IF_ERROR_WITH_CONTEXT(CheckHeader(contents.header), context);
  for (it->Next(); it->Valid(); it->Next()) {
    std::string_view key(it->key().data(), it->key().size());
    const std::string_view previous =
        contents.entries.empty() ? kHeaderKey : std::string_view(contents.entries.back().first);
    if (key <= previous) {  // also rejects a second "" entry
      return DataLossError(context + ": keys out of order (" + QuoteKey(key) + " after " +
                           QuoteKey(previous) + ")");
    }
    contents.entries.emplace_back(std::string(key), it->value().ToString());
  }
  RETURN_IF_ERROR(FromLevelDbStatus(it->status(), context));
  return contents;
}

Status WriteIndexFile(FileSystem* fs, const std::string& path,
                      const tensorflow::BundleHeaderProto& header,
                      const std::map<std::string, tensorflow::BundleEntryProto>& entries) {
  const std::string context = "writing checkpoint index '" + path + "'";
  ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> out, fs->NewWritableFile(path));
  LevelDbWritableFile sink(out.get());
  leveldb::Options options;
  options.comparator = leveldb::BytewiseComparator();
  options.compression = leveldb::kNoCompression;
  options.block_size = kIndexBlockSize;
  options.block_restart_interval = kIndexBlockRestartInterval;
  options.filter_policy = nullptr;
  leveldb::TableBuilder builder(options, &sink);
  std::string value;
  header.SerializeToString(&value);
  builder.Add(leveldb::Slice(kHeaderKey.data(), kHeaderKey.size()), value);
  for (const auto& [key, entry] : entries) {
    entry.SerializeToString(&value);
    builder.Add(key, value);
  }
  leveldb::Status s = builder.Finish();
  if (s.ok()) s = sink.Close();
  if (!sink.status().ok()) return sink.status().WithContext(context);
  return FromLevelDbStatus(s, context);
}

}  // namespace tf1hub::bundle
