// CreateModuleSpec: defines a TF1 Hub module from a C++ module_fn, as
// hub.create_module_spec does.
//
// For each (tags, args) entry, CreateModuleSpec makes a fresh Graph, calls
// module_fn with a ModuleFnContext over it (variables are resource variables
// unless the module_fn asks otherwise), empties `drop_collections`, checks
// the result and keeps it as one MetaGraphDef (default attrs stripped,
// stripped_op_list, only hub's collections, signatures, attachments).
//
//   Status SeedModuleFn(hub::ModuleFnContext& ctx) {
//     const Scope& s = ctx.scope();
//     Output x = ops::Placeholder(s, DataType::kFloat, {.shape = {-1, 50}});
//     Output h = layers::Dense(s, x, 200);
//     Output y = layers::Dense(s, h, 100);
//     ctx.AddSignature("default", {{"default", x}}, {{"default", y}, {"hidden_activations", h}});
//     return s.status();
//   }
//   ASSIGN_OR_RETURN(auto spec, hub::CreateModuleSpec(SeedModuleFn));
//
// Checks and messages, as hub's:
//   "No signatures present. Please call hub.add_signature(...)at least once in the module_fn."
//   "Tags frozenset({'train'}) used repeatedly"  (hub's wording)
//   "Unsupported collections in graph: ['foo']\nUse hub.create_module_spec(...,
//    drop_collections=[...]) as appropriate."
//   "hub.attach_message() called with malformed key 'a b'"
//   state ops colocated with non-state ops, signature inputs with colocation.
//
// Thread safety: CreateModuleSpec may run concurrently with itself; a
// ModuleFnContext belongs to one call.
#ifndef TF1HUB_HUB_CREATE_MODULE_SPEC_H_
#define TF1HUB_HUB_CREATE_MODULE_SPEC_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <google/protobuf/message.h>

#include "tf1hub/graph/output.h"
#include "tf1hub/graph/scope.h"
#include "tf1hub/hub/module_spec.h"
#include "tf1hub/status.h"

namespace tf1hub::hub {

// A tf.SparseTensor's three component tensors.
struct SparseOutput {
  Output indices;      // int64 [N, rank]
  Output values;       // [N]
  Output dense_shape;  // int64 [rank]
};

// A signature input or output: a dense tensor or a sparse one.
using SignatureTensor = std::variant<Output, SparseOutput>;
using SignatureTensors = std::map<std::string, SignatureTensor>;

// A keyword argument of module_fn (hub passes Python kwargs).
using ModuleFnArg = std::variant<bool, int64_t, double, std::string>;
using ModuleFnArgs = std::map<std::string, ModuleFnArg>;

class ModuleFnContext {
 public:
  ModuleFnContext(const Scope& scope, const ModuleFnArgs& args);

  // Root scope of the variant's graph.
  const Scope& scope() const { return scope_; }
  const ModuleFnArgs& args() const { return args_; }
  // args()[name] if it holds a bool, else `default_value`.
  bool GetBool(std::string_view name, bool default_value) const;

  // hub.add_signature(name, inputs, outputs). name "" means "default". A
  // later call with the same name replaces the earlier one.
  void AddSignature(std::string name, SignatureTensors inputs, SignatureTensors outputs);
  // A single input and/or output becomes {"default": tensor}.
  void AddSignature(std::string name, const Output& input, const Output& output);

  // hub.attach_message(key, message): key must match ^[a-zA-Z][a-zA-Z0-9_]*$
  // (InvalidArgument otherwise, also recorded in the scope). Last value per
  // key wins; keys keep their first-use order.
  Status AttachMessage(std::string_view key, const google::protobuf::Message& message);

  struct Signature {
    std::string name;
    SignatureTensors inputs;
    SignatureTensors outputs;
  };
  const std::vector<Signature>& signatures() const { return signatures_; }
  const std::vector<std::pair<std::string, std::string>>& attachments() const {
    return attachments_;
  }

 private:
  Scope scope_;
  ModuleFnArgs args_;
  std::vector<Signature> signatures_;
  std::vector<std::pair<std::string, std::string>> attachments_;  // key -> bytes
};

using ModuleFn = std::function<Status(ModuleFnContext& context)>;

struct TagsAndArgs {
  TagSet tags;
  ModuleFnArgs args;
};

struct CreateModuleSpecOptions {
  // Empty: one variant, no tags, no args.
  std::vector<TagsAndArgs> tags_and_args = {};
  std::vector<std::string> drop_collections = {};
};

StatusOr<std::shared_ptr<const ModuleSpec>> CreateModuleSpec(
    const ModuleFn& module_fn, const CreateModuleSpecOptions& options = {});

// The collection keys a TF1 Hub module may hold (hub's _SUPPORTED_COLLECTIONS).
const std::vector<std::string>& SupportedCollections();
// Those of `keys` that are not supported, sorted.
std::vector<std::string> GetUnsupportedCollections(const std::vector<std::string>& keys);

}  // namespace tf1hub::hub

#endif  // TF1HUB_HUB_CREATE_MODULE_SPEC_H_
