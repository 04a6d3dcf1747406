// String kernels with TensorFlow 2.15's semantics: StringSplit,
// StringSplitV2, StringJoin, StringLength, StringToHashBucketFast (this
// file) and StaticRegexReplace, RegexReplace (regex_ops.cc).
// The splitting and hashing rules live in string_split.h.
#include <algorithm>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
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

// Writes tokens of one row (views into it) into output strings that
// allocate_output left empty.
//
// Each token is constructed over the empty string without destroying it
// first: a default-constructed std::string holds no memory (in libstdc++
// and libc++; not in MSVC's debug mode), so its destructor has no effect
// and the storage may simply be reused ([basic.life]/5); assign() would
// read the old string's state and take a longer path.
//
// A token of up to 15 bytes (any word) is copied as 15 bytes and then cut
// to its size: a copy of fixed length compiles to two moves, where one of
// the token's own length is a call to memcpy, which was the largest cost
// per token. The 15 bytes are read from the row where they lie within it,
// and otherwise (the last token or two of a row) from a zero-padded copy of
// the row's last 16 bytes.
class TokenWriter {
 public:
  explicit TokenWriter(const std::string& row) : row_(row.data()), size_(row.size()) {
    if (size_ >= 16) {
      std::memcpy(tail_, row_ + size_ - 16, 16);
    } else {
      std::memcpy(tail_ + 16 - size_, row_, size_);
    }
  }

  // `out` must be an empty string; `token` must lie within the row.
  void ConstructAt(std::string* out, std::string_view token) const {
    if (token.size() > kShort) {
      new (out) std::string(token);
      return;
    }
    const size_t at = static_cast<size_t>(token.data() - row_);
    const char* from = at + kShort <= size_ ? token.data() : tail_ + (at + 16 - size_);
    new (out) std::string(from, kShort);
    out->resize(token.size());
  }

 private:
  static constexpr size_t kShort = 15;
  const char* row_;
  size_t size_;
  // tail_[16 - size_ + k] == row_[k] for the row's last min(size_, 16) bytes.
  char tail_[32] = {};
};

// The SparseTensor outputs of a split (indices [n,2], values [n], dense
// shape [2]), written in two passes over the rows. Pass one finds each
// row's token count, which sizes the outputs and places each row's first
// token: first[r] is the index of row r's first token, first[rows] == n.
// Pass two, WriteTokens, hands each row's tokens to an emit that writes
// them straight into their slots.
//
// The cost estimates for the thread pool are cycles as measured (a 70-byte,
// 11-token row takes ~25 to count at a byte delimiter and ~90 to write): a
// batch of 1000 such rows stays on one thread, where waking a helper costs
// about what it saves and would spread the output strings over two cores'
// caches.
class SparseSplitWriter {
 public:
  explicit SparseSplitWriter(std::span<const std::string> in)
      : in_(in), rows_(static_cast<int64_t>(in.size())), first_(in.size() + 1, 0) {
    int64_t bytes = 0;
    for (const std::string& s : in) bytes += static_cast<int64_t>(s.size());
    bytes_per_row_ = rows_ == 0 ? 0 : bytes / rows_;
  }
  int64_t rows() const { return rows_; }
  int64_t bytes_per_row() const { return bytes_per_row_; }
  // Pass one: SetCount(r, c) for every row, then Place().
  void SetCount(int64_t r, int64_t count) { first_[r + 1] = count; }
  void Place() {
    for (int64_t r = 0; r < rows_; ++r) {
      max_count_ = std::max(max_count_, first_[r + 1]);
      first_[r + 1] += first_[r];
    }
  }
  int64_t first(int64_t r) const { return first_[r]; }

  // Pass two: allocates the outputs and calls for_each(r, emit) for every
  // row, which must call emit(token) for exactly row r's counted tokens,
  // each a view into in[r], in order.
  template <typename ForEachToken>
  Status WriteTokens(OpKernelContext* ctx, const ForEachToken& for_each) {
    const int64_t n = first_[rows_];
    ASSIGN_OR_RETURN(TensorShape indices_shape, TensorShape::Create({n, 2}));
    ASSIGN_OR_RETURN(TensorShape values_shape, TensorShape::Create({n}));
    ASSIGN_OR_RETURN(TensorShape shape_shape, TensorShape::Create({2}));
    ASSIGN_OR_RETURN(Tensor * indices, ctx->allocate_output(0, indices_shape));
    ASSIGN_OR_RETURN(Tensor * values, ctx->allocate_output(1, values_shape));
    ASSIGN_OR_RETURN(Tensor * shape, ctx->allocate_output(2, shape_shape));
    int64_t* idx = indices->mutable_flat<int64_t>().data();
    std::string* val = values->mutable_flat<std::string>().data();
    const int64_t tokens_per_row = rows_ == 0 ? 0 : n / rows_;
    const int64_t write_cost = 10 + bytes_per_row_ / 2 + 5 * tokens_per_row;
    ctx->ParallelFor(rows_, write_cost, [&](int64_t begin, int64_t end) {
      // Locals, not the captured pointers: bytes stored into strings may
      // alias anything in memory, which would force a reload per token.
      int64_t* out_index = idx + 2 * first_[begin];
      std::string* out_value = val + first_[begin];
      for (int64_t r = begin; r < end; ++r) {
        const TokenWriter writer(in_[r]);
        int64_t j = 0;
        for_each(r, [&](std::string_view token) {
          assert(out_value < val + first_[r + 1]);  // as many as counted
          out_index[0] = r;
          out_index[1] = j++;
          out_index += 2;
          writer.ConstructAt(out_value++, token);
        });
      }
    });
    shape->mutable_flat<int64_t>()[0] = rows_;
    shape->mutable_flat<int64_t>()[1] = max_count_;
    return Status::OK();
  }

 private:
  std::span<const std::string> in_;
  int64_t rows_;
  int64_t bytes_per_row_ = 0;
  int64_t max_count_ = 0;
  std::vector<int64_t> first_;  // holds counts at first_[r + 1] until Place()
};

// Splits every string of `input` with split(s, emit) into the outputs,
// counting row r's tokens with count(s) first and splitting it again to
// write them: for a one-byte delimiter, counting is much cheaper than
// splitting, and scanning a row again is cheaper than storing its tokens
// and reading them back.
template <typename Count, typename Split>
Status CountThenSplitToSparse(OpKernelContext* ctx, const Tensor& input, const Count& count,
                              const Split& split) {
  std::span<const std::string> in = input.flat<std::string>();
  SparseSplitWriter out(in);
  ctx->ParallelFor(out.rows(), 10 + out.bytes_per_row() / 2, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) out.SetCount(r, count(in[r]));
  });
  out.Place();
  return out.WriteTokens(ctx, [&](int64_t r, auto&& emit) { split(in[r], emit); });
}

// Splits every string of `input` with split(s, emit) into the outputs,
// once: the tokens are kept between the passes (other splitters cost about
// as much to count as to split), a list per chunk of rows so that large
// batches split in parallel.
template <typename Split>
Status SplitOnceToSparse(OpKernelContext* ctx, const Tensor& input, const Split& split) {
  std::span<const std::string> in = input.flat<std::string>();
  SparseSplitWriter out(in);
  const int64_t rows = out.rows();
  const int64_t chunks = std::max<int64_t>(1, std::min<int64_t>(rows, 4 * ctx->num_threads()));
  const int64_t rows_per_chunk = (rows + chunks - 1) / chunks;
  std::vector<std::vector<std::string_view>> tokens(chunks);
  const int64_t chunk_cost = rows_per_chunk * (10 + 4 * out.bytes_per_row());
  ctx->ParallelFor(chunks, chunk_cost, [&](int64_t begin, int64_t end) {
    for (int64_t c = begin; c < end; ++c) {
      std::vector<std::string_view>& list = tokens[c];
      for (int64_t r = c * rows_per_chunk; r < std::min(rows, (c + 1) * rows_per_chunk); ++r) {
        const size_t before = list.size();
        split(in[r], [&list](std::string_view token) { list.push_back(token); });
        out.SetCount(r, static_cast<int64_t>(list.size() - before));
      }
    }
  });
  out.Place();
  return out.WriteTokens(ctx, [&](int64_t r, auto&& emit) {
    const int64_t c = r / rows_per_chunk;
    const std::vector<std::string_view>& list = tokens[c];
    const int64_t chunk_first = out.first(c * rows_per_chunk);
    for (int64_t t = out.first(r); t < out.first(r + 1); ++t) emit(list[t - chunk_first]);
  });
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
    auto split = [&](std::string_view s, auto&& emit) { SplitV1(s, delim, skip_empty, emit); };
    if (delim.size() == 1) {  // the common case, counted without splitting
      const char d = delim[0];
      auto count = [&](std::string_view s) { return CountSplitV1AtByte(s, d, skip_empty); };
      return CountThenSplitToSparse(ctx, input, count, split);
    }
    return SplitOnceToSparse(ctx, input, split);
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
    auto split = [&](std::string_view s, auto&& emit) { SplitV2(s, separator, maxsplit, emit); };
    return SplitOnceToSparse(ctx, input, split);
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
    if (n == 1) {
      // Every fingerprint modulo 1 is 0 (hub's text exporter hashes
      // out-of-vocabulary words into one bucket by default).
      std::fill(buckets.begin(), buckets.end(), int64_t{0});
      return Status::OK();
    }
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
