// `tf1hub run MODULE ...`: see hub_run.h.
#include "hub_run.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <set>
#include <span>
#include <variant>

#include "hub_inspect.h"
#include "string_inputs.h"
#include "tf1hub/env.h"
#include "tf1hub/graph/array_ops.h"
#include "tf1hub/graph/graph.h"
#include "tf1hub/graph/scope.h"
#include "tf1hub/graph/variables.h"
#include "tf1hub/hub/module.h"
#include "tf1hub/npy.h"
#include "tf1hub/session.h"

namespace tf1hub::cli {
namespace {

// "['a', 'b']", as Python prints a sorted list of strings (hub's messages).
std::string PyList(const std::set<std::string>& items) {
  std::string text = "[";
  for (const std::string& item : items) {
    if (text.size() > 1) text += ", ";
    text += "'" + item + "'";
  }
  return text + "]";
}

std::string DescribeInputs(const std::map<std::string, hub::ParsedTensorInfo>& expected) {
  if (expected.empty()) return "no inputs";
  std::string text;
  for (const auto& [key, info] : expected) {
    if (!text.empty()) text += ", ";
    text += key + " (" + DataTypeName(info.dtype) + " " + ShapeText(info.shape) +
            (info.is_sparse ? " sparse" : "") + ")";
  }
  return text;
}

// Output keys become file names: keep them to one plain path component.
Status CheckOutputKey(const std::string& key) {
  if (key.empty() || key == "." || key == ".." || key.find('/') != std::string::npos ||
      key.find('\0') != std::string::npos) {
    return InvalidArgumentError("output key '" + key +
                                "' cannot be used as a file name (it becomes KEY.npy); use --json");
  }
  return Status::OK();
}

float HalfToFloat(uint16_t h) {
  const uint32_t sign = (h & 0x8000u) << 16;
  const uint32_t exponent = (h >> 10) & 0x1f;
  const uint32_t mantissa = h & 0x3ff;
  if (exponent == 0) {  // zero or subnormal: mantissa * 2^-24
    const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
    return sign ? -magnitude : magnitude;
  }
  uint32_t bits;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000u | (mantissa << 13);
  } else {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  }
  return std::bit_cast<float>(bits);
}

nlohmann::ordered_json FloatJson(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return value;
}

// A float32 value as the double with the shortest decimal form that reads
// back as the same float (0.1f -> 0.1, not 0.10000000149011612), so the
// JSON shows what numpy prints for float32.
nlohmann::ordered_json Float32Json(float value) {
  if (!std::isfinite(value)) return FloatJson(value);
  char buf[64];
  const std::to_chars_result end = std::to_chars(buf, buf + sizeof(buf), value);
  double shortest = value;
  std::from_chars(buf, end.ptr, shortest);
  return shortest;
}

nlohmann::ordered_json ElementJson(const Tensor& t, int64_t i) {
  switch (t.dtype()) {
    case DataType::kFloat: return Float32Json(t.flat<float>()[i]);
    case DataType::kDouble: return FloatJson(t.flat<double>()[i]);
    case DataType::kHalf: return Float32Json(HalfToFloat(t.flat<Half>()[i].bits));
    case DataType::kBfloat16:
      return Float32Json(std::bit_cast<float>(uint32_t{t.flat<BFloat16>()[i].bits} << 16));
    case DataType::kInt8: case DataType::kQint8: return t.flat<int8_t>()[i];
    case DataType::kUint8: case DataType::kQuint8: return t.flat<uint8_t>()[i];
    case DataType::kInt16: case DataType::kQint16: return t.flat<int16_t>()[i];
    case DataType::kUint16: case DataType::kQuint16: return t.flat<uint16_t>()[i];
    case DataType::kInt32: case DataType::kQint32: return t.flat<int32_t>()[i];
    case DataType::kUint32: return t.flat<uint32_t>()[i];
    case DataType::kInt64: return t.flat<int64_t>()[i];
    case DataType::kUint64: return t.flat<uint64_t>()[i];
    case DataType::kBool: return t.flat<bool>()[i];
    case DataType::kString: return t.flat<std::string>()[i];
    case DataType::kComplex64: {
      const Complex64 c = t.flat<Complex64>()[i];
      return nlohmann::ordered_json::array({Float32Json(c.real()), Float32Json(c.imag())});
    }
    case DataType::kComplex128: {
      const Complex128 c = t.flat<Complex128>()[i];
      return nlohmann::ordered_json::array({FloatJson(c.real()), FloatJson(c.imag())});
    }
    default: return nullptr;
  }
}

// Values of dimensions [dim, rank) starting at flat index *next.
nlohmann::ordered_json NestedJson(const Tensor& t, int dim, int64_t* next) {
  if (dim == t.shape().rank()) return ElementJson(t, (*next)++);
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (int64_t i = 0; i < t.shape().dim(dim); ++i) list.push_back(NestedJson(t, dim + 1, next));
  return list;
}

StatusOr<std::map<std::string, SignatureInput>> ReadInputs(const std::vector<std::string>& args) {
  std::map<std::string, SignatureInput> inputs;
  for (const std::string& arg : args) {
    // Keys never hold '=' in practice; paths might: split at the first one.
    const size_t eq = arg.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == arg.size()) {
      return InvalidArgumentError("--input '" + arg + "': expected KEY=FILE.npy");
    }
    const std::string key = arg.substr(0, eq);
    const std::string path = arg.substr(eq + 1);
    if (inputs.count(key)) return InvalidArgumentError("--input '" + key + "' given twice");
    StatusOr<Tensor> value = ReadInputFile(path);
    if (!value.ok()) return value.status().WithContext("--input '" + key + "'");
    inputs[key] = {std::move(value).value(), path};
  }
  return inputs;
}

}  // namespace

Status CheckSignatureInputs(const std::map<std::string, hub::ParsedTensorInfo>& expected,
                            const std::map<std::string, SignatureInput>& inputs,
                            std::string_view signature) {
  std::set<std::string> missing, extra;
  for (const auto& [key, info] : expected) {
    if (!inputs.count(key)) missing.insert(key);
  }
  for (const auto& [key, input] : inputs) {
    if (!expected.count(key)) extra.insert(key);
  }
  if (!missing.empty() || !extra.empty()) {
    return InvalidArgumentError("Cannot convert dict_inputs: missing " + PyList(missing) +
                                ", extra given " + PyList(extra) + ". Signature '" +
                                std::string(signature) + "' takes " + DescribeInputs(expected) +
                                "; give each as --input KEY=FILE.npy");
  }
  for (const auto& [key, info] : expected) {
    const SignatureInput& input = inputs.at(key);
    const std::string where = "--input '" + key + "' (" + input.source + ")";
    if (info.is_sparse || info.is_composite) {
      return UnimplementedError(where + ": signature '" + std::string(signature) + "' expects a " +
                                (info.is_sparse ? "SparseTensor" : "composite tensor") +
                                " for this input; tf1hub run feeds dense .npy inputs only");
    }
    if (input.value.dtype() != info.dtype) {
      return InvalidArgumentError(where + ": dtype " + DataTypeName(input.value.dtype()) +
                                  " does not match the signature's " + DataTypeName(info.dtype) +
                                  " (no casting is done; save the array as " +
                                  DataTypeName(info.dtype) + ")");
    }
    if (!info.shape.IsCompatibleWith(input.value.shape())) {
      return InvalidArgumentError(where + ": shape " + input.value.shape().DebugString() +
                                  " is not compatible with the signature's " +
                                  ShapeText(info.shape));
    }
  }
  return Status::OK();
}

StatusOr<std::vector<std::pair<std::string, Tensor>>> RunModuleSignature(
    std::shared_ptr<const hub::ModuleSpec> spec, const hub::TagSet& tags,
    std::string_view signature_arg, const std::map<std::string, SignatureInput>& inputs) {
  const std::string signature = signature_arg.empty() ? "default" : std::string(signature_arg);
  ASSIGN_OR_RETURN(std::vector<std::string> names, spec->GetSignatureNames(tags));
  if (std::find(names.begin(), names.end(), signature) == names.end()) {
    std::sort(names.begin(), names.end());
    std::string known;
    for (const std::string& name : names) known += (known.empty() ? "" : ", ") + name;
    return InvalidArgumentError("Signature '" + signature + "' is missing from meta graph. " +
                                "The signatures for tags=" + hub::TagSetDebugString(tags) +
                                " are: " + (known.empty() ? "(none)" : known));
  }
  ASSIGN_OR_RETURN(auto expected, spec->GetInputInfoDict(signature, tags));
  RETURN_IF_ERROR(CheckSignatureInputs(expected, inputs, signature));

  Scope root = Scope::NewRootScope();
  ASSIGN_OR_RETURN(std::unique_ptr<hub::Module> module,
                   hub::Module::Create(root, spec, {.trainable = false, .tags = tags}));
  hub::SignatureTensors placeholders;
  std::vector<std::pair<std::string, Tensor>> feeds;
  for (const auto& [key, info] : expected) {
    Output placeholder = ops::Placeholder(root, info.dtype, {.shape = info.shape});
    placeholders[key] = placeholder;
    feeds.emplace_back(placeholder.ToString(), inputs.at(key).value);
  }
  ASSIGN_OR_RETURN(auto applied, module->ApplyAsDict(root, placeholders, signature));
  Operation init = GlobalVariablesInitializer(root);
  if (!root.ok()) return root.status().WithContext("building the graph");

  std::vector<std::string> init_targets = {init.name};
  if (const auto* tables = root.graph()->GetCollection(graph_keys::kTableInitializers)) {
    for (const std::string& name : tables->node_list().value()) {
      init_targets.push_back(name.substr(0, name.find(':')));
    }
  }
  std::vector<std::string> keys, fetches;
  for (const auto& [key, tensor] : applied) {
    if (const Output* dense = std::get_if<Output>(&tensor)) {
      keys.push_back(key);
      fetches.push_back(dense->ToString());
    } else {
      const hub::SparseOutput& sparse = std::get<hub::SparseOutput>(tensor);
      keys.push_back(key + ".indices");
      fetches.push_back(sparse.indices.ToString());
      keys.push_back(key + ".values");
      fetches.push_back(sparse.values.ToString());
      keys.push_back(key + ".dense_shape");
      fetches.push_back(sparse.dense_shape.ToString());
    }
  }

  StatusOr<std::unique_ptr<Session>> session = Session::Create(root.graph()->graph_def());
  if (!session.ok()) return session.status().WithContext("creating the session");
  StatusOr<std::vector<Tensor>> initialized = (*session)->Run({}, {}, init_targets);
  if (!initialized.ok()) {
    return initialized.status().WithContext("initializing the module's variables and tables");
  }
  StatusOr<std::vector<Tensor>> values = (*session)->Run(feeds, fetches, {});
  if (!values.ok()) return values.status().WithContext("running signature '" + signature + "'");
  std::vector<std::pair<std::string, Tensor>> outputs;
  for (size_t i = 0; i < keys.size(); ++i) outputs.emplace_back(keys[i], (*values)[i]);
  std::sort(outputs.begin(), outputs.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return outputs;
}

Status RunHubCommand(const HubRunArgs& args, std::string* json_text) {
  if (args.out_dir.empty() && !args.json) {
    return InvalidArgumentError("nothing to do: give --out DIR (writes KEY.npy per output) "
                                "and/or --json");
  }
  ASSIGN_OR_RETURN(hub::TagSet tags, ParseTagsOption(args.tags));
  ASSIGN_OR_RETURN(std::shared_ptr<const hub::ModuleSpec> spec, hub::LoadModuleSpec(args.module));
  ASSIGN_OR_RETURN(auto inputs, ReadInputs(args.inputs));
  ASSIGN_OR_RETURN(auto outputs, RunModuleSignature(spec, tags, args.signature, inputs));

  if (!args.out_dir.empty()) {
    for (const auto& [key, value] : outputs) RETURN_IF_ERROR(CheckOutputKey(key));
    RETURN_IF_ERROR(PosixFileSystem()->RecursivelyCreateDir(args.out_dir));
    for (const auto& [key, value] : outputs) {
      Status written = WriteNpyFile(JoinPath(args.out_dir, key + ".npy"), value);
      if (!written.ok()) return written.WithContext("writing output '" + key + "'");
    }
  }
  if (args.json) {
    nlohmann::ordered_json json = nlohmann::ordered_json::object();
    for (const auto& [key, value] : outputs) json[key] = TensorJson(value);
    *json_text =
        json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  }
  return Status::OK();
}

nlohmann::ordered_json TensorJson(const Tensor& tensor) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  json["dtype"] = DataTypeName(tensor.dtype());
  json["shape"] = tensor.shape().dims();
  int64_t next = 0;
  json["values"] = NestedJson(tensor, 0, &next);
  return json;
}

}  // namespace tf1hub::cli
