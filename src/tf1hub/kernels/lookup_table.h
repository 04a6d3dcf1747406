// Lookup tables: the resource behind HashTableV2 and the LookupTable* ops,
// with TensorFlow 2.15's semantics (an initializable hash table).
//
// A table is created empty and uninitialized by HashTableV2 and lives in
// the session's ResourceMgr. It is initialized exactly once, from key/value
// tensors (LookupTableImportV2) or from a text file
// (InitializeTableFromTextFileV2); afterwards it is read-only, so lookups
// take no lock. Re-initializing follows TensorFlow:
//   * from tensors: OK (and a no-op) if the table already holds as many
//     entries as keys are given, else FailedPrecondition "Table was already
//     initialized with different data.";
//   * from a file: always OK (a no-op) once the table is initialized.
//
//   ASSIGN_OR_RETURN(std::shared_ptr<LookupTable> t,
//                    LookupTable::Create(DataType::kString, DataType::kInt64));
//   RETURN_IF_ERROR(t->ImportValues(keys, values));
//   RETURN_IF_ERROR(t->Find(keys, default_value, &out));   // out: keys' shape
//
// Supported (key, value) dtypes are TensorFlow's HashTableV2 kernels:
// string -> {string, int64, int32, float, double, bool},
// int64 -> {string, int64, int32, float, double},
// int32 -> {string, int32, float, double}.
//
// Thread safety: all methods are thread-safe. Initialization is serialized
// by a mutex; Find/size read the immutable map after an acquire of the
// initialized flag.
#ifndef TF1HUB_KERNELS_LOOKUP_TABLE_H_
#define TF1HUB_KERNELS_LOOKUP_TABLE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tf1hub/data_type.h"
#include "tf1hub/kernels/resource_mgr.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor.h"

namespace tf1hub {

// Where InitializeTableFromTextFileV2 takes a key or value from: a column
// index >= 0, or one of these.
inline constexpr int64_t kTextFileLineNumber = -1;
inline constexpr int64_t kTextFileWholeLine = -2;

struct TextFileInitOptions {
  std::string filename;
  int64_t key_index = kTextFileWholeLine;
  int64_t value_index = kTextFileLineNumber;
  int64_t vocab_size = -1;  // -1: every line
  char delimiter = '\t';
  int64_t offset = 0;  // added to line numbers (and to int32 fields)
};

class LookupTable : public ResourceBase {
 public:
  // A table for (key_dtype, value_dtype); InvalidArgument for pairs that
  // TensorFlow has no kernel for.
  static StatusOr<std::shared_ptr<LookupTable>> Create(DataType key_dtype, DataType value_dtype);
  static bool Supports(DataType key_dtype, DataType value_dtype);

  virtual DataType key_dtype() const = 0;
  virtual DataType value_dtype() const = 0;
  // Number of entries; 0 until initialized.
  virtual int64_t size() const = 0;
  virtual bool is_initialized() const = 0;

  // Writes, for each element of `keys`, its value or `default_value`'s
  // first element, into `*out` (preallocated by the caller with keys'
  // shape and the value dtype). FailedPrecondition "Table not initialized."
  // before initialization. The caller checks dtypes and shapes
  // (CheckFindArguments). `parallel_for(n, cost, fn)` may split the work.
  using ParallelFor =
      std::function<void(int64_t, int64_t, const std::function<void(int64_t, int64_t)>&)>;
  virtual Status Find(const Tensor& keys, const Tensor& default_value, Tensor* out,
                      const ParallelFor& parallel_for) const = 0;

  // LookupTableImportV2: dtype/shape checks in TensorFlow's words, then
  // initialization (see the top comment).
  virtual Status ImportValues(const Tensor& keys, const Tensor& values) = 0;

  // InitializeTableFromTextFileV2 (after the dtype/index checks of
  // CheckTextFileInit): reads `options.filename` and initializes.
  virtual Status InitializeFromTextFile(const TextFileInitOptions& options) = 0;

  // TensorFlow's argument checks for Find: key and default dtypes, then the
  // default's shape ([] or keys' shape).
  Status CheckFindArguments(const Tensor& keys, const Tensor& default_value) const;
  // TensorFlow's checks of key_index/value_index against the table dtypes.
  Status CheckTextFileInit(const TextFileInitOptions& options) const;

  std::string DebugString() const override;
};

// "Conflicting key/value dtypes string->int64 with int64-int64 for table t"
// unless `table` has these dtypes.
Status CheckTableDataTypes(const LookupTable& table, DataType key_dtype, DataType value_dtype,
                           std::string_view table_name);

}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_LOOKUP_TABLE_H_
