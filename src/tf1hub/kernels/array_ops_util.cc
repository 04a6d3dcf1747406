#include "tf1hub/kernels/array_ops_util.h"

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace tf1hub {
namespace array {

const std::vector<DataType>& AllTensorTypes() {
  using D = DataType;
  static const std::vector<DataType>* const kTypes = new std::vector<DataType>{
      D::kFloat,     D::kDouble,  D::kInt32,  D::kUint8,      D::kInt16,  D::kInt8,   D::kString,
      D::kComplex64, D::kInt64,   D::kBool,   D::kQint8,      D::kQuint8, D::kQint32, D::kBfloat16,
      D::kQint16,    D::kQuint16, D::kUint16, D::kComplex128, D::kHalf,   D::kUint32, D::kUint64};
  return *kTypes;
}

std::vector<int64_t> IndexValues(const Tensor& t) {
  std::vector<int64_t> out(static_cast<size_t>(t.NumElements()));
  switch (t.dtype()) {
    case DataType::kInt16:
      std::copy_n(t.flat<int16_t>().data(), out.size(), out.data());
      break;
    case DataType::kInt32:
      std::copy_n(t.flat<int32_t>().data(), out.size(), out.data());
      break;
    case DataType::kInt64:
      std::copy_n(t.flat<int64_t>().data(), out.size(), out.data());
      break;
    default:
      break;  // The OpDefs allow only the three above.
  }
  return out;
}

int64_t IndexScalar(const Tensor& t) {
  switch (t.dtype()) {
    case DataType::kInt16:
      return t.flat<int16_t>()[0];
    case DataType::kInt32:
      return t.flat<int32_t>()[0];
    case DataType::kInt64:
      return t.flat<int64_t>()[0];
    default:
      return 0;
  }
}

StatusOr<TensorShape> MakeShape(std::span<const int64_t> dims) {
  int64_t elements = 1;
  bool overflow = false;
  for (int64_t d : dims) {
    if (d < 0) return InvalidArgumentError("Dimension " + std::to_string(d) + " must be >= 0");
    if (!overflow && __builtin_mul_overflow(elements, d, &elements)) overflow = true;
  }
  if (overflow) {
    return InvalidArgumentError(std::string("Shape [") + JoinInts(dims, ",") +
                                "] would have more than 2**63 - 1 elements");
  }
  return TensorShape::Create(dims);
}

Status AddDimChecked(int64_t size, std::vector<int64_t>* dims, int64_t* num_elements) {
  if (size < 0)
    return InvalidArgumentError("Expected a non-negative size, got " + std::to_string(size));
  int64_t product;
  if (__builtin_mul_overflow(*num_elements, size, &product)) {
    return InvalidArgumentError("Encountered overflow when multiplying " +
                                std::to_string(*num_elements) + " with " + std::to_string(size) +
                                ", result: -1");
  }
  *num_elements = product;
  dims->push_back(size);
  return Status::OK();
}

StatusOr<TensorShape> ShapeOf(std::span<const int64_t> dims) { return TensorShape::Create(dims); }

std::vector<int64_t> InsertDim(std::vector<int64_t> dims, int pos, int64_t dim) {
  dims.insert(dims.begin() + pos, dim);
  return dims;
}

std::vector<int64_t> RemoveDim(std::vector<int64_t> dims, int pos) {
  dims.erase(dims.begin() + pos);
  return dims;
}

namespace {

// TensorFlow's FloatToBuffer/DoubleToBuffer: the short %g form when it
// round-trips, else the long one.
template <typename F>
std::string FormatFloat(F v, int short_digits, int long_digits) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*g", short_digits, static_cast<double>(v));
  F parsed;
  if constexpr (std::is_same_v<F, float>) {
    parsed = std::strtof(buf, nullptr);
  } else {
    parsed = std::strtod(buf, nullptr);
  }
  if (parsed != v) std::snprintf(buf, sizeof(buf), "%.*g", long_digits, static_cast<double>(v));
  return buf;
}

}  // namespace

std::string TfNumber(double v) { return FormatFloat(v, DBL_DIG, DBL_DIG + 2); }
std::string TfNumber(float v) { return FormatFloat(v, FLT_DIG, FLT_DIG + 3); }

std::string CoordinatesString(const TensorShape& shape, int64_t index) {
  const int rank = shape.rank();
  if (rank == 0) return "";
  std::vector<int64_t> coords(rank);
  for (int k = rank - 1; k >= 0; --k) {
    const int64_t d = shape.dim(k);
    coords[k] = d == 0 ? 0 : index % d;
    index = d == 0 ? 0 : index / d;
  }
  return std::string("[") + JoinInts(coords, ",") + "]";
}

void SimplifyView(StridedView* v) {
  std::vector<int64_t> dims, steps;
  for (size_t k = 0; k < v->dims.size(); ++k) {
    if (v->dims[k] == 1) continue;
    if (!dims.empty() && steps.back() == v->steps[k] * v->dims[k]) {
      // The previous dim walks whole runs of this one: one longer dim.
      dims.back() *= v->dims[k];
      steps.back() = v->steps[k];
      continue;
    }
    dims.push_back(v->dims[k]);
    steps.push_back(v->steps[k]);
  }
  v->dims = std::move(dims);
  v->steps = std::move(steps);
}

std::vector<int64_t> RowMajorStrides(const std::vector<int64_t>& dims) {
  std::vector<int64_t> strides(dims.size());
  int64_t s = 1;
  for (int k = static_cast<int>(dims.size()) - 1; k >= 0; --k) {
    strides[k] = s;
    s *= dims[k];
  }
  return strides;
}

}  // namespace array
}  // namespace tf1hub
