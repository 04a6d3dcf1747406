#include "tf1hub/graph/tensor_proto.h"

#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "tf1hub/graph/attr_util.h"

namespace tf1hub {
namespace {

using tensorflow::TensorProto;

// make_tensor_proto puts multi-element tensors of these types into
// tensor_content (observed with TF 2.15: float16 and bfloat16 too, but not
// uint16, bool, complex or string).
bool UsesTensorContent(DataType dtype) {
  switch (dtype) {
    case DataType::kFloat:
    case DataType::kDouble:
    case DataType::kInt32:
    case DataType::kUint8:
    case DataType::kInt16:
    case DataType::kInt8:
    case DataType::kInt64:
    case DataType::kUint32:
    case DataType::kUint64:
    case DataType::kHalf:
    case DataType::kBfloat16:
    case DataType::kQint8:
    case DataType::kQuint8:
    case DataType::kQint16:
    case DataType::kQuint16:
    case DataType::kQint32:
      return true;
    default:
      return false;
  }
}

template <typename T>
T Load(const void* base, int64_t i) {
  T v;
  std::memcpy(&v, static_cast<const char*>(base) + i * sizeof(T), sizeof(T));
  return v;
}

// Appends elements [0, count) of `t` to the typed field of its dtype.
Status AppendTypedValues(const Tensor& t, int64_t count, TensorProto* proto) {
  const void* d = t.raw_data();
  switch (t.dtype()) {
    case DataType::kFloat:
      for (int64_t i = 0; i < count; ++i) proto->add_float_val(Load<float>(d, i));
      return Status::OK();
    case DataType::kDouble:
      for (int64_t i = 0; i < count; ++i) proto->add_double_val(Load<double>(d, i));
      return Status::OK();
    case DataType::kInt32:
    case DataType::kQint32:
      for (int64_t i = 0; i < count; ++i) proto->add_int_val(Load<int32_t>(d, i));
      return Status::OK();
    case DataType::kUint8:
    case DataType::kQuint8:
      for (int64_t i = 0; i < count; ++i) proto->add_int_val(Load<uint8_t>(d, i));
      return Status::OK();
    case DataType::kInt8:
    case DataType::kQint8:
      for (int64_t i = 0; i < count; ++i) proto->add_int_val(Load<int8_t>(d, i));
      return Status::OK();
    case DataType::kInt16:
    case DataType::kQint16:
      for (int64_t i = 0; i < count; ++i) proto->add_int_val(Load<int16_t>(d, i));
      return Status::OK();
    case DataType::kUint16:
    case DataType::kQuint16:
      for (int64_t i = 0; i < count; ++i) proto->add_int_val(Load<uint16_t>(d, i));
      return Status::OK();
    case DataType::kInt64:
      for (int64_t i = 0; i < count; ++i) proto->add_int64_val(Load<int64_t>(d, i));
      return Status::OK();
    case DataType::kUint32:
      for (int64_t i = 0; i < count; ++i) proto->add_uint32_val(Load<uint32_t>(d, i));
      return Status::OK();
    case DataType::kUint64:
      for (int64_t i = 0; i < count; ++i) proto->add_uint64_val(Load<uint64_t>(d, i));
      return Status::OK();
    case DataType::kBool:
      for (int64_t i = 0; i < count; ++i) proto->add_bool_val(Load<uint8_t>(d, i) != 0);
      return Status::OK();
    case DataType::kHalf:
    case DataType::kBfloat16:
      for (int64_t i = 0; i < count; ++i) proto->add_half_val(Load<uint16_t>(d, i));
      return Status::OK();
    case DataType::kComplex64:
      for (int64_t i = 0; i < 2 * count; ++i) proto->add_scomplex_val(Load<float>(d, i));
      return Status::OK();
    case DataType::kComplex128:
      for (int64_t i = 0; i < 2 * count; ++i) proto->add_dcomplex_val(Load<double>(d, i));
      return Status::OK();
    case DataType::kString: {
      std::span<const std::string> s = t.flat<std::string>();
      for (int64_t i = 0; i < count; ++i) proto->add_string_val(s[i]);
      return Status::OK();
    }
    default:
      return InvalidArgumentError("[TensorToProto] cannot encode a tensor of dtype " +
                                  DataTypeName(t.dtype()));
  }
}

Status CheckEncodable(const Tensor& t) {
  if (!t.IsInitialized() || !IsSupportedTensorType(t.dtype())) {
    return InvalidArgumentError("[TensorToProto] cannot encode a tensor of dtype " +
                                DataTypeName(t.dtype()));
  }
  return Status::OK();
}

void SetShape(const TensorShape& shape, TensorProto* proto) {
  auto* s = proto->mutable_tensor_shape();  // present even for scalars
  for (int64_t d : shape.dims()) s->add_dim()->set_size(d);
}

}  // namespace

StatusOr<TensorProto> TensorToProto(const Tensor& tensor) {
  RETURN_IF_ERROR(CheckEncodable(tensor));
  TensorProto proto;
  proto.set_dtype(ToProtoDataType(tensor.dtype()));
  SetShape(tensor.shape(), &proto);
  const int64_t n = tensor.NumElements();
  if (n > 1 && UsesTensorContent(tensor.dtype())) {
    if (tensor.TotalBytes() >= (size_t{1} << 31)) {
      return InvalidArgumentError("[TensorToProto] tensor of " + std::to_string(tensor.TotalBytes()) +
                                  " bytes does not fit in a 2GB TensorProto");
    }
    proto.set_tensor_content(static_cast<const char*>(tensor.raw_data()), tensor.TotalBytes());
    return proto;
  }
  RETURN_IF_ERROR(AppendTypedValues(tensor, n, &proto));
  return proto;
}

StatusOr<TensorProto> BroadcastScalarToProto(const Tensor& scalar, const TensorShape& shape) {
  RETURN_IF_ERROR(CheckEncodable(scalar));
  if (scalar.NumElements() != 1) {
    return InvalidArgumentError("[BroadcastScalarToProto] expected one value, got a tensor of shape " +
                                scalar.shape().DebugString());
  }
  TensorProto proto;
  proto.set_dtype(ToProtoDataType(scalar.dtype()));
  SetShape(shape, &proto);
  RETURN_IF_ERROR(AppendTypedValues(scalar, 1, &proto));
  return proto;
}

// ---------------------------------------------------------------------------
// Decoding

namespace {

// Writes out[i] = get(min(i, available-1)) for i < n; zeros stay if
// available == 0 (the tensor is created zero-filled).
template <typename Dst, typename Get>
void FillRepeatingLast(void* out, int64_t n, int64_t available, Get get) {
  if (available <= 0) return;
  auto* dst = static_cast<Dst*>(out);
  const int64_t copy = std::min(n, available);
  for (int64_t i = 0; i < copy; ++i) dst[i] = get(i);
  const Dst last = dst[copy - 1];
  for (int64_t i = copy; i < n; ++i) dst[i] = last;
}

template <typename Dst, typename Field>
void FillFromField(const Field& field, void* out, int64_t n) {
  FillRepeatingLast<Dst>(out, n, field.size(),
                         [&](int64_t i) { return static_cast<Dst>(field.Get(static_cast<int>(i))); });
}

Status DecodeTypedValues(const TensorProto& p, Tensor* t) {
  const int64_t n = t->NumElements();
  if (n == 0) return Status::OK();
  void* out = t->mutable_raw_data();
  switch (t->dtype()) {
    case DataType::kFloat: FillFromField<float>(p.float_val(), out, n); break;
    case DataType::kDouble: FillFromField<double>(p.double_val(), out, n); break;
    case DataType::kInt32:
    case DataType::kQint32: FillFromField<int32_t>(p.int_val(), out, n); break;
    case DataType::kUint8:
    case DataType::kQuint8: FillFromField<uint8_t>(p.int_val(), out, n); break;
    case DataType::kInt8:
    case DataType::kQint8: FillFromField<int8_t>(p.int_val(), out, n); break;
    case DataType::kInt16:
    case DataType::kQint16: FillFromField<int16_t>(p.int_val(), out, n); break;
    case DataType::kUint16:
    case DataType::kQuint16: FillFromField<uint16_t>(p.int_val(), out, n); break;
    case DataType::kInt64: FillFromField<int64_t>(p.int64_val(), out, n); break;
    case DataType::kUint32: FillFromField<uint32_t>(p.uint32_val(), out, n); break;
    case DataType::kUint64: FillFromField<uint64_t>(p.uint64_val(), out, n); break;
    case DataType::kBool: FillFromField<uint8_t>(p.bool_val(), out, n); break;
    case DataType::kHalf:
    case DataType::kBfloat16: FillFromField<uint16_t>(p.half_val(), out, n); break;
    case DataType::kComplex64:
      FillRepeatingLast<Complex64>(out, n, p.scomplex_val_size() / 2, [&](int64_t i) {
        return Complex64(p.scomplex_val(2 * i), p.scomplex_val(2 * i + 1));
      });
      break;
    case DataType::kComplex128:
      FillRepeatingLast<Complex128>(out, n, p.dcomplex_val_size() / 2, [&](int64_t i) {
        return Complex128(p.dcomplex_val(2 * i), p.dcomplex_val(2 * i + 1));
      });
      break;
    case DataType::kString: {
      std::span<std::string> s = t->mutable_flat<std::string>();
      const int64_t available = p.string_val_size();
      if (available == 0) break;
      for (int64_t i = 0; i < n; ++i) s[i] = p.string_val(static_cast<int>(std::min(i, available - 1)));
      break;
    }
    default:
      return InvalidArgumentError("cannot decode dtype " + DataTypeName(t->dtype()));
  }
  return Status::OK();
}

// Reads a varint32 at *pos; false if truncated or too long.
bool ReadVarint32(std::string_view s, size_t* pos, uint32_t* value) {
  uint32_t result = 0;
  for (int shift = 0; shift <= 28 && *pos < s.size(); shift += 7) {
    const uint8_t byte = static_cast<uint8_t>(s[(*pos)++]);
    result |= static_cast<uint32_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *value = result;
      return true;
    }
  }
  return false;
}

// TF's string-list encoding of tensor_content for DT_STRING: all lengths as
// varint32s, then all the bytes.
Status DecodeStringContent(std::string_view content, Tensor* t) {
  const int64_t n = t->NumElements();
  std::vector<uint32_t> lengths(static_cast<size_t>(n));
  size_t pos = 0;
  uint64_t total = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (!ReadVarint32(content, &pos, &lengths[i])) {
      return InvalidArgumentError("tensor_content: truncated length of string " + std::to_string(i));
    }
    total += lengths[i];
  }
  if (total != content.size() - pos) {
    return InvalidArgumentError("tensor_content: string lengths add up to " + std::to_string(total) +
                                " bytes, but " + std::to_string(content.size() - pos) + " follow");
  }
  std::span<std::string> s = t->mutable_flat<std::string>();
  for (int64_t i = 0; i < n; ++i) {
    s[i].assign(content.data() + pos, lengths[i]);
    pos += lengths[i];
  }
  return Status::OK();
}

}  // namespace

StatusOr<Tensor> TensorFromProto(const TensorProto& proto, int64_t max_bytes) {
  const int dtype_value = static_cast<int>(proto.dtype());
  const DataType dtype = static_cast<DataType>(dtype_value);
  if (!IsValidDataTypeValue(dtype_value) || !IsSupportedTensorType(dtype)) {
    return InvalidArgumentError("TensorProto: unsupported dtype " + std::to_string(dtype_value) +
                                (IsValidDataTypeValue(dtype_value) ? " (" + DataTypeName(dtype) + ")"
                                                                   : std::string()));
  }
  StatusOr<PartialTensorShape> partial = ShapeFromProto(proto.tensor_shape());
  if (!partial.ok()) return partial.status().WithContext("TensorProto");
  if (!partial->IsFullyDefined()) {
    return InvalidArgumentError("TensorProto: shape " + partial->DebugString() +
                                " is not fully defined");
  }
  StatusOr<TensorShape> shape = TensorShape::Create(partial->dims());
  if (!shape.ok()) return shape.status().WithContext("TensorProto");
  const int64_t n = shape->num_elements();
  const int64_t element_bytes =
      dtype == DataType::kString ? static_cast<int64_t>(sizeof(std::string)) : DataTypeSize(dtype);
  if (n > 0 && element_bytes > max_bytes / n) {
    return ResourceExhaustedError("TensorProto: a " + DataTypeName(dtype) + " tensor of shape " +
                                  shape->DebugString() + " exceeds the limit of " +
                                  std::to_string(max_bytes) + " bytes");
  }
  ASSIGN_OR_RETURN(Tensor tensor, Tensor::Create(dtype, *shape));
  const std::string& content = proto.tensor_content();
  if (!content.empty()) {
    if (dtype == DataType::kString) {
      RETURN_IF_ERROR(DecodeStringContent(content, &tensor));
      return tensor;
    }
    if (content.size() != tensor.TotalBytes()) {
      return InvalidArgumentError("TensorProto: tensor_content has " + std::to_string(content.size()) +
                                  " bytes, but a " + DataTypeName(dtype) + " tensor of shape " +
                                  shape->DebugString() + " needs " +
                                  std::to_string(tensor.TotalBytes()));
    }
    std::memcpy(tensor.mutable_raw_data(), content.data(), content.size());
    if (dtype == DataType::kBool) {  // keep bools 0/1 whatever the bytes were
      auto* b = static_cast<uint8_t*>(tensor.mutable_raw_data());
      for (int64_t i = 0; i < n; ++i) b[i] = b[i] != 0;
    }
    return tensor;
  }
  RETURN_IF_ERROR(DecodeTypedValues(proto, &tensor));
  return tensor;
}

}  // namespace tf1hub
