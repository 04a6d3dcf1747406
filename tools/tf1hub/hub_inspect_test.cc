#include "hub_inspect.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hub_test_util.h"
#include "tf1hub/env.h"
#include "tf1hub/proto/module_def.pb.h"
#include "tf1hub/proto/saved_model.pb.h"

namespace tf1hub::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::ExportAffineModule;
using testing::ExportAssetModule;
using testing::NewTempDir;
using testing::ScopedTempDir;

class InspectAffineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = new ScopedTempDir(NewTempDir());
    dir_ = new std::string(scratch_->Join("affine"));
    Status status = ExportAffineModule(*dir_);
    ASSERT_TRUE(status.ok()) << status.ToString();
  }
  static void TearDownTestSuite() {
    delete scratch_;
    scratch_ = nullptr;
  }
  static ScopedTempDir* scratch_;  // holds dir_
  static std::string* dir_;
};
ScopedTempDir* InspectAffineTest::scratch_ = nullptr;
std::string* InspectAffineTest::dir_ = nullptr;

TEST_F(InspectAffineTest, Text) {
  StatusOr<ModuleInspection> inspection = InspectModule(*dir_);
  ASSERT_TRUE(inspection.ok()) << inspection.status().ToString();
  const std::string text = InspectionText(*inspection);
  EXPECT_THAT(text, HasSubstr("module " + *dir_ + " (TF1 Hub format 3)\n"));
  EXPECT_THAT(text, HasSubstr("graph variant tags=[] (default)\n"
                              "  signature 'default'\n"
                              "    input  default: float32 [?,3]\n"
                              "    output default: float32 [?,2]\n"
                              "    output doubled: float32 [?,3]\n"
                              "  signature 'sum'\n"
                              "    input  a: float32 [?,2]\n"
                              "    input  b: float32 [?,2]\n"
                              "    output default: float32 [?,2]\n"
                              "  attachments:\n"
                              "    info ("));
  EXPECT_THAT(text, HasSubstr("graph variant tags=['train']\n"));
  // Bundle: w (24 bytes) + b (8 bytes) of data plus the index.
  EXPECT_THAT(text, HasSubstr("variables: 2 in variables/variables ("));
  EXPECT_THAT(text, HasSubstr("\n  b: float32 [2]\n  w: float32 [3,2]\n"));
  EXPECT_THAT(text, HasSubstr("assets: none\n"));
  EXPECT_THAT(text, Not(HasSubstr("missing from the bundle")));
}

TEST_F(InspectAffineTest, Json) {
  StatusOr<ModuleInspection> inspection = InspectModule(*dir_);
  ASSERT_TRUE(inspection.ok()) << inspection.status().ToString();
  const nlohmann::ordered_json json = InspectionJson(*inspection);
  EXPECT_EQ(json["path"], *dir_);
  EXPECT_EQ(json["format"], 3);
  ASSERT_EQ(json["graph_variants"].size(), 2u);
  const auto& variant = json["graph_variants"][0];
  EXPECT_EQ(variant["tags"], nlohmann::ordered_json::array());
  EXPECT_EQ(json["graph_variants"][1]["tags"], nlohmann::ordered_json({"train"}));
  const auto& input = variant["signatures"]["default"]["inputs"]["default"];
  EXPECT_EQ(input["dtype"], "float32");
  EXPECT_EQ(input["shape"], nlohmann::ordered_json({-1, 3}));
  EXPECT_EQ(variant["signatures"]["sum"]["inputs"].size(), 2u);
  // TensorShapeProto {dim {size: 7} dim {size: 11}}: 2 x (tag, len, tag, varint) = 8 bytes.
  EXPECT_EQ(variant["attachments"]["info"]["bytes"], 8);
  const auto& variables = json["variables"];
  EXPECT_EQ(variables["present"], true);
  EXPECT_EQ(variables["declared"], 2);
  EXPECT_EQ(variables["by_name"]["w"]["dtype"], "float32");
  EXPECT_EQ(variables["by_name"]["w"]["shape"], nlohmann::ordered_json({3, 2}));
  EXPECT_EQ(variables["by_name"]["w"]["in_bundle"], true);
  EXPECT_GT(variables["bundle_bytes"].get<uint64_t>(), 32u);
  EXPECT_EQ(variables["undeclared_in_bundle"], nlohmann::ordered_json::array());
}

TEST_F(InspectAffineTest, VariablesAbsentAreReportedNotFatal) {
  // A copy of the module without its variables/ files, as large published
  // modules are sometimes copied.
  const ScopedTempDir scratch = NewTempDir();
  const std::string copy = scratch.Join("copy");
  FileSystem* fs = PosixFileSystem();
  ASSERT_TRUE(fs->RecursivelyCreateDir(JoinPath(copy, "variables")).ok());
  for (const char* file : {"tfhub_module.pb", "saved_model.pb"}) {
    ASSERT_TRUE(fs->CopyFile(JoinPath(*dir_, file), JoinPath(copy, file)).ok());
  }
  StatusOr<ModuleInspection> inspection = InspectModule(copy);
  ASSERT_TRUE(inspection.ok()) << inspection.status().ToString();
  const std::string text = InspectionText(*inspection);
  EXPECT_THAT(text, HasSubstr("variables: not present (2 declared)\n"));
  EXPECT_THAT(text, HasSubstr("  w: float32 [3,2]\n"));
  EXPECT_EQ(InspectionJson(*inspection)["variables"]["present"], false);
}

TEST_F(InspectAffineTest, BundleEntriesAreCheckedAgainstTheGraph) {
  const ScopedTempDir scratch = NewTempDir();
  const std::string copy = scratch.Join("copy");
  FileSystem* fs = PosixFileSystem();
  ASSERT_TRUE(fs->RecursivelyCreateDir(JoinPath(copy, "variables")).ok());
  for (const char* file : {"tfhub_module.pb", "saved_model.pb"}) {
    ASSERT_TRUE(fs->CopyFile(JoinPath(*dir_, file), JoinPath(copy, file)).ok());
  }
  // A bundle holding w but not b, plus an entry the graph does not declare.
  ASSERT_TRUE(testing::WriteFloatCheckpoint(
                  JoinPath(copy, "variables/variables"),
                  {{"w", testing::FloatTensor({3, 2}, {1, 2, 3, 4, 5, 6})},
                   {"stray", testing::FloatTensor({1}, {0})}})
                  .ok());
  StatusOr<ModuleInspection> inspection = InspectModule(copy);
  ASSERT_TRUE(inspection.ok()) << inspection.status().ToString();
  const std::string text = InspectionText(*inspection);
  EXPECT_THAT(text, HasSubstr("  b: float32 [2] (missing from the bundle)\n"));
  EXPECT_THAT(text, HasSubstr("  stray: in the bundle but not declared by the graph\n"));
}

TEST(InspectTest, Assets) {
  const ScopedTempDir scratch = NewTempDir();
  const std::string dir = scratch.Join("assets");
  Status exported = ExportAssetModule(dir);
  ASSERT_TRUE(exported.ok()) << exported.ToString();
  StatusOr<ModuleInspection> inspection = InspectModule(dir);
  ASSERT_TRUE(inspection.ok()) << inspection.status().ToString();
  const std::string text = InspectionText(*inspection);
  EXPECT_THAT(text, HasSubstr("  asset tokens.txt <- vocab_file:0\n"));
  EXPECT_THAT(text, HasSubstr("assets:\n  tokens.txt (8 bytes)\n"));
  EXPECT_THAT(text, HasSubstr("variables: none\n"));
  const nlohmann::ordered_json json = InspectionJson(*inspection);
  EXPECT_EQ(json["assets"]["tokens.txt"]["bytes"], 8);
  EXPECT_EQ(json["graph_variants"][0]["asset_file_defs"][0]["filename"], "tokens.txt");
}

TEST(InspectTest, MissingDirectory) {
  const ScopedTempDir scratch = NewTempDir();
  const std::string dir = scratch.Join("nothing_here");
  StatusOr<ModuleInspection> inspection = InspectModule(dir);
  ASSERT_FALSE(inspection.ok());
  EXPECT_THAT(inspection.status().ToString(), HasSubstr("nothing_here"));
}

TEST(InspectTest, Tf2SavedModelIsRefusedNamingTfhubModulePb) {
  // A TF2-style SavedModel: saved_model.pb with a "serve" meta graph and an
  // object graph, no tfhub_module.pb.
  const ScopedTempDir scratch = NewTempDir();
  const std::string dir = scratch.path();
  tensorflow::SavedModel saved_model;
  saved_model.set_saved_model_schema_version(1);
  tensorflow::MetaGraphDef* meta_graph = saved_model.add_meta_graphs();
  meta_graph->mutable_meta_info_def()->add_tags("serve");
  meta_graph->mutable_object_graph_def();
  testing::WriteFileOrDie(JoinPath(dir, "saved_model.pb"), saved_model.SerializeAsString());
  StatusOr<ModuleInspection> inspection = InspectModule(dir);
  ASSERT_FALSE(inspection.ok());
  EXPECT_THAT(inspection.status().ToString(), HasSubstr("tfhub_module.pb"));
}

TEST(InspectTest, UnsupportedFormatIsRefused) {
  const ScopedTempDir scratch = NewTempDir();
  const std::string dir = scratch.Join("m");
  ASSERT_TRUE(ExportAffineModule(dir).ok());
  tensorflow_hub::ModuleDef module_def;
  module_def.set_format(tensorflow_hub::ModuleDef::FORMAT_V3);
  module_def.add_required_features("foo-test-missing");
  testing::WriteFileOrDie(JoinPath(dir, "tfhub_module.pb"), module_def.SerializeAsString());
  StatusOr<ModuleInspection> inspection = InspectModule(dir);
  ASSERT_FALSE(inspection.ok());
  EXPECT_THAT(inspection.status().ToString(), HasSubstr("foo-test-missing"));
}

TEST(ParseTagsOptionTest, SplitsAndSorts) {
  EXPECT_EQ(*ParseTagsOption(""), hub::TagSet());
  EXPECT_EQ(*ParseTagsOption("train"), hub::TagSet({"train"}));
  EXPECT_EQ(*ParseTagsOption("serve,gpu"), hub::TagSet({"gpu", "serve"}));
}

TEST(ParseTagsOptionTest, EmptyItemIsAnError) {
  for (const char* bad : {",", "a,", ",a", "a,,b"}) {
    StatusOr<hub::TagSet> tags = ParseTagsOption(bad);
    ASSERT_FALSE(tags.ok()) << bad;
    EXPECT_THAT(tags.status().ToString(), HasSubstr(std::string("--tags '") + bad + "'"));
  }
}

TEST(ShapeTest, TextAndJson) {
  EXPECT_EQ(ShapeText(PartialTensorShape::UnknownRank()), "<unknown>");
  EXPECT_EQ(ShapeText(*PartialTensorShape::Create(std::vector<int64_t>{-1, 50})), "[?,50]");
  EXPECT_TRUE(ShapeJson(PartialTensorShape::UnknownRank()).is_null());
  EXPECT_EQ(ShapeJson(*PartialTensorShape::Create(std::vector<int64_t>{-1, 50})),
            nlohmann::ordered_json({-1, 50}));
  EXPECT_EQ(ShapeJson(*PartialTensorShape::Create(std::vector<int64_t>{})),
            nlohmann::ordered_json::array());
}

}  // namespace
}  // namespace tf1hub::cli
