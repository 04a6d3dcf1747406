// ModuleSpec: the definition of a TF1 Hub module — one MetaGraphDef per
// graph variant (tag set) with its signatures and attached messages, plus,
// for a loaded module, where its variables and assets are on disk. As
// tensorflow_hub's ModuleSpec / _ModuleSpec (native_module.py).
//
// A spec comes from CreateModuleSpec (create_module_spec.h; variables take
// their initializers' values) or from LoadModuleSpec (a module directory;
// variables are restored from <dir>/variables/variables). It is immutable
// and shared: Module instances hold a std::shared_ptr<const ModuleSpec>.
//
//   ASSIGN_OR_RETURN(std::shared_ptr<const ModuleSpec> spec, LoadModuleSpec("/models/seed"));
//   ASSIGN_OR_RETURN(auto inputs, spec->GetInputInfoDict("default"));
//   // inputs["default"].dtype == DataType::kFloat, shape [?,50]
//
// Tag sets are std::set<std::string>; the default variant has the empty set.
//
// Errors use hub's wording where hub has one, e.g.
//   InvalidArgument: No such graph variant: tags=['train']
//   InvalidArgument: Signature 'foo' is missing from meta graph.
//   NotFound: No attached message for key 'x' in graph version ['train'] of Hub Module
//
// Thread safety: all methods are const and may run concurrently.
#ifndef TF1HUB_HUB_MODULE_SPEC_H_
#define TF1HUB_HUB_MODULE_SPEC_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/message.h>

#include "tf1hub/data_type.h"
#include "tf1hub/proto/meta_graph.pb.h"
#include "tf1hub/proto/saved_model.pb.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub::hub {

using TagSet = std::set<std::string>;

// "['a', 'b']" (sorted, Python list style), as hub prints tag sets.
std::string TagSetDebugString(const TagSet& tags);

// What a signature input or output is: hub's ParsedTensorInfo.
struct ParsedTensorInfo {
  DataType dtype = DataType::kInvalid;
  // Dense: the tensor's shape; sparse: the dense shape.
  PartialTensorShape shape;
  bool is_sparse = false;
  // RaggedTensor or other composite (read only; not applied by Module).
  bool is_composite = false;
  tensorflow::TensorInfo proto;
};

class ModuleSpec {
 public:
  // From parts (used by CreateModuleSpec and LoadModuleSpec).
  // `module_dir` is "" for a created spec; `checkpoint_path` is "" when the
  // variables take their initializers' values.
  ModuleSpec(tensorflow::SavedModel saved_model, std::string module_dir,
             std::string checkpoint_path);

  // Every tag set, sorted (the empty set first).
  std::vector<TagSet> GetTags() const;
  StatusOr<std::vector<std::string>> GetSignatureNames(const TagSet& tags = {}) const;
  // signature "" means "default".
  StatusOr<std::map<std::string, ParsedTensorInfo>> GetInputInfoDict(
      std::string_view signature = "default", const TagSet& tags = {}) const;
  StatusOr<std::map<std::string, ParsedTensorInfo>> GetOutputInfoDict(
      std::string_view signature = "default", const TagSet& tags = {}) const;

  // The serialized attached message under `key` in the variant `tags`:
  // nullopt if absent, NotFound (hub's KeyError text) if absent and
  // `required`.
  StatusOr<std::optional<std::string>> GetAttachedMessageBytes(std::string_view key,
                                                               const TagSet& tags = {},
                                                               bool required = false) const;
  // The same, parsed into `message` (a fresh copy each call). Returns false
  // if absent and not required.
  StatusOr<bool> GetAttachedMessage(std::string_view key, google::protobuf::Message* message,
                                    const TagSet& tags = {}, bool required = false) const;

  // The variant's MetaGraphDef, or hub's "No such graph variant" error.
  StatusOr<const tensorflow::MetaGraphDef*> GetMetaGraph(const TagSet& tags) const;
  const tensorflow::SavedModel& saved_model() const { return saved_model_; }
  // "" for a created spec.
  const std::string& module_dir() const { return module_dir_; }
  // "<module_dir>/variables/variables" for a loaded spec with variables,
  // else "".
  const std::string& checkpoint_path() const { return checkpoint_path_; }

  // ModuleSpec.export(path, checkpoint_path, name_transform_fn): builds a
  // Module in a new graph, restores its variables from `checkpoint_path`
  // (a checkpoint prefix, or a directory with a `checkpoint` state file),
  // looking each variable up under name_transform(module-relative name)
  // (identity if empty), and exports to `path`. Errors name the variable,
  // e.g. "Tensor bias is not found in /ckpt/model.ckpt-10 checkpoint" and
  // "Shape of variable dense/kernel ([50,200]) doesn't match with shape of
  // tensor dense/kernel ([50,100]) from checkpoint reader.".
  Status Export(const std::string& path, const std::string& checkpoint_path,
                const std::function<std::string(const std::string&)>& name_transform = {}) const;

 private:
  tensorflow::SavedModel saved_model_;
  std::string module_dir_;
  std::string checkpoint_path_;
};

// hub.load_module_spec(path): reads <path>/tfhub_module.pb (format 3, no
// unknown required features), <path>/saved_model.pb, checks tag sets and
// collections as hub does, points asset Consts at <path>/assets/<file>
// (refusing names that leave assets/), and notes the variables bundle.
// A directory without tfhub_module.pb is refused with a message saying what
// it looks like (a TF2 SavedModel, a TF1 SavedModel, not a model at all)
// and what a TF1 Hub module needs.
StatusOr<std::shared_ptr<const ModuleSpec>> LoadModuleSpec(const std::string& path);

}  // namespace tf1hub::hub

#endif  // TF1HUB_HUB_MODULE_SPEC_H_
