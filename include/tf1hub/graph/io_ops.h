// Checkpoint I/O op constructors, as tf.compat.v1.train.Saver emits them
// (V2 checkpoints). Errors follow scope.h.
//
//   Operation save = ops::SaveV2(scope, prefix, names, slices, {w, b});
//   std::vector<Output> restored = ops::RestoreV2(scope, prefix, names, slices,
//                                                 {DataType::kFloat, DataType::kFloat});
//
// Thread safety: as Scope.
#ifndef TF1HUB_GRAPH_IO_OPS_H_
#define TF1HUB_GRAPH_IO_OPS_H_

#include <span>
#include <vector>

#include "tf1hub/data_type.h"
#include "tf1hub/graph/output.h"
#include "tf1hub/graph/scope.h"

namespace tf1hub::ops {

Operation SaveV2(const Scope& scope, const Output& prefix, const Output& tensor_names,
                 const Output& shape_and_slices, std::span<const Output> tensors);
std::vector<Output> RestoreV2(const Scope& scope, const Output& prefix, const Output& tensor_names,
                              const Output& shape_and_slices, std::span<const DataType> dtypes);
struct MergeV2CheckpointsAttrs {
  bool delete_old_dirs = true;
  bool allow_missing_files = false;
};
Operation MergeV2Checkpoints(const Scope& scope, const Output& checkpoint_prefixes,
                             const Output& destination_prefix,
                             const MergeV2CheckpointsAttrs& attrs = {});
Output ShardedFilename(const Scope& scope, const Output& basename, const Output& shard,
                       const Output& num_shards);
Output ShardedFilespec(const Scope& scope, const Output& basename, const Output& num_shards);

}  // namespace tf1hub::ops

#endif  // TF1HUB_GRAPH_IO_OPS_H_
