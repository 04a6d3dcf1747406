// V2 checkpoints ("tensor bundles"): PREFIX.index + PREFIX.data-NNNNN-of-MMMMM,
// read and written exactly as TensorFlow does, and the `checkpoint` state file.
//
//   ASSIGN_OR_RETURN(auto reader, CheckpointReader::Open("/ckpt/model.ckpt-100"));
//   for (const CheckpointEntryInfo& e : reader->Entries()) { ... }
//   ASSIGN_OR_RETURN(Tensor kernel, reader->Read("dense/kernel"));
//
//   ASSIGN_OR_RETURN(auto writer, CheckpointWriter::Create("/out/variables/variables"));
//   RETURN_IF_ERROR(writer->Add("dense/kernel", kernel));
//   RETURN_IF_ERROR(writer->Finish());
//
// Reading verifies the index's block checksums and every tensor's masked
// CRC-32C (large tensors in chunks on several cores); large memcpy-able
// tensors are returned as views over a memory map of the data file (no
// copy). Writing streams each tensor to the data file as it is added and
// keeps only the small index entries in memory; the files appear under
// their final names only when Finish() succeeds.
//
// Every error names the file and the tensor, e.g.
//   DATA_LOSS: checkpoint '/ckpt/model.ckpt-100': tensor 'dense/kernel' in
//   '/ckpt/model.ckpt-100.data-00000-of-00001': checksum mismatch
//   (stored 0x9eba690a, computed 0x32840cc6)
// Codes: NotFound (missing index, tensor or data file), DataLoss (anything
// corrupt: table structure, block checksums, header, entries, sizes,
// payload checksums), FailedPrecondition (a checkpoint format version this
// reader does not accept), InvalidArgument (bad requests: slices outside the
// tensor, slices not covered by the stored ones, bad writer input),
// Unimplemented (a dtype TensorFlow knows but tf1hub cannot hold, e.g.
// variant). Sizes in a checkpoint are checked against the real file sizes
// before anything is allocated.
//
// Thread safety: a CheckpointReader may be read from several threads at once.
// A CheckpointWriter is used by one thread.
#ifndef TF1HUB_CHECKPOINT_H_
#define TF1HUB_CHECKPOINT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tf1hub/env.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor.h"

namespace tf1hub {

// One extent of a slice: the whole dimension (length == -1) or
// [start, start + length).
struct SliceExtent {
  int64_t start = 0;
  int64_t length = -1;
  friend bool operator==(const SliceExtent&, const SliceExtent&) = default;
};

// A slice of a tensor: one extent per dimension.
struct TensorSlice {
  std::vector<SliceExtent> extents;
  // TensorFlow's text form: "0,5:-" (extents separated by ':').
  std::string DebugString() const;
  friend bool operator==(const TensorSlice&, const TensorSlice&) = default;
};

// "<dim0> <dim1> ... <slice>" as in SaveV2's shape_and_slices, e.g. "10 20 0,5:-".
Status ParseShapeAndSlice(const std::string& spec, TensorShape* full_shape, TensorSlice* slice);

struct CheckpointEntryInfo {
  std::string name;
  DataType dtype = DataType::kInvalid;
  TensorShape shape;                // full shape
  std::vector<TensorSlice> slices;  // non-empty for partitioned tensors
};

class CheckpointReader {
 public:
  struct Options {
    FileSystem* fs = nullptr;  // nullptr: PosixFileSystem()
    // Memcpy-able tensors at least this large are returned as views over a
    // memory map of their data file; smaller ones are copied. Each data file
    // is mapped at most once (on the first such read) and the mapping lives
    // as long as any view of it, even after the reader is destroyed. As with
    // any mapping, truncating a data file while views exist is undefined
    // (SIGBUS). Bundles written on big-endian machines are always copied.
    uint64_t mmap_threshold_bytes = 1 << 20;
    // Checksums of memcpy-able tensors of at least 2 * verify_chunk_bytes
    // are verified in chunks of verify_chunk_bytes on up to verify_threads
    // threads: the calling thread plus helper threads the reader starts on
    // the first such read and joins when it is destroyed. 0 means one thread
    // per core (at most 8); 1 verifies on the calling thread only. Either
    // way every byte is checked and the results are the same. Negative
    // values or a zero chunk size make Open fail with InvalidArgument.
    int verify_threads = 0;
    uint64_t verify_chunk_bytes = 1 << 20;
  };

  // `prefix` is a checkpoint prefix (PREFIX.index must exist) or a directory
  // holding a `checkpoint` state file, meaning its latest checkpoint.
  // Open reads and checks the whole index (every entry); data files are
  // opened on first use.
  static StatusOr<std::unique_ptr<CheckpointReader>> Open(const std::string& prefix);
  static StatusOr<std::unique_ptr<CheckpointReader>> Open(const std::string& prefix,
                                                          const Options& options);
  virtual ~CheckpointReader() = default;

  // The resolved prefix.
  virtual const std::string& prefix() const = 0;
  // Every tensor, sorted by name (slice entries are folded into their tensor).
  virtual const std::vector<CheckpointEntryInfo>& Entries() const = 0;
  virtual bool Contains(const std::string& name) const = 0;
  virtual StatusOr<CheckpointEntryInfo> GetInfo(const std::string& name) const = 0;

  // The whole tensor (partitioned tensors are assembled from their slices;
  // InvalidArgument "does not have sufficient slices" if they do not cover
  // it). Payloads of big-endian bundles are byte-swapped after their
  // checksum is verified.
  virtual StatusOr<Tensor> Read(const std::string& name) const = 0;
  // One slice of a tensor (partitioned or not), assembled from the stored
  // slices that cover it.
  virtual StatusOr<Tensor> ReadSlice(const std::string& name, const TensorSlice& slice) const = 0;
};

class CheckpointWriter {
 public:
  struct Options {
    FileSystem* fs = nullptr;  // nullptr: PosixFileSystem()
  };
  static StatusOr<std::unique_ptr<CheckpointWriter>> Create(const std::string& prefix);
  static StatusOr<std::unique_ptr<CheckpointWriter>> Create(const std::string& prefix,
                                                            const Options& options);
  // Abandons (deletes the temporary files) unless Finish() succeeded.
  virtual ~CheckpointWriter() = default;

  // Adds a whole tensor (any numeric dtype, bool or string). Names must be
  // unique and non-empty (InvalidArgument otherwise, and the writer stays
  // usable). The bytes go to the temporary data file now; an I/O error makes
  // the writer unusable. Output is byte-identical to TensorFlow's for the
  // same tensors added in the same order.
  virtual Status Add(const std::string& name, const Tensor& tensor) = 0;
  // Adds one slice of a partitioned tensor of `full_shape`; `slice_tensor`
  // holds the slice's values. A slice covering the whole tensor is an Add.
  // Slices of one name must agree on dtype and full shape and not overlap.
  virtual Status AddSlice(const std::string& name, const TensorShape& full_shape,
                          const TensorSlice& slice, const Tensor& slice_tensor) = 0;
  // Writes the index and renames the files into place.
  virtual Status Finish() = 0;
};

// Merges single-shard checkpoints into one multi-shard checkpoint at `dest`,
// as TensorFlow's MergeV2Checkpoints does (data files renamed, inputs'
// index files deleted), with the same bytes. Slices of a partitioned tensor
// saved in different inputs are combined; any other repeated name is
// InvalidArgument. All inputs are checked before any file is touched.
Status MergeCheckpoints(const std::vector<std::string>& prefixes, const std::string& dest,
                        FileSystem* fs = nullptr);

// The `checkpoint` state file (text-format CheckpointState).
struct CheckpointState {
  std::string model_checkpoint_path;
  std::vector<std::string> all_model_checkpoint_paths;
  std::vector<double> all_model_checkpoint_timestamps;
  std::optional<double> last_preserved_timestamp;
};

// Reads `dir`/checkpoint; relative paths are joined onto `dir` (like
// tf.train.get_checkpoint_state). NotFound if there is no state file.
StatusOr<CheckpointState> ReadCheckpointState(const std::string& dir, FileSystem* fs = nullptr);
// Writes `dir`/checkpoint atomically; paths inside `dir` are written relative
// to it when `relative` is true.
Status WriteCheckpointState(const std::string& dir, const CheckpointState& state,
                            bool relative = true, FileSystem* fs = nullptr);
// Like tf.train.latest_checkpoint: the state's model_checkpoint_path if
// PREFIX.index exists; NotFound otherwise (with the reason).
StatusOr<std::string> LatestCheckpoint(const std::string& dir, FileSystem* fs = nullptr);

}  // namespace tf1hub

#endif  // TF1HUB_CHECKPOINT_H_
