// Test helpers for the variables / initializers / regularizers / layers tests:
// compare the nodes we build with NodeDefs TensorFlow printed for the same
// program (text format, one node per string).
#ifndef TF1HUB_GRAPH_LAYERS_TEST_UTIL_H_
#define TF1HUB_GRAPH_LAYERS_TEST_UTIL_H_

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "tf1hub/graph/graph.h"
#include "tf1hub/proto/node_def.pb.h"

namespace tf1hub::testing {

// What TF 2.15's Python graph adds and our graph layer does not (yet),
// dropped from both sides; TF does not need either on import: the
// `_has_manual_control_dependencies` attr on ops used in tf.control_dependencies, and the full type
// (NodeDef.experimental_type) its type inference puts on e.g. Shape.
inline void StripTfOnlyAttrs(tensorflow::NodeDef* node) {
  node->mutable_attr()->erase("_has_manual_control_dependencies");
  node->clear_experimental_type();
}

// Control inputs compared as a set (TF's order is creation order).
inline void SortControlInputs(tensorflow::NodeDef* node) {
  auto* in = node->mutable_input();
  auto first_control =
      std::find_if(in->begin(), in->end(), [](const std::string& s) { return s.starts_with("^"); });
  std::sort(first_control, in->end());
}

// Every expected node exists in `graph` and equals ours (attrs included).
// With `exact`, `graph` has no node whose name starts with `prefix` beyond them.
inline void ExpectNodesLikeTensorFlow(const Graph& graph, std::span<const char* const> expected,
                                      bool exact = true, const std::string& prefix = "") {
  std::set<std::string> names;
  for (const char* text : expected) {
    tensorflow::NodeDef want;
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &want)) << text;
    StripTfOnlyAttrs(&want);
    SortControlInputs(&want);
    names.insert(want.name());
    const tensorflow::NodeDef* got_ptr = graph.FindNode(want.name());
    if (got_ptr == nullptr) {
      ADD_FAILURE() << "missing node " << want.name();
      continue;
    }
    tensorflow::NodeDef got = *got_ptr;
    StripTfOnlyAttrs(&got);
    SortControlInputs(&got);
    std::string diff;
    google::protobuf::util::MessageDifferencer differ;
    differ.ReportDifferencesToString(&diff);
    EXPECT_TRUE(differ.Compare(want, got)) << "node " << want.name() << ":\n" << diff;
  }
  if (!exact) return;
  for (const tensorflow::NodeDef& node : graph.graph_def().node()) {
    if (node.name().starts_with(prefix) && names.count(node.name()) == 0) {
      ADD_FAILURE() << "unexpected node " << node.name() << " (" << node.op() << ")";
    }
  }
}

// The attr `name` of node `node` (fails the test if absent).
inline tensorflow::AttrValue NodeAttr(const Graph& graph, const std::string& node,
                                      const std::string& name) {
  const tensorflow::NodeDef* n = graph.FindNode(node);
  if (n == nullptr || n->attr().count(name) == 0) {
    ADD_FAILURE() << "no attr " << name << " on node " << node;
    return {};
  }
  return n->attr().at(name);
}

inline std::vector<std::string> NodeInputs(const Graph& graph, const std::string& node) {
  const tensorflow::NodeDef* n = graph.FindNode(node);
  if (n == nullptr) {
    ADD_FAILURE() << "missing node " << node;
    return {};
  }
  return {n->input().begin(), n->input().end()};
}

inline std::vector<std::string> CollectionNames(const Graph& graph, const std::string& key) {
  const tensorflow::CollectionDef* c = graph.GetCollection(key);
  if (c == nullptr) return {};
  return {c->node_list().value().begin(), c->node_list().value().end()};
}

}  // namespace tf1hub::testing

#endif  // TF1HUB_GRAPH_LAYERS_TEST_UTIL_H_
