#include "tf1hub/tensor_shape.h"

#include <string>

namespace tf1hub {
namespace {

std::string DimsString(std::span<const int64_t> dims) {
  std::string out = "[";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i > 0) out += ',';
    if (dims[i] < 0) {
      out += '?';
    } else {
      out += std::to_string(dims[i]);
    }
  }
  out += ']';
  return out;
}

// Like DimsString, but prints negative values as numbers (for errors).
std::string RawDimsString(std::span<const int64_t> dims) {
  std::string out = "[";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(dims[i]);
  }
  out += ']';
  return out;
}

Status CheckRank(const char* what, size_t rank) {
  if (rank > static_cast<size_t>(kMaxTensorRank)) {
    return InvalidArgumentError(std::string("[") + what + "] rank " + std::to_string(rank) +
                                " exceeds the maximum of " + std::to_string(kMaxTensorRank));
  }
  return Status::OK();
}

}  // namespace

StatusOr<TensorShape> TensorShape::Create(std::span<const int64_t> dims) {
  RETURN_IF_ERROR(CheckRank("TensorShape", dims.size()));
  // The product of the non-zero dimensions must stay within the limit even
  // when a zero dimension makes the element count 0: strides and partial
  // products computed from such a shape would overflow otherwise.
  int64_t nonzero_product = 1;
  bool has_zero = false;
  for (size_t i = 0; i < dims.size(); ++i) {
    const int64_t d = dims[i];
    if (d < 0) {
      return InvalidArgumentError("[TensorShape] dimension " + std::to_string(i) + " is " +
                                  std::to_string(d) + "; dimensions must be >= 0");
    }
    if (d == 0) {
      has_zero = true;
      continue;
    }
    if (__builtin_mul_overflow(nonzero_product, d, &nonzero_product) ||
        nonzero_product > kMaxTensorElements) {
      return InvalidArgumentError("[TensorShape] shape " + RawDimsString(dims) +
                                  " has more than 2^59 elements");
    }
  }
  TensorShape shape;
  shape.dims_.assign(dims.begin(), dims.end());
  shape.num_elements_ = has_zero ? 0 : nonzero_product;
  return shape;
}

std::string TensorShape::DebugString() const { return DimsString(dims_); }

StatusOr<PartialTensorShape> PartialTensorShape::Create(std::span<const int64_t> dims) {
  RETURN_IF_ERROR(CheckRank("PartialTensorShape", dims.size()));
  for (size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] < -1) {
      return InvalidArgumentError("[PartialTensorShape] dimension " + std::to_string(i) +
                                  " is " + std::to_string(dims[i]) +
                                  "; dimensions must be >= -1 (-1 means unknown)");
    }
  }
  PartialTensorShape shape;
  shape.unknown_rank_ = false;
  shape.dims_.assign(dims.begin(), dims.end());
  return shape;
}

PartialTensorShape PartialTensorShape::FromShape(const TensorShape& shape) {
  PartialTensorShape partial;
  partial.unknown_rank_ = false;
  partial.dims_ = shape.dims();
  return partial;
}

bool PartialTensorShape::IsFullyDefined() const {
  if (unknown_rank_) return false;
  for (int64_t d : dims_) {
    if (d < 0) return false;
  }
  return true;
}

bool PartialTensorShape::IsCompatibleWith(const TensorShape& shape) const {
  if (unknown_rank_) return true;
  if (dims_.size() != static_cast<size_t>(shape.rank())) return false;
  for (size_t i = 0; i < dims_.size(); ++i) {
    if (dims_[i] >= 0 && dims_[i] != shape.dim(static_cast<int>(i))) return false;
  }
  return true;
}

std::string PartialTensorShape::DebugString() const {
  if (unknown_rank_) return "<unknown>";
  return DimsString(dims_);
}

}  // namespace tf1hub
