// CopySliceData: moves the overlap of two slices of one tensor between the
// tensors holding them, one contiguous run at a time.
#include <cstring>
#include <string>
#include <vector>

#include "tf1hub/io/tensor_slice_util.h"

namespace tf1hub {
namespace {

// Row-major strides (in elements) of `dims`.
std::vector<int64_t> Strides(const std::vector<int64_t>& dims) {
  std::vector<int64_t> strides(dims.size(), 1);
  for (int d = static_cast<int>(dims.size()) - 2; d >= 0; --d) {
    strides[d] = strides[d + 1] * dims[d + 1];
  }
  return strides;
}

Status CheckHolds(const Tensor& t, const TensorSlice& slice, const TensorShape& full_shape,
                  const char* which) {
  StatusOr<TensorShape> shape = SliceShape(slice, full_shape);
  if (!shape.ok()) return shape.status().WithContext(std::string("copying slice data: ") + which);
  if (!(t.shape() == *shape)) {
    return InvalidArgumentError(std::string("copying slice data: ") + which + " tensor has shape " +
                                t.shape().DebugString() + " but slice '" + slice.DebugString() +
                                "' of " + full_shape.DebugString() + " has shape " +
                                shape->DebugString());
  }
  return Status::OK();
}

}  // namespace

StatusOr<int64_t> CopySliceData(const Tensor& src, const TensorSlice& src_slice, Tensor* dst,
                                const TensorSlice& dst_slice, const TensorShape& full_shape) {
  if (dst == nullptr) return InvalidArgumentError("copying slice data: no destination tensor");
  if (src.dtype() != dst->dtype()) {
    return InvalidArgumentError("copying slice data: source dtype " + DataTypeName(src.dtype()) +
                                " differs from destination dtype " + DataTypeName(dst->dtype()));
  }
  const bool is_string = src.dtype() == DataType::kString;
  if (!is_string && !IsMemcpyable(src.dtype())) {
    return InvalidArgumentError("copying slice data: unsupported dtype " +
                                DataTypeName(src.dtype()));
  }
  RETURN_IF_ERROR(CheckHolds(src, src_slice, full_shape, "source"));
  RETURN_IF_ERROR(CheckHolds(*dst, dst_slice, full_shape, "destination"));

  std::optional<TensorSlice> overlap = IntersectSlices(src_slice, dst_slice);
  if (!overlap.has_value()) return int64_t{0};
  const int rank = full_shape.rank();
  const std::vector<int64_t>& src_dims = src.shape().dims();
  const std::vector<int64_t>& dst_dims = dst->shape().dims();
  std::vector<int64_t> len(rank), src_off(rank), dst_off(rank);
  for (int d = 0; d < rank; ++d) {
    const int64_t begin = ExtentBegin(*overlap, full_shape, d);
    len[d] = ExtentEnd(*overlap, full_shape, d) - begin;
    if (len[d] == 0) return int64_t{0};
    src_off[d] = begin - ExtentBegin(src_slice, full_shape, d);
    dst_off[d] = begin - ExtentBegin(dst_slice, full_shape, d);
  }

  // Dimensions k..rank-1 form one contiguous run in both tensors when every
  // dimension after k is copied whole on both sides.
  int k = rank > 0 ? rank - 1 : 0;
  int64_t run = rank > 0 ? len[rank - 1] : 1;
  while (k > 0 && len[k] == src_dims[k] && len[k] == dst_dims[k]) {
    --k;
    run *= len[k];
  }
  const std::vector<int64_t> src_strides = Strides(src_dims);
  const std::vector<int64_t> dst_strides = Strides(dst_dims);
  int64_t s = 0;
  int64_t t = 0;
  int64_t runs = 1;
  for (int d = 0; d < rank; ++d) {
    s += src_off[d] * src_strides[d];
    t += dst_off[d] * dst_strides[d];
    if (d < k) runs *= len[d];
  }

  const size_t elem_size = DataTypeSize(src.dtype());
  const char* src_bytes = static_cast<const char*>(src.raw_data());
  char* dst_bytes = static_cast<char*>(dst->mutable_raw_data());
  const std::string* src_strings = is_string ? src.flat<std::string>().data() : nullptr;
  std::string* dst_strings = is_string ? dst->mutable_flat<std::string>().data() : nullptr;

  std::vector<int64_t> index(k, 0);
  for (int64_t n = 0; n < runs; ++n) {
    if (is_string) {
      for (int64_t i = 0; i < run; ++i) dst_strings[t + i] = src_strings[s + i];
    } else {
      std::memcpy(dst_bytes + t * elem_size, src_bytes + s * elem_size, run * elem_size);
    }
    for (int d = k - 1; d >= 0; --d) {
      ++index[d];
      s += src_strides[d];
      t += dst_strides[d];
      if (index[d] < len[d]) break;
      s -= len[d] * src_strides[d];
      t -= len[d] * dst_strides[d];
      index[d] = 0;
    }
  }
  return runs * run;
}

}  // namespace tf1hub
