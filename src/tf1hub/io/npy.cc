// .npy arrays <-> Tensors. The header is handled by npy_header.cc; this file
// maps dtypes and converts the array data (byte order, Fortran order,
// fixed-width strings).
#include "tf1hub/npy.h"

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "tf1hub/core/checked_math.h"
#include "tf1hub/io/npy_header.h"

namespace tf1hub {
namespace {

enum class NpyKind { kNumber, kBytes, kUnicode };

struct NpyType {
  DataType dtype = DataType::kInvalid;
  NpyKind kind = NpyKind::kNumber;
  size_t itemsize = 0;   // bytes per element in the file
  size_t swap_unit = 0;  // bytes per byte-swapped unit; 0 or 1: no swap
};

struct NumberCode {
  const char* code;
  DataType dtype;
  size_t itemsize;
  size_t swap_unit;  // complex numbers swap each of their two parts
};

constexpr NumberCode kNumberCodes[] = {
    {"f2", DataType::kHalf, 2, 2},        {"f4", DataType::kFloat, 4, 4},
    {"f8", DataType::kDouble, 8, 8},      {"i1", DataType::kInt8, 1, 1},
    {"i2", DataType::kInt16, 2, 2},       {"i4", DataType::kInt32, 4, 4},
    {"i8", DataType::kInt64, 8, 8},       {"u1", DataType::kUint8, 1, 1},
    {"u2", DataType::kUint16, 2, 2},      {"u4", DataType::kUint32, 4, 4},
    {"u8", DataType::kUint64, 8, 8},      {"b1", DataType::kBool, 1, 1},
    {"c8", DataType::kComplex64, 8, 4},   {"c16", DataType::kComplex128, 16, 8},
};

Status Refuse(std::string_view what, const std::string& message) {
  return InvalidArgumentError("npy '" + std::string(what) + "': " + message);
}

// Parses a dtype string such as '<f4', '|b1', '>i8', '|S5', '<U3'.
StatusOr<NpyType> ParseDescr(std::string_view descr, std::string_view what) {
  const std::string quoted = "'" + std::string(descr) + "'";
  std::string_view rest = descr;
  char order = '=';
  if (!rest.empty() && (rest[0] == '<' || rest[0] == '>' || rest[0] == '|' || rest[0] == '=')) {
    order = rest[0];
    rest.remove_prefix(1);
  }
  if (rest.empty()) return Refuse(what, "empty dtype " + quoted);
  NpyType type;
  if (rest[0] == 'S' || rest[0] == 'U') {
    type.kind = rest[0] == 'S' ? NpyKind::kBytes : NpyKind::kUnicode;
    uint64_t chars = 0;
    if (rest.size() < 2) return Refuse(what, "string dtype " + quoted + " has no length");
    for (char c : rest.substr(1)) {
      if (c < '0' || c > '9' || !CheckedMul<uint64_t>(chars, 10, &chars) ||
          !CheckedAdd<uint64_t>(chars, c - '0', &chars)) {
        return Refuse(what, "bad string dtype " + quoted);
      }
    }
    const uint64_t unit = type.kind == NpyKind::kBytes ? 1 : 4;
    uint64_t itemsize = 0;
    if (!CheckedMul(chars, unit, &itemsize) || itemsize > (uint64_t{1} << 40)) {
      return Refuse(what, "string dtype " + quoted + " is too wide");
    }
    if (itemsize == 0) {
      return Refuse(what, "zero-width string dtype " + quoted + " is not supported");
    }
    type.dtype = DataType::kString;
    type.itemsize = static_cast<size_t>(itemsize);
    type.swap_unit = (type.kind == NpyKind::kUnicode && order == '>') ? 4 : 0;
    return type;
  }
  if (rest[0] == 'O') {
    return Refuse(what, "object arrays (dtype " + quoted + ") are pickles and are refused");
  }
  for (const NumberCode& code : kNumberCodes) {
    if (rest != code.code) continue;
    if (order == '|' && code.itemsize != 1) {
      return Refuse(what, "dtype " + quoted + " needs a byte order ('<' or '>')");
    }
    type.dtype = code.dtype;
    type.itemsize = code.itemsize;
    type.swap_unit = order == '>' ? code.swap_unit : 0;
    return type;
  }
  return Refuse(what, "unsupported dtype " + quoted +
                          " (supported: f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1 c8 c16 S<n> U<n>)");
}

void ByteSwapUnits(char* data, size_t bytes, size_t unit) {
  if (unit <= 1) return;
  for (size_t i = 0; i + unit <= bytes; i += unit) std::reverse(data + i, data + i + unit);
}

// Calls fn(dst_index, src_index) for every element: dst is row-major; src is
// row-major too unless `fortran` (column-major).
template <typename Fn>
void ForEachElement(const std::vector<int64_t>& dims, bool fortran, int64_t count, Fn fn) {
  if (!fortran || dims.size() < 2) {
    for (int64_t i = 0; i < count; ++i) fn(i, i);
    return;
  }
  const int rank = static_cast<int>(dims.size());
  std::vector<int64_t> strides(rank, 1);  // column-major strides
  for (int d = 1; d < rank; ++d) strides[d] = strides[d - 1] * dims[d - 1];
  std::vector<int64_t> index(rank, 0);
  int64_t src = 0;
  for (int64_t i = 0; i < count; ++i) {
    fn(i, src);
    for (int d = rank - 1; d >= 0; --d) {
      src += strides[d];
      if (++index[d] < dims[d]) break;
      src -= dims[d] * strides[d];
      index[d] = 0;
    }
  }
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

// One 'U' element: UTF-32 code units, trailing NULs dropped, to UTF-8.
Status DecodeUnicode(const char* p, size_t itemsize, bool big_endian, std::string* out,
                     std::string_view what) {
  size_t n = itemsize / 4;
  const auto unit = [&](size_t i) {
    const auto* b = reinterpret_cast<const unsigned char*>(p + 4 * i);
    return big_endian ? (uint32_t{b[0]} << 24 | uint32_t{b[1]} << 16 | uint32_t{b[2]} << 8 | b[3])
                      : (uint32_t{b[3]} << 24 | uint32_t{b[2]} << 16 | uint32_t{b[1]} << 8 | b[0]);
  };
  while (n > 0 && unit(n - 1) == 0) --n;
  out->clear();
  for (size_t i = 0; i < n; ++i) {
    const uint32_t cp = unit(i);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return DataLossError("npy '" + std::string(what) + "': invalid Unicode code point " +
                           std::to_string(cp) + " in a 'U' string");
    }
    AppendUtf8(cp, out);
  }
  return Status::OK();
}

// The dtype string numpy would write for `dtype` (strings excluded).
StatusOr<std::string> DescrFor(DataType dtype) {
  switch (dtype) {
    case DataType::kHalf: return std::string("<f2");
    case DataType::kFloat: return std::string("<f4");
    case DataType::kDouble: return std::string("<f8");
    case DataType::kInt8: return std::string("|i1");
    case DataType::kInt16: return std::string("<i2");
    case DataType::kInt32: return std::string("<i4");
    case DataType::kInt64: return std::string("<i8");
    case DataType::kUint8: return std::string("|u1");
    case DataType::kUint16: return std::string("<u2");
    case DataType::kUint32: return std::string("<u4");
    case DataType::kUint64: return std::string("<u8");
    case DataType::kBool: return std::string("|b1");
    case DataType::kComplex64: return std::string("<c8");
    case DataType::kComplex128: return std::string("<c16");
    default:
      return InvalidArgumentError("npy: dtype " + DataTypeName(dtype) + " has no NumPy type");
  }
}

// Width of the '|S<n>' dtype for a string tensor (at least 1, like numpy).
size_t StringWidth(const Tensor& tensor) {
  size_t width = 1;
  for (const std::string& s : tensor.flat<std::string>()) width = std::max(width, s.size());
  return width;
}

}  // namespace

StatusOr<Tensor> ParseNpy(std::string_view bytes, std::string_view what) {
  const std::string where = "npy '" + std::string(what) + "'";
  ASSIGN_OR_RETURN(NpyHeader header, ParseNpyHeader(bytes, what));
  ASSIGN_OR_RETURN(NpyType type, ParseDescr(header.descr, what));
  StatusOr<TensorShape> shape = TensorShape::Create(header.shape);
  if (!shape.ok()) return DataLossError(where + ": bad shape: " + shape.status().message());
  const int64_t count = shape->num_elements();
  uint64_t needed = 0;
  const uint64_t available = bytes.size() - header.data_offset;
  if (!CheckedMul(static_cast<uint64_t>(count), static_cast<uint64_t>(type.itemsize), &needed) ||
      needed > available) {
    return DataLossError(where + ": shape " + shape->DebugString() + " of dtype '" + header.descr +
                         "' needs " + std::to_string(count) + " x " +
                         std::to_string(type.itemsize) + " bytes but the file has " +
                         std::to_string(available) + " bytes of data");
  }
  ASSIGN_OR_RETURN(Tensor tensor, Tensor::Create(type.dtype, *shape));
  const char* data = bytes.data() + header.data_offset;
  const size_t item = type.itemsize;
  if (type.kind == NpyKind::kNumber) {
    char* out = static_cast<char*>(tensor.mutable_raw_data());
    if (count == 0) return tensor;
    if (!header.fortran_order || header.shape.size() < 2) {
      std::memcpy(out, data, needed);
    } else {
      ForEachElement(header.shape, true, count, [&](int64_t dst, int64_t src) {
        std::memcpy(out + dst * item, data + src * item, item);
      });
    }
    ByteSwapUnits(out, needed, type.swap_unit);
    if (type.dtype == DataType::kBool) {
      // numpy keeps any byte value; a C++ bool must be 0 or 1.
      for (uint64_t i = 0; i < needed; ++i) out[i] = out[i] != 0 ? 1 : 0;
    }
    return tensor;
  }
  std::string* out = tensor.mutable_flat<std::string>().data();
  Status status;
  ForEachElement(header.shape, header.fortran_order, count, [&](int64_t dst, int64_t src) {
    if (!status.ok()) return;
    const char* p = data + src * item;
    if (type.kind == NpyKind::kBytes) {
      size_t n = item;
      while (n > 0 && p[n - 1] == '\0') --n;
      out[dst].assign(p, n);
    } else {
      status = DecodeUnicode(p, item, type.swap_unit == 4, &out[dst], what);
    }
  });
  RETURN_IF_ERROR(status);
  return tensor;
}

StatusOr<std::string> SerializeNpy(const Tensor& tensor) {
  const bool is_string = tensor.dtype() == DataType::kString;
  std::string descr;
  size_t width = 0;
  if (is_string) {
    width = StringWidth(tensor);
    descr = "|S" + std::to_string(width);
  } else {
    ASSIGN_OR_RETURN(descr, DescrFor(tensor.dtype()));
  }
  std::string out = FormatNpyHeader(descr, tensor.shape().dims());
  if (is_string) {
    uint64_t total = 0;
    if (!CheckedMul(static_cast<uint64_t>(tensor.NumElements()), static_cast<uint64_t>(width),
                    &total) ||
        total > out.max_size() - out.size()) {
      return ResourceExhaustedError("npy: " + std::to_string(tensor.NumElements()) +
                                    " strings of width " + std::to_string(width) +
                                    " do not fit in memory");
    }
    out.reserve(out.size() + total);
    for (const std::string& s : tensor.flat<std::string>()) {
      out += s;
      out.append(width - s.size(), '\0');
    }
  } else {
    out.append(static_cast<const char*>(tensor.raw_data()), tensor.TotalBytes());
  }
  return out;
}

StatusOr<Tensor> ReadNpyFile(const std::string& path, FileSystem* fs) {
  if (fs == nullptr) fs = PosixFileSystem();
  ASSIGN_OR_RETURN(std::unique_ptr<ReadOnlyMemoryRegion> region, fs->NewReadOnlyMemoryRegion(path));
  return ParseNpy(std::string_view(region->data(), region->size()), path);
}

Status WriteNpyFile(const std::string& path, const Tensor& tensor, FileSystem* fs) {
  if (fs == nullptr) fs = PosixFileSystem();
  const std::string context = "writing '" + path + "'";
  if (tensor.dtype() == DataType::kString) {
    StatusOr<std::string> bytes = SerializeNpy(tensor);
    if (!bytes.ok()) return bytes.status().WithContext(context);
    return fs->WriteStringToFileAtomically(path, *bytes);
  }
  // Numbers are streamed from the tensor's buffer (no second copy), into a
  // temporary file renamed over `path` at the end.
  StatusOr<std::string> descr = DescrFor(tensor.dtype());
  if (!descr.ok()) return descr.status().WithContext(context);
  const std::string header = FormatNpyHeader(*descr, tensor.shape().dims());
  std::random_device random;
  const std::string tmp = path + ".tmp" + std::to_string(random()) + std::to_string(random());
  Status status = [&]() -> Status {
    ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, fs->NewWritableFile(tmp));
    RETURN_IF_ERROR(file->Append(header));
    RETURN_IF_ERROR(file->Append(
        std::string_view(static_cast<const char*>(tensor.raw_data()), tensor.TotalBytes())));
    RETURN_IF_ERROR(file->Close());
    return fs->RenameFile(tmp, path);
  }();
  if (!status.ok()) {
    if (fs->FileExists(tmp)) fs->DeleteFile(tmp).IgnoreError();
    return status.WithContext(context);
  }
  return Status::OK();
}

}  // namespace tf1hub
