// String kernels with TensorFlow 2.15's semantics: StringSplit,
// StringSplitV2, StringJoin, StringLength, StringToHashBucketFast (this
// file) and StaticRegexReplace, RegexReplace (regex_ops.cc).
// The splitting and hashing rules live in string_split.h.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/kernel_registry.h"
#include "tf1hub/kernels/register_all.h"
#include "tf1hub/kernels/string_split.h"

namespace tf1hub {

void RegisterRegexKernels(KernelRegistry* r);  // regex_ops.cc

namespace {

// Splits every string of `input` with split(s, &tokens) and writes the
// SparseTensor outputs (indices [n,2], values [n], dense shape [2]). The
// rows are cut into a few chunks split in parallel, each into its own token
// list; then each chunk writes its part of the outputs.
template <typename Split>
Status SplitToSparse(OpKernelContext* ctx, const Tensor& input, const Split& split) {
  std::span<const std::string> in = input.flat<std::string>();
  const int64_t rows = static_cast<int64_t>(in.size());
  const int64_t num_chunks = std::max<int64_t>(1, std::min<int64_t>(rows, 4 * ctx->num_threads()));
  const int64_t rows_per_chunk = (rows + num_chunks - 1) / num_chunks;
  std::vector<std::vector<std::string_view>> tokens(num_chunks);
  std::vector<int64_t> counts(rows);
  const int64_t chunk_cost = 100 + 20 * rows_per_chunk;
  ctx->ParallelFor(num_chunks, chunk_cost, [&](int64_t begin, int64_t end) {
    for (int64_t c = begin; c < end; ++c) {
      for (int64_t r = c * rows_per_chunk; r < std::min(rows, (c + 1) * rows_per_chunk); ++r) {
        const size_t before = tokens[c].size();
        split(in[r], &tokens[c]);
        counts[r] = static_cast<int64_t>(tokens[c].size() - before);
      }
    }
  });
  std::vector<int64_t> first(num_chunks + 1, 0);  // first token of each chunk
  for (int64_t c = 0; c < num_chunks; ++c) {
    first[c + 1] = first[c] + static_cast<int64_t>(tokens[c].size());
  }
  const int64_t n = first[num_chunks];
  int64_t max_count = 0;
  for (int64_t count : counts) max_count = std::max(max_count, count);
  ASSIGN_OR_RETURN(TensorShape indices_shape, TensorShape::Create({n, 2}));
  ASSIGN_OR_RETURN(TensorShape values_shape, TensorShape::Create({n}));
  ASSIGN_OR_RETURN(TensorShape shape_shape, TensorShape::Create({2}));
  ASSIGN_OR_RETURN(Tensor * indices, ctx->allocate_output(0, indices_shape));
  ASSIGN_OR_RETURN(Tensor * values, ctx->allocate_output(1, values_shape));
  ASSIGN_OR_RETURN(Tensor * shape, ctx->allocate_output(2, shape_shape));
  int64_t* idx = indices->mutable_flat<int64_t>().data();
  std::string* val = values->mutable_flat<std::string>().data();
  ctx->ParallelFor(num_chunks, chunk_cost, [&](int64_t begin, int64_t end) {
    for (int64_t c = begin; c < end; ++c) {
      int64_t t = first[c];
      const std::vector<std::string_view>& chunk = tokens[c];
      size_t k = 0;
      for (int64_t r = c * rows_per_chunk; r < std::min(rows, (c + 1) * rows_per_chunk); ++r) {
        for (int64_t j = 0; j < counts[r]; ++j, ++t, ++k) {
          idx[2 * t] = r;
          idx[2 * t + 1] = j;
          val[t].assign(chunk[k].data(), chunk[k].size());
        }
      }
    }
  });
  shape->mutable_flat<int64_t>()[0] = rows;
  shape->mutable_flat<int64_t>()[1] = max_count;
  return Status::OK();
}

class StringSplitOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    bool skip_empty = true;
    if (c.HasAttr("skip_empty")) RETURN_IF_ERROR(c.GetAttr("skip_empty", &skip_empty));
    return std::unique_ptr<OpKernel>(new StringSplitOp(c, skip_empty));
  }
  Status Compute(OpKernelContext* ctx) override {
    const Tensor& input = ctx->input(0);
    const Tensor& delimiter = ctx->input(1);
    if (input.shape().rank() != 1) {
      return InvalidArgumentError("input must be a vector, got shape: " +
                                  input.shape().DebugString());
    }
    if (delimiter.shape().rank() != 0) {
      return InvalidArgumentError("delimiter must be a scalar, got shape: " +
                                  delimiter.shape().DebugString());
    }
    const std::string& delim = delimiter.scalar<std::string>();
    const bool skip_empty = skip_empty_;
    return SplitToSparse(ctx, input, [&](std::string_view s, std::vector<std::string_view>* out) {
      SplitV1(s, delim, skip_empty, out);
    });
  }

 private:
  StringSplitOp(const KernelConstruction& c, bool skip_empty)
      : OpKernel(c), skip_empty_(skip_empty) {}
  const bool skip_empty_;
};

class StringSplitV2Op : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    int64_t maxsplit = -1;
    RETURN_IF_ERROR(c.GetAttr("maxsplit", &maxsplit));
    return std::unique_ptr<OpKernel>(new StringSplitV2Op(c, maxsplit));
  }
  Status Compute(OpKernelContext* ctx) override {
    const Tensor& input = ctx->input(0);
    const Tensor& sep = ctx->input(1);
    if (input.shape().rank() != 1) {
      return InvalidArgumentError("input must be a vector, got shape: " +
                                  input.shape().DebugString());
    }
    if (sep.shape().rank() != 0) {
      return InvalidArgumentError("sep must be a scalar, got shape: " + sep.shape().DebugString());
    }
    const std::string& separator = sep.scalar<std::string>();
    const int64_t maxsplit = maxsplit_;
    return SplitToSparse(ctx, input, [&](std::string_view s, std::vector<std::string_view>* out) {
      SplitV2(s, separator, maxsplit, out);
    });
  }

 private:
  StringSplitV2Op(const KernelConstruction& c, int64_t maxsplit)
      : OpKernel(c), maxsplit_(maxsplit) {}
  const int64_t maxsplit_;
};

class StringJoinOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    std::string separator;
    RETURN_IF_ERROR(c.GetAttr("separator", &separator));
    return std::unique_ptr<OpKernel>(new StringJoinOp(c, std::move(separator)));
  }
  Status Compute(OpKernelContext* ctx) override {
    // Non-scalar inputs must all have one shape; scalars broadcast.
    TensorShape shape;
    for (int i = 0; i < ctx->num_inputs(); ++i) {
      const TensorShape& s = ctx->input(i).shape();
      if (s.rank() == 0) continue;
      if (shape.rank() == 0) {
        shape = s;
      } else if (shape != s) {
        return InvalidArgumentError("Input shapes do not match: " + shape.DebugString() +
                                    " vs. " + s.DebugString());
      }
    }
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, shape));
    std::span<std::string> result = out->mutable_flat<std::string>();
    const int n = ctx->num_inputs();
    for (size_t j = 0; j < result.size(); ++j) {
      std::string& dst = result[j];
      dst.clear();
      for (int i = 0; i < n; ++i) {
        const Tensor& in = ctx->input(i);
        if (i > 0) dst += separator_;
        dst += in.shape().rank() == 0 ? in.scalar<std::string>() : in.flat<std::string>()[j];
      }
    }
    return Status::OK();
  }

 private:
  StringJoinOp(const KernelConstruction& c, std::string separator)
      : OpKernel(c), separator_(std::move(separator)) {}
  const std::string separator_;
};

class StringLengthOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    std::string unit;
    RETURN_IF_ERROR(c.GetAttr("unit", &unit));
    if (unit != "BYTE" && unit != "UTF8_CHAR") {
      return InvalidArgumentError("Invalid unit: " + unit);
    }
    return std::unique_ptr<OpKernel>(new StringLengthOp(c, unit == "UTF8_CHAR"));
  }
  Status Compute(OpKernelContext* ctx) override {
    const Tensor& input = ctx->input(0);
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, input.shape()));
    std::span<const std::string> in = input.flat<std::string>();
    std::span<int32_t> len = out->mutable_flat<int32_t>();
    for (size_t i = 0; i < in.size(); ++i) {
      len[i] = static_cast<int32_t>(utf8_ ? Utf8CharCount(in[i]) : in[i].size());
    }
    return Status::OK();
  }

 private:
  StringLengthOp(const KernelConstruction& c, bool utf8) : OpKernel(c), utf8_(utf8) {}
  const bool utf8_;
};

class StringToHashBucketFastOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    int64_t num_buckets = 0;
    RETURN_IF_ERROR(c.GetAttr("num_buckets", &num_buckets));
    if (num_buckets < 1) {
      return InvalidArgumentError("Value for attr 'num_buckets' of " +
                                  std::to_string(num_buckets) +
                                  " must be at least minimum 1");
    }
    return std::unique_ptr<OpKernel>(new StringToHashBucketFastOp(c, num_buckets));
  }
  Status Compute(OpKernelContext* ctx) override {
    const Tensor& input = ctx->input(0);
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, input.shape()));
    std::span<const std::string> in = input.flat<std::string>();
    std::span<int64_t> buckets = out->mutable_flat<int64_t>();
    const uint64_t n = static_cast<uint64_t>(num_buckets_);
    ctx->ParallelFor(static_cast<int64_t>(in.size()), 100, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        buckets[i] = static_cast<int64_t>(Fingerprint64(in[i]) % n);
      }
    });
    return Status::OK();
  }

 private:
  StringToHashBucketFastOp(const KernelConstruction& c, int64_t num_buckets)
      : OpKernel(c), num_buckets_(num_buckets) {}
  const int64_t num_buckets_;
};

}  // namespace

void RegisterStringKernels(KernelRegistry* r) {
  r->Register("StringSplit", {}, MakeKernelFactory<StringSplitOp>());
  r->Register("StringSplitV2", {}, MakeKernelFactory<StringSplitV2Op>());
  r->Register("StringJoin", {}, MakeKernelFactory<StringJoinOp>());
  r->Register("StringLength", {}, MakeKernelFactory<StringLengthOp>());
  r->Register("StringToHashBucketFast", {}, MakeKernelFactory<StringToHashBucketFastOp>());
  RegisterRegexKernels(r);
}

}  // namespace tf1hub
