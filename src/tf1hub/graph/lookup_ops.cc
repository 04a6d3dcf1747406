// Hash-table op constructors (include/tf1hub/graph/lookup_ops.h).
#include "tf1hub/graph/lookup_ops.h"

#include "tf1hub/graph/node_builder.h"

namespace tf1hub::ops {

Output HashTableV2(const Scope& s, DataType key_dtype, DataType value_dtype,
                   const HashTableAttrs& a) {
  return NodeBuilder(s, "HashTableV2")
      .Attr("container", a.container)
      .Attr("shared_name", a.shared_name)
      .Attr("use_node_name_sharing", a.use_node_name_sharing)
      .Attr("key_dtype", key_dtype)
      .Attr("value_dtype", value_dtype)
      .FinalizeOutput();
}

Output LookupTableFindV2(const Scope& s, const Output& table, const Output& keys,
                         const Output& default_value) {
  return NodeBuilder(s, "LookupTableFindV2").Input(table).Input(keys).Input(default_value).FinalizeOutput();
}

Operation LookupTableImportV2(const Scope& s, const Output& table, const Output& keys,
                              const Output& values) {
  return NodeBuilder(s, "LookupTableImportV2").Input(table).Input(keys).Input(values).Finalize();
}

Output LookupTableSizeV2(const Scope& s, const Output& table) {
  return NodeBuilder(s, "LookupTableSizeV2").Input(table).FinalizeOutput();
}

Operation InitializeTableFromTextFileV2(const Scope& s, const Output& table,
                                        const Output& filename, int64_t key_index,
                                        int64_t value_index, const TextFileInitAttrs& a) {
  return NodeBuilder(s, "InitializeTableFromTextFileV2")
      .Input(table)
      .Input(filename)
      .Attr("key_index", key_index)
      .Attr("value_index", value_index)
      .Attr("vocab_size", a.vocab_size)
      .Attr("delimiter", a.delimiter)
      .Attr("offset", a.offset)
      .Finalize();
}

}  // namespace tf1hub::ops
