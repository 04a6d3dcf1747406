// ImportGraphDef (include/tf1hub/graph/import.h): the behaviour of
// tf.compat.v1.import_graph_def and TensorFlow's GraphConstructor, in four
// passes over the GraphDef — check nodes, order them, name them, then build
// and append them — so that nothing is added unless everything checks.
#include "tf1hub/graph/import.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "tf1hub/graph/attr_util.h"
#include "tf1hub/graph/device_spec.h"

namespace tf1hub {

class GraphImporter {
 public:
  GraphImporter(const Scope& scope, const tensorflow::GraphDef& def,
                const ImportGraphDefOptions& options)
      : scope_(scope), graph_(scope.graph()), def_(def), options_(options) {}

  StatusOr<ImportGraphDefResults> Run();

 private:
  struct Pending {
    tensorflow::NodeDef node;  // defaults filled
    Graph::NodeInfo info;
    std::vector<tensorflow::DataType> input_types;
    std::vector<bool> input_is_ref;
    std::string new_name;
  };

  Status CheckVersions() const;
  Status PrepareNodes();
  Status ParseInputMap();
  Status ComputeOrder();
  void AssignNames();
  Status BuildNodes(std::vector<tensorflow::NodeDef>* built);
  Status AssignDevices(std::vector<tensorflow::NodeDef>* built) const;
  Status GatherReturnElements(ImportGraphDefResults* results) const;
  std::string Prefixed(const std::string& name) const {
    return prefix_.empty() ? name : prefix_ + "/" + name;
  }

  const Scope& scope_;
  Graph* graph_;
  const tensorflow::GraphDef& def_;
  const ImportGraphDefOptions& options_;
  std::string prefix_;
  std::vector<Pending> nodes_;
  std::unordered_map<std::string, int> by_name_;           // GraphDef name -> index
  std::map<std::pair<std::string, int>, Output> tensor_map_;
  std::map<std::string, Output> control_map_;               // "x" (from "^x") -> replacement
  std::vector<int> order_;
};

Status GraphImporter::CheckVersions() const {
  const tensorflow::VersionDef& v = def_.versions();
  if (v.min_consumer() > kGraphDefVersion) {
    return InvalidArgumentError("GraphDef min consumer version " + std::to_string(v.min_consumer()) +
                                " above current version " + std::to_string(kGraphDefVersion));
  }
  for (int bad : v.bad_consumers()) {
    if (bad == kGraphDefVersion) {
      return InvalidArgumentError("GraphDef disallows consumer version " + std::to_string(bad));
    }
  }
  if (def_.library().function_size() > 0) {
    return UnimplementedError("GraphDef has a function library (" +
                              std::to_string(def_.library().function_size()) +
                              " functions); functions are not supported");
  }
  return Status::OK();
}

Status GraphImporter::PrepareNodes() {
  nodes_.resize(def_.node_size());
  for (int i = 0; i < def_.node_size(); ++i) {
    Pending& p = nodes_[i];
    p.node = def_.node(i);
    if (!by_name_.emplace(p.node.name(), i).second) {
      return InvalidArgumentError("Node '" + p.node.name() + "' is not unique");
    }
    RETURN_IF_ERROR(graph_->PrepareNode(&p.node, &p.info, &p.input_types, &p.input_is_ref));
    // GraphDefs older than version 22 wrote a scalar `shape` to mean unknown.
    if (def_.versions().producer() < 22 && p.node.op() == "Placeholder") {
      tensorflow::AttrValue& shape = (*p.node.mutable_attr())["shape"];
      if (shape.shape().dim_size() == 0 && !shape.shape().unknown_rank()) {
        shape.mutable_shape()->set_unknown_rank(true);
      }
    }
  }
  // Inputs and colocation must name nodes of the GraphDef.
  for (const Pending& p : nodes_) {
    for (const std::string& input : p.node.input()) {
      std::string src = input[0] == '^' ? input.substr(1) : ParseTensorName(input)->node;
      if (by_name_.count(src) == 0) {
        return InvalidArgumentError("Node '" + p.node.name() + "': Unknown input node '" + input +
                                    "'");
      }
    }
    if (const tensorflow::AttrValue* cls = FindAttr(p.node, "_class")) {
      for (const std::string& entry : cls->list().s()) {
        if (!entry.starts_with("loc:@")) continue;
        if (by_name_.count(entry.substr(5)) == 0) {
          return InvalidArgumentError("Node '" + p.node.name() +
                                      "' expects to be colocated with unknown node '" +
                                      entry.substr(5) + "'");
        }
      }
    }
  }
  return Status::OK();
}

Status GraphImporter::ParseInputMap() {
  std::vector<std::string> missing;
  for (const auto& [key, value] : options_.input_map) {
    if (value.empty() || !graph_->OutputType(value).ok()) {
      return InvalidArgumentError("input_map['" + key + "']: '" + value.ToString() +
                                  "' is not a tensor of the graph");
    }
    if (!key.empty() && key[0] == '^') {
      const std::string src = key.substr(1);
      if (by_name_.count(src) == 0) missing.push_back(key);
      control_map_[src] = value;
      continue;
    }
    StatusOr<Output> parsed = ParseTensorName(key);
    if (!parsed.ok()) return parsed.status().WithContext("input_map");
    auto it = by_name_.find(parsed->node);
    if (it == by_name_.end() ||
        parsed->index >= static_cast<int>(nodes_[it->second].info.outputs.size())) {
      missing.push_back(parsed->ToString());
      continue;
    }
    tensor_map_[{parsed->node, parsed->index}] = value;
  }
  if (!missing.empty()) {
    std::string list;
    for (const std::string& m : missing) list += (list.empty() ? "" : ", ") + m;
    return InvalidArgumentError("Attempted to map inputs that were not found in graph_def: [" +
                                list + "]");
  }
  return Status::OK();
}

// TF's order: repeatedly take the ready node with the lowest GraphDef index.
// A Merge fed by a NextIteration waits for its control inputs and one data
// input only (the loop back edge arrives later).
Status GraphImporter::ComputeOrder() {
  const int n = static_cast<int>(nodes_.size());
  std::vector<int> pending(n, 0);
  std::vector<std::vector<int>> consumers(n);
  for (int i = 0; i < n; ++i) {
    const tensorflow::NodeDef& node = nodes_[i].node;
    int controls = 0;
    bool back_edge = false;
    for (const std::string& input : node.input()) {
      const bool is_control = input[0] == '^';
      std::string src;
      if (is_control) {
        src = input.substr(1);
        if (control_map_.count(src) > 0) continue;
      } else {
        Output o = *ParseTensorName(input);
        if (tensor_map_.count({o.node, o.index}) > 0) continue;
        src = o.node;
      }
      const int j = by_name_.at(src);
      if (is_control) ++controls;
      if (!is_control && nodes_[j].node.op() == "NextIteration") back_edge = true;
      ++pending[i];
      consumers[j].push_back(i);
    }
    if (node.op() == "Merge" && back_edge) pending[i] = controls + 1;
  }
  std::set<int> ready;
  for (int i = 0; i < n; ++i) {
    if (pending[i] == 0) ready.insert(i);
  }
  while (!ready.empty()) {
    const int i = *ready.begin();
    ready.erase(ready.begin());
    order_.push_back(i);
    for (int c : consumers[i]) {
      if (pending[c] > 0 && --pending[c] == 0) ready.insert(c);
    }
  }
  if (static_cast<int>(order_.size()) != n) {
    int stuck = -1;
    for (int i = 0; i < n && stuck < 0; ++i) {
      if (pending[i] > 0) stuck = i;
    }
    return InvalidArgumentError(std::to_string(n - order_.size()) +
                                " nodes in a cycle (GraphDef node '" +
                                nodes_[stuck].node.name() + "' is one of them or depends on one)");
  }
  return Status::OK();
}

// TF's importer (uniquify_names): a name that exists in the graph — as a
// node or as a "/"-prefix of one — becomes name_1, name_2, ..., also
// skipping names (and prefixes) of the GraphDef being imported.
void GraphImporter::AssignNames() {
  // Taken: nodes already in the graph and their prefixes (Graph keeps that
  // set, so an import costs time in its own size, not the graph's), plus the
  // names given during this import.
  std::set<std::string, std::less<>> assigned;
  auto taken = [&](const std::string& name) {
    return graph_->HasNodeOrNodePrefix(name) || assigned.count(name) > 0;
  };
  std::set<std::string, std::less<>> in_def;
  for (const Pending& p : nodes_) InsertNameAndPrefixes(p.node.name(), &in_def);

  for (int i : order_) {
    const std::string base = Prefixed(nodes_[i].node.name());
    std::string name = base;
    int count = 0;
    while (taken(name) || (count > 0 && in_def.count(name) > 0)) {
      name = base + "_" + std::to_string(++count);
    }
    nodes_[i].new_name = name;
    // Only the name itself: a node imported now ("r/shape") must not push
    // its own parent ("r", imported later) to "r_1". Prefixes count only for
    // nodes that were in the graph before the import, as in TF.
    assigned.insert(name);
  }
}

Status GraphImporter::BuildNodes(std::vector<tensorflow::NodeDef>* built) {
  auto new_name_of = [&](const std::string& def_name) -> const std::string& {
    return nodes_[by_name_.at(def_name)].new_name;
  };
  for (int i : order_) {
    const Pending& p = nodes_[i];
    tensorflow::NodeDef node = p.node;
    node.set_name(p.new_name);
    node.clear_input();
    std::vector<std::string> controls;
    int data_index = 0;
    for (const std::string& input : p.node.input()) {
      if (input[0] == '^') {
        const std::string src = input.substr(1);
        auto mapped = control_map_.find(src);
        controls.push_back("^" + (mapped != control_map_.end() ? mapped->second.node : new_name_of(src)));
        continue;
      }
      const Output o = *ParseTensorName(input);
      tensorflow::DataType got;
      bool got_ref;
      std::string rendered;
      std::string from;
      auto mapped = tensor_map_.find({o.node, o.index});
      if (mapped != tensor_map_.end()) {
        const Output& m = mapped->second;
        got = static_cast<tensorflow::DataType>(static_cast<int>(*graph_->OutputType(m)));
        got_ref = *graph_->IsRefOutput(m);
        rendered = m.InputString();
        from = m.ToString();
      } else {
        const Pending& src = nodes_[by_name_.at(o.node)];
        if (o.index >= static_cast<int>(src.info.outputs.size())) {
          return InvalidArgumentError("Node '" + p.node.name() + "': input '" + input +
                                      "' but node '" + o.node + "' has " +
                                      std::to_string(src.info.outputs.size()) + " outputs");
        }
        got = src.info.outputs[o.index];
        got_ref = src.info.output_is_ref[o.index];
        rendered = Output{src.new_name, o.index}.InputString();
        from = Output{src.new_name, o.index}.ToString();
      }
      const tensorflow::DataType want = p.input_types[data_index];
      const bool want_ref = p.input_is_ref[data_index];
      if (got != want || (want_ref && !got_ref)) {
        return InvalidArgumentError("Input " + std::to_string(data_index) + " of node " +
                                    p.new_name + " was passed " + TfTypeString(got, got_ref) +
                                    " from " + from + " incompatible with expected " +
                                    TfTypeString(want, want_ref) + ".");
      }
      node.add_input(rendered);
      ++data_index;
    }
    std::sort(controls.begin(), controls.end());
    controls.erase(std::unique(controls.begin(), controls.end()), controls.end());
    for (std::string& c : controls) node.add_input(std::move(c));
    if (tensorflow::AttrValue* cls = node.mutable_attr()->count("_class") > 0
                                         ? &(*node.mutable_attr())["_class"]
                                         : nullptr) {
      for (std::string& entry : *cls->mutable_list()->mutable_s()) {
        if (entry.starts_with("loc:@")) entry = "loc:@" + new_name_of(entry.substr(5));
      }
    }
    built->push_back(std::move(node));
  }
  return AssignDevices(built);
}

// import_graph_def's _ProcessNewOps: nodes colocated with another node take
// the device of the first such node that has one; the others get their own
// device merged over the Scope's device.
Status GraphImporter::AssignDevices(std::vector<tensorflow::NodeDef>* built) const {
  std::unordered_map<std::string, size_t> position;
  for (size_t k = 0; k < built->size(); ++k) position[(*built)[k].name()] = k;
  StatusOr<DeviceSpec> scope_device = DeviceSpec::Parse(scope_.device());
  if (!scope_device.ok()) return scope_device.status();
  std::vector<std::vector<std::string>> coloc(built->size());
  for (size_t k = 0; k < built->size(); ++k) {
    tensorflow::NodeDef& node = (*built)[k];
    if (const tensorflow::AttrValue* cls = FindAttr(node, "_class")) {
      for (const std::string& entry : cls->list().s()) {
        if (entry.starts_with("loc:@") && entry.substr(5) != node.name()) {
          coloc[k].push_back(entry.substr(5));
        }
      }
    }
    if (!coloc[k].empty()) continue;
    StatusOr<DeviceSpec> own = DeviceSpec::Parse(node.device());
    if (!own.ok()) return own.status().WithContext("node '" + node.name() + "'");
    DeviceSpec merged = *scope_device;
    merged.MergeFrom(*own);
    node.set_device(merged.ToString());
  }
  std::vector<std::string> coloc_devices(built->size());
  for (size_t k = 0; k < built->size(); ++k) {
    for (const std::string& target : coloc[k]) {
      std::string device;
      auto it = position.find(target);
      if (it != position.end()) {
        device = coloc[it->second].empty() ? (*built)[it->second].device() : "";
      } else if (const tensorflow::NodeDef* existing = graph_->FindNode(target)) {
        device = existing->device();
      }
      if (!device.empty()) {
        coloc_devices[k] = device;
        break;
      }
    }
  }
  for (size_t k = 0; k < built->size(); ++k) {
    if (!coloc[k].empty()) (*built)[k].set_device(coloc_devices[k]);
  }
  return Status::OK();
}

Status GraphImporter::GatherReturnElements(ImportGraphDefResults* results) const {
  for (const std::string& element : options_.return_elements) {
    if (element.find(':') != std::string::npos) {
      StatusOr<Output> o = ParseTensorName(element);
      if (!o.ok()) return o.status().WithContext("return_elements");
      auto it = by_name_.find(o->node);
      if (it == by_name_.end()) {
        return InvalidArgumentError("Requested return tensor '" + element +
                                    "' not found in graph def");
      }
      const Pending& p = nodes_[it->second];
      const int num_outputs = static_cast<int>(p.info.outputs.size());
      if (o->index >= num_outputs) {
        return InvalidArgumentError("Invalid return output " + std::to_string(o->index) +
                                    " of node '" + o->node + "', which has " +
                                    std::to_string(num_outputs) + " output(s)");
      }
      auto mapped = tensor_map_.find({o->node, o->index});
      results->return_tensors.push_back(mapped != tensor_map_.end() ? mapped->second
                                                                    : Output{p.new_name, o->index});
    } else {
      auto it = by_name_.find(element);
      if (it == by_name_.end()) {
        return InvalidArgumentError("Requested return node '" + element +
                                    "' not found in graph def");
      }
      results->return_operations.push_back(Operation{nodes_[it->second].new_name});
    }
  }
  return Status::OK();
}

StatusOr<ImportGraphDefResults> GraphImporter::Run() {
  if (!scope_.ok()) return scope_.status();
  RETURN_IF_ERROR(CheckVersions());
  // The prefix comes from a name scope, as in TF: reserved even if the
  // import then fails.
  const std::string name = options_.name.value_or("import");
  if (!name.empty()) {
    Scope named = scope_.NewSubScope(name);
    if (!named.ok()) return named.status();
    prefix_ = named.name_scope();
  }
  RETURN_IF_ERROR(PrepareNodes());
  RETURN_IF_ERROR(ParseInputMap());
  RETURN_IF_ERROR(ComputeOrder());
  AssignNames();
  std::vector<tensorflow::NodeDef> built;
  RETURN_IF_ERROR(BuildNodes(&built));
  ImportGraphDefResults results;
  results.prefix = prefix_;
  RETURN_IF_ERROR(GatherReturnElements(&results));

  for (size_t k = 0; k < order_.size(); ++k) {
    Pending& p = nodes_[order_[k]];
    results.node_names[p.node.name()] = p.new_name;
    graph_->AppendNode(std::move(built[k]), std::move(p.info));
  }
  tensorflow::VersionDef versions = graph_->versions();
  versions.set_producer(std::min(versions.producer(), def_.versions().producer()));
  versions.set_min_consumer(std::max(versions.min_consumer(), def_.versions().min_consumer()));
  std::set<int> bad(versions.bad_consumers().begin(), versions.bad_consumers().end());
  bad.insert(def_.versions().bad_consumers().begin(), def_.versions().bad_consumers().end());
  versions.clear_bad_consumers();
  for (int v : bad) versions.add_bad_consumers(v);
  graph_->set_versions(versions);
  return results;
}

StatusOr<ImportGraphDefResults> ImportGraphDef(const Scope& scope,
                                               const tensorflow::GraphDef& graph_def,
                                               const ImportGraphDefOptions& options) {
  GraphImporter importer(scope, graph_def, options);
  return importer.Run();
}

}  // namespace tf1hub
