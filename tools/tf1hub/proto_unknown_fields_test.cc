#include "proto_unknown_fields.h"

#include <google/protobuf/any.pb.h>
#include <google/protobuf/unknown_field_set.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tf1hub/proto/module_def.pb.h"
#include "tf1hub/proto/saved_model.pb.h"

namespace tf1hub::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> Messages(const google::protobuf::Message& message) {
  std::vector<std::string> out;
  for (const ProtoIssue& issue : FindProtoIssues(message)) out.push_back(FormatProtoIssue(issue));
  return out;
}

void AddUnknownVarint(google::protobuf::Message* message, int number, uint64_t value) {
  message->GetReflection()->MutableUnknownFields(message)->AddVarint(number, value);
}

TEST(ProtoUnknownFieldsTest, CleanMessageHasNoIssues) {
  tensorflow::SavedModel model;
  model.set_saved_model_schema_version(1);
  tensorflow::MetaGraphDef* meta = model.add_meta_graphs();
  tensorflow::NodeDef* node = meta->mutable_graph_def()->add_node();
  node->set_name("x");
  (*node->mutable_attr())["dtype"].set_type(tensorflow::DT_FLOAT);
  EXPECT_THAT(Messages(model), IsEmpty());
}

TEST(ProtoUnknownFieldsTest, HandWrittenWireBytesAtTheRoot) {
  // ModuleDef: format = 3 (08 03), then field 3 as a varint (18 07) and
  // field 4 as a fixed32 (25 01 02 03 04); neither is defined.
  const std::string bytes("\x08\x03\x18\x07\x25\x01\x02\x03\x04", 9);
  tensorflow_hub::ModuleDef def;
  ASSERT_TRUE(def.ParseFromString(bytes));
  EXPECT_THAT(Messages(def), ElementsAre("(root): unknown field 3 (varint)",
                                         "(root): unknown field 4 (fixed32)"));
}

TEST(ProtoUnknownFieldsTest, UnknownEnumNumberIsReported) {
  // format = 40 (08 28): proto3 keeps the number, our enum lacks it.
  tensorflow_hub::ModuleDef def;
  ASSERT_TRUE(def.ParseFromString(std::string("\x08\x28", 2)));
  EXPECT_THAT(Messages(def),
              ElementsAre("format: unknown enum value 40 of tensorflow_hub.ModuleDef.Format"));
}

TEST(ProtoUnknownFieldsTest, PathsThroughRepeatedFieldsAndMapsSortedByKey) {
  tensorflow::SavedModel model;
  model.add_meta_graphs();
  tensorflow::MetaGraphDef* meta = model.add_meta_graphs();
  tensorflow::GraphDef* graph = meta->mutable_graph_def();
  graph->add_node();
  graph->add_node();
  graph->add_node();
  tensorflow::NodeDef* node = graph->add_node();
  AddUnknownVarint(&(*node->mutable_attr())["y"], 18, 1);
  AddUnknownVarint(&(*node->mutable_attr())["x"], 17, 1);
  AddUnknownVarint(node->mutable_attr()->at("x").mutable_shape()->add_dim(), 9, 1);
  EXPECT_THAT(Messages(model),
              ElementsAre("meta_graphs[1].graph_def.node[3].attr[\"x\"].value: unknown field 17 "
                          "(varint)",
                          "meta_graphs[1].graph_def.node[3].attr[\"x\"].value.shape.dim[0]: "
                          "unknown field 9 (varint)",
                          "meta_graphs[1].graph_def.node[3].attr[\"y\"].value: unknown field 18 "
                          "(varint)"));
}

TEST(ProtoUnknownFieldsTest, FunctionLibraryAndDebugInfoAreSkipped) {
  tensorflow::GraphDef graph;
  tensorflow::FunctionDef* function = graph.mutable_library()->add_function();
  AddUnknownVarint(function->mutable_signature(), 30, 1);
  AddUnknownVarint(graph.mutable_debug_info(), 30, 1);
  AddUnknownVarint(graph.mutable_versions(), 30, 1);
  EXPECT_THAT(Messages(graph), ElementsAre("versions: unknown field 30 (varint)"));
}

TEST(ProtoUnknownFieldsTest, LooksInsideAnyPayloads) {
  tensorflow::AssetFileDef asset;
  asset.set_filename("vocab.txt");
  asset.mutable_tensor_info()->set_name("Const:0");
  AddUnknownVarint(asset.mutable_tensor_info(), 12, 3);

  tensorflow::MetaGraphDef meta;
  google::protobuf::Any* any =
      (*meta.mutable_collection_def())["saved_model_assets"].mutable_any_list()->add_value();
  any->set_type_url("type.googleapis.com/tensorflow.AssetFileDef");
  any->set_value(asset.SerializeAsString());
  EXPECT_THAT(Messages(meta),
              ElementsAre("collection_def[\"saved_model_assets\"].value.any_list.value[0]"
                          "(tensorflow.AssetFileDef).tensor_info: unknown field 12 (varint)"));
}

TEST(ProtoUnknownFieldsTest, AnyPayloadThatDoesNotParse) {
  tensorflow::MetaGraphDef meta;
  google::protobuf::Any* any = meta.mutable_meta_info_def()->mutable_any_info();
  any->set_type_url("type.googleapis.com/tensorflow.AssetFileDef");
  any->set_value(std::string("\x0a\x05\x0a", 3));  // Length 5, only 1 byte follows.
  EXPECT_THAT(Messages(meta), ElementsAre("meta_info_def.any_info: Any payload does not parse as "
                                          "tensorflow.AssetFileDef"));
}

// A MetaGraphDef whose any_info holds a MetaGraphDef, `levels` deep; the
// innermost carries unknown field 40.
tensorflow::MetaGraphDef NestedAnys(int levels) {
  tensorflow::MetaGraphDef inner;
  AddUnknownVarint(&inner, 40, 1);
  for (int i = 0; i < levels; ++i) {
    tensorflow::MetaGraphDef outer;
    outer.mutable_meta_info_def()->mutable_any_info()->PackFrom(inner);
    inner = outer;
  }
  return inner;
}

TEST(ProtoUnknownFieldsTest, NestedAnysAreFollowedToABoundedDepth) {
  const std::string level = "meta_info_def.any_info(tensorflow.MetaGraphDef)";
  EXPECT_THAT(Messages(NestedAnys(2)),
              ElementsAre(level + "." + level + ": unknown field 40 (varint)"));
  EXPECT_THAT(Messages(NestedAnys(8)), ::testing::SizeIs(1));
  EXPECT_THAT(Messages(NestedAnys(9)), IsEmpty());  // Past the limit: not opened.
}

TEST(ProtoUnknownFieldsTest, MapKeysAreQuoted) {
  tensorflow::NodeDef node;
  AddUnknownVarint(&(*node.mutable_attr())[std::string("a\"b\x01", 4)], 20, 1);
  EXPECT_THAT(Messages(node), ElementsAre("attr[\"a\\\"b\\x01\"].value: unknown field 20 (varint)"));
}

}  // namespace
}  // namespace tf1hub::cli
