// Reading and writing the checkpoint index file (PREFIX.index), a LevelDB
// table mapping "" to the BundleHeaderProto and each tensor name to its
// serialized BundleEntryProto (TF_FORMATS.md §2.2-2.4).
//
// Reading goes through Debian's LevelDB (leveldb::Table, checksums verified,
// Snappy blocks accepted), but only after CheckTableLayout has checked the
// footer and every block handle against the real file size: LevelDB
// allocates a block's stated size before reading it, so a hostile handle
// must never reach it.
//
// Writing uses leveldb::TableBuilder with TensorFlow's options (no
// compression, 256 KiB blocks, restart interval 16, no filter), which gives
// byte-identical files.
//
// Thread safety: pure functions over the given FileSystem.
#ifndef TF1HUB_IO_BUNDLE_INDEX_H_
#define TF1HUB_IO_BUNDLE_INDEX_H_

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tf1hub/env.h"
#include "tf1hub/proto/tensor_bundle.pb.h"
#include "tf1hub/status.h"

namespace tf1hub::bundle {

// Size of the LevelDB table footer; smaller files are not tables.
inline constexpr size_t kTableFooterSize = 48;

struct IndexContents {
  tensorflow::BundleHeaderProto header;  // parsed and checked (CheckHeader)
  // Every other entry, keys strictly increasing, values unparsed.
  std::vector<std::pair<std::string, std::string>> entries;
};

// Checks the table's structure in `file` (its whole bytes): footer magic,
// metaindex and index handles, the index block's checksum and type, and
// every data block handle and compression type, with sizes bounded by the
// file. DataLoss describing the first problem; no context added.
Status CheckTableLayout(std::string_view file);

// Reads and checks `path`. Errors are prefixed with
// "checkpoint index '<path>'".
StatusOr<IndexContents> ReadIndexFile(FileSystem* fs, const std::string& path);

// Writes header + entries (sorted by key) to `path` (created or truncated).
Status WriteIndexFile(FileSystem* fs, const std::string& path,
                      const tensorflow::BundleHeaderProto& header,
                      const std::map<std::string, tensorflow::BundleEntryProto>& entries);

}  // namespace tf1hub::bundle

#endif  // TF1HUB_IO_BUNDLE_INDEX_H_
