// BundleWriter: the CheckpointWriter implementation (see
// include/tf1hub/checkpoint.h for the contract).
//
// Files while writing (TensorFlow's scheme, TF_FORMATS.md §2.1):
//   PREFIX.data-00000-of-00001.tempstate<random>   payloads, appended per Add
//   PREFIX.index.tempstate<random>                 written by Finish
// Finish renames the data file into place first and the index last, so a
// reader never sees an index without its data. Output bytes equal
// TensorFlow's BundleWriter for the same tensors added in the same order
// (alignment 1, no index compression).
//
// Thread safety: one thread at a time.
#ifndef TF1HUB_IO_BUNDLE_WRITER_H_
#define TF1HUB_IO_BUNDLE_WRITER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "tf1hub/checkpoint.h"
#include "tf1hub/env.h"
#include "tf1hub/proto/tensor_bundle.pb.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor.h"

namespace tf1hub {

// Appends to a file through a fixed buffer and keeps a running CRC-32C of
// the bytes as copied into the buffer (not of the caller's memory, which
// another thread might change meanwhile). The file receives whole buffers
// at offsets that are multiples of kBufferSize (the last piece may be
// shorter).
class ChecksummedFileOutput {
 public:
  static constexpr size_t kBufferSize = size_t{1} << 20;

  explicit ChecksummedFileOutput(std::unique_ptr<WritableFile> file);

  Status Append(std::string_view data);
  // Sets the running checksum (the next Append extends it).
  void ResetCrc(uint32_t crc = 0) { crc_ = crc; }
  uint32_t crc() const { return crc_; }
  // Bytes appended so far.
  uint64_t position() const { return position_; }
  Status Close();

 private:
  Status FlushBuffer();

  std::unique_ptr<WritableFile> file_;
  std::unique_ptr<char[]> buffer_;
  size_t used_ = 0;
  uint64_t position_ = 0;
  uint32_t crc_ = 0;
};

class BundleWriter final : public CheckpointWriter {
 public:
  static StatusOr<std::unique_ptr<CheckpointWriter>> Create(const std::string& prefix,
                                                            const Options& options);
  ~BundleWriter() override;

  Status Add(const std::string& name, const Tensor& tensor) override;
  Status AddSlice(const std::string& name, const TensorShape& full_shape,
                  const TensorSlice& slice, const Tensor& slice_tensor) override;
  Status Finish() override;

 private:
  BundleWriter(FileSystem* fs, std::string prefix);

  // Streams the payload of `tensor` and records its entry under `key`.
  Status WriteEntry(const std::string& key, const Tensor& tensor);
  Status WritePayload(const Tensor& tensor);
  Status CheckUsable() const;
  // Makes `status` sticky and returns it with the checkpoint as context.
  Status Fail(const Status& status);
  void DeleteTempFiles();

  FileSystem* fs_;
  std::string prefix_;
  std::string data_temp_path_;
  std::string index_temp_path_;
  std::unique_ptr<ChecksummedFileOutput> out_;
  std::map<std::string, tensorflow::BundleEntryProto> entries_;
  Status status_;
  bool finished_ = false;
};

}  // namespace tf1hub

#endif  // TF1HUB_IO_BUNDLE_WRITER_H_
