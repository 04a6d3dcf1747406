// BCast: TensorFlow's broadcasting rules (numpy's: align shapes on the
// right; two dims are compatible when equal or one of them is 1), plus the
// reduced-rank reshapes that let a kernel run the broadcast as a small Eigen
// expression, and the axes a gradient must sum over.
//
//   BCast b({2, 3, 4}, {4});
//   if (!b.IsValid()) return IncompatibleShapesError(x.shape(), y.shape());
//   // b.output_shape() == {2, 3, 4}
//   // b.x_reshape() == {6, 4} b.x_bcast() == {1, 1}
//   // b.y_reshape() == {1, 4} b.y_bcast() == {6, 1}
//   // b.result_shape() == {6, 4}; b.grad_y_reduce_idx() == {0, 1}
//   // out(result_shape) = x.reshape(x_reshape).broadcast(x_bcast)
//   //                     op y.reshape(y_reshape).broadcast(y_bcast)
//
// The vectors follow TensorFlow's BCast exactly (BroadcastGradientArgs
// returns grad_*_reduce_idx), including its fast path: identical shapes
// give one flattened dim and empty reduce lists, and dims that are 1 in
// every input are dropped from the reduced form but listed in every
// reduce list. With fewer_dims_optimization=false the reshapes keep the
// full output rank.
//
// Thread safety: values.
#ifndef TF1HUB_KERNELS_BROADCAST_H_
#define TF1HUB_KERNELS_BROADCAST_H_

#include <cstdint>
#include <vector>

#include "tf1hub/status.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub {

// Broadcasting of any number of shapes (Select, BroadcastTo, ...).
class BCastList {
 public:
  using Vec = std::vector<int64_t>;
  explicit BCastList(const std::vector<Vec>& shapes, bool fewer_dims_optimization = true);

  bool IsValid() const { return valid_; }
  // False when all shapes are identical.
  bool IsBroadcastingRequired() const { return broadcasting_required_; }
  const Vec& reshape(int i) const { return reshape_[i]; }
  const Vec& bcast(int i) const { return bcast_[i]; }
  // The reduced-rank shape of the output (same element count as output_shape).
  const Vec& result_shape() const { return result_; }
  // The broadcast output shape, full rank.
  const Vec& output_shape() const { return output_; }
  const Vec& grad_reduce_idx(int i) const { return grad_reduce_idx_[i]; }

 private:
  bool valid_ = true;
  bool broadcasting_required_ = true;
  std::vector<Vec> reshape_, bcast_, grad_reduce_idx_;
  Vec result_, output_;
};

class BCast : public BCastList {
 public:
  BCast(const Vec& x, const Vec& y, bool fewer_dims_optimization = true)
      : BCastList({x, y}, fewer_dims_optimization) {}

  const Vec& x_reshape() const { return reshape(0); }
  const Vec& x_bcast() const { return bcast(0); }
  const Vec& y_reshape() const { return reshape(1); }
  const Vec& y_bcast() const { return bcast(1); }
  const Vec& grad_x_reduce_idx() const { return grad_reduce_idx(0); }
  const Vec& grad_y_reduce_idx() const { return grad_reduce_idx(1); }
};

// TensorFlow's message for invalid broadcasts:
// InvalidArgument "Incompatible shapes: [2,3] vs. [4]".
Status IncompatibleShapesError(const TensorShape& x, const TensorShape& y);

// The output shape as a TensorShape (dims come from valid input shapes, so
// this only fails on element-count overflow).
StatusOr<TensorShape> BCastOutputShape(const BCastList& b);

}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_BROADCAST_H_
