#include "tf1hub/kernels/resource_mgr.h"

#include <cstring>
#include <utility>

#include "tf1hub/core/tensor_buffer.h"
#include "tf1hub/kernels/kernel.h"

namespace tf1hub {
namespace {

// TensorFlow's mangled name of its Var class, kept so that "does not exist"
// messages read exactly like TensorFlow's.
constexpr std::string_view kTfVarTypeName = "N10tensorflow3VarE";

}  // namespace

std::optional<Tensor> Var::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!initialized_) return std::nullopt;
  return tensor_;
}

Status Var::PrepareForInPlaceUpdate() {
  if (Tensor::Buffer::Of(tensor_) == nullptr || HoldsExclusiveBuffer(tensor_)) return Status::OK();
  ASSIGN_OR_RETURN(Tensor copy, tensor_.Copy());
  tensor_ = std::move(copy);
  return Status::OK();
}

bool Var::CanUpdateInPlace() const { return HoldsExclusiveBuffer(tensor_); }

std::string Var::DebugString() const {
  std::lock_guard<std::mutex> lock(mu_);
  return initialized_ ? tensor_.DebugString() : "<uninitialized " + TfTypeName(dtype_) + ">";
}

StatusOr<std::shared_ptr<Var>> ResourceMgr::LookupOrCreateVar(std::string_view container,
                                                              std::string_view name,
                                                              DataType dtype,
                                                              const PartialTensorShape& shape) {
  ASSIGN_OR_RETURN(std::shared_ptr<ResourceBase> base,
                   DoLookupOrCreate(typeid(Var), kTfVarTypeName, container, name,
                                    [&]() -> StatusOr<std::shared_ptr<ResourceBase>> {
                                      return std::shared_ptr<ResourceBase>(
                                          std::make_shared<Var>(dtype, shape));
                                    }));
  return std::static_pointer_cast<Var>(std::move(base));
}

StatusOr<std::shared_ptr<Var>> ResourceMgr::LookupVar(std::string_view container,
                                                      std::string_view name) const {
  ASSIGN_OR_RETURN(std::shared_ptr<ResourceBase> base,
                   DoLookup(typeid(Var), kTfVarTypeName, container, name));
  return std::static_pointer_cast<Var>(std::move(base));
}

StatusOr<std::shared_ptr<ResourceBase>> ResourceMgr::DoLookupOrCreate(
    std::type_index type, std::string_view type_name, std::string_view container,
    std::string_view name,
    const std::function<StatusOr<std::shared_ptr<ResourceBase>>()>& creator) {
  Key key{type, CanonicalContainer(container), std::string(name)};
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = resources_.find(key);
    if (it != resources_.end()) return it->second;
  }
  // Create outside the lock (creators may be slow), then keep whichever
  // resource got in first.
  ASSIGN_OR_RETURN(std::shared_ptr<ResourceBase> made, creator());
  if (made == nullptr) {
    return InternalError("creating resource " + std::get<1>(key) + "/" + std::string(name) +
                         "/" + std::string(type_name) + " returned nothing");
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = resources_.emplace(std::move(key), std::move(made));
  return it->second;
}

StatusOr<std::shared_ptr<ResourceBase>> ResourceMgr::DoLookup(std::type_index type,
                                                              std::string_view type_name,
                                                              std::string_view container,
                                                              std::string_view name) const {
  Key key{type, CanonicalContainer(container), std::string(name)};
  std::lock_guard<std::mutex> lock(mu_);
  auto it = resources_.find(key);
  if (it == resources_.end()) {
    bool container_exists = false;
    for (const auto& [k, v] : resources_) container_exists = container_exists || std::get<1>(k) == std::get<1>(key);
    if (!container_exists) {
      return NotFoundError("Container " + std::get<1>(key) +
                           " does not exist. (Could not find resource: " + std::get<1>(key) + "/" +
                           std::string(name) + ")");
    }
    return NotFoundError("Resource " + std::get<1>(key) + "/" + std::string(name) + "/" +
                         std::string(type_name) + " does not exist.");
  }
  return it->second;
}

void ResourceMgr::Cleanup(std::string_view container) {
  const std::string c = CanonicalContainer(container);
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = resources_.begin(); it != resources_.end();) {
    if (std::get<1>(it->first) == c) {
      it = resources_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace tf1hub
