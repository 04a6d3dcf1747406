#include "tf1hub/graph/graph.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "tf1hub/graph/attr_util.h"
#include "tf1hub/graph/op_registry.h"

namespace tf1hub {
namespace {

bool IsLetterDigitDot(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.';
}
bool IsNameChar(char c) { return IsLetterDigitDot(c) || c == '_' || c == '-' || c == '/'; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}


}  // namespace

void InsertNameAndPrefixes(std::string_view name, std::set<std::string, std::less<>>* names) {
  names->emplace(name);
  for (size_t pos = name.find('/'); pos != std::string_view::npos; pos = name.find('/', pos + 1)) {
    names->emplace(name.substr(0, pos));
  }
}

bool IsValidNodeName(std::string_view name) {
  // Pieces separated by '>', each [A-Za-z0-9.][A-Za-z0-9_./-]* (TF's
  // importer; '>' joins names of nodes made by graph rewrites).
  size_t i = 0;
  while (true) {
    if (i >= name.size() || !IsLetterDigitDot(name[i])) return false;
    ++i;
    while (i < name.size() && IsNameChar(name[i])) ++i;
    if (i == name.size()) return true;
    if (name[i] != '>') return false;
    ++i;
  }
}

Graph::Graph() { graph_def_.mutable_versions()->set_producer(kGraphDefVersion); }
Graph::~Graph() = default;

const tensorflow::NodeDef* Graph::FindNode(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &graph_def_.node(it->second);
}

const Graph::NodeInfo* Graph::FindInfo(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &info_[it->second];
}

tensorflow::GraphDef Graph::ToGraphDef(const GraphDefOptions& options) const {
  tensorflow::GraphDef out = graph_def_;
  if (options.strip_default_attrs) {
    for (tensorflow::NodeDef& node : *out.mutable_node()) {
      if (const tensorflow::OpDef* op = OpRegistry::Global().Lookup(node.op())) {
        StripDefaultAttrs(*op, &node).IgnoreError();
      }
    }
  }
  return out;
}

Status Graph::PrepareNode(tensorflow::NodeDef* node, NodeInfo* info,
                          std::vector<tensorflow::DataType>* input_types,
                          std::vector<bool>* input_is_ref) const {
  if (!IsValidNodeName(node->name())) {
    return InvalidArgumentError("node name '" + node->name() +
                                "' is not valid (expected [A-Za-z0-9.][A-Za-z0-9_./-]*)");
  }
  if (node->op().empty()) return InvalidArgumentError("node '" + node->name() + "' has no op");
  const tensorflow::OpDef* op_def = OpRegistry::Global().Lookup(node->op());
  if (op_def == nullptr) {
    return NotFoundError("Op type not registered '" + node->op() + "' (node '" + node->name() +
                         "')");
  }
  // Inputs: data inputs, then control inputs; names well formed.
  int num_data = 0;
  bool seen_control = false;
  for (const std::string& input : node->input()) {
    if (!input.empty() && input[0] == '^') {
      seen_control = true;
      if (!IsValidNodeName(std::string_view(input).substr(1))) {
        return InvalidArgumentError("node '" + node->name() + "': malformed control input '" +
                                    input + "'");
      }
      continue;
    }
    if (seen_control) {
      return InvalidArgumentError("node '" + node->name() + "': data input '" + input +
                                  "' after a control input (control inputs must come last)");
    }
    StatusOr<Output> parsed = ParseTensorName(input);
    if (!parsed.ok() || !IsValidNodeName(parsed->node)) {
      return InvalidArgumentError("node '" + node->name() + "': malformed input '" + input + "'");
    }
    ++num_data;
  }
  RETURN_IF_ERROR(AddDefaultAttrs(*op_def, node));
  RETURN_IF_ERROR(ValidateNodeAttrs(*node, *op_def));
  ASSIGN_OR_RETURN(NodeSignature sig, ComputeNodeSignature(*node, *op_def));
  if (static_cast<int>(sig.inputs.size()) != num_data) {
    return InvalidArgumentError("node '" + node->name() + "' (op '" + node->op() + "') has " +
                                std::to_string(num_data) + " data inputs, its OpDef and attrs expect " +
                                std::to_string(sig.inputs.size()));
  }
  info->outputs = std::move(sig.outputs);
  info->output_is_ref = std::move(sig.output_is_ref);
  *input_types = std::move(sig.inputs);
  *input_is_ref = std::move(sig.input_is_ref);
  return Status::OK();
}

void Graph::AppendNode(tensorflow::NodeDef node, NodeInfo info) {
  const int position = graph_def_.node_size();
  MarkNameUsedIfNew(node.name());
  index_.emplace(node.name(), position);
  InsertNameAndPrefixes(node.name(), &node_names_and_prefixes_);
  *graph_def_.add_node() = std::move(node);
  info_.push_back(std::move(info));
}

namespace {

// Sorts and de-duplicates the control inputs (TF writes them sorted by name).
void CanonicalizeControlInputs(tensorflow::NodeDef* node) {
  auto* inputs = node->mutable_input();
  auto first_control = std::find_if(inputs->begin(), inputs->end(),
                                    [](const std::string& s) { return !s.empty() && s[0] == '^'; });
  std::vector<std::string> controls(first_control, inputs->end());
  std::sort(controls.begin(), controls.end());
  controls.erase(std::unique(controls.begin(), controls.end()), controls.end());
  const int num_data = static_cast<int>(first_control - inputs->begin());
  inputs->DeleteSubrange(num_data, inputs->size() - num_data);
  for (std::string& c : controls) inputs->Add(std::move(c));
}

}  // namespace

Status Graph::AddNode(tensorflow::NodeDef node) {
  if (FindNode(node.name()) != nullptr) {
    return AlreadyExistsError("node '" + node.name() + "' already exists in the graph");
  }
  NodeInfo info;
  std::vector<tensorflow::DataType> want;
  std::vector<bool> want_ref;
  RETURN_IF_ERROR(PrepareNode(&node, &info, &want, &want_ref));
  for (int i = 0; i < node.input_size(); ++i) {
    const std::string& input = node.input(i);
    if (input[0] == '^') {
      if (FindNode(std::string_view(input).substr(1)) == nullptr) {
        return InvalidArgumentError("node '" + node.name() + "': unknown control input node '" +
                                    input.substr(1) + "'");
      }
      continue;
    }
    Output src = *ParseTensorName(input);
    const NodeInfo* src_info = FindInfo(src.node);
    if (src_info == nullptr) {
      return InvalidArgumentError("node '" + node.name() + "': unknown input node '" + src.node +
                                  "'");
    }
    if (src.index >= static_cast<int>(src_info->outputs.size())) {
      return InvalidArgumentError("node '" + node.name() + "': input '" + input + "' but node '" +
                                  src.node + "' has " + std::to_string(src_info->outputs.size()) +
                                  " outputs");
    }
    const tensorflow::DataType got = src_info->outputs[src.index];
    const bool got_ref = src_info->output_is_ref[src.index];
    if (got != want[i] || (want_ref[i] && !got_ref)) {
      return InvalidArgumentError("Input " + std::to_string(i) + " of node " + node.name() +
                                  " was passed " + TfTypeString(got, got_ref) + " from " +
                                  src.ToString() + " incompatible with expected " +
                                  TfTypeString(want[i], want_ref[i]) + ".");
    }
  }
  CanonicalizeControlInputs(&node);
  AppendNode(std::move(node), std::move(info));
  return Status::OK();
}

Status Graph::UpdateInput(std::string_view node_name, int index, const Output& input) {
  auto it = index_.find(node_name);
  if (it == index_.end()) {
    return NotFoundError("UpdateInput: no node '" + std::string(node_name) + "'");
  }
  tensorflow::NodeDef* node = graph_def_.mutable_node(it->second);
  int num_data = 0;
  while (num_data < node->input_size() && node->input(num_data)[0] != '^') ++num_data;
  if (index < 0 || index >= num_data) {
    return OutOfRangeError("UpdateInput: node '" + node->name() + "' has " +
                           std::to_string(num_data) + " data inputs, no input " +
                           std::to_string(index));
  }
  ASSIGN_OR_RETURN(DataType new_type, OutputType(input));
  ASSIGN_OR_RETURN(bool new_ref, IsRefOutput(input));
  Output old = *ParseTensorName(node->input(index));
  ASSIGN_OR_RETURN(DataType old_type, OutputType(old));
  ASSIGN_OR_RETURN(bool old_ref, IsRefOutput(old));
  if (new_type != old_type || (old_ref && !new_ref)) {
    return InvalidArgumentError("UpdateInput: input " + std::to_string(index) + " of node '" +
                                node->name() + "' is " + DataTypeName(old_type) + ", got " +
                                DataTypeName(new_type) + " from " + input.ToString());
  }
  node->set_input(index, input.InputString());
  return Status::OK();
}

Status Graph::AddControlInput(std::string_view node_name, const Operation& control) {
  auto it = index_.find(node_name);
  if (it == index_.end()) {
    return NotFoundError("AddControlInput: no node '" + std::string(node_name) + "'");
  }
  if (FindNode(control.name) == nullptr) {
    return NotFoundError("AddControlInput: no node '" + control.name + "'");
  }
  tensorflow::NodeDef* node = graph_def_.mutable_node(it->second);
  node->add_input(control.ControlInputString());
  CanonicalizeControlInputs(node);
  return Status::OK();
}

StatusOr<DataType> Graph::OutputType(const Output& output) const {
  const NodeInfo* info = FindInfo(output.node);
  if (info == nullptr) return NotFoundError("graph has no node '" + output.node + "'");
  if (output.index < 0 || output.index >= static_cast<int>(info->outputs.size())) {
    return OutOfRangeError("node '" + output.node + "' has " +
                           std::to_string(info->outputs.size()) + " outputs, no output " +
                           std::to_string(output.index));
  }
  return static_cast<DataType>(static_cast<int>(info->outputs[output.index]));
}

StatusOr<DataType> Graph::TensorType(std::string_view tensor_name) const {
  ASSIGN_OR_RETURN(Output output, ParseTensorName(tensor_name));
  return OutputType(output);
}

StatusOr<bool> Graph::IsRefOutput(const Output& output) const {
  RETURN_IF_ERROR(OutputType(output).status());
  return static_cast<bool>(FindInfo(output.node)->output_is_ref[output.index]);
}

StatusOr<int> Graph::NumOutputs(std::string_view node) const {
  const NodeInfo* info = FindInfo(node);
  if (info == nullptr) return NotFoundError("graph has no node '" + std::string(node) + "'");
  return static_cast<int>(info->outputs.size());
}

// ---------------------------------------------------------------------------
// Names: the algorithm of Python's Graph.unique_name.

std::string Graph::UniqueName(std::string_view name, bool mark_as_used) {
  std::string key = Lower(name);
  auto it = names_in_use_.find(key);
  int i = it == names_in_use_.end() ? 0 : it->second;
  if (mark_as_used) names_in_use_[key] = i + 1;
  if (i == 0) return std::string(name);
  const std::string base_key = key;
  while (names_in_use_.count(key) > 0) {
    key = base_key + "_" + std::to_string(i);
    ++i;
  }
  if (mark_as_used) names_in_use_[key] = 1;
  return std::string(name) + "_" + std::to_string(i - 1);
}

bool Graph::IsNameUsed(std::string_view name) const {
  return names_in_use_.count(Lower(name)) > 0;
}

void Graph::MarkNameUsedIfNew(std::string_view name) {
  names_in_use_.emplace(Lower(name), 1);
}

// ---------------------------------------------------------------------------
// Collections

namespace {

using Kind = tensorflow::CollectionDef::KindCase;

Status CheckKind(std::string_view key, const tensorflow::CollectionDef& c, Kind want) {
  if (c.kind_case() != Kind::KIND_NOT_SET && c.kind_case() != want) {
    return InvalidArgumentError("collection '" + std::string(key) +
                                "' holds another kind of value than the one added");
  }
  return Status::OK();
}

}  // namespace

Status Graph::AddToCollection(std::string_view key, std::string_view name) {
  tensorflow::CollectionDef& c = collections_[std::string(key)];
  RETURN_IF_ERROR(CheckKind(key, c, Kind::kNodeList));
  c.mutable_node_list()->add_value(std::string(name));
  return Status::OK();
}

Status Graph::AddBytesToCollection(std::string_view key, std::string bytes) {
  tensorflow::CollectionDef& c = collections_[std::string(key)];
  RETURN_IF_ERROR(CheckKind(key, c, Kind::kBytesList));
  c.mutable_bytes_list()->add_value(std::move(bytes));
  return Status::OK();
}

Status Graph::AddInt64ToCollection(std::string_view key, int64_t value) {
  tensorflow::CollectionDef& c = collections_[std::string(key)];
  RETURN_IF_ERROR(CheckKind(key, c, Kind::kInt64List));
  c.mutable_int64_list()->add_value(value);
  return Status::OK();
}

Status Graph::AddFloatToCollection(std::string_view key, float value) {
  tensorflow::CollectionDef& c = collections_[std::string(key)];
  RETURN_IF_ERROR(CheckKind(key, c, Kind::kFloatList));
  c.mutable_float_list()->add_value(value);
  return Status::OK();
}

const tensorflow::CollectionDef* Graph::GetCollection(std::string_view key) const {
  auto it = collections_.find(key);
  return it == collections_.end() ? nullptr : &it->second;
}

void Graph::ClearCollection(std::string_view key) {
  auto it = collections_.find(key);
  if (it != collections_.end()) collections_.erase(it);
}

std::vector<std::string> Graph::CollectionKeys() const {
  std::vector<std::string> keys;
  for (const auto& [key, c] : collections_) keys.push_back(key);
  return keys;
}

tensorflow::OpList Graph::StrippedOpList() const {
  std::set<std::string> used;
  for (const tensorflow::NodeDef& node : graph_def_.node()) used.insert(node.op());
  tensorflow::OpList list;
  for (const std::string& op : used) {
    if (const tensorflow::OpDef* def = OpRegistry::Global().Lookup(op)) *list.add_op() = *def;
  }
  return list;
}

}  // namespace tf1hub
