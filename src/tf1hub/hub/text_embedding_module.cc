// MakeTextEmbeddingModuleFn: the graph of hub's text-embedding exporter.
//
// Node names, ops and attrs mirror what TensorFlow 2.15 builds for
// examples/text_embeddings/export.py (dumped from the oracle):
//
//   sentences -> StaticRegexReplace (\pP -> "") -> StringSplit/StringSplit
//   zeros (Const, or Fill for >= 1000 elements) -> embeddings (VarHandleOp)
//   asset_path (the vocabulary file, collection asset_filepaths), Const (-1)
//   hash_table (HashTableV2, shared_name "hash_table_<vocab>_-2_-1")
//   text_file_init/InitializeTableFromTextFileV2 (collection table_initializer)
//   hash_table_Lookup/...: StaticVocabularyTable.lookup:
//       ids = LookupTableFindV2(keys, -1)
//       ids != -1 ? ids : StringToHashBucketFast(keys) + LookupTableSizeV2
//   Const_1 ("") -> hash_table_Lookup_1/... (the id of the empty string)
//   SparseFillEmptyRows/SparseFillEmptyRows, then tf.sparse_reset_shape:
//       Identity, Identity_1, Identity_2, Max, ones_like, Add, Maximum
//   embedding_lookup_sparse (combiner sqrtn): strided_slice (indices[:, 0]),
//       Unique, embedding_lookup (ResourceGather) + Identity,
//       SparseSegmentSqrtN named embedding_lookup_sparse.
// The token-only variant: tokens -> lookup -> embedding_lookup (ResourceGather)
// -> embedding_lookup/Identity.
#include <cstdint>
#include <string>
#include <vector>

#include "tf1hub/graph/array_ops.h"
#include "tf1hub/graph/graph.h"
#include "tf1hub/graph/initializers.h"
#include "tf1hub/graph/lookup_ops.h"
#include "tf1hub/graph/math_ops.h"
#include "tf1hub/graph/sparse_ops.h"
#include "tf1hub/graph/state_ops.h"
#include "tf1hub/graph/string_ops.h"
#include "tf1hub/graph/variables.h"
#include "tf1hub/hub/text_embedding.h"

namespace tf1hub::hub {
namespace {

constexpr char kEmbeddingsVarName[] = "embeddings";

// tf.lookup.StaticVocabularyTable over a text file, as TF 2.15 builds it.
struct VocabularyTable {
  Output table;
  Output default_id;  // the int64 -1 "Const"
  int64_t num_oov_buckets = 0;
};

VocabularyTable MakeVocabularyTable(const Scope& s, const std::string& vocab_file,
                                    int64_t num_oov_buckets) {
  VocabularyTable t;
  t.num_oov_buckets = num_oov_buckets;
  // TextFileInitializer: the filename becomes an asset.
  Output asset = ops::Const(s.WithOpName("asset_path"), vocab_file);
  if (s.ok()) {
    Status added = s.graph()->AddToCollection(graph_keys::kAssetFilepaths, asset.ToString());
    if (!added.ok()) s.UpdateStatus(added);
  }
  t.default_id = ops::Const(s, int64_t{-1});
  // WHOLE_LINE (-2) keys, LINE_NUMBER (-1) values; TF names the shared
  // table after the file and the two indices.
  t.table = ops::HashTableV2(s.WithOpName("hash_table"), DataType::kString, DataType::kInt64,
                             {.shared_name = "hash_table_" + vocab_file + "_-2_-1"});
  Operation init = ops::InitializeTableFromTextFileV2(s.NewSubScope("text_file_init"), t.table,
                                                      asset, /*key_index=*/-2,
                                                      /*value_index=*/-1);
  if (s.ok()) {
    Status added = s.graph()->AddToCollection(graph_keys::kTableInitializers, init.name);
    if (!added.ok()) s.UpdateStatus(added);
  }
  return t;
}

// StaticVocabularyTable.lookup(keys).
Output Lookup(const Scope& scope, const VocabularyTable& t, const Output& keys) {
  const Scope s = scope.NewSubScope("hash_table_Lookup");
  Output buckets = ops::StringToHashBucketFast(s.WithOpName("hash_bucket"), keys, t.num_oov_buckets);
  Output ids = ops::LookupTableFindV2(s.NewSubScope("hash_table_Lookup"), t.table, keys, t.default_id);
  Output size = ops::LookupTableSizeV2(s.NewSubScope("hash_table_Size"), t.table);
  Output oov_ids = ops::AddV2(s.WithOpName("Add"), buckets, size);
  Output found = ops::NotEqual(s, ids, t.default_id);
  return ops::SelectV2(s, found, ids, oov_ids);
}

// The [rows, dim] float32 embeddings variable, zeros-initialized (its
// value comes from the exporter's assignment or the checkpoint).
StatusOr<Variable> EmbeddingsVariable(const Scope& s, int64_t rows, int64_t dim) {
  ASSIGN_OR_RETURN(TensorShape shape, TensorShape::Create({rows, dim}));
  Output zeros = initializers::Zeros()(s, shape, DataType::kFloat);
  return GetVariable(s, kEmbeddingsVarName, shape,
                     {.initializer = Initializer([zeros](const Scope&, const TensorShape&,
                                                         DataType) { return zeros; })});
}

// embedding_var.sparse_read / tf.nn.embedding_lookup on a resource variable:
// ResourceGather colocated with the variable, then an Identity.
Output Gather(const Scope& scope, const Variable& var, const Output& ids) {
  OpNameScope lookup(scope, "embedding_lookup");
  Output gathered = ops::ResourceGather(lookup.op().ColocateWith(var.handle()), var.handle(), ids,
                                        DataType::kFloat);
  return ops::Identity(lookup.inputs(), gathered);
}

// tf.nn.embedding_lookup_sparse(params, sp_ids, None, combiner="sqrtn").
Output EmbeddingLookupSparseSqrtN(const Scope& s, const Variable& var, const Output& indices,
                                  const Output& values) {
  OpNameScope bag(s, "embedding_lookup_sparse");
  const Scope& in = bag.inputs();
  // segment_ids = sp_ids.indices[:, 0]
  OpNameScope slice(in, "strided_slice");
  const Scope& sl = slice.inputs();
  Output begin = ops::Const(sl.WithOpName("stack"), std::vector<int32_t>{0, 0});
  Output end = ops::Const(sl.WithOpName("stack_1"), std::vector<int32_t>{0, 1});
  Output strides = ops::Const(sl.WithOpName("stack_2"), std::vector<int32_t>{1, 1});
  Output segment_ids = ops::StridedSlice(slice.op(), indices, begin, end, strides,
                                         {.begin_mask = 1, .end_mask = 1, .shrink_axis_mask = 2});
  ops::UniqueOutputs unique = ops::Unique(in, values);
  Output rows = Gather(in, var, unique.y);
  return ops::SparseSegmentSqrtN(bag.op(), rows, unique.idx, segment_ids);
}

// tf.sparse_reset_shape(sp) with new_shape None: the identities and the new
// dense shape max(0, max(indices, 0) + 1). The shape is unused by the
// embedding (as in TF) but part of the graph.
struct ResetShape {
  Output indices, values;
};
ResetShape SparseResetShape(const Scope& s, const Output& indices, const Output& values,
                            const Output& dense_shape) {
  ResetShape r;
  r.indices = ops::Identity(s, indices);
  r.values = ops::Identity(s, values);
  ops::Identity(s, dense_shape);  // Identity_2, read by ones_like only for its static shape
  OpNameScope max(s, "Max");
  Output axis = ops::Const(max.inputs().WithOpName("reduction_indices"), int32_t{0});
  Output low_bound = ops::Max(max.op(), r.indices, axis);
  Output zero = ops::Const(s, int64_t{0});
  // ones_like(shape) of a [2] tensor: Fill(shape_as_tensor, 1).
  OpNameScope ones(s, "ones_like");
  Output dims = ops::Const(ones.inputs().NewSubScope("Shape").WithOpName("shape_as_tensor"),
                           std::vector<int32_t>{2});
  Output one = ops::Const(ones.inputs(), int64_t{1});
  Output ones_like = ops::Fill(ones.op(), dims, one);
  Output upper = ops::AddV2(s.WithOpName("Add"), low_bound, ones_like);
  ops::Maximum(s, zero, upper);
  return r;
}

Status BuildWithPreprocessing(ModuleFnContext& ctx, const std::string& vocab_file,
                              int64_t vocab_size, int64_t dim, int64_t num_oov_buckets) {
  const Scope& s = ctx.scope();
  ASSIGN_OR_RETURN(PartialTensorShape batch, PartialTensorShape::Create(std::vector<int64_t>{-1}));
  Output sentences = ops::Placeholder(s.WithOpName("sentences"), DataType::kString, {.shape = batch});
  // Remove punctuation, split on spaces (empty pieces skipped).
  Output normalized = ops::StaticRegexReplace(s, sentences, "\\pP", "");
  const Scope split_scope = s.NewSubScope("StringSplit");
  ops::StringSplitOutputs tokens =
      ops::StringSplit(split_scope, normalized, ops::Const(split_scope, " "));

  ASSIGN_OR_RETURN(Variable embeddings, EmbeddingsVariable(s, vocab_size + num_oov_buckets, dim));

  VocabularyTable table = MakeVocabularyTable(s, vocab_file, num_oov_buckets);
  Output ids = Lookup(s, table, tokens.values);
  // Rows with no tokens get the id of "" (an OOV bucket).
  Output empty_id = Lookup(s, table, ops::Const(s, ""));
  ops::SparseFillEmptyRowsOutputs filled = ops::SparseFillEmptyRows(
      s.NewSubScope("SparseFillEmptyRows"), tokens.indices, ids, tokens.shape, empty_id);
  ResetShape sparse_ids =
      SparseResetShape(s, filled.output_indices, filled.output_values, tokens.shape);
  Output combined = EmbeddingLookupSparseSqrtN(s, embeddings, sparse_ids.indices, sparse_ids.values);
  if (!s.ok()) return s.status();
  ctx.AddSignature("default", {{"sentences", sentences}}, {{"default", combined}});
  return s.status();
}

Status BuildTokens(ModuleFnContext& ctx, const std::string& vocab_file, int64_t vocab_size,
                   int64_t dim, int64_t num_oov_buckets) {
  const Scope& s = ctx.scope();
  ASSIGN_OR_RETURN(PartialTensorShape batch, PartialTensorShape::Create(std::vector<int64_t>{-1}));
  Output tokens = ops::Placeholder(s.WithOpName("tokens"), DataType::kString, {.shape = batch});
  ASSIGN_OR_RETURN(Variable embeddings, EmbeddingsVariable(s, vocab_size + num_oov_buckets, dim));
  VocabularyTable table = MakeVocabularyTable(s, vocab_file, num_oov_buckets);
  Output ids = Lookup(s, table, tokens);
  Output rows = Gather(s, embeddings, ids);
  if (!s.ok()) return s.status();
  ctx.AddSignature("default", {{"tokens", tokens}}, {{"default", rows}});
  return s.status();
}

}  // namespace

ModuleFn MakeTextEmbeddingModuleFn(const std::string& vocab_file, int64_t vocab_size, int64_t dim,
                                   int64_t num_oov_buckets, bool preprocess_text) {
  return [=](ModuleFnContext& ctx) -> Status {
    if (num_oov_buckets <= 0) {
      return InvalidArgumentError("`num_oov_buckets` must be > 0; use StaticHashTable.");
    }
    if (vocab_size <= 0 || dim <= 0) {
      return InvalidArgumentError("text embedding module: vocab_size (" +
                                  std::to_string(vocab_size) + ") and dim (" +
                                  std::to_string(dim) + ") must be positive");
    }
    if (preprocess_text) {
      return BuildWithPreprocessing(ctx, vocab_file, vocab_size, dim, num_oov_buckets);
    }
    return BuildTokens(ctx, vocab_file, vocab_size, dim, num_oov_buckets);
  };
}

}  // namespace tf1hub::hub
