// String op constructors: joining, splitting, regex replacement, hashing.
// Errors follow scope.h.
//
//   Output lower = ops::StaticRegexReplace(scope, text, "[[:punct:]]", " ");
//   ops::StringSplitOutputs tokens = ops::StringSplitV2(scope, lower, ops::Const(scope, " "));
//
// Thread safety: as Scope.
#ifndef TF1HUB_GRAPH_STRING_OPS_H_
#define TF1HUB_GRAPH_STRING_OPS_H_

#include <cstdint>
#include <span>
#include <string>

#include "tf1hub/graph/output.h"
#include "tf1hub/graph/scope.h"

namespace tf1hub::ops {

struct StringJoinAttrs {
  std::string separator = "";
};
Output StringJoin(const Scope& scope, std::span<const Output> inputs,
                  const StringJoinAttrs& attrs = {});

// A SparseTensor of the pieces: indices [n, 2] int64, values string, shape [2] int64.
struct StringSplitOutputs {
  Output indices, values, shape;
};
struct StringSplitAttrs {
  bool skip_empty = true;
};
StringSplitOutputs StringSplit(const Scope& scope, const Output& input, const Output& delimiter,
                               const StringSplitAttrs& attrs = {});
struct StringSplitV2Attrs {
  int64_t maxsplit = -1;
};
StringSplitOutputs StringSplitV2(const Scope& scope, const Output& input, const Output& sep,
                                 const StringSplitV2Attrs& attrs = {});

struct RegexReplaceAttrs {
  bool replace_global = true;
};
Output StaticRegexReplace(const Scope& scope, const Output& input, const std::string& pattern,
                          const std::string& rewrite, const RegexReplaceAttrs& attrs = {});
Output RegexReplace(const Scope& scope, const Output& input, const Output& pattern,
                    const Output& rewrite, const RegexReplaceAttrs& attrs = {});
Output StringToHashBucketFast(const Scope& scope, const Output& input, int64_t num_buckets);

}  // namespace tf1hub::ops

#endif  // TF1HUB_GRAPH_STRING_OPS_H_
