// Shared machinery of the array kernels (array_ops.cc, concat_ops.cc,
// slice_ops.cc, transpose_ops.cc, tile_pad_ops.cc, gather_ops.cc).
//
// Array ops move elements without looking at them, so their kernels are
// templated on a storage type of the element's size rather than on the
// dtype: uint8_t for every 1-byte dtype (bool, int8, uint8, qint8, ...),
// uint16_t for 2-byte dtypes (half, bfloat16, int16, ...), uint32_t,
// uint64_t, Complex128 for the 16-byte complex128, and std::string.
// RegisterBySize registers one kernel per size class, so every dtype tf1hub
// tensors hold is covered with six instantiations.
//
// Also here: reading int16/int32/int64 index tensors, building shapes with
// TensorFlow's messages, TensorFlow's number formatting for messages, and a
// parallel strided copy (the core of Slice, StridedSlice, Unpack and
// high-rank Transpose).
//
// Thread safety: pure functions.
#ifndef TF1HUB_KERNELS_ARRAY_OPS_UTIL_H_
#define TF1HUB_KERNELS_ARRAY_OPS_UTIL_H_

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "tf1hub/data_type.h"
#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/kernel_registry.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub {
namespace array {

// ---- Registration.

// Every dtype a tf1hub tensor can hold (numbers, bool, string, quantized).
const std::vector<DataType>& AllTensorTypes();

// Registers kernel K<S> for `op` once per element-size class, constraining
// type attr `attr` (plus `extra` constraints) to that class's dtypes.
template <template <typename> class K>
void RegisterBySize(KernelRegistry* r, const std::string& op, const std::string& attr = "T",
                    const std::vector<TypeConstraint>& extra = {}) {
  auto with = [&](std::vector<DataType> types) {
    std::vector<TypeConstraint> c = extra;
    c.push_back({attr, std::move(types)});
    return c;
  };
  using D = DataType;
  r->Register(op, with({D::kUint8, D::kInt8, D::kBool, D::kQint8, D::kQuint8}),
              MakeKernelFactory<K<uint8_t>>());
  r->Register(op, with({D::kInt16, D::kUint16, D::kHalf, D::kBfloat16, D::kQint16, D::kQuint16}),
              MakeKernelFactory<K<uint16_t>>());
  r->Register(op, with({D::kFloat, D::kInt32, D::kUint32, D::kQint32}),
              MakeKernelFactory<K<uint32_t>>());
  r->Register(op, with({D::kDouble, D::kInt64, D::kUint64, D::kComplex64}),
              MakeKernelFactory<K<uint64_t>>());
  r->Register(op, with({D::kComplex128}), MakeKernelFactory<K<Complex128>>());
  r->Register(op, with({D::kString}), MakeKernelFactory<K<std::string>>());
}

// ---- Element access and copies.

template <typename S>
const S* Data(const Tensor& t) {
  return static_cast<const S*>(t.raw_data());
}
template <typename S>
S* MutableData(Tensor* t) {
  return static_cast<S*>(t->mutable_raw_data());
}

// dst[0, n) = src[0, n) (memcpy for plain bytes, assignment for strings).
template <typename S>
inline void CopyN(const S* src, int64_t n, S* dst) {
  if (n <= 0) return;
  if constexpr (std::is_trivially_copyable_v<S>) {
    if (n <= 4) {  // short runs (gathers of scalars, narrow concats): no call
      for (int64_t i = 0; i < n; ++i) dst[i] = src[i];
    } else {
      std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(S));
    }
  } else {
    std::copy(src, src + n, dst);
  }
}

// Rough cycles to move `n` elements of S, for ParallelFor.
template <typename S>
constexpr int64_t CopyCost(int64_t n) {
  if constexpr (std::is_trivially_copyable_v<S>) {
    return 8 + n * static_cast<int64_t>(sizeof(S)) / 8;
  } else {
    return 8 + n * 40;
  }
}

// ---- Index tensors.

// The elements of an int16/int32/int64 tensor as int64.
std::vector<int64_t> IndexValues(const Tensor& t);
// Element 0 of an int16/int32/int64 tensor (the caller checks it has one).
int64_t IndexScalar(const Tensor& t);

// TensorFlow's TensorShapeUtils::MakeShape from a shape vector: InvalidArgument
// "Dimension -1 must be >= 0", "Shape [a,b] would have more than 2**63 - 1
// elements".
StatusOr<TensorShape> MakeShape(std::span<const int64_t> dims);
// A shape from dims already known to be valid (non-negative, element count
// checked by the caller or derived from an existing tensor).
StatusOr<TensorShape> ShapeOf(std::span<const int64_t> dims);

// Appends `size` to `dims`, keeping `*num_elements` (their product) and
// TensorFlow's TensorShape::AddDimWithStatus errors: "Expected a
// non-negative size, got -1", "Encountered overflow when multiplying 6 with
// 4611686018427387904, result: -1".
Status AddDimChecked(int64_t size, std::vector<int64_t>* dims, int64_t* num_elements);

// `dims` with `dim` inserted at `pos` / removed at `pos`.
std::vector<int64_t> InsertDim(std::vector<int64_t> dims, int pos, int64_t dim);
std::vector<int64_t> RemoveDim(std::vector<int64_t> dims, int pos);

// ---- Messages.

// A number as TensorFlow's StrCat prints it ("0.1", "1e+10", "nan", "-3").
template <typename T>
requires std::is_integral_v<T> std::string TfNumber(T v) {
  return std::to_string(static_cast<int64_t>(v));
}
std::string TfNumber(double v);
std::string TfNumber(float v);

// The integers of `v` joined by `sep`: JoinInts({1, 2}, ",") == "1,2".
template <typename Ints>
std::string JoinInts(const Ints& v, const char* sep) {
  std::string s;
  bool first = true;
  for (auto x : v) {
    if (!first) s += sep;
    first = false;
    s += std::to_string(static_cast<int64_t>(x));
  }
  return s;
}

// "[1,2]": the coordinates of flat element `index` of `shape` ("" for a scalar),
// as TensorFlow's SliceDebugString.
std::string CoordinatesString(const TensorShape& shape, int64_t index);

// ---- Strided copies.

// out[j] = in[offset + sum_k idx_k(j) * steps[k]] for j in row-major order
// over `dims`. Dims of size 1 are dropped and adjacent dims merged where the
// steps allow, so the innermost run is as long as possible (a memcpy when
// its step is 1); runs are split across the intra-op pool.
struct StridedView {
  std::vector<int64_t> dims;
  std::vector<int64_t> steps;
  int64_t offset = 0;
};

// Drops size-1 dims and merges adjacent dims with compatible steps; an empty
// result means one element (or none if some dim was 0: check the count).
void SimplifyView(StridedView* v);

// dst[i] = src[i * step], i < n. The step and count come by value: read
// through a lambda's captured references, the compiler reloads them per
// element, since stores to dst may alias them.
template <typename S>
inline void CopyStepN(const S* src, int64_t step, int64_t n, S* dst) {
  for (int64_t i = 0; i < n; ++i) dst[i] = src[i * step];
}

template <typename S>
void CopyStrided(const OpKernelContext* ctx, const S* in, StridedView view, S* out) {
  int64_t total = 1;
  for (int64_t d : view.dims) total *= d;
  if (total == 0) return;
  SimplifyView(&view);
  const int rank = static_cast<int>(view.dims.size());
  if (rank == 0) {
    out[0] = in[view.offset];
    return;
  }
  const int64_t inner = view.dims[rank - 1];
  const int64_t inner_step = view.steps[rank - 1];
  const int64_t rows = total / inner;
  auto copy_rows = [&](int64_t begin, int64_t end) {
    // Odometer over the outer dims, started at row `begin`.
    std::vector<int64_t> idx(rank > 1 ? rank - 1 : 0);
    int64_t offset = view.offset;
    int64_t rest = begin;
    for (int k = rank - 2; k >= 0; --k) {
      idx[k] = rest % view.dims[k];
      rest /= view.dims[k];
      offset += idx[k] * view.steps[k];
    }
    for (int64_t row = begin; row < end; ++row) {
      S* dst = out + row * inner;
      if (inner_step == 1) {
        CopyN(in + offset, inner, dst);
      } else {
        CopyStepN(in + offset, inner_step, inner, dst);
      }
      for (int k = rank - 2; k >= 0; --k) {
        offset += view.steps[k];
        if (++idx[k] < view.dims[k]) break;
        offset -= idx[k] * view.steps[k];
        idx[k] = 0;
      }
    }
  };
  ctx->ParallelFor(rows, CopyCost<S>(inner), copy_rows);
}

// Row-major element strides of `dims`.
std::vector<int64_t> RowMajorStrides(const std::vector<int64_t>& dims);

}  // namespace array

// Registration of the families in this group (defined in their files,
// called by RegisterArrayKernels in array_ops.cc).
void RegisterConcatKernels(KernelRegistry* r);     // concat_ops.cc
void RegisterSliceKernels(KernelRegistry* r);      // slice_ops.cc
void RegisterTransposeKernels(KernelRegistry* r);  // transpose_ops.cc
void RegisterTilePadKernels(KernelRegistry* r);    // tile_pad_ops.cc
void RegisterGatherKernels(KernelRegistry* r);     // gather_ops.cc

}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_ARRAY_OPS_UTIL_H_
