// Shape functions of convolution, pooling and batch-norm ops (TensorFlow's
// core/ops/nn_ops.cc and common_shape_fns.cc rules).
#include <string>

#include "tf1hub/graph/shape_inference_internal.h"

namespace tf1hub::shape_inference {

namespace {

std::string Str(int64_t v) { return std::to_string(v); }

std::string ListString(const std::vector<int64_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + Str(v[i]);
  return s + "]";
}

// GetWindowedOutputSizeFromDimsV2.
Status WindowedOutputSize(int64_t input, int64_t filter, int64_t dilation, int64_t stride,
                          const std::string& padding, int64_t pad_before, int64_t pad_after,
                          int64_t* out) {
  if (stride <= 0) return InvalidArgumentError("Stride must be > 0, but got " + Str(stride));
  if (dilation < 1) {
    return InvalidArgumentError("Dilation rate must be >= 1, but got " + Str(dilation));
  }
  if (padding == "SAME") {
    RETURN_IF_ERROR(AddDims(input, stride - 1, out));
    return DivideDim(*out, stride, false, out);
  }
  if (padding == "VALID") pad_before = pad_after = 0;
  RETURN_IF_ERROR(AddDims(input, pad_before + pad_after, &input));
  if (dilation > 1) {
    int64_t window;
    RETURN_IF_ERROR(SubtractDims(filter, 1, &window));
    RETURN_IF_ERROR(MultiplyDims(window, dilation, &window));
    RETURN_IF_ERROR(AddDims(window, 1, &window));
    RETURN_IF_ERROR(SubtractDims(input, window, out));
  } else {
    RETURN_IF_ERROR(SubtractDims(input, filter, out));
  }
  RETURN_IF_ERROR(AddDims(*out, stride, out));
  return DivideDim(*out, stride, false, out);
}

struct Format {
  bool nchw;
  int64_t H() const { return nchw ? 2 : 1; }
  int64_t W() const { return nchw ? 3 : 2; }
  int64_t C() const { return nchw ? 1 : 3; }
  Shape Make(int64_t n, int64_t h, int64_t w, int64_t c) const {
    return nchw ? Shape::Of({n, c, h, w}) : Shape::Of({n, h, w, c});
  }
};

Status ExplicitPads(InferenceContext& c, const Format& f, const std::string& padding,
                    int64_t pads[4]) {
  pads[0] = pads[1] = pads[2] = pads[3] = -1;
  if (padding != "EXPLICIT") return Status::OK();
  std::vector<int64_t> p = c.IntListAttr("explicit_paddings");
  if (p.size() != 8) {
    return InvalidArgumentError("explicit_paddings attribute must contain 8 values, but got: " +
                                Str(static_cast<int64_t>(p.size())));
  }
  pads[0] = p[2 * f.H()];
  pads[1] = p[2 * f.H() + 1];
  pads[2] = p[2 * f.W()];
  pads[3] = p[2 * f.W() + 1];
  return Status::OK();
}

Status Conv2DShape(InferenceContext& c) {
  const Format f{c.StringAttr("data_format", "NHWC") == "NCHW"};
  Shape input, filter;
  RETURN_IF_ERROR(WithRank(c.input(0), 4, &input));
  RETURN_IF_ERROR(WithRank(c.input(1), 4, &filter));
  std::vector<int64_t> dilations = c.IntListAttr("dilations");
  if (dilations.empty()) dilations = {1, 1, 1, 1};
  if (dilations.size() != 4) {
    return InvalidArgumentError(
        "Conv2D requires the dilation attribute to contain 4 values, but got: " +
        ListString(dilations));
  }
  std::vector<int64_t> strides = c.IntListAttr("strides");
  if (strides.size() != 4) {
    return InvalidArgumentError(
        std::string("Conv2D on data format ") + (f.nchw ? "NCHW" : "NHWC") +
        " requires the stride attribute to contain 4 values, but got: " + ListString(strides));
  }
  const int64_t input_depth = input.dims[f.C()];
  const int64_t filter_input_depth = filter.dims[2], output_depth = filter.dims[3];
  if (input_depth >= 0 && filter_input_depth >= 0) {
    if (filter_input_depth == 0) return InvalidArgumentError("Depth of filter must not be 0");
    if (input_depth % filter_input_depth != 0) {
      return InvalidArgumentError("Depth of input (" + Str(input_depth) +
                                  ") is not a multiple of input depth of filter (" +
                                  Str(filter_input_depth) + ")");
    }
    const int64_t groups = input_depth / filter_input_depth;
    if (input_depth != filter_input_depth && output_depth >= 0 && output_depth % groups != 0) {
      return InvalidArgumentError("Depth of output (" + Str(output_depth) +
                                  ") is not a multiple of the number of groups (" + Str(groups) +
                                  ")");
    }
  }
  const std::string padding = c.StringAttr("padding", "VALID");
  int64_t pads[4];
  RETURN_IF_ERROR(ExplicitPads(c, f, padding, pads));
  int64_t rows, cols;
  RETURN_IF_ERROR(WindowedOutputSize(input.dims[f.H()], filter.dims[0], dilations[f.H()],
                                     strides[f.H()], padding, pads[0], pads[1], &rows));
  RETURN_IF_ERROR(WindowedOutputSize(input.dims[f.W()], filter.dims[1], dilations[f.W()],
                                     strides[f.W()], padding, pads[2], pads[3], &cols));
  c.set_output(0, f.Make(input.dims[0], rows, cols, output_depth));
  return Status::OK();
}

Status DepthwiseConv2dNativeShape(InferenceContext& c) {
  const Format f{c.StringAttr("data_format", "NHWC") == "NCHW"};
  Shape input, filter;
  RETURN_IF_ERROR(WithRank(c.input(0), 4, &input));
  RETURN_IF_ERROR(WithRank(c.input(1), 4, &filter));
  std::vector<int64_t> strides = c.IntListAttr("strides");
  if (strides.size() != 4) {
    return InvalidArgumentError(
        "DepthwiseConv2D requires the stride attribute to contain 4 values, but got: " +
        ListString(strides));
  }
  std::vector<int64_t> dilations = c.IntListAttr("dilations");
  if (dilations.size() != 4) dilations = {1, 1, 1, 1};
  int64_t input_depth;
  RETURN_IF_ERROR(MergeDim(input.dims[f.C()], filter.dims[2], &input_depth));
  int64_t output_depth;
  RETURN_IF_ERROR(MultiplyDims(input_depth, filter.dims[3], &output_depth));
  const std::string padding = c.StringAttr("padding", "VALID");
  int64_t pads[4];
  RETURN_IF_ERROR(ExplicitPads(c, f, padding, pads));
  int64_t rows, cols;
  RETURN_IF_ERROR(WindowedOutputSize(input.dims[f.H()], filter.dims[0], dilations[f.H()],
                                     strides[f.H()], padding, pads[0], pads[1], &rows));
  RETURN_IF_ERROR(WindowedOutputSize(input.dims[f.W()], filter.dims[1], dilations[f.W()],
                                     strides[f.W()], padding, pads[2], pads[3], &cols));
  c.set_output(0, f.Make(input.dims[0], rows, cols, output_depth));
  return Status::OK();
}

Status PoolShape(InferenceContext& c) {
  const std::string op = c.node().op();
  const Format f{c.StringAttr("data_format", "NHWC") == "NCHW"};
  Shape input;
  RETURN_IF_ERROR(WithRank(c.input(0), 4, &input));
  std::vector<int64_t> strides = c.IntListAttr("strides");
  if (strides.size() != 4) {
    return InvalidArgumentError(
        op + " requires the stride attribute to contain 4 values, but got: " + ListString(strides));
  }
  std::vector<int64_t> ksize = c.IntListAttr("ksize");
  if (ksize.size() != 4) {
    return InvalidArgumentError(
        op + " requires the ksize attribute to contain 4 values, but got: " + ListString(ksize));
  }
  const std::string padding = c.StringAttr("padding", "VALID");
  int64_t pads[4];
  RETURN_IF_ERROR(ExplicitPads(c, f, padding, pads));
  int64_t rows, cols, depth;
  RETURN_IF_ERROR(WindowedOutputSize(input.dims[f.H()], ksize[f.H()], 1, strides[f.H()], padding,
                                     pads[0], pads[1], &rows));
  RETURN_IF_ERROR(WindowedOutputSize(input.dims[f.W()], ksize[f.W()], 1, strides[f.W()], padding,
                                     pads[2], pads[3], &cols));
  RETURN_IF_ERROR(WindowedOutputSize(input.dims[f.C()], ksize[f.C()], 1, strides[f.C()],
                                     padding == "EXPLICIT" ? "VALID" : padding, 0, 0, &depth));
  c.set_output(0, f.Make(input.dims[0], rows, cols, depth));
  return Status::OK();
}

Status FusedBatchNormShape(InferenceContext& c) {
  const std::string format = c.StringAttr("data_format", "NHWC");
  const bool five_d = format == "NDHWC" || format == "NCDHW";
  Shape x;
  RETURN_IF_ERROR(WithRank(c.input(0), five_d ? 5 : 4, &x));
  const bool is_training = c.BoolAttr("is_training", true);
  const float avg_factor = c.FloatAttr("exponential_avg_factor", 1.0f);
  const int num_inputs = is_training && avg_factor == 1.0f ? 3 : 5;
  const int64_t channel_index = (format == "NCHW" || format == "NCDHW") ? 1 : x.rank() - 1;
  int64_t channel = x.dims[channel_index];
  for (int i = 1; i < num_inputs && i < c.num_inputs(); ++i) {
    Shape vec;
    RETURN_IF_ERROR(WithRank(c.input(i), 1, &vec));
    RETURN_IF_ERROR(MergeDim(channel, vec.dims[0], &channel));
  }
  Shape y = x;
  y.dims[channel_index] = channel;
  c.set_output(0, y);
  for (int i = 1; i < c.num_outputs() && i <= 4; ++i) c.set_output(i, Shape::Vector(channel));
  return Status::OK();
}

}  // namespace

std::vector<ShapeFnEntry> NnShapeFns() {
  return {
      {"Conv2D", Conv2DShape},
      {"DepthwiseConv2dNative", DepthwiseConv2dNativeShape},
      {"MaxPool", PoolShape},
      {"AvgPool", PoolShape},
      {"FusedBatchNorm", FusedBatchNormShape},
      {"FusedBatchNormV2", FusedBatchNormShape},
      {"FusedBatchNormV3", FusedBatchNormShape},
  };
}

}  // namespace tf1hub::shape_inference
