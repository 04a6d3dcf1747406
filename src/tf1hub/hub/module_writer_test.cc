// WriteModuleDirectory: layout, asset rules and write order, as hub's
// SavedModelHandler.export + _ModuleSpec._export (saved_model_lib.py and
// native_module.py of tensorflow_hub 0.15.0; the asset naming rules are
// those of hub's saved_model_lib_test).
#include "tf1hub/hub/module_writer.h"

#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <string>

#include "tf1hub/core/temp_dir_test_util.h"
#include "tf1hub/env.h"
#include "tf1hub/graph/ops.h"
#include "tf1hub/hub/create_module_spec.h"
#include "tf1hub/proto/meta_graph.pb.h"

namespace tf1hub::hub {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using tf1hub::testing::ScopedTempDir;

constexpr char kTmpPrefix[] = "tf1hub_writer_test";

void WriteFile(const std::string& path, const std::string& bytes) {
  FileSystem* fs = PosixFileSystem();
  ASSERT_TRUE(fs->RecursivelyCreateDir(std::string(Dirname(path))).ok());
  ASSERT_TRUE(fs->WriteStringToFile(path, bytes).ok()) << path;
}

std::string ReadFile(const std::string& path) {
  StatusOr<std::string> s = PosixFileSystem()->ReadFileToString(path);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : "";
}

std::vector<std::string> Children(const std::string& dir) {
  return PosixFileSystem()->GetChildren(dir).value();
}

Status NoVariables(const std::string&) { return Status::OK(); }

Status DoubleFn(ModuleFnContext& ctx) {
  const Scope& s = ctx.scope();
  Output x = ops::Placeholder(s, DataType::kFloat);
  ctx.AddSignature("", x, ops::Mul(s, x, ops::Const(s, 2.0f)));
  return s.status();
}

// A module_fn with one asset Const per (node name, path), all listed in
// asset_filepaths.
ModuleFn AssetsFn(std::vector<std::pair<std::string, std::string>> assets) {
  return [assets](ModuleFnContext& ctx) -> Status {
    const Scope& s = ctx.scope();
    Output x = ops::Placeholder(s, DataType::kString);
    for (const auto& [name, path] : assets) {
      Output c = ops::Const(s.WithOpName(name), path);
      RETURN_IF_ERROR(s.graph()->AddToCollection("asset_filepaths", c.ToString()));
    }
    ctx.AddSignature("", x, x);
    return s.status();
  };
}

TEST(ModuleWriterTest, StatelessModuleLayout) {
  auto spec = CreateModuleSpec(DoubleFn);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  const ScopedTempDir tmp(kTmpPrefix);
  std::string dir = tmp.Join("module");
  std::string prefix_seen;
  Status st = WriteModuleDirectory(dir, **spec, [&](const std::string& prefix) {
    prefix_seen = prefix;
    return Status::OK();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(prefix_seen, dir + "/variables/variables");
  // hub's e2e test: ["assets", "saved_model.pb", "tfhub_module.pb", "variables"].
  EXPECT_THAT(Children(dir),
              ElementsAre("assets", "saved_model.pb", "tfhub_module.pb", "variables"));
  EXPECT_TRUE(Children(dir + "/assets").empty());
  EXPECT_TRUE(Children(dir + "/variables").empty());
  EXPECT_EQ(ReadFile(dir + "/tfhub_module.pb"), std::string("\x08\x03", 2));
  tensorflow::SavedModel sm;
  ASSERT_TRUE(sm.ParseFromString(ReadFile(dir + "/saved_model.pb")));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(sm, (*spec)->saved_model()));

  auto loaded = LoadModuleSpec(dir);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->checkpoint_path(), "");
  EXPECT_EQ((*loaded)->GetSignatureNames().value(), std::vector<std::string>{"default"});
}

TEST(ModuleWriterTest, AssetsAreCopiedRenamedAndRecorded) {
  const ScopedTempDir src_tmp(kTmpPrefix);
  const ScopedTempDir out_tmp(kTmpPrefix);
  std::string src = src_tmp.path();
  WriteFile(src + "/one/hello.txt", "first");
  WriteFile(src + "/two/hello.txt", "second");
  WriteFile(src + "/vocab.txt", "cat\ndog\n");
  auto spec = CreateModuleSpec(AssetsFn({{"c_vocab", src + "/vocab.txt"},
                                         {"b_hello", src + "/two/hello.txt"},
                                         {"a_hello", src + "/one/hello.txt"},
                                         {"d_same", src + "/one/hello.txt"}}));
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  std::string dir = out_tmp.Join("m");
  ASSERT_TRUE(WriteModuleDirectory(dir, **spec, NoVariables).ok());

  // Sorted by tensor name: a_hello gets hello.txt, b_hello hello.txt0; the
  // same source file twice is copied once.
  EXPECT_THAT(Children(dir + "/assets"), ElementsAre("hello.txt", "hello.txt0", "vocab.txt"));
  EXPECT_EQ(ReadFile(dir + "/assets/hello.txt"), "first");
  EXPECT_EQ(ReadFile(dir + "/assets/hello.txt0"), "second");
  EXPECT_EQ(ReadFile(dir + "/assets/vocab.txt"), "cat\ndog\n");

  tensorflow::SavedModel sm;
  ASSERT_TRUE(sm.ParseFromString(ReadFile(dir + "/saved_model.pb")));
  const auto& mg = sm.meta_graphs(0);
  for (const auto& node : mg.graph_def().node()) {
    if (node.op() == "Const" && node.attr().at("dtype").type() == tensorflow::DT_STRING) {
      EXPECT_EQ(node.attr().at("value").tensor().string_val(0), "SAVEDMODEL-ASSET") << node.name();
    }
  }
  const auto& assets = mg.collection_def().at("saved_model_assets").any_list();
  ASSERT_EQ(assets.value_size(), 4);
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& any : assets.value()) {
    EXPECT_EQ(any.type_url(), "type.googleapis.com/tensorflow.AssetFileDef");
    tensorflow::AssetFileDef def;
    ASSERT_TRUE(def.ParseFromString(any.value()));
    got.emplace_back(def.tensor_info().name(), def.filename());
  }
  EXPECT_THAT(got, ElementsAre(std::pair<std::string, std::string>{"a_hello:0", "hello.txt"},
                               std::pair<std::string, std::string>{"b_hello:0", "hello.txt0"},
                               std::pair<std::string, std::string>{"c_vocab:0", "vocab.txt"},
                               std::pair<std::string, std::string>{"d_same:0", "hello.txt"}));
  EXPECT_EQ(mg.asset_file_def_size(), 0);  // hub uses the collection only
  // The spec itself is unchanged.
  for (const auto& node : (*spec)->saved_model().meta_graphs(0).graph_def().node()) {
    if (node.name() == "c_vocab") {
      EXPECT_EQ(node.attr().at("value").tensor().string_val(0), src + "/vocab.txt");
    }
  }

  // Loading points the Consts at the copies; re-exporting elsewhere works.
  auto loaded = LoadModuleSpec(dir);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  for (const auto& node : (*loaded)->saved_model().meta_graphs(0).graph_def().node()) {
    if (node.name() == "b_hello") {
      EXPECT_EQ(node.attr().at("value").tensor().string_val(0), dir + "/assets/hello.txt0");
    }
  }
  std::string again = out_tmp.Join("again");
  ASSERT_TRUE(WriteModuleDirectory(again, **loaded, NoVariables).ok());
  EXPECT_THAT(Children(again + "/assets"), ElementsAre("hello.txt", "hello.txt0", "vocab.txt"));
  EXPECT_EQ(ReadFile(again + "/assets/hello.txt0"), "second");
}

TEST(ModuleWriterTest, RefusesExistingTfhubModulePb) {
  auto spec = CreateModuleSpec(DoubleFn);
  ASSERT_TRUE(spec.ok());
  const ScopedTempDir tmp(kTmpPrefix);
  std::string dir = tmp.path();
  ASSERT_TRUE(WriteModuleDirectory(dir, **spec, NoVariables).ok());
  Status again = WriteModuleDirectory(dir, **spec, NoVariables);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(again.message(), HasSubstr(dir + "/tfhub_module.pb"));
  // No temp files are left behind.
  EXPECT_THAT(Children(dir),
              ElementsAre("assets", "saved_model.pb", "tfhub_module.pb", "variables"));
}

TEST(ModuleWriterTest, RefusesToOverwriteAnAsset) {
  const ScopedTempDir src_tmp(kTmpPrefix);
  std::string src = src_tmp.path();
  WriteFile(src + "/vocab.txt", "new");
  auto spec = CreateModuleSpec(AssetsFn({{"vocab", src + "/vocab.txt"}}));
  ASSERT_TRUE(spec.ok());
  const ScopedTempDir tmp(kTmpPrefix);
  std::string dir = tmp.path();
  WriteFile(dir + "/assets/vocab.txt", "old");
  Status st = WriteModuleDirectory(dir, **spec, NoVariables);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(st.message(), HasSubstr(dir + "/assets/vocab.txt"));
  EXPECT_EQ(ReadFile(dir + "/assets/vocab.txt"), "old");
  EXPECT_FALSE(PosixFileSystem()->FileExists(dir + "/tfhub_module.pb"));
}

TEST(ModuleWriterTest, MissingAssetSourceIsNamed) {
  auto spec = CreateModuleSpec(AssetsFn({{"vocab", "/nonexistent/tf1hub/vocab.txt"}}));
  ASSERT_TRUE(spec.ok());
  const ScopedTempDir tmp(kTmpPrefix);
  Status st = WriteModuleDirectory(tmp.path(), **spec, NoVariables);
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), HasSubstr("/nonexistent/tf1hub/vocab.txt"));
}

TEST(ModuleWriterTest, VariablesErrorStopsBeforeTheProtos) {
  auto spec = CreateModuleSpec(DoubleFn);
  ASSERT_TRUE(spec.ok());
  const ScopedTempDir tmp(kTmpPrefix);
  std::string dir = tmp.path();
  Status st = WriteModuleDirectory(dir, **spec,
                                   [](const std::string&) { return DataLossError("disk full"); });
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), HasSubstr("disk full"));
  EXPECT_THAT(st.message(), HasSubstr(dir));
  EXPECT_FALSE(PosixFileSystem()->FileExists(dir + "/saved_model.pb"));
  EXPECT_FALSE(PosixFileSystem()->FileExists(dir + "/tfhub_module.pb"));
}

// A spec whose single meta graph has the given asset collection and nodes.
ModuleSpec SpecWithAssetNode(const tensorflow::NodeDef& node, const std::string& tensor) {
  tensorflow::SavedModel sm;
  auto* mg = sm.add_meta_graphs();
  *mg->mutable_graph_def()->add_node() = node;
  (*mg->mutable_collection_def())["asset_filepaths"].mutable_node_list()->add_value(tensor);
  return ModuleSpec(sm, "", "");
}

tensorflow::NodeDef StringConst(const std::string& name, std::vector<std::string> values) {
  tensorflow::NodeDef node;
  node.set_name(name);
  node.set_op("Const");
  (*node.mutable_attr())["dtype"].set_type(tensorflow::DT_STRING);
  auto* t = (*node.mutable_attr())["value"].mutable_tensor();
  t->set_dtype(tensorflow::DT_STRING);
  for (auto& v : values) t->add_string_val(v);
  return node;
}

TEST(ModuleWriterTest, AssetNodeErrors) {
  const ScopedTempDir tmp(kTmpPrefix);
  std::string dir = tmp.path();
  Status st =
      WriteModuleDirectory(dir, SpecWithAssetNode(StringConst("v", {"/x"}), "v:1"), NoVariables);
  EXPECT_THAT(st.message(), HasSubstr("Unexpected tensor in ASSET_FILEPATHS collection."));
  EXPECT_THAT(st.message(), HasSubstr("v:1"));
  st = WriteModuleDirectory(dir, SpecWithAssetNode(StringConst("v", {"/x"}), "v"), NoVariables);
  EXPECT_THAT(st.message(), HasSubstr("Unexpected tensor in ASSET_FILEPATHS collection."));

  tensorflow::NodeDef not_const = StringConst("v", {"/x"});
  not_const.set_op("Identity");
  st = WriteModuleDirectory(dir, SpecWithAssetNode(not_const, "v:0"), NoVariables);
  EXPECT_THAT(st.message(), HasSubstr("Asset node must be of type constant."));

  tensorflow::NodeDef int_const = StringConst("v", {"/x"});
  (*int_const.mutable_attr())["dtype"].set_type(tensorflow::DT_INT32);
  st = WriteModuleDirectory(dir, SpecWithAssetNode(int_const, "v:0"), NoVariables);
  EXPECT_THAT(st.message(), HasSubstr("Asset node must be of dtype string."));

  st = WriteModuleDirectory(dir, SpecWithAssetNode(StringConst("v", {"/a", "/b"}), "v:0"),
                            NoVariables);
  EXPECT_THAT(st.message(), HasSubstr("Asset node must be a scalar."));

  tensorflow::SavedModel sm;
  (*sm.add_meta_graphs()->mutable_collection_def())["asset_filepaths"]
      .mutable_bytes_list()
      ->add_value("x");
  st = WriteModuleDirectory(dir, ModuleSpec(sm, "", ""), NoVariables);
  EXPECT_THAT(st.message(),
              HasSubstr("MetaGraph collection ASSET_FILEPATHS is not a list of tensors."));
  EXPECT_FALSE(PosixFileSystem()->FileExists(dir + "/tfhub_module.pb"));
}

TEST(ModuleWriterTest, AssetBasenameDotDotIsRefused) {
  const ScopedTempDir tmp(kTmpPrefix);
  std::string dir = tmp.path();
  Status st = WriteModuleDirectory(dir, SpecWithAssetNode(StringConst("v", {"/tmp/.."}), "v:0"),
                                   NoVariables);
  EXPECT_THAT(st.message(), HasSubstr("Asset filename (..) points outside assets_dir"));
}

}  // namespace
}  // namespace tf1hub::hub
