// Tensor::Buffer: the reference-counted storage behind a Tensor.
//
// Internal to tf1hub (the runtime and the checkpoint reader use it; users see
// only Tensor). A Buffer is either
//   * owned: a 64-byte aligned allocation made by tf1hub. For DT_STRING it
//     holds `num_elements` constructed std::string objects, destroyed with
//     the buffer; for other dtypes it holds plain bytes; or
//   * a view: memory owned by someone else (e.g. a memory-mapped checkpoint
//     data file), kept alive by `keep_alive` for as long as the buffer lives.
//
// Because Buffer is a member of Tensor it may build Tensors around buffers
// (Wrap) and reach a Tensor's buffer (Of); those two are the runtime's hooks.
//
// Thread safety: immutable after construction except for the element bytes,
// which follow Tensor's rules.
#ifndef TF1HUB_CORE_TENSOR_BUFFER_H_
#define TF1HUB_CORE_TENSOR_BUFFER_H_

#include <cstddef>
#include <memory>

#include "tf1hub/data_type.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub {

class Tensor::Buffer {
 public:
  // Allocates storage for `num_elements` elements of `dtype` (a supported
  // tensor type). Strings are constructed empty; other types are zero-filled
  // when `zero_fill` is true and left uninitialised otherwise (for callers
  // that overwrite every byte at once). Zero elements allocate nothing.
  // ResourceExhausted (naming the byte count) if the memory cannot be had.
  static StatusOr<std::shared_ptr<Buffer>> Allocate(DataType dtype, int64_t num_elements,
                                                    bool zero_fill = true);

  // A non-owning buffer over `bytes` bytes at `data`; `keep_alive` is held
  // until the buffer is destroyed. Never for DT_STRING.
  static std::shared_ptr<Buffer> View(void* data, size_t bytes,
                                      std::shared_ptr<const void> keep_alive);

  ~Buffer();
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  // Element storage; nullptr when there are no elements.
  void* data() const { return data_; }
  // Bytes of storage (for strings: num_strings * sizeof(std::string)).
  size_t size() const { return size_; }
  bool owned() const { return owned_; }

  // Runtime hooks (Buffer is a member of Tensor, so it may use Tensor's
  // private constructor and fields). `buffer` must be large enough for
  // `shape` and `dtype`; the caller guarantees it.
  static Tensor Wrap(DataType dtype, TensorShape shape, std::shared_ptr<Buffer> buffer) {
    return Tensor(dtype, std::move(shape), std::move(buffer));
  }
  static const std::shared_ptr<Buffer>& Of(const Tensor& tensor) { return tensor.buffer_; }

 private:
  Buffer() = default;

  void* data_ = nullptr;
  size_t size_ = 0;
  bool owned_ = true;
  size_t num_strings_ = 0;  // constructed std::string objects in data_
  std::shared_ptr<const void> keep_alive_;
};

}  // namespace tf1hub

#endif  // TF1HUB_CORE_TENSOR_BUFFER_H_
