// ResourceMgr: the per-session store of stateful objects kernels share
// across runs (variables now, hash tables later), keyed like TensorFlow's by
// (container, name, type). The default container is "localhost".
//
// Two kinds of variables live here, both as Var:
//   * resource variables (VarHandleOp / ReadVariableOp / AssignVariableOp):
//     created by their first assignment; reading a missing one is TF's
//     "Error while reading resource variable ..." error;
//   * ref variables (VariableV2): created uninitialized by the VariableV2
//     kernel; Assign initializes them.
//
// A Var's tensor is copy-on-write: readers take a Tensor sharing the buffer
// (under the mutex) and keep a consistent snapshot; writers replace the
// buffer, or update it in place only when the variable holds the only
// reference to it.
//
//   ASSIGN_OR_RETURN(std::shared_ptr<Var> v,
//                    rm->LookupOrCreateVar("", "w", DataType::kFloat, shape));
//   { std::lock_guard<std::mutex> l(v->mu()); *v->mutable_tensor() = value; v->set_initialized(); }
//
// Thread safety: ResourceMgr methods are thread-safe. A Var's tensor and
// initialized flag are guarded by Var::mu().
#ifndef TF1HUB_KERNELS_RESOURCE_MGR_H_
#define TF1HUB_KERNELS_RESOURCE_MGR_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <typeindex>

#include "tf1hub/data_type.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub {

inline constexpr std::string_view kDefaultContainer = "localhost";

// Base of everything a ResourceMgr holds.
class ResourceBase {
 public:
  virtual ~ResourceBase() = default;
  virtual std::string DebugString() const = 0;
};

// The value of a DT_RESOURCE tensor: which resource, and for variables the
// declared dtype and shape (VarHandleOp's attrs).
struct ResourceHandle {
  std::string container;  // never empty: "" is replaced by "localhost"
  std::string name;
  DataType dtype = DataType::kInvalid;
  PartialTensorShape shape;
};

class Var : public ResourceBase {
 public:
  // `dtype` is the variable's element type; `shape` the declared shape
  // (VariableV2's shape attr; unknown rank for resource variables).
  Var(DataType dtype, PartialTensorShape shape) : dtype_(dtype), shape_(std::move(shape)) {}

  DataType dtype() const { return dtype_; }
  const PartialTensorShape& declared_shape() const { return shape_; }

  std::mutex& mu() const { return mu_; }
  // Guarded by mu().
  bool is_initialized() const { return initialized_; }
  void set_initialized() { initialized_ = true; }
  const Tensor& tensor() const { return tensor_; }
  Tensor* mutable_tensor() { return &tensor_; }

  // Takes the lock and returns a Tensor sharing the current buffer (a
  // consistent snapshot, thanks to copy-on-write); nullopt if uninitialized.
  std::optional<Tensor> Snapshot() const;

  // Under the lock held by the caller: makes the variable the only holder of
  // its buffer (copying it if anyone else shares it or it is read-only), so
  // the caller may update the elements in place.
  Status PrepareForInPlaceUpdate();
  // Under the lock: true if the variable holds the only reference to its
  // (writable) buffer.
  bool CanUpdateInPlace() const;

  std::string DebugString() const override;

 private:
  const DataType dtype_;
  const PartialTensorShape shape_;
  mutable std::mutex mu_;
  Tensor tensor_;
  bool initialized_ = false;
};

class ResourceMgr {
 public:
  ResourceMgr() = default;
  ResourceMgr(const ResourceMgr&) = delete;
  ResourceMgr& operator=(const ResourceMgr&) = delete;

  // The variable (container, name) if it exists (whatever its dtype: callers
  // check it with their op's wording), creating it with `dtype` and `shape`
  // otherwise. An empty container means "localhost".
  StatusOr<std::shared_ptr<Var>> LookupOrCreateVar(std::string_view container,
                                                   std::string_view name, DataType dtype,
                                                   const PartialTensorShape& shape);
  // NotFound if absent, in TensorFlow's words: "Container localhost does not
  // exist. (Could not find resource: localhost/w)" when the container holds
  // nothing, else "Resource localhost/w/N10tensorflow3VarE does not exist.".
  StatusOr<std::shared_ptr<Var>> LookupVar(std::string_view container,
                                           std::string_view name) const;

  // Generic resources (hash tables, ...), keyed by C++ type as well.
  template <typename T>
  StatusOr<std::shared_ptr<T>> LookupOrCreate(
      std::string_view container, std::string_view name,
      const std::function<StatusOr<std::shared_ptr<T>>()>& creator);
  template <typename T>
  StatusOr<std::shared_ptr<T>> Lookup(std::string_view container, std::string_view name) const;

  // Drops every resource of a container (TF's Session.reset semantics).
  void Cleanup(std::string_view container);

  static std::string CanonicalContainer(std::string_view container) {
    return container.empty() ? std::string(kDefaultContainer) : std::string(container);
  }

 private:
  using Key = std::tuple<std::type_index, std::string, std::string>;
  StatusOr<std::shared_ptr<ResourceBase>> DoLookupOrCreate(
      std::type_index type, std::string_view type_name, std::string_view container,
      std::string_view name,
      const std::function<StatusOr<std::shared_ptr<ResourceBase>>()>& creator);
  StatusOr<std::shared_ptr<ResourceBase>> DoLookup(std::type_index type,
                                                   std::string_view type_name,
                                                   std::string_view container,
                                                   std::string_view name) const;

  mutable std::mutex mu_;
  std::map<Key, std::shared_ptr<ResourceBase>> resources_;
};

template <typename T>
StatusOr<std::shared_ptr<T>> ResourceMgr::LookupOrCreate(
    std::string_view container, std::string_view name,
    const std::function<StatusOr<std::shared_ptr<T>>()>& creator) {
  ASSIGN_OR_RETURN(std::shared_ptr<ResourceBase> base,
                   DoLookupOrCreate(typeid(T), typeid(T).name(), container, name,
                                    [&]() -> StatusOr<std::shared_ptr<ResourceBase>> {
                                      ASSIGN_OR_RETURN(std::shared_ptr<T> made, creator());
                                      return std::shared_ptr<ResourceBase>(std::move(made));
                                    }));
  return std::static_pointer_cast<T>(std::move(base));
}

template <typename T>
StatusOr<std::shared_ptr<T>> ResourceMgr::Lookup(std::string_view container,
                                                 std::string_view name) const {
  ASSIGN_OR_RETURN(std::shared_ptr<ResourceBase> base,
                   DoLookup(typeid(T), typeid(T).name(), container, name));
  return std::static_pointer_cast<T>(std::move(base));
}

}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_RESOURCE_MGR_H_
