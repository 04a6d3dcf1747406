// StaticRegexReplace and RegexReplace with RE2, as TensorFlow 2.15 does:
// RE2::GlobalReplace (replace_global) or RE2::Replace (first match) on each
// element, default RE2 options (UTF-8). A rewrite naming a group the pattern
// does not have leaves the string unchanged (RE2 refuses the rewrite), as in
// TensorFlow.
//
// Fast path (char_class_filter.h): when the pattern is, by syntax, one
// character class such as "\pP" or "[[:punct:]]", its ASCII members are
// tabulated with RE2::FullMatch when the pattern is compiled. A global
// replace with a rewrite free of backslashes, on a string of ASCII bytes
// only, then replaces the member bytes directly. This is exactly what
// RE2::GlobalReplace gives: such a class matches one code point, never the
// empty string, and in ASCII text every match is one byte whose membership
// the table holds as RE2 decided it (reasoning in char_class_filter.h). Any
// other string, pattern, rewrite or replace_global=false goes through RE2.
#include <re2/re2.h>

#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tf1hub/kernels/char_class_filter.h"
#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/kernel_registry.h"

namespace tf1hub {
namespace {

// RE2 with TensorFlow's options, minus RE2's own logging of bad patterns
// (the error is returned instead).
StatusOr<std::unique_ptr<RE2>> Compile(const std::string& pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(pattern, options);
  if (!re->ok()) {
    return InvalidArgumentError("Invalid pattern: " + pattern + ", error: " + re->error());
  }
  return re;
}

// Copies of one compiled pattern, one per concurrent user: an RE2 object is
// thread-safe, but its DFA cache sits behind a reader-writer lock that
// every search takes, and threads sharing one object contend on it.
class RegexPool {
 public:
  static StatusOr<std::shared_ptr<RegexPool>> Create(const std::string& pattern) {
    ASSIGN_OR_RETURN(std::unique_ptr<RE2> re, Compile(pattern));
    auto pool = std::make_shared<RegexPool>();
    pool->pattern_ = pattern;
    pool->ascii_class_ = AsciiClassTableFor(pattern, *re);
    pool->free_.push_back(std::move(re));
    return pool;
  }
  const std::string& pattern() const { return pattern_; }
  // The ASCII members when the pattern is a single character class.
  const std::optional<AsciiClassTable>& ascii_class() const { return ascii_class_; }

  // A copy for the caller's exclusive use until Release.
  std::unique_ptr<RE2> Acquire() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!free_.empty()) {
        std::unique_ptr<RE2> re = std::move(free_.back());
        free_.pop_back();
        return re;
      }
    }
    return std::move(Compile(pattern_)).value();  // compiled once already
  }
  void Release(std::unique_ptr<RE2> re) {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(re));
  }

 private:
  std::string pattern_;
  std::optional<AsciiClassTable> ascii_class_;
  std::mutex mu_;
  std::vector<std::unique_ptr<RE2>> free_;  // guarded by mu_
};

// output = input with the pattern replaced by `rewrite` in every element.
Status ReplaceAll(OpKernelContext* ctx, RegexPool& pool, const std::string& rewrite, bool global) {
  const Tensor& input = ctx->input(0);
  ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, input.shape()));
  std::span<const std::string> in = input.flat<std::string>();
  std::span<std::string> result = out->mutable_flat<std::string>();
  // The fast path (see the top of this file), or nullptr for RE2 throughout.
  const AsciiClassTable* fast = nullptr;
  if (global && pool.ascii_class().has_value() && IsLiteralRewrite(rewrite)) {
    fast = &*pool.ascii_class();
  }
  ctx->ParallelFor(static_cast<int64_t>(in.size()), 2000, [&](int64_t begin, int64_t end) {
    std::unique_ptr<RE2> re;  // taken from the pool on the first string that needs it
    for (int64_t i = begin; i < end; ++i) {
      if (fast != nullptr && IsAscii(in[i])) {
        ReplaceAsciiClassMembers(in[i], *fast, rewrite, &result[i]);
        continue;
      }
      if (re == nullptr) re = pool.Acquire();
      result[i] = in[i];
      if (global) {
        RE2::GlobalReplace(&result[i], *re, rewrite);
      } else {
        RE2::Replace(&result[i], *re, rewrite);
      }
    }
    if (re != nullptr) pool.Release(std::move(re));
  });
  return Status::OK();
}

class StaticRegexReplaceOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    std::string pattern, rewrite;
    bool global = true;
    RETURN_IF_ERROR(c.GetAttr("pattern", &pattern));
    RETURN_IF_ERROR(c.GetAttr("rewrite", &rewrite));
    RETURN_IF_ERROR(c.GetAttr("replace_global", &global));
    ASSIGN_OR_RETURN(std::shared_ptr<RegexPool> re, RegexPool::Create(pattern));
    return std::unique_ptr<OpKernel>(
        new StaticRegexReplaceOp(c, std::move(re), std::move(rewrite), global));
  }
  Status Compute(OpKernelContext* ctx) override {
    return ReplaceAll(ctx, *re_, rewrite_, global_);
  }

 private:
  StaticRegexReplaceOp(const KernelConstruction& c, std::shared_ptr<RegexPool> re,
                       std::string rewrite, bool global)
      : OpKernel(c), re_(std::move(re)), rewrite_(std::move(rewrite)), global_(global) {}
  const std::shared_ptr<RegexPool> re_;
  const std::string rewrite_;
  const bool global_;
};

class RegexReplaceOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    bool global = true;
    RETURN_IF_ERROR(c.GetAttr("replace_global", &global));
    return std::unique_ptr<OpKernel>(new RegexReplaceOp(c, global));
  }
  Status Compute(OpKernelContext* ctx) override {
    const Tensor& pattern = ctx->input(1);
    if (pattern.shape().rank() != 0) {
      return InvalidArgumentError("Pattern must be scalar, but received " +
                                  pattern.shape().DebugString());
    }
    ASSIGN_OR_RETURN(std::shared_ptr<RegexPool> re, CachedCompile(pattern.scalar<std::string>()));
    const Tensor& rewrite = ctx->input(2);
    if (rewrite.shape().rank() != 0) {
      return InvalidArgumentError("Rewrite must be scalar, but received " +
                                  rewrite.shape().DebugString());
    }
    return ReplaceAll(ctx, *re, rewrite.scalar<std::string>(), global_);
  }

 private:
  RegexReplaceOp(const KernelConstruction& c, bool global) : OpKernel(c), global_(global) {}

  // The pattern usually stays the same from run to run: keep the last one.
  StatusOr<std::shared_ptr<RegexPool>> CachedCompile(const std::string& pattern) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (last_ != nullptr && last_->pattern() == pattern) return last_;
    }
    ASSIGN_OR_RETURN(std::shared_ptr<RegexPool> re, RegexPool::Create(pattern));
    std::lock_guard<std::mutex> lock(mu_);
    last_ = re;
    return re;
  }

  const bool global_;
  std::mutex mu_;
  std::shared_ptr<RegexPool> last_;  // guarded by mu_
};

}  // namespace

// StaticRegexFullMatch: true where the whole string matches `pattern`
// (RE2::FullMatch, as TF); the Saver's sharded-save graph uses it to test
// for "^s3://.*".
class StaticRegexFullMatchOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    std::string pattern;
    RETURN_IF_ERROR(c.GetAttr("pattern", &pattern));
    ASSIGN_OR_RETURN(std::unique_ptr<RE2> re, Compile(pattern));
    return std::unique_ptr<OpKernel>(new StaticRegexFullMatchOp(c, std::move(re)));
  }
  Status Compute(OpKernelContext* ctx) override {
    const Tensor& input = ctx->input(0);
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, input.shape()));
    std::span<const std::string> in = input.flat<std::string>();
    std::span<bool> result = out->mutable_flat<bool>();
    for (size_t i = 0; i < in.size(); ++i) result[i] = RE2::FullMatch(in[i], *re_);
    return Status::OK();
  }

 private:
  StaticRegexFullMatchOp(const KernelConstruction& c, std::shared_ptr<const RE2> re)
      : OpKernel(c), re_(std::move(re)) {}
  const std::shared_ptr<const RE2> re_;
};

void RegisterRegexKernels(KernelRegistry* r) {
  r->Register("StaticRegexReplace", {}, MakeKernelFactory<StaticRegexReplaceOp>());
  r->Register("RegexReplace", {}, MakeKernelFactory<RegexReplaceOp>());
  r->Register("StaticRegexFullMatch", {}, MakeKernelFactory<StaticRegexFullMatchOp>());
}

}  // namespace tf1hub
