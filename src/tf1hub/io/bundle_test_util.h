// Test helpers for the tensor bundle: scratch directories, whole-file edits
// (bit flips, truncation, overwrites), rewriting an index table entry by
// entry, and building raw LevelDB table bytes by hand for structural attacks.
//
//   ScratchDir dir;                                   // removed at scope exit
//   CorruptFile::FlipBit(fs, path, 17, 3);            // byte 17, bit 3
//   EditIndexEntry(fs, prefix, "w", [](tensorflow::BundleEntryProto* e) {
//     e->set_size(e->size() + 1);
//   });
//
// Helpers report failures through gtest (ADD_FAILURE) so tests stay short.
#ifndef TF1HUB_IO_BUNDLE_TEST_UTIL_H_
#define TF1HUB_IO_BUNDLE_TEST_UTIL_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "leveldb/options.h"
#include "tf1hub/core/temp_dir_test_util.h"
#include "tf1hub/env.h"
#include "tf1hub/proto/tensor_bundle.pb.h"
#include "tf1hub/tensor.h"

namespace tf1hub::testing {

// A fresh tf1hub_bundle_test_XXXXXX directory, deleted recursively at scope
// exit (temp_dir_test_util.h).
class ScratchDir : public ScopedTempDir {
 public:
  ScratchDir() : ScopedTempDir("tf1hub_bundle_test") {}
};

// Whole-file helpers; failures are gtest failures.
std::string ReadAll(FileSystem* fs, const std::string& path);
void WriteAll(FileSystem* fs, const std::string& path, std::string_view contents);

struct CorruptFile {
  static void FlipBit(FileSystem* fs, const std::string& path, uint64_t byte, int bit);
  static void Truncate(FileSystem* fs, const std::string& path, uint64_t size);
  static void Overwrite(FileSystem* fs, const std::string& path, uint64_t offset,
                        std::string_view bytes);
};

// "08 01 1a" -> bytes; whitespace ignored.
std::string FromHex(std::string_view hex);
std::string ToHex(std::string_view bytes);

// Little-endian fixed32 bytes.
std::string Fixed32(uint32_t v);
std::string Varint(uint64_t v);

// All (key, value) pairs of a LevelDB table file, read with LevelDB directly
// (no bundle checks). Keys in table order.
std::vector<std::pair<std::string, std::string>> ReadRawIndex(FileSystem* fs,
                                                              const std::string& path);
// Writes a LevelDB table with the given entries (must be sorted and unique:
// Debian's LevelDB asserts it).
struct RawIndexOptions {
  leveldb::CompressionType compression = leveldb::kNoCompression;
  size_t block_size = 262144;
};
void WriteRawIndex(FileSystem* fs, const std::string& path,
                   const std::vector<std::pair<std::string, std::string>>& entries,
                   RawIndexOptions options = {});

// Rewrites PREFIX.index with one entry's value changed (LevelDB checksums
// stay valid, so only the bundle-level checks can catch the change).
void EditIndexValue(FileSystem* fs, const std::string& prefix, const std::string& key,
                    const std::function<void(std::string*)>& edit);
void EditIndexEntry(FileSystem* fs, const std::string& prefix, const std::string& key,
                    const std::function<void(tensorflow::BundleEntryProto*)>& edit);
void EditHeader(FileSystem* fs, const std::string& prefix,
                const std::function<void(tensorflow::BundleHeaderProto*)>& edit);
// Applies `edit` to the full list of raw index entries and rewrites the file.
void EditIndex(FileSystem* fs, const std::string& prefix,
               const std::function<void(std::vector<std::pair<std::string, std::string>>*)>& edit);

// Raw table construction, independent of LevelDB, for structural attacks:
// a block of (key, value) entries without prefix compression (restart
// interval 1) followed by its trailer (type byte + masked CRC of contents
// and type).
std::string RawBlock(const std::vector<std::pair<std::string, std::string>>& entries);
std::string RawBlockWithTrailer(std::string_view contents, uint8_t type = 0);
// Footer: metaindex handle, index handle, padding to 40 bytes, magic.
std::string RawFooter(uint64_t meta_offset, uint64_t meta_size, uint64_t index_offset,
                      uint64_t index_size);

// Writes a checkpoint with our writer (gtest failure on error).
void WriteCheckpoint(FileSystem* fs, const std::string& prefix,
                     const std::vector<std::pair<std::string, Tensor>>& tensors);

// Tensor makers for tests.
Tensor FloatTensor(std::vector<float> values, std::vector<int64_t> dims);
Tensor StringTensor(std::vector<std::string> values, std::vector<int64_t> dims);

}  // namespace tf1hub::testing

#endif  // TF1HUB_IO_BUNDLE_TEST_UTIL_H_
