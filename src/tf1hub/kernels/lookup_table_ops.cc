// Lookup table kernels (TensorFlow 2.15 semantics; the table itself is in
// lookup_table.h): HashTableV2, InitializeTableFromTextFileV2,
// LookupTableImportV2, LookupTableFindV2, LookupTableSizeV2.
//
// Tables are resources of the session's ResourceMgr, keyed by container and
// name; their handles flow along DT_RESOURCE edges like variables'.
#include <atomic>
#include <memory>
#include <string>
#include <utility>

#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/kernel_registry.h"
#include "tf1hub/kernels/lookup_table.h"
#include "tf1hub/kernels/register_all.h"
#include "tf1hub/kernels/resource_mgr.h"

namespace tf1hub {
namespace {

// Private tables (no shared_name, no node-name sharing) get a unique name
// per kernel, like TensorFlow's ContainerInfo ("_<id>_<node>").
std::string PrivateTableName(const std::string& node_name) {
  static std::atomic<int64_t> next_id{0};
  std::string name = "_";
  name += std::to_string(next_id.fetch_add(1));
  name += '_';
  name += node_name;
  return name;
}

class HashTableOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    std::string container, shared_name;
    bool use_node_name_sharing = false;
    DataType key_dtype, value_dtype;
    RETURN_IF_ERROR(c.GetAttr("container", &container));
    RETURN_IF_ERROR(c.GetAttr("shared_name", &shared_name));
    RETURN_IF_ERROR(c.GetAttr("use_node_name_sharing", &use_node_name_sharing));
    RETURN_IF_ERROR(c.GetAttr("key_dtype", &key_dtype));
    RETURN_IF_ERROR(c.GetAttr("value_dtype", &value_dtype));
    auto handle = std::make_shared<ResourceHandle>();
    handle->container = ResourceMgr::CanonicalContainer(container);
    if (!shared_name.empty()) {
      handle->name = shared_name;
    } else if (use_node_name_sharing) {
      handle->name = c.name();
    } else {
      handle->name = PrivateTableName(c.name());
    }
    return std::unique_ptr<OpKernel>(new HashTableOp(c, std::move(handle), key_dtype, value_dtype));
  }

  Status Compute(OpKernelContext* ctx) override {
    // Every run looks the table up (cheap), so a container reset between
    // runs gets a fresh table, as in TensorFlow.
    const DataType kd = key_dtype_, vd = value_dtype_;
    ASSIGN_OR_RETURN(std::shared_ptr<LookupTable> table,
                     ctx->resource_manager()->LookupOrCreate<LookupTable>(
                         handle_->container, handle_->name,
                         [kd, vd]() { return LookupTable::Create(kd, vd); }));
    RETURN_IF_ERROR(CheckTableDataTypes(*table, key_dtype_, value_dtype_, handle_->name));
    ctx->set_resource_output(0, handle_);
    return Status::OK();
  }

 private:
  HashTableOp(const KernelConstruction& c, std::shared_ptr<const ResourceHandle> handle,
              DataType key_dtype, DataType value_dtype)
      : OpKernel(c), handle_(std::move(handle)), key_dtype_(key_dtype), value_dtype_(value_dtype) {}

  const std::shared_ptr<const ResourceHandle> handle_;
  const DataType key_dtype_, value_dtype_;
};

StatusOr<std::shared_ptr<LookupTable>> TableFromInput(OpKernelContext* ctx, int i) {
  const ResourceHandle& h = ctx->resource_input(i);
  return ctx->resource_manager()->Lookup<LookupTable>(h.container, h.name);
}

// TensorFlow's MatchSignature message for the table ops.
Status SignatureMismatch(const std::string& have_in, const std::string& have_out,
                         const std::string& want_in, const std::string& want_out) {
  return InvalidArgumentError("Signature mismatch, have: " + have_in + "->" + have_out +
                              " expected: " + want_in + "->" + want_out);
}

class LookupTableFindOp : public OpKernel {
 public:
  explicit LookupTableFindOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    ASSIGN_OR_RETURN(std::shared_ptr<LookupTable> table, TableFromInput(ctx, 0));
    const DataType tin = input_type(1), tout = input_type(2);
    if (tin != table->key_dtype() || tout != table->value_dtype()) {
      return SignatureMismatch("resource, " + TfTypeName(tin) + ", " + TfTypeName(tout),
                               TfTypeName(tout),
                               "resource, " + TfTypeName(table->key_dtype()) + ", " +
                                   TfTypeName(table->value_dtype()),
                               TfTypeName(table->value_dtype()));
    }
    const Tensor& keys = ctx->input(1);
    const Tensor& default_value = ctx->input(2);
    RETURN_IF_ERROR(table->CheckFindArguments(keys, default_value));
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, keys.shape()));
    return table->Find(keys, default_value, out,
                       [ctx](int64_t n, int64_t cost,
                             const std::function<void(int64_t, int64_t)>& fn) {
                         ctx->ParallelFor(n, cost, fn);
                       });
  }
};

class LookupTableImportOp : public OpKernel {
 public:
  explicit LookupTableImportOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    ASSIGN_OR_RETURN(std::shared_ptr<LookupTable> table, TableFromInput(ctx, 0));
    const DataType tin = input_type(1), tout = input_type(2);
    if (tin != table->key_dtype() || tout != table->value_dtype()) {
      return SignatureMismatch("resource, " + TfTypeName(tin) + ", " + TfTypeName(tout), "",
                               "resource, " + TfTypeName(table->key_dtype()) + ", " +
                                   TfTypeName(table->value_dtype()),
                               "");
    }
    return table->ImportValues(ctx->input(1), ctx->input(2));
  }
};

class LookupTableSizeOp : public OpKernel {
 public:
  explicit LookupTableSizeOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    ASSIGN_OR_RETURN(std::shared_ptr<LookupTable> table, TableFromInput(ctx, 0));
    ctx->set_output(0, Tensor::Scalar<int64_t>(table->size()));
    return Status::OK();
  }
};

class InitializeTableFromTextFileOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    TextFileInitOptions o;
    std::string delimiter;
    RETURN_IF_ERROR(c.GetAttr("key_index", &o.key_index));
    RETURN_IF_ERROR(c.GetAttr("value_index", &o.value_index));
    RETURN_IF_ERROR(c.GetAttr("vocab_size", &o.vocab_size));
    RETURN_IF_ERROR(c.GetAttr("delimiter", &delimiter));
    if (c.HasAttr("offset")) RETURN_IF_ERROR(c.GetAttr("offset", &o.offset));
    if (delimiter.size() != 1) {
      return InvalidArgumentError("delimiter should be only 1 char");
    }
    o.delimiter = delimiter[0];
    return std::unique_ptr<OpKernel>(new InitializeTableFromTextFileOp(c, std::move(o)));
  }

  Status Compute(OpKernelContext* ctx) override {
    ASSIGN_OR_RETURN(std::shared_ptr<LookupTable> table, TableFromInput(ctx, 0));
    const Tensor& filename = ctx->input(1);
    if (filename.shape().rank() != 0) {
      return InvalidArgumentError("filename should be a single string, but got " +
                                  filename.shape().DebugString());
    }
    TextFileInitOptions o = options_;
    o.filename = filename.scalar<std::string>();
    if (o.filename.empty()) return InvalidArgumentError("filename cannot be empty.");
    RETURN_IF_ERROR(table->CheckTextFileInit(o));
    return table->InitializeFromTextFile(o);
  }

 private:
  InitializeTableFromTextFileOp(const KernelConstruction& c, TextFileInitOptions o)
      : OpKernel(c), options_(std::move(o)) {}
  const TextFileInitOptions options_;
};

}  // namespace

void RegisterLookupKernels(KernelRegistry* r) {
  // The (key, value) pairs of TensorFlow 2.15's HashTableV2 kernels.
  const DataType kString = DataType::kString, kInt64 = DataType::kInt64,
                 kInt32 = DataType::kInt32, kFloat = DataType::kFloat,
                 kDouble = DataType::kDouble, kBool = DataType::kBool;
  r->Register("HashTableV2",
              {{"key_dtype", {kString}},
               {"value_dtype", {kString, kInt64, kInt32, kFloat, kDouble, kBool}}},
              MakeKernelFactory<HashTableOp>());
  r->Register("HashTableV2",
              {{"key_dtype", {kInt64}}, {"value_dtype", {kString, kInt64, kInt32, kFloat, kDouble}}},
              MakeKernelFactory<HashTableOp>());
  r->Register("HashTableV2",
              {{"key_dtype", {kInt32}}, {"value_dtype", {kString, kInt32, kFloat, kDouble}}},
              MakeKernelFactory<HashTableOp>());
  r->Register("InitializeTableFromTextFileV2", {},
              MakeKernelFactory<InitializeTableFromTextFileOp>());
  r->Register("LookupTableFindV2", {}, MakeKernelFactory<LookupTableFindOp>());
  r->Register("LookupTableImportV2", {}, MakeKernelFactory<LookupTableImportOp>());
  r->Register("LookupTableSizeV2", {}, MakeKernelFactory<LookupTableSizeOp>());
}

}  // namespace tf1hub
