// Neural-network kernels: BiasAdd, Relu, Relu6, Elu, Selu, Softplus,
// Softmax, LogSoftmax, L2Loss.
//
// The activations are TensorFlow's Eigen formulas evaluated on the intra-op
// device, so float results match TensorFlow's CPU kernels:
//   Relu      max(x, 0), NaN kept
//   Relu6     min(max(x, 0), 6), NaN kept
//   Elu       x < 0 ? exp(x) - 1 : x  (not expm1: Elu(-1e-8) == 0)
//   Selu      x < 0 ? scale*alpha*(exp(x) - 1) : scale*x
//   Softplus  x > -t ? x : (x < t ? exp(x) : log1p(exp(x))), t = log(eps) + 2
// Softmax/LogSoftmax run along the last axis: shifted = x - max(x);
// softmax = exp(shifted) * (1 / sum(exp(shifted))); logsoftmax = shifted -
// log(sum(exp(shifted))). Half and bfloat16 compute element-wise in their
// own precision like TensorFlow's, but accumulate sums (the softmax
// denominators, L2Loss's sum(x^2) / 2) in float, as TensorFlow's
// reductions of them do.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>

#include "tf1hub/kernels/eigen_support.h"
#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/kernel_registry.h"
#include "tf1hub/kernels/register_all.h"

namespace tf1hub {
namespace {

template <typename T>
inline constexpr bool kIsNarrowFloat = std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>;

// ---- Element-wise activations.

struct ReluFn {
  template <typename S, typename In, typename Out, typename D>
  static void Apply(const D& d, const In& x, Out& y) {
    if constexpr (Eigen::NumTraits<S>::IsInteger) {
      y.device(d) = x.cwiseMax(S(0));
    } else {
      y.device(d) = x.template cwiseMax<Eigen::PropagateNaN>(S(0));
    }
  }
};

struct Relu6Fn {
  template <typename S, typename In, typename Out, typename D>
  static void Apply(const D& d, const In& x, Out& y) {
    if constexpr (Eigen::NumTraits<S>::IsInteger) {
      y.device(d) = x.cwiseMax(S(0)).cwiseMin(S(6));
    } else {
      y.device(d) =
          x.template cwiseMax<Eigen::PropagateNaN>(S(0)).template cwiseMin<Eigen::PropagateNaN>(
              S(6));
    }
  }
};

struct EluFn {
  template <typename S, typename In, typename Out, typename D>
  static void Apply(const D& d, const In& x, Out& y) {
    y.device(d) = (x < S(0)).select(x.exp() - x.constant(S(1)), x);
  }
};

struct SeluFn {
  template <typename S, typename In, typename Out, typename D>
  static void Apply(const D& d, const In& x, Out& y) {
    const S scale = static_cast<S>(1.0507009873554804934193349852946);
    const S scale_alpha = static_cast<S>(1.7580993408473768599402175208123);
    y.device(d) = (x < S(0)).select(scale_alpha * (x.exp() - x.constant(S(1))), scale * x);
  }
};

struct SoftplusFn {
  template <typename S, typename In, typename Out, typename D>
  static void Apply(const D& d, const In& x, Out& y) {
    // Below t, exp(x) is softplus(x) to machine precision; above -t, x is.
    static const S threshold = Eigen::numext::log(Eigen::NumTraits<S>::epsilon()) + S(2);
    auto too_large = x > x.constant(-threshold);
    auto too_small = x < x.constant(threshold);
    auto x_exp = x.exp();
    y.device(d) = too_large.select(x, too_small.select(x_exp, x_exp.log1p()));
  }
};

template <typename T, typename Fn>
class ActivationOp : public OpKernel {
 public:
  explicit ActivationOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    const Tensor& x = ctx->input(0);
    ASSIGN_OR_RETURN(Tensor * y, ctx->forward_input_or_allocate_output(0, 0, x.shape()));
    if (x.NumElements() == 0) return Status::OK();
    auto in = FlatMap<T>(x);
    auto out = FlatMap<T>(*y);
    Fn::template Apply<EigenT<T>>(ctx->eigen_device(), in, out);
    return Status::OK();
  }
};

// ---- BiasAdd.

template <typename T>
class BiasAddOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    std::string format = "NHWC";
    if (c.HasAttr("data_format")) RETURN_IF_ERROR(c.GetAttr("data_format", &format));
    if (format != "NHWC" && format != "NCHW") {
      return KernelConstruction::AttrError("Invalid data format");
    }
    return std::unique_ptr<OpKernel>(new BiasAddOp(c, format == "NCHW"));
  }

  Status Compute(OpKernelContext* ctx) override {
    using E = EigenT<T>;
    using Array = Eigen::Array<E, Eigen::Dynamic, 1>;
    const Tensor& value = ctx->input(0);
    const Tensor& bias = ctx->input(1);
    const TensorShape& shape = value.shape();
    if (shape.rank() < 2) {
      return InvalidArgumentError("Input tensor must be at least 2D: " + shape.DebugString());
    }
    if (bias.shape().rank() != 1) {
      return InvalidArgumentError("Biases must be 1D: " + bias.shape().DebugString());
    }
    // NCHW puts channels at dim 1 from rank 3 on; a matrix is [N, C] in
    // both formats.
    const int channel_dim = nchw_ && shape.rank() >= 3 ? 1 : shape.rank() - 1;
    const int64_t channels = shape.dim(channel_dim);
    if (bias.shape().dim(0) != channels) {
      return InvalidArgumentError(
          "Must provide as many biases as the last "
          "dimension of the input tensor: " +
          bias.shape().DebugString() + " vs. " + shape.DebugString());
    }
    ASSIGN_OR_RETURN(Tensor * out, ctx->forward_input_or_allocate_output(0, 0, shape));
    const int64_t total = value.NumElements();
    if (total == 0) return Status::OK();
    const E* in = reinterpret_cast<const E*>(value.raw_data());
    const E* b = reinterpret_cast<const E*>(bias.raw_data());
    E* dst = reinterpret_cast<E*>(out->mutable_raw_data());
    int64_t inner = 1;
    for (int i = channel_dim + 1; i < shape.rank(); ++i) inner *= shape.dim(i);
    if (inner == 1) {
      // [rows, C] + bias, row by row.
      const Eigen::Map<const Array> bias_row(b, channels);
      ctx->ParallelFor(total / channels, channels, [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r) {
          Eigen::Map<Array>(dst + r * channels, channels) =
              Eigen::Map<const Array>(in + r * channels, channels) + bias_row;
        }
      });
    } else {
      // [N, C, inner]: each channel's block gets one bias value.
      ctx->ParallelFor(total / inner, inner, [&](int64_t b0, int64_t b1) {
        for (int64_t blk = b0; blk < b1; ++blk) {
          Eigen::Map<Array>(dst + blk * inner, inner) =
              Eigen::Map<const Array>(in + blk * inner, inner) + b[blk % channels];
        }
      });
    }
    return Status::OK();
  }

 private:
  BiasAddOp(const KernelConstruction& c, bool nchw) : OpKernel(c), nchw_(nchw) {}
  const bool nchw_;
};

// ---- Softmax and LogSoftmax.

// The sum of a row; half and bfloat16 rows accumulate in float (as
// TensorFlow's reductions of them do) and round once.
template <typename Expr>
typename Expr::Scalar RowSum(const Expr& row) {
  using E = typename Expr::Scalar;
  if constexpr (std::is_same_v<E, Eigen::half> || std::is_same_v<E, Eigen::bfloat16>) {
    return E(row.template cast<float>().sum());
  } else {
    return row.sum();
  }
}

template <typename T, bool kLog>
class SoftmaxOp : public OpKernel {
 public:
  explicit SoftmaxOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    using E = EigenT<T>;
    using Array = Eigen::Array<E, Eigen::Dynamic, 1>;
    const Tensor& logits = ctx->input(0);
    if (logits.shape().rank() < 1) {
      return InvalidArgumentError("logits must have >= 1 dimension, got " +
                                  logits.shape().DebugString());
    }
    ASSIGN_OR_RETURN(Tensor * out, ctx->forward_input_or_allocate_output(0, 0, logits.shape()));
    const int64_t total = logits.NumElements();
    if (total == 0) return Status::OK();
    const int64_t classes = logits.shape().dim(logits.shape().rank() - 1);
    const E* in = reinterpret_cast<const E*>(logits.raw_data());
    E* dst = reinterpret_cast<E*>(out->mutable_raw_data());
    // Rows are independent; each is read before it is written, so the
    // output may share the input's buffer.
    ctx->ParallelFor(total / classes, classes * 30, [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) {
        const Eigen::Map<const Array> x(in + r * classes, classes);
        Eigen::Map<Array> y(dst + r * classes, classes);
        const E max = x.maxCoeff();
        if constexpr (kLog) {
          y = x - max;
          const E log_sum = Eigen::numext::log(RowSum(y.exp()));
          y = y - log_sum;
        } else {
          y = (x - max).exp();
          const E inv_sum = E(1) / RowSum(y);
          y = y * inv_sum;
        }
      }
    });
    return Status::OK();
  }
};

// ---- L2Loss.

template <typename T>
class L2LossOp : public OpKernel {
 public:
  explicit L2LossOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    using E = EigenT<T>;
    const Tensor& x = ctx->input(0);
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, TensorShape()));
    E* dst = reinterpret_cast<E*>(out->mutable_raw_data());
    Eigen::TensorMap<Eigen::Tensor<E, 0, Eigen::RowMajor, Eigen::DenseIndex>> y(dst);
    if (x.NumElements() == 0) {
      *dst = E(0);
      return Status::OK();
    }
    auto in = FlatMap<T>(x);
    if constexpr (kIsNarrowFloat<T>) {
      auto wide = in.template cast<float>();
      y.device(ctx->eigen_device()) = (wide.square() * 0.5f).sum().template cast<E>();
    } else {
      y.device(ctx->eigen_device()) = (in.square() * E(0.5)).sum();
    }
    return Status::OK();
  }
};

// ---- Registration.

template <typename Fn, typename... Ts>
void RegisterActivation(KernelRegistry* r, const char* op) {
  (r->Register(op, {{"T", {DataTypeOf<Ts>::value}}}, MakeKernelFactory<ActivationOp<Ts, Fn>>()),
   ...);
}

template <template <typename> class K, typename... Ts>
void RegisterEach(KernelRegistry* r, const char* op) {
  (r->Register(op, {{"T", {DataTypeOf<Ts>::value}}}, MakeKernelFactory<K<Ts>>()), ...);
}

template <typename T>
using SoftmaxKernel = SoftmaxOp<T, false>;
template <typename T>
using LogSoftmaxKernel = SoftmaxOp<T, true>;

#define TF1HUB_NN_FLOAT_TYPES_ Half, BFloat16, float, double
#define TF1HUB_NN_RELU_TYPES_ \
  TF1HUB_NN_FLOAT_TYPES_, int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t

}  // namespace

void RegisterNnKernels(KernelRegistry* registry) {
  RegisterEach<BiasAddOp, TF1HUB_NN_RELU_TYPES_, Complex64, Complex128>(registry, "BiasAdd");
  RegisterActivation<ReluFn, TF1HUB_NN_RELU_TYPES_>(registry, "Relu");
  RegisterActivation<Relu6Fn, TF1HUB_NN_RELU_TYPES_>(registry, "Relu6");
  RegisterActivation<EluFn, TF1HUB_NN_FLOAT_TYPES_>(registry, "Elu");
  RegisterActivation<SeluFn, TF1HUB_NN_FLOAT_TYPES_>(registry, "Selu");
  RegisterActivation<SoftplusFn, TF1HUB_NN_FLOAT_TYPES_>(registry, "Softplus");
  RegisterEach<SoftmaxKernel, TF1HUB_NN_FLOAT_TYPES_>(registry, "Softmax");
  RegisterEach<LogSoftmaxKernel, TF1HUB_NN_FLOAT_TYPES_>(registry, "LogSoftmax");
  RegisterEach<L2LossOp, TF1HUB_NN_FLOAT_TYPES_>(registry, "L2Loss");
}

#undef TF1HUB_NN_FLOAT_TYPES_
#undef TF1HUB_NN_RELU_TYPES_

}  // namespace tf1hub
