// Hash-table op constructors (the V2, resource-handle versions that
// tf.compat.v1 lookup tables and hub text modules use). Errors follow
// scope.h.
//
//   Output table = ops::HashTableV2(scope, DataType::kString, DataType::kInt64,
//                                   {.shared_name = "hash_table_vocab"});
//   Operation init = ops::InitializeTableFromTextFileV2(scope, table, vocab_file,
//                                                       /*key_index=*/-2, /*value_index=*/-1);
//   Output ids = ops::LookupTableFindV2(scope, table, tokens, ops::Const(scope, int64_t{-1}));
//
// Thread safety: as Scope.
#ifndef TF1HUB_GRAPH_LOOKUP_OPS_H_
#define TF1HUB_GRAPH_LOOKUP_OPS_H_

#include <cstdint>
#include <string>

#include "tf1hub/data_type.h"
#include "tf1hub/graph/output.h"
#include "tf1hub/graph/scope.h"

namespace tf1hub::ops {

struct HashTableAttrs {
  std::string container = "";
  std::string shared_name = "";
  bool use_node_name_sharing = false;
};
Output HashTableV2(const Scope& scope, DataType key_dtype, DataType value_dtype,
                   const HashTableAttrs& attrs = {});
Output LookupTableFindV2(const Scope& scope, const Output& table, const Output& keys,
                         const Output& default_value);
Operation LookupTableImportV2(const Scope& scope, const Output& table, const Output& keys,
                              const Output& values);
Output LookupTableSizeV2(const Scope& scope, const Output& table);
struct TextFileInitAttrs {
  int64_t vocab_size = -1;
  std::string delimiter = "\t";
  int64_t offset = 0;
};
// key_index / value_index: a column, or -1 (whole line) / -2 (line number).
Operation InitializeTableFromTextFileV2(const Scope& scope, const Output& table,
                                        const Output& filename, int64_t key_index,
                                        int64_t value_index, const TextFileInitAttrs& attrs = {});

}  // namespace tf1hub::ops

#endif  // TF1HUB_GRAPH_LOOKUP_OPS_H_
