// LoadModuleSpec on a module exported by real hub (testdata/README.md) and
// on hostile or non-module directories.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "tf1hub/core/temp_dir_test_util.h"
#include "tf1hub/env.h"
#include "tf1hub/hub/module_spec.h"
#include "tf1hub/proto/image_module_info.pb.h"
#include "tf1hub/proto/meta_graph.pb.h"
#include "tf1hub/proto/module_def.pb.h"

namespace tf1hub::hub {
namespace {

using ::testing::HasSubstr;
using tf1hub::testing::ScopedTempDir;

const std::string kTinyModule = std::string(TF1HUB_HUB_TESTDATA_DIR) + "/hub_tiny_module";

PartialTensorShape Shape(std::vector<int64_t> dims) {
  return PartialTensorShape::Create(dims).value();
}

constexpr char kTmpPrefix[] = "tf1hub_load_test";

void WriteFile(const std::string& path, const std::string& bytes) {
  ASSERT_TRUE(PosixFileSystem()->WriteStringToFile(path, bytes).ok()) << path;
}

std::string ReadFile(const std::string& path) {
  return PosixFileSystem()->ReadFileToString(path).value();
}

// A copy of the tiny module in a fresh directory (removed when the result
// goes out of scope), for tests that damage it.
ScopedTempDir CopyTinyModule() {
  ScopedTempDir tmp(kTmpPrefix);
  const std::string& dir = tmp.path();
  FileSystem* fs = PosixFileSystem();
  for (const char* file :
       {"tfhub_module.pb", "saved_model.pb", "assets/tokens.txt", "variables/variables.index",
        "variables/variables.data-00000-of-00001"}) {
    std::string dest = dir + "/" + file;
    EXPECT_TRUE(fs->RecursivelyCreateDir(std::string(Dirname(dest))).ok());
    EXPECT_TRUE(fs->CopyFile(kTinyModule + "/" + file, dest).ok());
  }
  return tmp;
}

tensorflow::SavedModel ReadSavedModel(const std::string& dir) {
  tensorflow::SavedModel sm;
  EXPECT_TRUE(sm.ParseFromString(ReadFile(dir + "/saved_model.pb")));
  return sm;
}

void WriteSavedModel(const std::string& dir, const tensorflow::SavedModel& sm) {
  WriteFile(dir + "/saved_model.pb", sm.SerializeAsString());
}

TEST(LoadModuleSpecTest, ModuleExportedByRealHub) {
  auto spec = LoadModuleSpec(kTinyModule);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ((*spec)->GetTags(), (std::vector<TagSet>{{}, {"train"}}));
  EXPECT_EQ((*spec)->module_dir(), kTinyModule);
  EXPECT_EQ((*spec)->checkpoint_path(), kTinyModule + "/variables/variables");
  EXPECT_EQ((*spec)->GetSignatureNames().value(), (std::vector<std::string>{"default", "sparse"}));
  EXPECT_EQ((*spec)->GetSignatureNames({"train"}).value(),
            (std::vector<std::string>{"default", "sparse", "train_only"}));

  auto inputs = (*spec)->GetInputInfoDict("default");
  ASSERT_TRUE(inputs.ok()) << inputs.status().ToString();
  EXPECT_EQ(inputs->at("x").dtype, DataType::kFloat);
  EXPECT_EQ(inputs->at("x").shape, Shape({-1, 3}));
  auto outputs = (*spec)->GetOutputInfoDict("default");
  ASSERT_TRUE(outputs.ok());
  EXPECT_EQ(outputs->at("vocab").dtype, DataType::kString);
  EXPECT_EQ(outputs->at("vocab").shape, Shape({}));

  auto sparse_in = (*spec)->GetInputInfoDict("sparse");
  ASSERT_TRUE(sparse_in.ok());
  EXPECT_TRUE(sparse_in->at("default").is_sparse);
  EXPECT_EQ(sparse_in->at("default").shape, Shape({-1, 5}));
  EXPECT_EQ(sparse_in->at("default").proto.coo_sparse().indices_tensor_name(), "sp/indices:0");
  auto sparse_out = (*spec)->GetOutputInfoDict("sparse");
  ASSERT_TRUE(sparse_out.ok());
  EXPECT_EQ(sparse_out->at("default").shape, Shape({-1, -1}));

  tensorflow_hub::ImageModuleInfo info;
  ASSERT_TRUE((*spec)->GetAttachedMessage("image_module_info", &info).value());
  EXPECT_EQ(info.default_image_size().width(), 4);
  ASSERT_TRUE((*spec)->GetAttachedMessage("image_module_info", &info, {"train"}).value());
  EXPECT_EQ(info.default_image_size().width(), 8);
  EXPECT_EQ(info.default_image_size().height(), 2);
}

TEST(LoadModuleSpecTest, AssetsPointIntoTheModule) {
  auto spec = LoadModuleSpec(kTinyModule + "/");
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  for (const auto& mg : (*spec)->saved_model().meta_graphs()) {
    EXPECT_EQ(mg.collection_def().count("saved_model_assets"), 0u);
    EXPECT_EQ(mg.collection_def().count("asset_filepaths"), 1u);
    bool found = false;
    for (const auto& node : mg.graph_def().node()) {
      if (node.name() != "vocab_path") continue;
      found = true;
      EXPECT_EQ(node.attr().at("value").tensor().string_val(0), kTinyModule + "/assets/tokens.txt");
    }
    EXPECT_TRUE(found);
  }
}

TEST(LoadModuleSpecTest, RelativePathBecomesAbsolute) {
  char cwd[4096];
  ASSERT_NE(getcwd(cwd, sizeof(cwd)), nullptr);
  ASSERT_EQ(chdir(TF1HUB_HUB_TESTDATA_DIR), 0);
  auto spec = LoadModuleSpec("hub_tiny_module");
  ASSERT_EQ(chdir(cwd), 0);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ((*spec)->module_dir(), kTinyModule);
}

TEST(LoadModuleSpecTest, NonexistentPath) {
  auto spec = LoadModuleSpec("/nonexistent/tf1hub/module");
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(spec.status().message(), HasSubstr("/nonexistent/tf1hub/module"));
}

TEST(LoadModuleSpecTest, EmptyDirectoryIsNotAModule) {
  const ScopedTempDir tmp(kTmpPrefix);
  std::string dir = tmp.path();
  auto spec = LoadModuleSpec(dir);
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(spec.status().message(),
              HasSubstr("not a TF1 Hub module: no tfhub_module.pb or saved_model.pb in " + dir));
}

TEST(LoadModuleSpecTest, FileIsNotAModule) {
  auto spec = LoadModuleSpec(kTinyModule + "/saved_model.pb");
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(spec.status().message(), HasSubstr("is a file, not a module directory"));
}

TEST(LoadModuleSpecTest, Tf2SavedModelIsRefusedWithAdvice) {
  const ScopedTempDir tmp(kTmpPrefix);
  std::string dir = tmp.path();
  tensorflow::SavedModel sm;
  sm.set_saved_model_schema_version(1);
  auto* mg = sm.add_meta_graphs();
  mg->mutable_meta_info_def()->add_tags("serve");
  mg->mutable_object_graph_def();
  WriteSavedModel(dir, sm);
  auto spec = LoadModuleSpec(dir);
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(spec.status().message(),
              HasSubstr("is a SavedModel (TF2, has object_graph_def / no hub module def"));
  EXPECT_THAT(spec.status().message(), HasSubstr("load it with hub.load/KerasLayer"));
  EXPECT_THAT(spec.status().message(),
              HasSubstr("tf1hub needs a TF1 Hub module with tfhub_module.pb"));
  EXPECT_THAT(spec.status().message(), HasSubstr("[['serve']]"));
}

TEST(LoadModuleSpecTest, Tf1SavedModelIsRefusedWithAdvice) {
  const ScopedTempDir tmp(kTmpPrefix);
  std::string dir = tmp.path();
  tensorflow::SavedModel sm;
  sm.add_meta_graphs()->mutable_meta_info_def()->add_tags("serve");
  WriteSavedModel(dir, sm);
  auto spec = LoadModuleSpec(dir);
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(spec.status().message(), HasSubstr("is a TF1 SavedModel (tag sets [['serve']])"));
  EXPECT_THAT(spec.status().message(), HasSubstr("without tfhub_module.pb"));
}

TEST(LoadModuleSpecTest, UnsupportedModuleDefFormat) {
  const ScopedTempDir tmp = CopyTinyModule();
  std::string dir = tmp.path();
  tensorflow_hub::ModuleDef def;  // format 0
  def.add_required_features("x");
  WriteFile(dir + "/tfhub_module.pb", def.SerializeAsString());
  auto spec = LoadModuleSpec(dir);
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(spec.status().message(), HasSubstr("Unsupported module def format: 0"));
  EXPECT_THAT(spec.status().message(), HasSubstr(dir + "/tfhub_module.pb"));
  WriteFile(dir + "/tfhub_module.pb", std::string("\x08\x07", 2));
  EXPECT_THAT(LoadModuleSpec(dir).status().message(),
              HasSubstr("Unsupported module def format: 7"));
}

TEST(LoadModuleSpecTest, UnknownRequiredFeature) {
  // hub's test: required feature "foo-test-missing".
  const ScopedTempDir tmp = CopyTinyModule();
  std::string dir = tmp.path();
  tensorflow_hub::ModuleDef def;
  def.set_format(tensorflow_hub::ModuleDef::FORMAT_V3);
  def.add_required_features("foo-test-missing");
  WriteFile(dir + "/tfhub_module.pb", def.SerializeAsString());
  auto spec = LoadModuleSpec(dir);
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(spec.status().message(), HasSubstr("Unsupported features: ['foo-test-missing']"));
}

TEST(LoadModuleSpecTest, HostileModuleDef) {
  const ScopedTempDir tmp = CopyTinyModule();
  std::string dir = tmp.path();
  for (const std::string& bytes :
       {std::string("\x08", 1), std::string("\xff\xff\xff", 3),
        std::string("\x12\xff\xff\xff\x0f", 5), std::string(2 << 20, 'x')}) {
    WriteFile(dir + "/tfhub_module.pb", bytes);
    auto spec = LoadModuleSpec(dir);
    ASSERT_FALSE(spec.ok());
    EXPECT_EQ(spec.status().code(), StatusCode::kDataLoss) << spec.status().ToString();
    EXPECT_THAT(spec.status().message(),
                HasSubstr("Cannot parse file " + dir + "/tfhub_module.pb"));
  }
}

TEST(LoadModuleSpecTest, HostileSavedModel) {
  const ScopedTempDir tmp = CopyTinyModule();
  std::string dir = tmp.path();
  const std::string good = ReadFile(dir + "/saved_model.pb");
  for (const std::string& bytes :
       {good.substr(0, good.size() / 2), std::string("garbage, not a proto"),
        // meta_graphs field with a length far past the end of the file.
        std::string("\x12\xff\xff\xff\xff\x07", 6), std::string(1000, '\xff')}) {
    WriteFile(dir + "/saved_model.pb", bytes);
    auto spec = LoadModuleSpec(dir);
    ASSERT_FALSE(spec.ok());
    EXPECT_EQ(spec.status().code(), StatusCode::kDataLoss) << spec.status().ToString();
    EXPECT_THAT(spec.status().message(), HasSubstr("Cannot parse file " + dir + "/saved_model.pb"));
  }
  WriteFile(dir + "/saved_model.pb", "");
  EXPECT_THAT(LoadModuleSpec(dir).status().message(), HasSubstr("holds no meta graph"));
  ASSERT_TRUE(PosixFileSystem()->DeleteFile(dir + "/saved_model.pb").ok());
  auto missing = LoadModuleSpec(dir);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr(dir + "/saved_model.pb"));
}

TEST(LoadModuleSpecTest, DeeplyNestedSavedModelDoesNotCrash) {
  // TensorInfos nested 500 deep: protobuf's recursion limit (100) stops
  // the parse with an error instead of exhausting the stack.
  const ScopedTempDir tmp = CopyTinyModule();
  std::string dir = tmp.path();
  tensorflow::SavedModel sm = ReadSavedModel(dir);
  tensorflow::TensorInfo* t =
      &(*(*sm.mutable_meta_graphs(0)->mutable_signature_def())["default"].mutable_inputs())["deep"];
  for (int i = 0; i < 500; ++i) t = t->mutable_composite_tensor()->add_components();
  WriteSavedModel(dir, sm);
  auto spec = LoadModuleSpec(dir);
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(spec.status().message(), HasSubstr("Cannot parse file " + dir + "/saved_model.pb"));
}

TEST(LoadModuleSpecTest, AssetEscapingAssetsDirIsRefused) {
  for (const std::string& filename : {"../tfhub_module.pb", "/etc/passwd", "..", "a/../../x", ""}) {
    const ScopedTempDir tmp = CopyTinyModule();
    std::string dir = tmp.path();
    tensorflow::SavedModel sm = ReadSavedModel(dir);
    auto* any = sm.mutable_meta_graphs(0)
                    ->mutable_collection_def()
                    ->at("saved_model_assets")
                    .mutable_any_list()
                    ->mutable_value(0);
    tensorflow::AssetFileDef asset;
    ASSERT_TRUE(asset.ParseFromString(any->value()));
    asset.set_filename(filename);
    any->set_value(asset.SerializeAsString());
    WriteSavedModel(dir, sm);
    auto spec = LoadModuleSpec(dir);
    ASSERT_FALSE(spec.ok()) << filename;
    EXPECT_THAT(spec.status().message(),
                HasSubstr("Asset filename (" + filename + ") points outside assets_dir"));
  }
}

TEST(LoadModuleSpecTest, AssetInSubdirectoryIsAllowed) {
  const ScopedTempDir tmp = CopyTinyModule();
  std::string dir = tmp.path();
  tensorflow::SavedModel sm = ReadSavedModel(dir);
  for (auto& mg : *sm.mutable_meta_graphs()) {
    auto* any =
        mg.mutable_collection_def()->at("saved_model_assets").mutable_any_list()->mutable_value(0);
    tensorflow::AssetFileDef asset;
    ASSERT_TRUE(asset.ParseFromString(any->value()));
    asset.set_filename("sub/../sub/tokens.txt");
    any->set_value(asset.SerializeAsString());
  }
  WriteSavedModel(dir, sm);
  auto spec = LoadModuleSpec(dir);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  for (const auto& node : (*spec)->saved_model().meta_graphs(0).graph_def().node()) {
    if (node.name() == "vocab_path") {
      EXPECT_EQ(node.attr().at("value").tensor().string_val(0), dir + "/assets/sub/tokens.txt");
    }
  }
}

TEST(LoadModuleSpecTest, BadAssetNodeIsRefused) {
  const ScopedTempDir tmp = CopyTinyModule();
  std::string dir = tmp.path();
  tensorflow::SavedModel sm = ReadSavedModel(dir);
  for (auto& node : *sm.mutable_meta_graphs(1)->mutable_graph_def()->mutable_node()) {
    if (node.name() == "vocab_path") node.set_op("Identity");
  }
  WriteSavedModel(dir, sm);
  auto spec = LoadModuleSpec(dir);
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(spec.status().message(), HasSubstr("Asset node must be of type constant."));
  EXPECT_THAT(spec.status().message(), HasSubstr("vocab_path"));
}

TEST(LoadModuleSpecTest, UnsupportedCollectionsAndRepeatedTags) {
  const ScopedTempDir tmp = CopyTinyModule();
  std::string dir = tmp.path();
  tensorflow::SavedModel sm = ReadSavedModel(dir);
  (*sm.mutable_meta_graphs(0)->mutable_collection_def())["summaries"]
      .mutable_node_list()
      ->add_value("x:0");
  WriteSavedModel(dir, sm);
  auto spec = LoadModuleSpec(dir);
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(spec.status().message(),
              HasSubstr("Unsupported collections in graph: ['summaries']\nUse "
                        "hub.create_module_spec(..., drop_collections=[...]) as appropriate."));

  sm = ReadSavedModel(dir);
  sm.mutable_meta_graphs(0)->mutable_meta_info_def()->clear_tags();
  (*sm.mutable_meta_graphs(0)->mutable_collection_def()).erase("summaries");
  WriteSavedModel(dir, sm);
  EXPECT_THAT(LoadModuleSpec(dir).status().message(),
              HasSubstr("Tags frozenset() used repeatedly"));
}

TEST(LoadModuleSpecTest, BadAttachmentCollection) {
  const ScopedTempDir tmp = CopyTinyModule();
  std::string dir = tmp.path();
  tensorflow::SavedModel sm = ReadSavedModel(dir);
  auto& c = (*sm.mutable_meta_graphs(0)->mutable_collection_def())["hub_module_attachments"];
  c.Clear();
  c.mutable_node_list()->add_value("x");
  WriteSavedModel(dir, sm);
  EXPECT_THAT(LoadModuleSpec(dir).status().message(),
              HasSubstr("Internal CollectionDef for attached messages has kind node_list, "
                        "expected bytes_list"));
}

TEST(LoadModuleSpecTest, NoVariablesNoCheckpointPath) {
  const ScopedTempDir tmp = CopyTinyModule();
  std::string dir = tmp.path();
  tensorflow::SavedModel sm = ReadSavedModel(dir);
  for (auto& mg : *sm.mutable_meta_graphs()) {
    mg.mutable_collection_def()->erase("variables");
    mg.mutable_collection_def()->erase("trainable_variables");
  }
  WriteSavedModel(dir, sm);
  auto spec = LoadModuleSpec(dir);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ((*spec)->checkpoint_path(), "");
}

TEST(LoadModuleSpecTest, HostileTensorInfoFailsOnQuery) {
  const ScopedTempDir tmp = CopyTinyModule();
  std::string dir = tmp.path();
  tensorflow::SavedModel sm = ReadSavedModel(dir);
  auto& inputs = *(*sm.mutable_meta_graphs(1)->mutable_signature_def())["default"].mutable_inputs();
  inputs["x"].set_dtype(static_cast<tensorflow::DataType>(999));
  inputs["y"].mutable_tensor_shape()->add_dim()->set_size(-7);
  inputs["y"].set_name("y:0");
  inputs["y"].set_dtype(tensorflow::DT_FLOAT);
  inputs["z"].set_dtype(tensorflow::DT_FLOAT);  // no encoding
  WriteSavedModel(dir, sm);
  auto spec = LoadModuleSpec(dir);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  auto got = (*spec)->GetInputInfoDict();
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tf1hub::hub
