// Tensor: a typed, shaped, reference-counted n-dimensional array.
//
// Buffers are 64-byte aligned when tf1hub allocates them. A Tensor may also be
// a view over memory it does not own (for example a memory-mapped checkpoint
// data file); the view keeps its owner alive through a shared_ptr.
// Copying a Tensor shares the buffer, like TensorFlow's Tensor; use Copy()
// for a deep copy. DT_STRING tensors hold std::string elements.
//
//   ASSIGN_OR_RETURN(TensorShape shape, TensorShape::Create({2, 2}));
//   ASSIGN_OR_RETURN(Tensor t, Tensor::Create(DataType::kFloat, shape));
//   std::span<float> v = t.mutable_flat<float>();
//   v[0] = 1.0f;
//
// Thread safety: concurrent reads of one buffer are safe; writes to a shared
// buffer must be synchronised by the caller.
#ifndef TF1HUB_TENSOR_H_
#define TF1HUB_TENSOR_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "tf1hub/data_type.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub {

inline constexpr size_t kTensorAlignment = 64;

class Tensor {
 public:
  // An uninitialised tensor: dtype kInvalid, no buffer.
  Tensor() = default;

  // Allocates a zero-filled tensor (strings empty). Fails with
  // InvalidArgument for unsupported dtypes and ResourceExhausted if the
  // memory cannot be had.
  static StatusOr<Tensor> Create(DataType dtype, const TensorShape& shape);

  // A tensor over `bytes` of existing memory holding a memcpy-able dtype in
  // row-major little-endian order. `keep_alive` is held as long as any tensor
  // shares this buffer. `bytes` must equal num_elements * DataTypeSize.
  // If `data` is not aligned to the element size the bytes are copied into a
  // fresh aligned buffer instead (so kernels may always assume alignment).
  static StatusOr<Tensor> CreateView(DataType dtype, const TensorShape& shape,
                                     const void* data, size_t bytes,
                                     std::shared_ptr<const void> keep_alive);

  // Convenience constructors.
  template <typename T>
  static Tensor Scalar(T value);
  template <typename T>
  static StatusOr<Tensor> FromVector(const std::vector<T>& values, const TensorShape& shape);

  bool IsInitialized() const { return buffer_ != nullptr || dtype_ != DataType::kInvalid; }
  DataType dtype() const { return dtype_; }
  const TensorShape& shape() const { return shape_; }
  int64_t NumElements() const { return shape_.num_elements(); }
  // Bytes of element storage: num_elements * DataTypeSize (0 for strings).
  size_t TotalBytes() const;

  // Raw element storage (memcpy-able dtypes). nullptr for empty tensors.
  const void* raw_data() const;
  void* mutable_raw_data();

  template <typename T>
  std::span<const T> flat() const {
    return {static_cast<const T*>(raw_data()), static_cast<size_t>(NumElements())};
  }
  template <typename T>
  std::span<T> mutable_flat() {
    return {static_cast<T*>(mutable_raw_data()), static_cast<size_t>(NumElements())};
  }
  template <typename T>
  const T& scalar() const { return flat<T>()[0]; }

  // True if both tensors use the same buffer.
  bool SharesBufferWith(const Tensor& other) const { return buffer_ && buffer_ == other.buffer_; }
  // True if this tensor views memory it does not own (e.g. a mapped file).
  bool IsView() const;

  // Deep copy into a freshly allocated buffer.
  StatusOr<Tensor> Copy() const;
  // Same buffer, new shape with the same number of elements.
  StatusOr<Tensor> Reshaped(const TensorShape& shape) const;

  // "Tensor<float32, [2,2]: 1 2 3 4>", at most `max_entries` values.
  std::string DebugString(int max_entries = 10) const;

  // Opaque shared storage; exposed for the runtime, not for users.
  class Buffer;

 private:
  Tensor(DataType dtype, TensorShape shape, std::shared_ptr<Buffer> buffer)
      : dtype_(dtype), shape_(std::move(shape)), buffer_(std::move(buffer)) {}

  DataType dtype_ = DataType::kInvalid;
  TensorShape shape_;
  std::shared_ptr<Buffer> buffer_;
};

// True if dtype, shape and every element's bytes (strings: contents) match.
bool BitwiseEqual(const Tensor& a, const Tensor& b);

template <typename T>
Tensor Tensor::Scalar(T value) {
  Tensor t = *Create(DataTypeOf<T>::value, TensorShape());
  t.mutable_flat<T>()[0] = std::move(value);
  return t;
}

template <typename T>
StatusOr<Tensor> Tensor::FromVector(const std::vector<T>& values, const TensorShape& shape) {
  if (static_cast<int64_t>(values.size()) != shape.num_elements()) {
    return InvalidArgumentError("Tensor::FromVector: " + std::to_string(values.size()) +
                                " values for shape " + shape.DebugString());
  }
  ASSIGN_OR_RETURN(Tensor t, Create(DataTypeOf<T>::value, shape));
  std::span<T> out = t.mutable_flat<T>();
  for (size_t i = 0; i < values.size(); ++i) out[i] = values[i];
  return t;
}

}  // namespace tf1hub

#endif  // TF1HUB_TENSOR_H_
