// TensorShape: the concrete shape of a tensor (every dimension known and
// non-negative), with overflow-checked element counts.
//
//   ASSIGN_OR_RETURN(TensorShape shape, TensorShape::Create({2, 3}));
//   shape.num_elements() == 6;  shape.DebugString() == "[2,3]"
//
// PartialTensorShape (unknown rank or dimensions, as in placeholders and
// signatures) lives beside it: dimension -1 is unknown.
//
// Thread safety: values.
#ifndef TF1HUB_TENSOR_SHAPE_H_
#define TF1HUB_TENSOR_SHAPE_H_

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <vector>

#include "tf1hub/status.h"

namespace tf1hub {

// TensorFlow's limit on rank (TensorShape::MaxDimensions()).
inline constexpr int kMaxTensorRank = 254;
// Largest element count we accept: keeps every byte size (up to 16 bytes per
// element) representable in int64.
inline constexpr int64_t kMaxTensorElements = int64_t{1} << 59;

class TensorShape {
 public:
  TensorShape() = default;  // scalar

  // Fails (InvalidArgument) on negative dims, rank > 254, or an element count
  // above kMaxTensorElements.
  static StatusOr<TensorShape> Create(std::span<const int64_t> dims);
  static StatusOr<TensorShape> Create(std::initializer_list<int64_t> dims) {
    return Create(std::span<const int64_t>(dims.begin(), dims.size()));
  }

  int rank() const { return static_cast<int>(dims_.size()); }
  int64_t dim(int i) const { return dims_[i]; }
  const std::vector<int64_t>& dims() const { return dims_; }
  int64_t num_elements() const { return num_elements_; }
  bool IsScalar() const { return dims_.empty(); }

  // "[2,3]", "[]" for scalars.
  std::string DebugString() const;

  friend bool operator==(const TensorShape& a, const TensorShape& b) {
    return a.dims_ == b.dims_;
  }

 private:
  std::vector<int64_t> dims_;
  int64_t num_elements_ = 1;
};

// A shape that may have unknown rank, or unknown (-1) dimensions.
class PartialTensorShape {
 public:
  PartialTensorShape() = default;  // unknown rank
  static PartialTensorShape UnknownRank() { return PartialTensorShape(); }
  // Fails on dims < -1 or rank > 254.
  static StatusOr<PartialTensorShape> Create(std::span<const int64_t> dims);
  static PartialTensorShape FromShape(const TensorShape& shape);

  bool unknown_rank() const { return unknown_rank_; }
  int rank() const { return unknown_rank_ ? -1 : static_cast<int>(dims_.size()); }
  const std::vector<int64_t>& dims() const { return dims_; }
  bool IsFullyDefined() const;
  // True if `shape` is one of the shapes this partial shape allows.
  bool IsCompatibleWith(const TensorShape& shape) const;
  // "<unknown>", "[?,50]".
  std::string DebugString() const;

  friend bool operator==(const PartialTensorShape& a, const PartialTensorShape& b) {
    return a.unknown_rank_ == b.unknown_rank_ && a.dims_ == b.dims_;
  }

 private:
  bool unknown_rank_ = true;
  std::vector<int64_t> dims_;
};

}  // namespace tf1hub

#endif  // TF1HUB_TENSOR_SHAPE_H_
