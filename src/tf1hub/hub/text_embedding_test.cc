// Export -> LoadModuleSpec -> Module -> Session for text embedding modules.
// Expected embeddings are computed by hand (in double) from the file's
// vectors; expected graph facts come from TensorFlow 2.15 running hub's
// examples/text_embeddings/export.py (op lists and names dumped from the
// oracle venv).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tf1hub/graph/array_ops.h"
#include "tf1hub/graph/graph.h"
#include "tf1hub/graph/variables.h"
#include "tf1hub/hub/module.h"
#include "tf1hub/hub/module_spec.h"
#include "tf1hub/hub/text_embedding.h"
#include "tf1hub/session.h"

namespace tf1hub::hub {
namespace {

// cat, lizard, dog (hub's own test vocabulary) with easy vectors.
constexpr char kEmbeddings[] = "cat 1 2 3\nlizard 0.5 -1 2\ndog -2 0.25 4\n";
const std::vector<double> kCat = {1, 2, 3}, kLizard = {0.5, -1, 2}, kDog = {-2, 0.25, 4},
                          kZero = {0, 0, 0};

std::vector<double> Scaled(std::vector<double> a, double s) {
  for (double& x : a) x *= s;
  return a;
}
std::vector<double> Plus(std::vector<double> a, const std::vector<double>& b) {
  for (size_t i = 0; i < a.size(); ++i) a[i] += b[i];
  return a;
}

class TextEmbeddingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = ::testing::TempDir() + "/text_embedding_XXXXXX";
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    embeddings_ = dir_ + "/emb.txt";
    std::ofstream(embeddings_) << kEmbeddings;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Export(bool preprocess, int64_t oov = 1) {
    const std::string out = dir_ + (preprocess ? "/full" : "/tokens") + std::to_string(oov);
    StatusOr<TextEmbeddingExportStats> stats =
        ExportTextEmbeddingModule(embeddings_, out, oov, preprocess);
    EXPECT_TRUE(stats.ok()) << stats.status().ToString();
    if (stats.ok()) {
      EXPECT_EQ(stats->vocab_size, 3);
      EXPECT_EQ(stats->dim, 3);
    }
    return out;
  }

  // hub.Module(path)(strings) with variables and tables initialized.
  std::vector<float> Run(const std::string& module_dir, const std::vector<std::string>& inputs) {
    StatusOr<std::shared_ptr<const ModuleSpec>> spec = LoadModuleSpec(module_dir);
    EXPECT_TRUE(spec.ok()) << spec.status().ToString();
    if (!spec.ok()) return {};
    Scope root = Scope::NewRootScope();
    StatusOr<std::unique_ptr<Module>> module = Module::Create(root, *spec);
    EXPECT_TRUE(module.ok()) << module.status().ToString();
    if (!module.ok()) return {};
    Output x = ops::Placeholder(root, DataType::kString);
    StatusOr<Output> y = (*module)->Apply(root, x);
    EXPECT_TRUE(y.ok()) << y.status().ToString();
    if (!y.ok()) return {};
    Operation init = GlobalVariablesInitializer(root);
    std::vector<std::string> targets = {init.name};
    const tensorflow::CollectionDef* tables =
        root.graph()->GetCollection(graph_keys::kTableInitializers);
    EXPECT_NE(tables, nullptr);
    if (tables != nullptr) {
      for (const std::string& name : tables->node_list().value()) targets.push_back(name);
    }
    StatusOr<tensorflow::GraphDef> graph_def = root.ToGraphDef();
    EXPECT_TRUE(graph_def.ok()) << graph_def.status().ToString();
    StatusOr<std::unique_ptr<Session>> session = Session::Create(*graph_def);
    EXPECT_TRUE(session.ok()) << session.status().ToString();
    if (!session.ok()) return {};
    Status initialized = (*session)->Run({}, {}, targets).status();
    EXPECT_TRUE(initialized.ok()) << initialized.ToString();
    std::vector<std::string> strings = inputs;
    Tensor batch = Tensor::FromVector(strings, TensorShape::Create({static_cast<int64_t>(strings.size())}).value()).value();
    StatusOr<std::vector<Tensor>> out = (*session)->Run({{x.ToString(), batch}}, {y->ToString()}, {});
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    if (!out.ok()) return {};
    EXPECT_EQ((*out)[0].shape().DebugString(),
              "[" + std::to_string(inputs.size()) + ",3]");
    std::span<const float> f = (*out)[0].flat<float>();
    return {f.begin(), f.end()};
  }

  static void ExpectRows(const std::vector<float>& got,
                         const std::vector<std::vector<double>>& want) {
    ASSERT_EQ(got.size(), want.size() * 3);
    for (size_t r = 0; r < want.size(); ++r) {
      for (size_t c = 0; c < 3; ++c) {
        EXPECT_NEAR(got[r * 3 + c], want[r][c], 1e-6) << "row " << r << " col " << c;
      }
    }
  }

  std::string dir_;
  std::string embeddings_;
};

TEST_F(TextEmbeddingTest, TokenModuleLooksUpRowsAndZeroOov) {
  const std::string module = Export(/*preprocess=*/false);
  ExpectRows(Run(module, {"cat", "lizard", "dog", "unicorn", "", "Cat"}),
             {kCat, kLizard, kDog, kZero, kZero, kZero});
}

TEST_F(TextEmbeddingTest, FullTextModuleCombinesWithSqrtN) {
  const std::string module = Export(/*preprocess=*/true);
  const double r2 = std::sqrt(2.0), r3 = std::sqrt(3.0);
  ExpectRows(Run(module, {"cat dog", "lizard!!", "", "cat, cat?", "cat unicorn", "!!!",
                          "  dog   lizard cat ", "«dog»"}),
             {Scaled(Plus(kCat, kDog), 1 / r2),          // sum / sqrt(2)
              kLizard,                                   // punctuation removed
              kZero,                                     // empty -> the "" OOV row
              Scaled(kCat, 2 / r2),                      // a token twice counts twice
              Scaled(kCat, 1 / r2),                      // OOV row is zero, still counted
              kZero,                                     // only punctuation
              Scaled(Plus(Plus(kDog, kLizard), kCat), 1 / r3),  // runs of spaces
              kDog});                                    // unicode punctuation (\pP)
}

TEST_F(TextEmbeddingTest, LeadingEmptyStringAndAllEmpty) {
  const std::string module = Export(/*preprocess=*/true);
  ExpectRows(Run(module, {"", "dog"}), {kZero, kDog});
  ExpectRows(Run(module, {"", ""}), {kZero, kZero});
}

TEST_F(TextEmbeddingTest, SeveralOovBuckets) {
  const std::string module = Export(/*preprocess=*/true, /*oov=*/3);
  StatusOr<std::shared_ptr<const ModuleSpec>> spec = LoadModuleSpec(module);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  ExpectRows(Run(module, {"dog unicorn", "zebra"}), {Scaled(kDog, 1 / std::sqrt(2.0)), kZero});
}

std::set<std::string> OpTypes(const tensorflow::MetaGraphDef& mg) {
  std::set<std::string> ops;
  for (const auto& node : mg.graph_def().node()) ops.insert(node.op());
  return ops;
}

const tensorflow::NodeDef* FindNode(const tensorflow::MetaGraphDef& mg, const std::string& name) {
  for (const auto& node : mg.graph_def().node()) {
    if (node.name() == name) return &node;
  }
  return nullptr;
}

TEST_F(TextEmbeddingTest, GraphMatchesHubExporter) {
  const std::string module = Export(/*preprocess=*/true);
  StatusOr<std::shared_ptr<const ModuleSpec>> spec = LoadModuleSpec(module);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  StatusOr<const tensorflow::MetaGraphDef*> mg = (*spec)->GetMetaGraph({});
  ASSERT_TRUE(mg.ok());
  // TF 2.15 graph of hub's exporter with preprocessing (dim 3 < 1000
  // elements, so the zeros are a Const and Fill appears for ones_like only).
  EXPECT_EQ(OpTypes(**mg),
            (std::set<std::string>{"AddV2", "AssignVariableOp", "Const", "Fill", "HashTableV2",
                                   "Identity", "InitializeTableFromTextFileV2",
                                   "LookupTableFindV2", "LookupTableSizeV2", "Max", "Maximum",
                                   "NotEqual", "Placeholder", "ReadVariableOp", "ResourceGather",
                                   "SelectV2", "SparseFillEmptyRows", "SparseSegmentSqrtN",
                                   "StaticRegexReplace", "StridedSlice", "StringSplit",
                                   "StringToHashBucketFast", "Unique", "VarHandleOp",
                                   "VarIsInitializedOp"}));
  for (const char* name :
       {"sentences", "StaticRegexReplace", "StringSplit/StringSplit", "zeros", "embeddings",
        "asset_path", "hash_table", "text_file_init/InitializeTableFromTextFileV2",
        "hash_table_Lookup/SelectV2", "hash_table_Lookup_1/SelectV2",
        "SparseFillEmptyRows/SparseFillEmptyRows", "Maximum", "embedding_lookup_sparse/Unique",
        "embedding_lookup_sparse/embedding_lookup", "embedding_lookup_sparse"}) {
    EXPECT_NE(FindNode(**mg, name), nullptr) << name;
  }
  std::set<std::string> collections;
  for (const auto& [key, value] : (*mg)->collection_def()) collections.insert(key);
  // (saved_model_assets, on disk, is folded into asset_filepaths on load.)
  EXPECT_EQ(collections, (std::set<std::string>{"asset_filepaths", "table_initializer",
                                                "trainable_variables", "variables"}));
  StatusOr<std::map<std::string, ParsedTensorInfo>> in = (*spec)->GetInputInfoDict();
  StatusOr<std::map<std::string, ParsedTensorInfo>> out = (*spec)->GetOutputInfoDict();
  ASSERT_TRUE(in.ok() && out.ok());
  ASSERT_EQ(in->count("sentences"), 1u);
  EXPECT_EQ(in->at("sentences").dtype, DataType::kString);
  EXPECT_EQ(in->at("sentences").shape.DebugString(), "[?]");
  EXPECT_EQ(out->at("default").dtype, DataType::kFloat);
  EXPECT_EQ(out->at("default").shape.DebugString(), "[?,3]");
  // The vocabulary asset, written as hub does ("\n".join: no final newline).
  std::ifstream vocab(module + "/assets/tokens.txt", std::ios::binary);
  std::stringstream text;
  text << vocab.rdbuf();
  EXPECT_EQ(text.str(), "cat\nlizard\ndog");
}

TEST_F(TextEmbeddingTest, TokenGraphMatchesHubExporter) {
  const std::string module = Export(/*preprocess=*/false);
  StatusOr<std::shared_ptr<const ModuleSpec>> spec = LoadModuleSpec(module);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  StatusOr<const tensorflow::MetaGraphDef*> mg = (*spec)->GetMetaGraph({});
  ASSERT_TRUE(mg.ok());
  EXPECT_EQ(OpTypes(**mg),
            (std::set<std::string>{"AddV2", "AssignVariableOp", "Const", "HashTableV2",
                                   "Identity", "InitializeTableFromTextFileV2",
                                   "LookupTableFindV2", "LookupTableSizeV2", "NotEqual",
                                   "Placeholder", "ReadVariableOp", "ResourceGather", "SelectV2",
                                   "StringToHashBucketFast", "VarHandleOp",
                                   "VarIsInitializedOp"}));
  StatusOr<std::map<std::string, ParsedTensorInfo>> in = (*spec)->GetInputInfoDict();
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->count("tokens"), 1u);
  const tensorflow::NodeDef* gather = FindNode(**mg, "embedding_lookup");
  ASSERT_NE(gather, nullptr);
  EXPECT_EQ(gather->op(), "ResourceGather");
}

TEST_F(TextEmbeddingTest, RefusesZeroOovBuckets) {
  StatusOr<TextEmbeddingExportStats> stats =
      ExportTextEmbeddingModule(embeddings_, dir_ + "/out", 0, true);
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.status().message(), "`num_oov_buckets` must be > 0; use StaticHashTable.");
}

TEST_F(TextEmbeddingTest, ReadErrorsNameTheFile) {
  const std::string bad = dir_ + "/bad.txt";
  std::ofstream(bad) << "a 1 2\nb 1\n";
  StatusOr<TextEmbeddingExportStats> stats = ExportTextEmbeddingModule(bad, dir_ + "/out");
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.status().message(),
            bad + ":2: Inconsistent embedding dimension detected, 2 != 1 for token b");
}

TEST_F(TextEmbeddingTest, RefusesToOverwriteAModule) {
  const std::string module = Export(/*preprocess=*/true);
  StatusOr<TextEmbeddingExportStats> again = ExportTextEmbeddingModule(embeddings_, module);
  EXPECT_FALSE(again.ok());
}

}  // namespace
}  // namespace tf1hub::hub
