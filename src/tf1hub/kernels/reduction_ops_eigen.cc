// Floating-point and complex reductions with Eigen's tensor reducers, as
// TensorFlow computes them (same reducers over the same reshaped forms, so
// the summation order follows Eigen's: vectorised, tree-shaped for long
// inner-most reductions, threaded for large ones).
//
// Accumulation types follow TensorFlow 2.15's results (measured):
//   * bfloat16 Sum accumulates in float and rounds once, in every form
//     (5000 ones sum to 4992, not 256);
//   * half Sum/Mean and bfloat16 Mean accumulate in float along the
//     inner-most dim (kAll, kInner, kGeneral), but in the narrow type,
//     element by element, down columns (kOuter, kMiddle): TensorFlow's
//     column sums of 300 bfloat16 values drift by ~1% exactly that way;
//   * products, maxima and minima stay in the element type.
// Mean divides the (rounded) sum by the element count in the element type,
// as TensorFlow's MeanReducer does.
#include <type_traits>

#include "tf1hub/kernels/eigen_support.h"
#include "tf1hub/kernels/reduction_helpers.h"

namespace tf1hub {
namespace reduction {
namespace {

using Device = Eigen::ThreadPoolDevice;

template <typename E, int N>
using ConstMap = Eigen::TensorMap<Eigen::Tensor<const E, N, Eigen::RowMajor, Eigen::DenseIndex>>;
template <typename E, int N>
using Map = Eigen::TensorMap<Eigen::Tensor<E, N, Eigen::RowMajor, Eigen::DenseIndex>>;

using Axis0 = Eigen::IndexList<Eigen::type2index<0>>;
using Axis1 = Eigen::IndexList<Eigen::type2index<1>>;

// out = reduce(in) along `axes`, accumulating in Acc.
template <typename E, typename Acc, typename Red, typename Out, typename In, typename Axes>
void Assign(const Device& d, Out out, const In& in, const Axes& axes, const Red& red) {
  if constexpr (std::is_same_v<E, Acc>) {
    out.device(d) = in.reduce(axes, red);
  } else {
    out.device(d) = in.template cast<Acc>().reduce(axes, red).template cast<E>();
  }
}

template <typename E, typename Acc, typename Red>
void ReduceForm(const Plan& p, const E* in, E* out, const Device& d, const Red& red) {
  switch (p.form) {
    case Plan::kAll:
      Assign<E, Acc>(d, Map<E, 0>(out), ConstMap<E, 1>(in, p.reduced), Axis0(), red);
      break;
    case Plan::kInner:
    case Plan::kGeneral:  // transposed to [outer, reduced] by the caller
      Assign<E, Acc>(d, Map<E, 1>(out, p.outer), ConstMap<E, 2>(in, p.outer, p.reduced), Axis1(),
                     red);
      break;
    case Plan::kOuter:
      Assign<E, Acc>(d, Map<E, 1>(out, p.inner), ConstMap<E, 2>(in, p.reduced, p.inner), Axis0(),
                     red);
      break;
    case Plan::kMiddle:
      Assign<E, Acc>(d, Map<E, 2>(out, p.outer, p.inner),
                     ConstMap<E, 3>(in, p.outer, p.reduced, p.inner), Axis1(), red);
      break;
    case Plan::kCopy:
      break;
  }
}

template <typename E>
inline constexpr bool kIsComplex =
    std::is_same_v<E, std::complex<float>> || std::is_same_v<E, std::complex<double>>;

template <typename E>
inline constexpr bool kIsNarrowFloat =
    std::is_same_v<E, Eigen::half> || std::is_same_v<E, Eigen::bfloat16>;

int64_t OutputElements(const Plan& p) {
  switch (p.form) {
    case Plan::kAll:
      return 1;
    case Plan::kOuter:
      return p.inner;
    case Plan::kMiddle:
      return p.outer * p.inner;
    default:
      return p.outer;
  }
}

}  // namespace

template <typename T>
void EigenReduce(Reducer reducer, const Plan& plan, const T* in_t, T* out_t, const Device& d) {
  using E = EigenT<T>;
  using Wide = std::conditional_t<kIsNarrowFloat<E>, float, E>;
  const E* in = reinterpret_cast<const E*>(in_t);
  E* out = reinterpret_cast<E*>(out_t);
  // Sums down the columns of [reduced, inner] blocks accumulate in the
  // narrow type (see the top of the file); bfloat16 Sum always widens.
  const bool columns = plan.form == Plan::kOuter || plan.form == Plan::kMiddle;
  const bool narrow_sum =
      kIsNarrowFloat<E> && columns && (std::is_same_v<E, Eigen::half> || reducer == Reducer::kMean);
  auto sum = [&] {
    if (narrow_sum) {
      ReduceForm<E, E>(plan, in, out, d, Eigen::internal::SumReducer<E>());
    } else {
      ReduceForm<E, Wide>(plan, in, out, d, Eigen::internal::SumReducer<Wide>());
    }
  };
  switch (reducer) {
    case Reducer::kSum:
      sum();
      break;
    case Reducer::kMean: {
      sum();
      Map<E, 1> o(out, OutputElements(plan));
      o.device(d) = o / o.constant(static_cast<E>(plan.reduced));
      break;
    }
    case Reducer::kProd:
      ReduceForm<E, E>(plan, in, out, d, Eigen::internal::ProdReducer<E>());
      break;
    case Reducer::kMax:
      if constexpr (!kIsComplex<E>) {
        ReduceForm<E, E>(plan, in, out, d, Eigen::internal::MaxReducer<E, Eigen::PropagateNaN>());
      }
      break;
    case Reducer::kMin:
      if constexpr (!kIsComplex<E>) {
        ReduceForm<E, E>(plan, in, out, d, Eigen::internal::MinReducer<E, Eigen::PropagateNaN>());
      }
      break;
  }
}

template void EigenReduce<float>(Reducer, const Plan&, const float*, float*, const Device&);
template void EigenReduce<double>(Reducer, const Plan&, const double*, double*, const Device&);
template void EigenReduce<Half>(Reducer, const Plan&, const Half*, Half*, const Device&);
template void EigenReduce<BFloat16>(Reducer, const Plan&, const BFloat16*, BFloat16*,
                                    const Device&);
template void EigenReduce<Complex64>(Reducer, const Plan&, const Complex64*, Complex64*,
                                     const Device&);
template void EigenReduce<Complex128>(Reducer, const Plan&, const Complex128*, Complex128*,
                                      const Device&);

}  // namespace reduction
}  // namespace tf1hub
