// The explicit list of kernel families. Each family file
// (kernels/<family>_ops.cc) defines its Register...Kernels function;
// RegisterAllKernels (register_all.cc) calls them all. Add a family by
// declaring its function here and calling it in register_all.cc.
#ifndef TF1HUB_KERNELS_REGISTER_ALL_H_
#define TF1HUB_KERNELS_REGISTER_ALL_H_

namespace tf1hub {

class KernelRegistry;

// Placeholder, PlaceholderWithDefault, Const, Identity, IdentityN, NoOp,
// StopGradient, Snapshot (plumbing_ops.cc).
void RegisterPlumbingKernels(KernelRegistry* registry);
// VarHandleOp, ReadVariableOp, AssignVariableOp, Assign{Add,Sub}VariableOp,
// VarIsInitializedOp, VariableV2, Assign, AssignAdd, AssignSub,
// IsVariableInitialized (variable_ops.cc).
void RegisterVariableKernels(KernelRegistry* registry);

// Families written in parallel; each file defines its function (declared
// here so the list below stays the single place that names them all).
void RegisterMathKernels(KernelRegistry* registry);       // math_ops*.cc
// Reshape, Squeeze, ExpandDims, Shape, Size, Rank, Fill, ZerosLike, OnesLike,
// Range (array_ops.cc); ConcatV2, Pack, Unpack (concat_ops.cc); Slice,
// StridedSlice (slice_ops.cc); Transpose (transpose_ops.cc); Tile, Pad,
// BroadcastTo (tile_pad_ops.cc); GatherV2 (gather_ops.cc).
void RegisterArrayKernels(KernelRegistry* registry);
void RegisterNnKernels(KernelRegistry* registry);         // nn_ops*.cc
void RegisterRandomKernels(KernelRegistry* registry);     // random_ops.cc
void RegisterReductionKernels(KernelRegistry* registry);  // reduction_ops.cc
// MatMul, BatchMatMulV2 (matmul_ops.cc).
void RegisterMatMulKernels(KernelRegistry* registry);
// Element-wise math (cwise_ops_*.cc): arithmetic and logical binary ops;
// unary math and Cast; comparisons, Select and SelectV2.
void RegisterCwiseBinaryKernels(KernelRegistry* registry);
void RegisterCwiseUnaryKernels(KernelRegistry* registry);
void RegisterCwiseCompareKernels(KernelRegistry* registry);

// RestoreV2, SaveV2, MergeV2Checkpoints, ShardedFilename, ShardedFilespec
// (io_ops.cc).
void RegisterIoKernels(KernelRegistry* registry);
// StringSplit, StringSplitV2, StringJoin, StringLength,
// StringToHashBucketFast (string_ops.cc); StaticRegexReplace, RegexReplace
// (regex_ops.cc).
void RegisterStringKernels(KernelRegistry* registry);
// HashTableV2, InitializeTableFromTextFileV2, LookupTableImportV2,
// LookupTableFindV2, LookupTableSizeV2 (lookup_table_ops.cc).
void RegisterLookupKernels(KernelRegistry* registry);
// SparseFillEmptyRows, Where (sparse_ops.cc); SparseSegmentSum/Mean/SqrtN
// and their *WithNumSegments variants (segment_ops.cc); Unique,
// UniqueWithCounts (unique_ops.cc); ResourceGather (resource_gather_ops.cc).
void RegisterSparseKernels(KernelRegistry* registry);

// Every family above.
void RegisterAllKernels(KernelRegistry* registry);

}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_REGISTER_ALL_H_
