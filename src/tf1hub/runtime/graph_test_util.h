// Test helper: builds GraphDefs node by node, without the graph layer's op
// constructors, so runtime tests control every NodeDef field exactly.
//
//   TestGraph g;
//   g.Placeholder("x", DataType::kFloat, {-1, 2});
//   g.Node("y", "Identity", {"x"}).Type("T", DataType::kFloat);
//   ASSIGN_OR_RETURN(auto session, Session::Create(g.graph()));
#ifndef TF1HUB_RUNTIME_GRAPH_TEST_UTIL_H_
#define TF1HUB_RUNTIME_GRAPH_TEST_UTIL_H_

#include <initializer_list>
#include <string>
#include <vector>

#include "tf1hub/graph/attr_util.h"
#include "tf1hub/graph/tensor_proto.h"
#include "tf1hub/proto/graph.pb.h"
#include "tf1hub/tensor.h"

namespace tf1hub {

class TestNode {
 public:
  explicit TestNode(tensorflow::NodeDef* n) : n_(n) {}
  TestNode& Type(const std::string& attr, DataType t) {
    (*n_->mutable_attr())[attr] = AttrType(ToProtoDataType(t));
    return *this;
  }
  TestNode& Types(const std::string& attr, const std::vector<DataType>& ts) {
    std::vector<tensorflow::DataType> v;
    for (DataType t : ts) v.push_back(ToProtoDataType(t));
    (*n_->mutable_attr())[attr] = AttrTypeList(v);
    return *this;
  }
  TestNode& Shape(const std::string& attr, std::initializer_list<int64_t> dims) {
    (*n_->mutable_attr())[attr] = AttrShape(*PartialTensorShape::Create(std::vector<int64_t>(dims)));
    return *this;
  }
  TestNode& UnknownShape(const std::string& attr) {
    (*n_->mutable_attr())[attr] = AttrShape(PartialTensorShape());
    return *this;
  }
  TestNode& Bool(const std::string& attr, bool b) {
    (*n_->mutable_attr())[attr] = AttrBool(b);
    return *this;
  }
  TestNode& Int(const std::string& attr, int64_t i) {
    (*n_->mutable_attr())[attr] = AttrInt(i);
    return *this;
  }
  TestNode& Str(const std::string& attr, const std::string& s) {
    (*n_->mutable_attr())[attr] = AttrString(s);
    return *this;
  }
  TestNode& Value(const Tensor& t) {
    *(*n_->mutable_attr())["value"].mutable_tensor() = *TensorToProto(t);
    return Type("dtype", t.dtype());
  }
  tensorflow::NodeDef* def() { return n_; }

 private:
  tensorflow::NodeDef* n_;
};

class TestGraph {
 public:
  TestNode Node(const std::string& name, const std::string& op,
                std::initializer_list<std::string> inputs = {}) {
    tensorflow::NodeDef* n = graph_.add_node();
    n->set_name(name);
    n->set_op(op);
    for (const std::string& in : inputs) n->add_input(in);
    return TestNode(n);
  }
  TestNode Placeholder(const std::string& name, DataType t, std::initializer_list<int64_t> dims) {
    return Node(name, "Placeholder").Type("dtype", t).Shape("shape", dims);
  }
  TestNode Const(const std::string& name, const Tensor& t) { return Node(name, "Const").Value(t); }
  TestNode Identity(const std::string& name, const std::string& input, DataType t) {
    return Node(name, "Identity", {input}).Type("T", t);
  }
  // A float ref variable "name" of `dims` with an Assign "name/Assign" from
  // Const "name/init" holding `init`, and a read "name/read".
  void RefVariable(const std::string& name, const Tensor& init) {
    std::vector<int64_t> dims = init.shape().dims();
    tensorflow::NodeDef* v = graph_.add_node();
    v->set_name(name);
    v->set_op("VariableV2");
    (*v->mutable_attr())["dtype"] = AttrType(ToProtoDataType(init.dtype()));
    (*v->mutable_attr())["shape"] = AttrShape(*PartialTensorShape::Create(dims));
    Const(name + "/init", init);
    Node(name + "/Assign", "Assign", {name, name + "/init"}).Type("T", init.dtype());
    Identity(name + "/read", name, init.dtype());
  }
  // A resource variable: "name" (VarHandleOp), "name/init" (Const),
  // "name/Assign" (AssignVariableOp), "name/Read" (ReadVariableOp),
  // "name/IsInitialized" (VarIsInitializedOp).
  void ResourceVariable(const std::string& name, const Tensor& init) {
    std::vector<int64_t> dims = init.shape().dims();
    tensorflow::NodeDef* v = graph_.add_node();
    v->set_name(name);
    v->set_op("VarHandleOp");
    (*v->mutable_attr())["dtype"] = AttrType(ToProtoDataType(init.dtype()));
    (*v->mutable_attr())["shape"] = AttrShape(*PartialTensorShape::Create(dims));
    (*v->mutable_attr())["shared_name"] = AttrString(name);
    Const(name + "/init", init);
    Node(name + "/Assign", "AssignVariableOp", {name, name + "/init"}).Type("dtype", init.dtype());
    Node(name + "/Read", "ReadVariableOp", {name}).Type("dtype", init.dtype());
    Node(name + "/IsInitialized", "VarIsInitializedOp", {name});
  }

  const tensorflow::GraphDef& graph() const { return graph_; }
  tensorflow::GraphDef* mutable_graph() { return &graph_; }

 private:
  tensorflow::GraphDef graph_;
};

inline Tensor FloatTensor(std::vector<float> values, std::initializer_list<int64_t> dims) {
  return *Tensor::FromVector<float>(values, *TensorShape::Create(dims));
}

}  // namespace tf1hub

#endif  // TF1HUB_RUNTIME_GRAPH_TEST_UTIL_H_
