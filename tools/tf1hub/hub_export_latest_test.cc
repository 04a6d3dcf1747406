#include "hub_export_latest.h"

#include <regex>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hub_run.h"
#include "hub_test_util.h"
#include "tf1hub/checkpoint.h"
#include "tf1hub/env.h"

namespace tf1hub::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::FloatTensor;
using testing::NewTempDir;
using testing::ScopedTempDir;

class ExportLatestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    args_.spec = JoinPath(tmp_, "affine");
    Status exported = testing::ExportAffineModule(args_.spec);
    ASSERT_TRUE(exported.ok()) << exported.ToString();
    // A training directory: two checkpoints, the state file naming the newer.
    args_.model_dir = JoinPath(tmp_, "train");
    ASSERT_TRUE(PosixFileSystem()->RecursivelyCreateDir(args_.model_dir).ok());
    const std::string old_ckpt = JoinPath(args_.model_dir, "model.ckpt-1");
    const std::string new_ckpt = JoinPath(args_.model_dir, "model.ckpt-20");
    ASSERT_TRUE(testing::WriteFloatCheckpoint(old_ckpt, {{"tower/w", FloatTensor({3, 2}, {0, 0, 0, 0, 0, 0})},
                                                         {"tower/b", FloatTensor({2}, {0, 0})}})
                    .ok());
    ASSERT_TRUE(testing::WriteFloatCheckpoint(
                    new_ckpt, {{"tower/w", FloatTensor({3, 2}, {1, -1, 1, -1, 1, -1})},
                               {"tower/b", FloatTensor({2}, {7, 8})},
                               {"global_step", FloatTensor({}, {20})}})
                    .ok());
    CheckpointState state;
    state.model_checkpoint_path = new_ckpt;
    state.all_model_checkpoint_paths = {old_ckpt, new_ckpt};
    ASSERT_TRUE(WriteCheckpointState(args_.model_dir, state).ok());
    args_.export_dir = JoinPath(tmp_, "export");
    args_.scope = "tower/";
  }

  const ScopedTempDir scratch_ = NewTempDir();
  const std::string tmp_ = scratch_.path();
  ExportLatestArgs args_;
};

TEST_F(ExportLatestTest, ExportsTheNewestCheckpointUnderATimestamp) {
  args_.name = "hub_module";
  StatusOr<std::string> dir = ExportLatest(args_);
  ASSERT_TRUE(dir.ok()) << dir.status().ToString();
  EXPECT_TRUE(std::regex_match(*dir, std::regex(args_.export_dir + "/[0-9]{10}"))) << *dir;
  const std::string module = JoinPath(*dir, "hub_module");
  EXPECT_TRUE(PosixFileSystem()->FileExists(JoinPath(module, "tfhub_module.pb")));

  // The export computes with the checkpoint's values: x = [[1,0,0],[0,1,2]],
  // w columns (1,1,1) and (-1,-1,-1): row sums 1 and 3, then + b = [7,8].
  auto spec = hub::LoadModuleSpec(module);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  std::map<std::string, SignatureInput> inputs = {
      {"default", {FloatTensor({2, 3}, {1, 0, 0, 0, 1, 2}), "x"}}};
  auto outputs = RunModuleSignature(*spec, {}, "default", inputs);
  ASSERT_TRUE(outputs.ok()) << outputs.status().ToString();
  auto y = (*outputs)[0].second.flat<float>();
  EXPECT_THAT(std::vector<float>(y.begin(), y.end()), ElementsAre(8, 7, 10, 5));
}

TEST_F(ExportLatestTest, WrongScopeNamesTheMissingTensor) {
  args_.scope = "";
  StatusOr<std::string> dir = ExportLatest(args_);
  ASSERT_FALSE(dir.ok());
  EXPECT_THAT(dir.status().ToString(), HasSubstr("not found"));
  EXPECT_FALSE(PosixFileSystem()->FileExists(JoinPath(args_.export_dir, "module")));
}

TEST_F(ExportLatestTest, NoCheckpointIsAnError) {
  args_.model_dir = JoinPath(tmp_, "empty_train");
  ASSERT_TRUE(PosixFileSystem()->RecursivelyCreateDir(args_.model_dir).ok());
  StatusOr<std::string> dir = ExportLatest(args_);
  ASSERT_FALSE(dir.ok());
  EXPECT_THAT(dir.status().ToString(), HasSubstr("empty_train"));
}

TEST_F(ExportLatestTest, ArgumentErrors) {
  ExportLatestArgs args = args_;
  args.keep = 0;
  EXPECT_THAT(ExportLatest(args).status().ToString(),
              HasSubstr("--keep must be a positive number of exports to keep (got 0)"));
  args = args_;
  args.name = "a/b";
  EXPECT_THAT(ExportLatest(args).status().ToString(),
              HasSubstr("--name 'a/b' must be a plain folder name"));
  args = args_;
  args.spec = JoinPath(tmp_, "no_module");
  EXPECT_THAT(ExportLatest(args).status().ToString(),
              HasSubstr("--spec '" + args.spec + "'"));
  args = args_;
  args.tags = ",";
  EXPECT_THAT(ExportLatest(args).status().ToString(), HasSubstr("--tags ','"));
}

}  // namespace
}  // namespace tf1hub::cli
