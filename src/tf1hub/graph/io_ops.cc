// Checkpoint I/O op constructors (include/tf1hub/graph/io_ops.h).
#include "tf1hub/graph/io_ops.h"

#include "tf1hub/graph/node_builder.h"

namespace tf1hub::ops {

Operation SaveV2(const Scope& s, const Output& prefix, const Output& tensor_names,
                 const Output& shape_and_slices, std::span<const Output> tensors) {
  return NodeBuilder(s, "SaveV2")
      .Input(prefix)
      .Input(tensor_names)
      .Input(shape_and_slices)
      .InputList(tensors)
      .Finalize();
}

std::vector<Output> RestoreV2(const Scope& s, const Output& prefix, const Output& tensor_names,
                              const Output& shape_and_slices, std::span<const DataType> dtypes) {
  return NodeBuilder(s, "RestoreV2")
      .Input(prefix)
      .Input(tensor_names)
      .Input(shape_and_slices)
      .Attr("dtypes", dtypes)
      .FinalizeOutputs();
}

Operation MergeV2Checkpoints(const Scope& s, const Output& checkpoint_prefixes,
                             const Output& destination_prefix, const MergeV2CheckpointsAttrs& a) {
  return NodeBuilder(s, "MergeV2Checkpoints")
      .Input(checkpoint_prefixes)
      .Input(destination_prefix)
      .Attr("delete_old_dirs", a.delete_old_dirs)
      .Attr("allow_missing_files", a.allow_missing_files)
      .Finalize();
}

Output ShardedFilename(const Scope& s, const Output& basename, const Output& shard,
                       const Output& num_shards) {
  return NodeBuilder(s, "ShardedFilename").Input(basename).Input(shard).Input(num_shards).FinalizeOutput();
}

Output ShardedFilespec(const Scope& s, const Output& basename, const Output& num_shards) {
  return NodeBuilder(s, "ShardedFilespec").Input(basename).Input(num_shards).FinalizeOutput();
}

}  // namespace tf1hub::ops
