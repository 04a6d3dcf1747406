// Applying a Module signature (hub.Module.__call__ and
// _ModuleImpl.create_apply_graph): input normalisation and checks with
// hub's messages, then another import of the variant's graph wired to the
// state import and the given inputs.
#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "tf1hub/graph/meta_graph.h"
#include "tf1hub/graph/shape_inference.h"
#include "tf1hub/hub/module_impl.h"
#include "tf1hub/proto/struct.pb.h"

namespace tf1hub::hub {
namespace {

std::string PythonStringList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i > 0 ? ", '" : "'") + items[i] + "'";
  return out + "]";
}

std::string TfDtype(DataType dtype) { return "tf." + DataTypeName(dtype); }

std::string TensorSpecString(const PartialTensorShape& shape, DataType dtype,
                             const std::string& name) {
  return "TensorSpec(shape=" + PythonShapeString(shape) + ", dtype=" + TfDtype(dtype) +
         ", name=" + (name.empty() ? "None" : "'" + name + "'") + ")";
}

std::string SparseSpecString(const PartialTensorShape& shape, DataType dtype) {
  return "SparseTensorSpec(" + PythonTensorShapeRepr(shape) + ", " + TfDtype(dtype) + ")";
}

// TypeSpec.is_compatible_with for shapes: unknown rank or dims match anything.
bool ShapesCompatible(const PartialTensorShape& a, const PartialTensorShape& b) {
  if (a.unknown_rank() || b.unknown_rank()) return true;
  if (a.rank() != b.rank()) return false;
  for (int i = 0; i < a.rank(); ++i) {
    if (a.dims()[i] >= 0 && b.dims()[i] >= 0 && a.dims()[i] != b.dims()[i]) return false;
  }
  return true;
}

// The static dense shape of a SparseTensor: rank from dense_shape's static
// shape, dims from its value when it is a Const.
PartialTensorShape SparseStaticShape(const Graph& graph, ShapeInference& shapes,
                                     const SparseOutput& sparse) {
  StatusOr<PartialTensorShape> s = shapes.InferShape(sparse.dense_shape);
  if (!s.ok() || s->rank() != 1 || s->dims()[0] < 0) return PartialTensorShape::UnknownRank();
  std::vector<int64_t> dims(static_cast<size_t>(s->dims()[0]), -1);
  const tensorflow::NodeDef* node = graph.FindNode(sparse.dense_shape.node);
  if (node != nullptr && node->op() == "Const" && sparse.dense_shape.index == 0) {
    const tensorflow::TensorProto& t = node->attr().at("value").tensor();
    if (t.int64_val_size() == static_cast<int>(dims.size())) {
      for (size_t i = 0; i < dims.size(); ++i) dims[i] = t.int64_val(static_cast<int>(i));
    } else if (t.int64_val_size() == 1) {
      std::fill(dims.begin(), dims.end(), t.int64_val(0));
    } else if (t.tensor_content().size() == dims.size() * 8) {
      std::memcpy(dims.data(), t.tensor_content().data(), dims.size() * 8);
    }
  }
  return *PartialTensorShape::Create(dims);
}

// _convert_to_compatible_tensor for one input.
Status CheckInput(const Graph& graph, ShapeInference& shapes, const std::string& key,
                  const SignatureTensor& value, const ParsedTensorInfo& target) {
  const std::string prefix = "Can't convert '" + key + "'";
  const bool given_sparse = std::holds_alternative<SparseOutput>(value);
  if (given_sparse != target.is_sparse) {
    return InvalidArgumentError(prefix + ": Got " + (given_sparse ? "SparseTensor" : "Tensor") +
                                ". Expected " + (target.is_sparse ? "SparseTensor" : "Tensor") +
                                ".");
  }
  if (!given_sparse) {
    const Output& tensor = std::get<Output>(value);
    StatusOr<DataType> dtype = graph.OutputType(tensor);
    if (!dtype.ok()) return dtype.status().WithContext(prefix);
    StatusOr<PartialTensorShape> shape = shapes.InferShape(tensor);
    if (!shape.ok()) return shape.status().WithContext(prefix);
    if (*dtype != target.dtype) {
      return InvalidArgumentError(
          "Incompatible tensor conversion requested to `dtype` " + DataTypeName(target.dtype) +
          " for `value` (Tensor(\"" + tensor.ToString() + "\", shape=" +
          PythonShapeString(*shape) + ", dtype=" + DataTypeName(*dtype) + ")) with dtype " +
          DataTypeName(*dtype) + ".");
    }
    if (!ShapesCompatible(*shape, target.shape)) {
      return InvalidArgumentError(prefix + ": Got " +
                                  TensorSpecString(*shape, *dtype, tensor.node) + ". Expected " +
                                  TensorSpecString(target.shape, target.dtype, "") + ".");
    }
    return Status::OK();
  }
  const SparseOutput& sparse = std::get<SparseOutput>(value);
  StatusOr<DataType> dtype = graph.OutputType(sparse.values);
  if (!dtype.ok()) return dtype.status().WithContext(prefix);
  for (const Output* part : {&sparse.indices, &sparse.dense_shape}) {
    StatusOr<DataType> t = graph.OutputType(*part);
    if (!t.ok()) return t.status().WithContext(prefix);
    if (*t != DataType::kInt64) {
      return InvalidArgumentError(prefix + ": SparseTensor indices and dense_shape must be int64");
    }
  }
  const PartialTensorShape shape = SparseStaticShape(graph, shapes, sparse);
  if (*dtype != target.dtype || !ShapesCompatible(shape, target.shape)) {
    return InvalidArgumentError(prefix + ": Got " + SparseSpecString(shape, *dtype) +
                                ". Expected " + SparseSpecString(target.shape, target.dtype) +
                                ".");
  }
  return Status::OK();
}

Status CheckSupportedTypes(const std::map<std::string, ParsedTensorInfo>& infos,
                           std::string_view signature, const char* arg_type) {
  for (const auto& [name, info] : infos) {
    if (!info.is_composite) continue;
    const bool ragged = info.proto.has_composite_tensor() &&
                        info.proto.composite_tensor().type_spec().type_spec_class() ==
                            tensorflow::TypeSpecProto::RAGGED_TENSOR_SPEC;
    return InvalidArgumentError("Signature '" + std::string(signature) + "' expects a " +
                                (ragged ? "RaggedTensor" : "CompositeTensor") + " for " +
                                arg_type + " '" + name +
                                "', which is not supported by this version of tensorflow_hub.");
  }
  return Status::OK();
}

// replace_apply_state: state ops fed from the state import become
// Placeholders (DT_RESOURCE, only `shape` kept) so the copy creates no state.
void ReplaceApplyState(tensorflow::GraphDef* graph_def, const std::vector<std::string>& state_types,
                       const std::map<std::string, Output>& feed_map) {
  for (tensorflow::NodeDef& node : *graph_def->mutable_node()) {
    if (!std::binary_search(state_types.begin(), state_types.end(), node.op())) continue;
    if (feed_map.count(node.name() + ":0") == 0) continue;
    node.set_op("Placeholder");
    auto* attrs = node.mutable_attr();
    for (auto it = attrs->begin(); it != attrs->end();) {
      it = it->first == "shape" ? std::next(it) : attrs->erase(it);
    }
    (*attrs)["dtype"].set_type(tensorflow::DT_RESOURCE);
  }
}

}  // namespace

std::string PythonShapeString(const PartialTensorShape& shape) {
  if (shape.unknown_rank()) return "<unknown>";
  auto dim = [](int64_t d) { return d < 0 ? std::string("None") : std::to_string(d); };
  if (shape.rank() == 1) return "(" + dim(shape.dims()[0]) + ",)";
  std::string out = "(";
  for (int i = 0; i < shape.rank(); ++i) out += (i > 0 ? ", " : "") + dim(shape.dims()[i]);
  return out + ")";
}

std::string PythonTensorShapeRepr(const PartialTensorShape& shape) {
  if (shape.unknown_rank()) return "TensorShape(None)";
  std::string out = "TensorShape([";
  for (int i = 0; i < shape.rank(); ++i) {
    const int64_t d = shape.dims()[i];
    out += std::string(i > 0 ? ", " : "") + (d < 0 ? "None" : std::to_string(d));
  }
  return out + "])";
}

StatusOr<std::map<std::string, SignatureTensor>> Module::ApplyAsDict(
    const Scope& scope, const SignatureTensors& inputs, std::string_view signature_arg) {
  if (!scope.ok()) return scope.status();
  if (scope.graph() != impl_->graph) {
    return FailedPreconditionError("Module must be applied in the graph it was instantiated for.");
  }
  const std::string signature = signature_arg.empty() ? "default" : std::string(signature_arg);
  ASSIGN_OR_RETURN(auto input_infos, GetInputInfoDict(signature));
  ASSIGN_OR_RETURN(auto output_infos, GetOutputInfoDict(signature));
  RETURN_IF_ERROR(CheckSupportedTypes(input_infos, signature, "input"));
  RETURN_IF_ERROR(CheckSupportedTypes(output_infos, signature, "output"));

  // _prepare_dict_inputs: the key sets must match exactly.
  std::vector<std::string> missing, extra;
  for (const auto& [key, info] : input_infos) {
    if (inputs.count(key) == 0) missing.push_back(key);
  }
  for (const auto& [key, value] : inputs) {
    if (input_infos.count(key) == 0) extra.push_back(key);
  }
  if (!missing.empty() || !extra.empty()) {
    return InvalidArgumentError("Cannot convert dict_inputs: missing " +
                                PythonStringList(missing) + ", extra given " +
                                PythonStringList(extra));
  }
  {
    ShapeInference shapes(*impl_->graph);
    for (const auto& [key, value] : inputs) {
      RETURN_IF_ERROR(CheckInput(*impl_->graph, shapes, key, value, input_infos.at(key)));
    }
  }

  // The feed map: state first, then the signature inputs (which win).
  tensorflow::MetaGraphDef meta_graph = *impl_->meta_graph;
  std::map<std::string, Output> feed_map = impl_->state_map;
  ReplaceApplyState(meta_graph.mutable_graph_def(), StateOpTypes(meta_graph.graph_def()), feed_map);
  for (const auto& [key, info] : input_infos) {
    const SignatureTensor& value = inputs.at(key);
    if (info.is_sparse) {
      const SparseOutput& sparse = std::get<SparseOutput>(value);
      const tensorflow::TensorInfo::CooSparse& coo = info.proto.coo_sparse();
      feed_map[coo.values_tensor_name()] = sparse.values;
      feed_map[coo.indices_tensor_name()] = sparse.indices;
      feed_map[coo.dense_shape_tensor_name()] = sparse.dense_shape;
    } else {
      feed_map[info.proto.name()] = std::get<Output>(value);
    }
  }

  std::string safe_signature = signature;
  std::replace(safe_signature.begin(), safe_signature.end(), ':', '_');
  const std::string absolute =
      scope.UniqueName(impl_->name + "_apply_" + safe_signature, /*mark_as_used=*/false);
  // import_meta_graph enters this name scope, which marks it as used.
  impl_->graph->UniqueName(absolute, /*mark_as_used=*/true);
  for (tensorflow::NodeDef& node : *meta_graph.mutable_graph_def()->mutable_node()) {
    auto it = node.mutable_attr()->find("shared_name");
    if (it != node.mutable_attr()->end() && it->second.value_case() == tensorflow::AttrValue::kS &&
        !it->second.s().empty()) {
      it->second.set_s(absolute + "/" + it->second.s());
    }
  }
  MetaGraphImportOptions options;
  options.import_scope = absolute;
  options.input_map = feed_map;
  const bool trainable = impl_->trainable;
  options.collection_filter = [trainable](const std::string& key) {
    return key == graph_keys::kAssetFilepaths || key == graph_keys::kCondContext ||
           key == graph_keys::kWhileContext || (trainable && key == graph_keys::kUpdateOps);
  };
  ASSIGN_OR_RETURN(MetaGraphImportResults imported, ImportMetaGraph(scope, meta_graph, options));

  // Outputs: an output that is itself an input comes from the feed map.
  auto resolve = [&](const std::string& name) -> StatusOr<Output> {
    auto fed = feed_map.find(name);
    if (fed != feed_map.end()) return fed->second;
    ASSIGN_OR_RETURN(Output o, ParseTensorName(name));
    auto it = imported.graph.node_names.find(o.node);
    if (it == imported.graph.node_names.end()) {
      return InvalidArgumentError("Signature '" + signature + "' names tensor '" + name +
                                  "', which is not in the module graph");
    }
    return Output{it->second, o.index};
  };
  std::map<std::string, SignatureTensor> outputs;
  for (const auto& [key, info] : output_infos) {
    if (info.is_sparse) {
      const tensorflow::TensorInfo::CooSparse& coo = info.proto.coo_sparse();
      SparseOutput sparse;
      ASSIGN_OR_RETURN(sparse.indices, resolve(coo.indices_tensor_name()));
      ASSIGN_OR_RETURN(sparse.values, resolve(coo.values_tensor_name()));
      ASSIGN_OR_RETURN(sparse.dense_shape, resolve(coo.dense_shape_tensor_name()));
      outputs[key] = sparse;
    } else {
      ASSIGN_OR_RETURN(Output o, resolve(info.proto.name()));
      outputs[key] = o;
    }
  }
  return outputs;
}

StatusOr<std::map<std::string, SignatureTensor>> Module::ApplyAsDict(const Scope& scope,
                                                                     const Output& input,
                                                                     std::string_view signature) {
  if (!scope.ok()) return scope.status();
  if (scope.graph() != impl_->graph) {
    return FailedPreconditionError("Module must be applied in the graph it was instantiated for.");
  }
  ASSIGN_OR_RETURN(auto input_infos, GetInputInfoDict(signature.empty() ? "default" : signature));
  if (input_infos.size() == 1) {
    return ApplyAsDict(scope, SignatureTensors{{input_infos.begin()->first, input}}, signature);
  }
  if (input_infos.empty()) return InvalidArgumentError("Signature expects no inputs.");
  return InvalidArgumentError("Signature expects multiple inputs. Use a dict.");
}

namespace {

StatusOr<Output> DefaultOutput(StatusOr<std::map<std::string, SignatureTensor>> outputs) {
  if (!outputs.ok()) return outputs.status();
  auto it = outputs->find("default");
  if (it == outputs->end()) {
    return InvalidArgumentError("There is no output named 'default'. Use as_dict=True.");
  }
  if (!std::holds_alternative<Output>(it->second)) {
    return InvalidArgumentError(
        "The output named 'default' is a SparseTensor; use ApplyAsDict to get its components.");
  }
  return std::get<Output>(it->second);
}

}  // namespace

StatusOr<Output> Module::Apply(const Scope& scope, const SignatureTensors& inputs,
                               std::string_view signature) {
  return DefaultOutput(ApplyAsDict(scope, inputs, signature));
}

StatusOr<Output> Module::Apply(const Scope& scope, const Output& input,
                               std::string_view signature) {
  return DefaultOutput(ApplyAsDict(scope, input, signature));
}

}  // namespace tf1hub::hub
