// String op constructors (include/tf1hub/graph/string_ops.h).
#include "tf1hub/graph/string_ops.h"

#include "tf1hub/graph/node_builder.h"

namespace tf1hub::ops {
namespace {

StringSplitOutputs ThreeOutputs(std::vector<Output> out) {
  if (out.size() != 3) return {};
  return {out[0], out[1], out[2]};
}

}  // namespace

Output StringJoin(const Scope& s, std::span<const Output> inputs, const StringJoinAttrs& a) {
  return NodeBuilder(s, "StringJoin").InputList(inputs).Attr("separator", a.separator).FinalizeOutput();
}

StringSplitOutputs StringSplit(const Scope& s, const Output& input, const Output& delimiter,
                               const StringSplitAttrs& a) {
  return ThreeOutputs(NodeBuilder(s, "StringSplit")
                          .Input(input)
                          .Input(delimiter)
                          .Attr("skip_empty", a.skip_empty)
                          .FinalizeOutputs());
}

StringSplitOutputs StringSplitV2(const Scope& s, const Output& input, const Output& sep,
                                 const StringSplitV2Attrs& a) {
  return ThreeOutputs(NodeBuilder(s, "StringSplitV2")
                          .Input(input)
                          .Input(sep)
                          .Attr("maxsplit", a.maxsplit)
                          .FinalizeOutputs());
}

Output StaticRegexReplace(const Scope& s, const Output& input, const std::string& pattern,
                          const std::string& rewrite, const RegexReplaceAttrs& a) {
  return NodeBuilder(s, "StaticRegexReplace")
      .Input(input)
      .Attr("pattern", pattern)
      .Attr("rewrite", rewrite)
      .Attr("replace_global", a.replace_global)
      .FinalizeOutput();
}

Output RegexReplace(const Scope& s, const Output& input, const Output& pattern,
                    const Output& rewrite, const RegexReplaceAttrs& a) {
  return NodeBuilder(s, "RegexReplace")
      .Input(input)
      .Input(pattern)
      .Input(rewrite)
      .Attr("replace_global", a.replace_global)
      .FinalizeOutput();
}

Output StringToHashBucketFast(const Scope& s, const Output& input, int64_t num_buckets) {
  return NodeBuilder(s, "StringToHashBucketFast")
      .Input(input)
      .Attr("num_buckets", num_buckets)
      .FinalizeOutput();
}

}  // namespace tf1hub::ops
