// Array kernels that change only shapes, or make tensors from a shape:
// Reshape, Squeeze, ExpandDims (all share the input buffer), Shape, Size,
// Rank, Fill, ZerosLike, OnesLike, Range. RegisterArrayKernels also
// registers the rest of the group (concat, slice, transpose, tile/pad,
// gather: see array_ops_util.h).
#include <cmath>
#include <limits>
#include <memory>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "tf1hub/kernels/array_ops_util.h"
#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/kernel_registry.h"
#include "tf1hub/kernels/register_all.h"

namespace tf1hub {
namespace {

using array::IndexScalar;
using array::IndexValues;
using array::TfNumber;

// ---- Reshape, Squeeze, ExpandDims: same buffer, new shape.

// The output dims of Reshape, following TensorFlow's rules: at most one -1,
// inferred from the input's element count; zero-sized requested dims are
// left out of the product so the -1 can still be inferred for empty inputs.
StatusOr<std::vector<int64_t>> ReshapeDims(const TensorShape& input,
                                           const std::vector<int64_t>& sizes) {
  std::vector<int64_t> dims;
  int unknown = -1;
  int64_t product = 1;       // of the positive requested sizes (wraps like TF)
  int64_t num_elements = 1;  // of the shape so far, overflow-checked
  bool has_zero = false;
  for (size_t d = 0; d < sizes.size(); ++d) {
    const int64_t size = sizes[d];
    if (size == -1) {
      if (unknown != -1) {
        return InvalidArgumentError("Only one input size may be -1, not both " +
                                    std::to_string(unknown) + " and " + std::to_string(d));
      }
      unknown = static_cast<int>(d);
      dims.push_back(1);
      continue;
    }
    if (size < 0) {
      return InvalidArgumentError("Size " + std::to_string(d) + " must be non-negative, not " +
                                  std::to_string(size));
    }
    if (__builtin_mul_overflow(num_elements, size, &num_elements)) {
      return InvalidArgumentError(std::string("Shape [") + array::JoinInts(sizes, ", ") +
                                  "] has too many elements");
    }
    dims.push_back(size);
    if (size == 0) {
      has_zero = true;
    } else {
      product = static_cast<int64_t>(static_cast<uint64_t>(product) * static_cast<uint64_t>(size));
    }
  }
  if (unknown != -1) {
    int64_t input_elements = 1;
    bool input_has_zero = false;
    for (int64_t d : input.dims()) {
      if (d > 0 || !has_zero) {
        input_elements *= d;
      } else {
        input_has_zero = true;
      }
    }
    const int64_t missing = product == 0 ? 0 : input_elements / product;
    if (!input_has_zero && product * missing != input_elements) {
      return InvalidArgumentError(
          "Input to reshape is a tensor with " + std::to_string(input_elements) +
          " values, but the requested shape requires a multiple of " + std::to_string(product));
    }
    dims[unknown] = missing;
  }
  int64_t requested = 1;
  for (int64_t d : dims) requested *= d;
  if (requested != input.num_elements()) {
    return InvalidArgumentError(
        "Input to reshape is a tensor with " + std::to_string(input.num_elements()) +
        " values, but the requested shape has " + std::to_string(requested));
  }
  return dims;
}

class ReshapeOp : public OpKernel {
 public:
  explicit ReshapeOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    const Tensor& input = ctx->input(0);
    const Tensor& sizes = ctx->input(1);
    // A scalar with one element is accepted as a legacy vector.
    if (sizes.shape().rank() > 1) {
      return InvalidArgumentError("sizes input must be 1-D, not " + sizes.shape().DebugString());
    }
    ASSIGN_OR_RETURN(std::vector<int64_t> dims, ReshapeDims(input.shape(), IndexValues(sizes)));
    ASSIGN_OR_RETURN(TensorShape shape, array::ShapeOf(dims));
    ASSIGN_OR_RETURN(Tensor out, input.Reshaped(shape));
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }
};

class SqueezeOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    std::vector<int64_t> dims;
    RETURN_IF_ERROR(c.GetAttr("squeeze_dims", &dims));
    return std::unique_ptr<OpKernel>(new SqueezeOp(c, std::move(dims)));
  }
  Status Compute(OpKernelContext* ctx) override {
    const Tensor& input = ctx->input(0);
    const int rank = input.shape().rank();
    std::set<int64_t> wrapped;
    for (int64_t d : squeeze_dims_) {
      if (d < -rank || d >= rank) {
        return InvalidArgumentError("Tried to squeeze dim index " + std::to_string(d) +
                                    " for tensor with " + std::to_string(rank) + " dimensions.");
      }
      wrapped.insert(d < 0 ? d + rank : d);
    }
    std::vector<int64_t> dims;
    for (int i = 0; i < rank; ++i) {
      const int64_t size = input.shape().dim(i);
      if (wrapped.empty()) {
        if (size != 1) dims.push_back(size);
      } else if (wrapped.count(i) != 0) {
        if (size != 1) {
          return InvalidArgumentError("Can not squeeze dim[" + std::to_string(i) +
                                      "], expected a dimension of 1, got " + std::to_string(size));
        }
      } else {
        dims.push_back(size);
      }
    }
    ASSIGN_OR_RETURN(TensorShape shape, array::ShapeOf(dims));
    ASSIGN_OR_RETURN(Tensor out, input.Reshaped(shape));
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }

 private:
  SqueezeOp(const KernelConstruction& c, std::vector<int64_t> dims)
      : OpKernel(c), squeeze_dims_(std::move(dims)) {}
  const std::vector<int64_t> squeeze_dims_;
};

class ExpandDimsOp : public OpKernel {
 public:
  explicit ExpandDimsOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    const Tensor& input = ctx->input(0);
    const Tensor& dim_t = ctx->input(1);
    if (dim_t.NumElements() != 1) {
      return InvalidArgumentError("'dim' must be a tensor with a single value");
    }
    int64_t dim = IndexScalar(dim_t);
    const int rank = input.shape().rank();
    if (dim < -1 - rank || dim > rank) {
      return InvalidArgumentError("Tried to expand dim index " + std::to_string(dim) +
                                  " for tensor with " + std::to_string(rank) + " dimensions.");
    }
    if (dim < 0) dim += rank + 1;
    ASSIGN_OR_RETURN(TensorShape shape, array::ShapeOf(array::InsertDim(input.shape().dims(),
                                                                        static_cast<int>(dim), 1)));
    ASSIGN_OR_RETURN(Tensor out, input.Reshaped(shape));
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }
};

// ---- Shape, Size, Rank.

template <typename Out>
void WriteInts(const std::vector<int64_t>& v, Tensor* t) {
  std::span<Out> out = t->mutable_flat<Out>();
  for (size_t i = 0; i < v.size(); ++i) out[i] = static_cast<Out>(v[i]);
}

class ShapeOp : public OpKernel {
 public:
  explicit ShapeOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    const std::vector<int64_t>& dims = ctx->input(0).shape().dims();
    const bool int32_out = output_type(0) == DataType::kInt32;
    if (int32_out) {
      for (size_t i = 0; i < dims.size(); ++i) {
        if (dims[i] > std::numeric_limits<int32_t>::max()) {
          return InvalidArgumentError("Shape output type is 32-bit  but dim " + std::to_string(i) +
                                      " is " + std::to_string(dims[i]));
        }
      }
    }
    ASSIGN_OR_RETURN(TensorShape shape, TensorShape::Create({static_cast<int64_t>(dims.size())}));
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, shape));
    if (int32_out) {
      WriteInts<int32_t>(dims, out);
    } else {
      WriteInts<int64_t>(dims, out);
    }
    return Status::OK();
  }
};

class SizeOp : public OpKernel {
 public:
  explicit SizeOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    const int64_t n = ctx->input(0).NumElements();
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, TensorShape()));
    if (output_type(0) == DataType::kInt32) {
      if (n > std::numeric_limits<int32_t>::max()) {
        return InvalidArgumentError(
            "Number of elements was larger than representable by 32-bit output type");
      }
      out->mutable_flat<int32_t>()[0] = static_cast<int32_t>(n);
    } else {
      out->mutable_flat<int64_t>()[0] = n;
    }
    return Status::OK();
  }
};

class RankOp : public OpKernel {
 public:
  explicit RankOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, TensorShape()));
    out->mutable_flat<int32_t>()[0] = ctx->input(0).shape().rank();
    return Status::OK();
  }
};

// ---- Fill, ZerosLike, OnesLike.

// out[0, n) = value, split across the pool.
template <typename S>
void FillWith(const OpKernelContext* ctx, const S& value, S* out, int64_t n) {
  ctx->ParallelFor(n, array::CopyCost<S>(1),
                   [&](int64_t b, int64_t e) { std::fill(out + b, out + e, value); });
}

template <typename S>
class FillOp : public OpKernel {
 public:
  explicit FillOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    const Tensor& dims = ctx->input(0);
    const Tensor& value = ctx->input(1);
    if (dims.shape().rank() > 1) {
      return InvalidArgumentError("dims must represent a vector, got shape " +
                                  dims.shape().DebugString());
    }
    const TensorShape& vs = value.shape();
    if (!(vs.rank() == 0 || (vs.rank() == 1 && vs.dim(0) == 1))) {
      return InvalidArgumentError("value must represent a scalar, got shape " + vs.DebugString());
    }
    const std::vector<int64_t> dim_values = IndexValues(dims);
    ASSIGN_OR_RETURN(TensorShape shape, array::MakeShape(dim_values));
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, shape));
    FillWith(ctx, array::Data<S>(value)[0], array::MutableData<S>(out), out->NumElements());
    return Status::OK();
  }
};

template <typename S>
class ZerosLikeOp : public OpKernel {
 public:
  explicit ZerosLikeOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, ctx->input(0).shape()));
    // All-zero bytes are zero for every numeric dtype (and false).
    FillWith(ctx, S{}, array::MutableData<S>(out), out->NumElements());
    return Status::OK();
  }
};

// The bits of 1 in `dtype`, as storage type S (same size).
template <typename S>
S OneOf(DataType dtype) {
  S bits{};
  auto put = [&bits](auto v) {
    static_assert(sizeof(v) == sizeof(S));
    std::memcpy(&bits, &v, sizeof(S));
  };
  if constexpr (sizeof(S) == 1) {
    put(uint8_t{1});  // int8, uint8, bool
  } else if constexpr (sizeof(S) == 2) {
    if (dtype == DataType::kHalf) {
      put(uint16_t{0x3C00});
    } else if (dtype == DataType::kBfloat16) {
      put(uint16_t{0x3F80});
    } else {
      put(uint16_t{1});
    }
  } else if constexpr (sizeof(S) == 4) {
    if (dtype == DataType::kFloat) {
      put(1.0f);
    } else {
      put(uint32_t{1});
    }
  } else if constexpr (sizeof(S) == 8) {
    if (dtype == DataType::kDouble) {
      put(1.0);
    } else if (dtype == DataType::kComplex64) {
      put(Complex64(1.0f, 0.0f));
    } else {
      put(uint64_t{1});
    }
  } else {
    put(Complex128(1.0, 0.0));
  }
  return bits;
}

template <typename S>
class OnesLikeOp : public OpKernel {
 public:
  explicit OnesLikeOp(const KernelConstruction& c) : OpKernel(c), one_(OneOf<S>(c.input_type(0))) {}
  Status Compute(OpKernelContext* ctx) override {
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, ctx->input(0).shape()));
    FillWith(ctx, one_, array::MutableData<S>(out), out->NumElements());
    return Status::OK();
  }

 private:
  const S one_;
};

// ---- Range.

// Element count of Range(start, limit, delta) for integers, as TensorFlow
// computes it: the difference wraps in T, then |diff| / |delta| rounded up
// without overflow.
template <typename T>
int64_t IntRangeSize(T start, T limit, T delta) {
  using U = std::make_unsigned_t<T>;
  const T diff = static_cast<T>(static_cast<U>(limit) - static_cast<U>(start));
  auto magnitude = [](T v) -> uint64_t {
    return v < 0 ? uint64_t{0} - static_cast<uint64_t>(static_cast<int64_t>(v))
                 : static_cast<uint64_t>(v);
  };
  const uint64_t x = magnitude(diff);
  const uint64_t y = magnitude(delta);
  return static_cast<int64_t>(x / y + (x % y != 0 ? 1 : 0));
}

template <typename T>
class RangeOp : public OpKernel {
 public:
  explicit RangeOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    static const char* const kNames[] = {"start", "limit", "delta"};
    T v[3];
    for (int i = 0; i < 3; ++i) {
      const TensorShape& s = ctx->input(i).shape();
      if (!(s.rank() == 0 || (s.rank() == 1 && s.dim(0) == 1))) {
        return InvalidArgumentError(std::string(kNames[i]) + " must be a scalar, not shape " +
                                    s.DebugString());
      }
      v[i] = ctx->input(i).flat<T>()[0];
    }
    const T start = v[0], limit = v[1], delta = v[2];
    if (delta == 0) return InvalidArgumentError("Requires delta != 0: " + TfNumber(delta));
    if (delta > 0) {
      if (!(start <= limit)) {
        return InvalidArgumentError("Requires start <= limit when delta > 0: " + TfNumber(start) +
                                    "/" + TfNumber(limit));
      }
    } else if (!(start >= limit)) {
      return InvalidArgumentError("Requires start >= limit when delta < 0: " + TfNumber(start) +
                                  "/" + TfNumber(limit));
    }
    int64_t size;
    if constexpr (std::is_integral_v<T>) {
      size = IntRangeSize(start, limit, delta);
    } else {
      const T count = std::ceil(std::abs((limit - start) / delta));
      if (!(count <= static_cast<T>(std::numeric_limits<int64_t>::max()))) {
        return InvalidArgumentError("Requires ((limit - start) / delta) <= " +
                                    std::to_string(std::numeric_limits<int64_t>::max()));
      }
      size = static_cast<int64_t>(count);
    }
    ASSIGN_OR_RETURN(TensorShape shape, TensorShape::Create({size}));
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, shape));
    std::span<T> o = out->mutable_flat<T>();
    for (int64_t i = 0; i < size; ++i) {
      if constexpr (std::is_integral_v<T>) {
        using U = std::make_unsigned_t<T>;
        o[i] = static_cast<T>(static_cast<U>(start) + static_cast<U>(i) * static_cast<U>(delta));
      } else {
        o[i] = start + static_cast<T>(i) * delta;
      }
    }
    return Status::OK();
  }
};

void RegisterShapeKernels(KernelRegistry* r) {
  const std::vector<DataType>& all = array::AllTensorTypes();
  r->Register("Reshape", {{"T", all}}, MakeKernelFactory<ReshapeOp>());
  r->Register("Squeeze", {{"T", all}}, MakeKernelFactory<SqueezeOp>());
  r->Register("ExpandDims", {{"T", all}}, MakeKernelFactory<ExpandDimsOp>());
  r->Register("Shape", {{"T", all}}, MakeKernelFactory<ShapeOp>());
  r->Register("Size", {{"T", all}}, MakeKernelFactory<SizeOp>());
  r->Register("Rank", {{"T", all}}, MakeKernelFactory<RankOp>());
  array::RegisterBySize<FillOp>(r, "Fill");
  array::RegisterBySize<ZerosLikeOp>(r, "ZerosLike");
  using D = DataType;
  r->Register("OnesLike", {{"T", {D::kUint8, D::kInt8, D::kBool}}},
              MakeKernelFactory<OnesLikeOp<uint8_t>>());
  r->Register("OnesLike", {{"T", {D::kInt16, D::kUint16, D::kHalf, D::kBfloat16}}},
              MakeKernelFactory<OnesLikeOp<uint16_t>>());
  r->Register("OnesLike", {{"T", {D::kFloat, D::kInt32, D::kUint32}}},
              MakeKernelFactory<OnesLikeOp<uint32_t>>());
  r->Register("OnesLike", {{"T", {D::kDouble, D::kInt64, D::kUint64, D::kComplex64}}},
              MakeKernelFactory<OnesLikeOp<uint64_t>>());
  r->Register("OnesLike", {{"T", {D::kComplex128}}}, MakeKernelFactory<OnesLikeOp<Complex128>>());
  // TensorFlow's CPU Range: float, double, int32, int64.
  r->Register("Range", {{"Tidx", {D::kFloat}}}, MakeKernelFactory<RangeOp<float>>());
  r->Register("Range", {{"Tidx", {D::kDouble}}}, MakeKernelFactory<RangeOp<double>>());
  r->Register("Range", {{"Tidx", {D::kInt32}}}, MakeKernelFactory<RangeOp<int32_t>>());
  r->Register("Range", {{"Tidx", {D::kInt64}}}, MakeKernelFactory<RangeOp<int64_t>>());
}

}  // namespace

void RegisterArrayKernels(KernelRegistry* r) {
  RegisterShapeKernels(r);
  RegisterConcatKernels(r);
  RegisterSliceKernels(r);
  RegisterTransposeKernels(r);
  RegisterTilePadKernels(r);
  RegisterGatherKernels(r);
}

}  // namespace tf1hub
