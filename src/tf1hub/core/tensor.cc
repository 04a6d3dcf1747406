#include "tf1hub/tensor.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <new>
#include <string>

#include "tf1hub/core/checked_math.h"
#include "tf1hub/core/tensor_buffer.h"

namespace tf1hub {

// ---------------------------------------------------------------------------
// Tensor::Buffer

StatusOr<std::shared_ptr<Tensor::Buffer>> Tensor::Buffer::Allocate(DataType dtype,
                                                                   int64_t num_elements,
                                                                   bool zero_fill) {
  if (!IsSupportedTensorType(dtype)) {
    return InvalidArgumentError("[Tensor] cannot allocate a tensor of dtype " +
                                DataTypeName(dtype));
  }
  if (num_elements < 0) {
    return InvalidArgumentError("[Tensor] negative element count " +
                                std::to_string(num_elements));
  }
  const bool is_string = dtype == DataType::kString;
  const size_t element_size = is_string ? sizeof(std::string) : DataTypeSize(dtype);
  size_t bytes = 0;
  if (!CheckedMul(static_cast<size_t>(num_elements), element_size, &bytes)) {
    return ResourceExhaustedError("[Tensor] " + std::to_string(num_elements) + " elements of " +
                                  DataTypeName(dtype) + " do not fit in memory");
  }
  std::shared_ptr<Buffer> buffer(new Buffer());
  if (bytes == 0) return buffer;
  // Requests beyond the 47-bit user address space of x86-64 and arm64 Linux
  // cannot succeed; refusing them up front also keeps sanitizer allocators
  // (which abort on absurd sizes) out of the way.
  constexpr size_t kMaxAllocationBytes = size_t{1} << 47;
  void* data = bytes > kMaxAllocationBytes
                   ? nullptr
                   : ::operator new(bytes, std::align_val_t(kTensorAlignment), std::nothrow);
  if (data == nullptr) {
    return ResourceExhaustedError("[Tensor] out of memory allocating " + std::to_string(bytes) +
                                  " bytes for " + std::to_string(num_elements) +
                                  " elements of " + DataTypeName(dtype));
  }
  buffer->data_ = data;
  buffer->size_ = bytes;
  if (is_string) {
    auto* strings = static_cast<std::string*>(data);
    for (int64_t i = 0; i < num_elements; ++i) new (&strings[i]) std::string();
    buffer->num_strings_ = static_cast<size_t>(num_elements);
  } else if (zero_fill) {
    std::memset(data, 0, bytes);
  }
  return buffer;
}

std::shared_ptr<Tensor::Buffer> Tensor::Buffer::View(void* data, size_t bytes,
                                                     std::shared_ptr<const void> keep_alive) {
  std::shared_ptr<Buffer> buffer(new Buffer());
  buffer->data_ = bytes == 0 ? nullptr : data;
  buffer->size_ = bytes;
  buffer->owned_ = false;
  buffer->keep_alive_ = std::move(keep_alive);
  return buffer;
}

Tensor::Buffer::~Buffer() {
  if (!owned_ || data_ == nullptr) return;
  auto* strings = static_cast<std::string*>(data_);
  for (size_t i = 0; i < num_strings_; ++i) strings[i].~basic_string();
  ::operator delete(data_, std::align_val_t(kTensorAlignment));
}

// ---------------------------------------------------------------------------
// Tensor

StatusOr<Tensor> Tensor::Create(DataType dtype, const TensorShape& shape) {
  ASSIGN_OR_RETURN(std::shared_ptr<Buffer> buffer, Buffer::Allocate(dtype, shape.num_elements()));
  return Tensor(dtype, shape, std::move(buffer));
}

StatusOr<Tensor> Tensor::CreateView(DataType dtype, const TensorShape& shape, const void* data,
                                    size_t bytes, std::shared_ptr<const void> keep_alive) {
  if (!IsSupportedTensorType(dtype) || !IsMemcpyable(dtype)) {
    return InvalidArgumentError("[Tensor::CreateView] dtype " + DataTypeName(dtype) +
                                " cannot be viewed over raw bytes");
  }
  const size_t element_size = DataTypeSize(dtype);
  const size_t expected = static_cast<size_t>(shape.num_elements()) * element_size;
  if (bytes != expected) {
    return InvalidArgumentError("[Tensor::CreateView] " + std::to_string(bytes) +
                                " bytes given for a " + DataTypeName(dtype) + " tensor of shape " +
                                shape.DebugString() + ", which needs " + std::to_string(expected));
  }
  if (bytes > 0 && data == nullptr) {
    return InvalidArgumentError("[Tensor::CreateView] null data for " + std::to_string(bytes) +
                                " bytes");
  }
  // Kernels may assume natural alignment; a misaligned view (possible inside
  // a checkpoint data file, whose tensors are packed) is copied instead.
  const size_t alignment = element_size < 8 ? element_size : 8;
  if (bytes > 0 && reinterpret_cast<uintptr_t>(data) % alignment != 0) {
    ASSIGN_OR_RETURN(std::shared_ptr<Buffer> buffer,
                     Buffer::Allocate(dtype, shape.num_elements(), /*zero_fill=*/false));
    std::memcpy(buffer->data(), data, bytes);
    return Tensor(dtype, shape, std::move(buffer));
  }
  return Tensor(dtype, shape,
                Buffer::View(const_cast<void*>(data), bytes, std::move(keep_alive)));
}

size_t Tensor::TotalBytes() const {
  return static_cast<size_t>(NumElements()) * DataTypeSize(dtype_);
}

const void* Tensor::raw_data() const { return buffer_ ? buffer_->data() : nullptr; }
void* Tensor::mutable_raw_data() { return buffer_ ? buffer_->data() : nullptr; }

bool Tensor::IsView() const { return buffer_ != nullptr && !buffer_->owned(); }

StatusOr<Tensor> Tensor::Copy() const {
  if (!IsInitialized()) return Tensor();
  ASSIGN_OR_RETURN(std::shared_ptr<Buffer> buffer,
                   Buffer::Allocate(dtype_, NumElements(), /*zero_fill=*/false));
  if (dtype_ == DataType::kString) {
    auto* out = static_cast<std::string*>(buffer->data());
    std::span<const std::string> in = flat<std::string>();
    for (size_t i = 0; i < in.size(); ++i) out[i] = in[i];
  } else if (TotalBytes() > 0) {
    std::memcpy(buffer->data(), raw_data(), TotalBytes());
  }
  return Tensor(dtype_, shape_, std::move(buffer));
}

StatusOr<Tensor> Tensor::Reshaped(const TensorShape& shape) const {
  if (shape.num_elements() != NumElements()) {
    return InvalidArgumentError("[Tensor::Reshaped] cannot reshape a tensor of shape " +
                                shape_.DebugString() + " (" + std::to_string(NumElements()) +
                                " elements) into shape " + shape.DebugString() + " (" +
                                std::to_string(shape.num_elements()) + " elements)");
  }
  return Tensor(dtype_, shape, buffer_);
}

// ---------------------------------------------------------------------------
// DebugString

namespace {

float HalfToFloat(uint16_t h) {
  const int sign = (h >> 15) & 1;
  const int exponent = (h >> 10) & 0x1f;
  const int mantissa = h & 0x3ff;
  float value;
  if (exponent == 0) {
    value = std::ldexp(static_cast<float>(mantissa), -24);  // zero or subnormal
  } else if (exponent == 31) {
    value = mantissa == 0 ? INFINITY : NAN;
  } else {
    value = std::ldexp(static_cast<float>(mantissa | 0x400), exponent - 25);
  }
  return sign ? -value : value;
}

float BFloat16ToFloat(uint16_t b) {
  const uint32_t bits = static_cast<uint32_t>(b) << 16;
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

template <typename F>
void AppendFloat(std::string* out, F value) {
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof(buf), value);
  out->append(buf, result.ptr);
}

template <typename I>
void AppendInt(std::string* out, I value) {
  out->append(std::to_string(value));
}

void AppendQuotedString(std::string* out, const std::string& s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else if (c == '\n') {
      out->append("\\n");
    } else if (c < 0x20 || c >= 0x7f) {
      out->append("\\x");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 15]);
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
  out->push_back('"');
}

void AppendElement(std::string* out, const Tensor& t, size_t i) {
  switch (t.dtype()) {
    case DataType::kFloat: return AppendFloat(out, t.flat<float>()[i]);
    case DataType::kDouble: return AppendFloat(out, t.flat<double>()[i]);
    case DataType::kHalf: return AppendFloat(out, HalfToFloat(t.flat<uint16_t>()[i]));
    case DataType::kBfloat16: return AppendFloat(out, BFloat16ToFloat(t.flat<uint16_t>()[i]));
    case DataType::kInt8:
    case DataType::kQint8: return AppendInt(out, static_cast<int>(t.flat<int8_t>()[i]));
    case DataType::kUint8:
    case DataType::kQuint8: return AppendInt(out, static_cast<int>(t.flat<uint8_t>()[i]));
    case DataType::kInt16:
    case DataType::kQint16: return AppendInt(out, t.flat<int16_t>()[i]);
    case DataType::kUint16:
    case DataType::kQuint16: return AppendInt(out, t.flat<uint16_t>()[i]);
    case DataType::kInt32:
    case DataType::kQint32: return AppendInt(out, t.flat<int32_t>()[i]);
    case DataType::kUint32: return AppendInt(out, t.flat<uint32_t>()[i]);
    case DataType::kInt64: return AppendInt(out, t.flat<int64_t>()[i]);
    case DataType::kUint64: return AppendInt(out, t.flat<uint64_t>()[i]);
    case DataType::kBool: return AppendInt(out, t.flat<uint8_t>()[i] != 0 ? 1 : 0);
    case DataType::kComplex64: {
      const Complex64 c = t.flat<Complex64>()[i];
      out->push_back('(');
      AppendFloat(out, c.real());
      out->push_back(',');
      AppendFloat(out, c.imag());
      out->push_back(')');
      return;
    }
    case DataType::kComplex128: {
      const Complex128 c = t.flat<Complex128>()[i];
      out->push_back('(');
      AppendFloat(out, c.real());
      out->push_back(',');
      AppendFloat(out, c.imag());
      out->push_back(')');
      return;
    }
    case DataType::kString: return AppendQuotedString(out, t.flat<std::string>()[i]);
    default: out->push_back('?'); return;
  }
}

}  // namespace

std::string Tensor::DebugString(int max_entries) const {
  if (!IsInitialized()) return "Tensor<uninitialized>";
  std::string out = "Tensor<" + DataTypeName(dtype_) + ", " + shape_.DebugString() + ":";
  const size_t n = static_cast<size_t>(NumElements());
  const size_t shown = max_entries < 0 ? 0 : std::min(n, static_cast<size_t>(max_entries));
  for (size_t i = 0; i < shown; ++i) {
    out.push_back(' ');
    AppendElement(&out, *this, i);
  }
  if (shown < n) out += " ...";
  out.push_back('>');
  return out;
}

// ---------------------------------------------------------------------------

bool BitwiseEqual(const Tensor& a, const Tensor& b) {
  if (a.dtype() != b.dtype() || !(a.shape() == b.shape())) return false;
  if (a.IsInitialized() != b.IsInitialized()) return false;
  if (!a.IsInitialized() || a.NumElements() == 0) return true;
  if (a.dtype() == DataType::kString) {
    std::span<const std::string> x = a.flat<std::string>();
    std::span<const std::string> y = b.flat<std::string>();
    for (size_t i = 0; i < x.size(); ++i) {
      if (x[i] != y[i]) return false;
    }
    return true;
  }
  if (a.raw_data() == b.raw_data()) return true;
  if (a.raw_data() == nullptr || b.raw_data() == nullptr) return false;
  return std::memcmp(a.raw_data(), b.raw_data(), a.TotalBytes()) == 0;
}

}  // namespace tf1hub
