// BundleReader: the CheckpointReader implementation (see
// include/tf1hub/checkpoint.h for the contract).
//
// Open reads the whole index once (LevelDB table, block checksums verified),
// checks the header and every entry (bundle::ParseEntry), and keeps the
// parsed entries in memory; the index file is not touched again. Data files
// are opened lazily, once each, on the first read that needs them; a data
// file is memory-mapped (one shared mapping per file) the first time a
// tensor of at least Options::mmap_threshold_bytes is read from it, and such
// tensors are views of the mapping (the mapping lives as long as any view).
//
// Every read checks the entry's range against the data file's real size
// before allocating, and verifies the masked CRC-32C before returning;
// large payloads are checksummed in chunks on a ParallelCrc32c owned by the
// reader (Options::verify_threads, verify_chunk_bytes).
// Bundles written on big-endian machines (header endianness BIG) are read by
// byte-swapping memcpy-able payloads after the checksum check (so they are
// copied, never mapped); their string length checksums follow the writer's
// byte order.
//
// Thread safety: all methods may be called concurrently.
#ifndef TF1HUB_IO_BUNDLE_READER_H_
#define TF1HUB_IO_BUNDLE_READER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tf1hub/checkpoint.h"
#include "tf1hub/env.h"
#include "tf1hub/io/bundle_format.h"
#include "tf1hub/io/parallel_crc32c.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor.h"

namespace tf1hub {

class BundleReader final : public CheckpointReader {
 public:
  static StatusOr<std::unique_ptr<CheckpointReader>> Open(const std::string& prefix,
                                                          const Options& options);

  const std::string& prefix() const override { return prefix_; }
  const std::vector<CheckpointEntryInfo>& Entries() const override { return infos_; }
  bool Contains(const std::string& name) const override;
  StatusOr<CheckpointEntryInfo> GetInfo(const std::string& name) const override;
  StatusOr<Tensor> Read(const std::string& name) const override;
  StatusOr<Tensor> ReadSlice(const std::string& name, const TensorSlice& slice) const override;

 private:
  // One data file, opened on first use.
  struct DataFile {
    std::string path;
    std::unique_ptr<RandomAccessFile> file;
    uint64_t size = 0;
    std::mutex region_mu;
    std::shared_ptr<const ReadOnlyMemoryRegion> region;  // mapped on first big read
  };

  BundleReader(FileSystem* fs, const Options& options, std::string prefix, int verify_threads)
      : fs_(fs),
        options_(options),
        prefix_(std::move(prefix)),
        crc_(verify_threads, static_cast<size_t>(options.verify_chunk_bytes)) {}

  Status Load();
  // The visible (non-slice-data) entry for `name`, or NotFound.
  StatusOr<const bundle::Entry*> Find(const std::string& name) const;
  StatusOr<std::shared_ptr<DataFile>> GetDataFile(int32_t shard_id) const;
  StatusOr<std::shared_ptr<const ReadOnlyMemoryRegion>> GetRegion(DataFile* file) const;
  // Opens the entry's data file and checks the entry's byte range fits it.
  StatusOr<std::shared_ptr<DataFile>> CheckedDataFile(const std::string& key,
                                                      const bundle::Entry& entry) const;
  // Reads a data entry (no slices).
  StatusOr<Tensor> ReadEntry(const std::string& key, const bundle::Entry& entry) const;
  StatusOr<Tensor> ReadMemcpyable(const std::string& key, const bundle::Entry& entry,
                                  DataFile* file) const;
  // Assembles `wanted` of a partitioned tensor from its stored slices.
  StatusOr<Tensor> ReadFromSlices(const std::string& name, const bundle::Entry& entry,
                                  const TensorSlice& wanted) const;
  Status DataError(const std::string& key, const DataFile& file, const Status& cause) const;

  FileSystem* fs_;
  Options options_;
  std::string prefix_;
  int32_t num_shards_ = 1;
  bool big_endian_file_ = false;  // header endianness
  bool swap_bytes_ = false;       // file order differs from the host's
  // Every index entry but the header, including slice data entries.
  std::map<std::string, bundle::Entry, std::less<>> entries_;
  std::vector<CheckpointEntryInfo> infos_;             // visible tensors, sorted
  std::map<std::string, size_t, std::less<>> visible_;  // name -> infos_ index

  mutable std::mutex mu_;
  mutable std::map<int32_t, std::shared_ptr<DataFile>> data_files_;
  // Payload checksums (thread-safe; its helper threads are joined before
  // the members above are destroyed).
  mutable ParallelCrc32c crc_;
};

}  // namespace tf1hub

#endif  // TF1HUB_IO_BUNDLE_READER_H_
