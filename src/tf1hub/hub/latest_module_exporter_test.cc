// LatestModuleExporter: folder naming, temp-then-rename, retries and
// garbage collection as hub's estimator.py / tf_utils.py do them
// (HUB_SEMANTICS.md §3.4), with an injected clock.
#include "tf1hub/hub/latest_module_exporter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "tf1hub/checkpoint.h"
#include "tf1hub/hub/module_test_util.h"

namespace tf1hub::hub {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::FloatTensor;
using testing::MakeSpec;
using testing::SmallDenseFn;
using testing::ScopedTempDir;
using testing::TempDir;

std::vector<std::string> Children(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// A training directory with checkpoint model.ckpt-<step> holding the small
// dense module's variables under `prefix`, and the `checkpoint` state file.
void WriteTrainingDir(const std::string& model_dir, int step, const std::string& prefix = "") {
  const std::string ckpt = model_dir + "/model.ckpt-" + std::to_string(step);
  auto writer = CheckpointWriter::Create(ckpt);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Add(prefix + "dense/bias", FloatTensor({1, 2}, {2})).ok());
  ASSERT_TRUE((*writer)->Add(prefix + "dense/kernel", FloatTensor({1, 2, 3, 4, 5, 6}, {3, 2})).ok());
  ASSERT_TRUE((*writer)->Add("global_step", Tensor::Scalar<int64_t>(step)).ok());
  ASSERT_TRUE((*writer)->Finish().ok());
  CheckpointState state;
  state.model_checkpoint_path = ckpt;
  state.all_model_checkpoint_paths = {ckpt};
  ASSERT_TRUE(WriteCheckpointState(model_dir, state).ok());
}

std::function<int64_t()> FakeClock(std::vector<int64_t> times) {
  auto state = std::make_shared<std::pair<std::vector<int64_t>, size_t>>(std::move(times), 0);
  return [state]() {
    const size_t i = std::min(state->second++, state->first.size() - 1);
    return state->first[i];
  };
}

TEST(LatestModuleExporterTest, ExportsIntoATimestampedFolder) {
  const ScopedTempDir tmp = TempDir("lme_basic");
  const std::string dir = tmp.path();
  WriteTrainingDir(dir + "/model", 10);
  LatestModuleExporter exporter("tf_hub", MakeSpec(SmallDenseFn),
                                {.export_name = "my_module", .clock = FakeClock({1764120000})});
  EXPECT_EQ(exporter.name(), "tf_hub");
  const std::string base = dir + "/model/export/tf_hub";
  auto result = exporter.Export(dir + "/model", base);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(*result, base + "/1764120000");
  // No temp-<secs> folder is left behind; the module is complete.
  EXPECT_THAT(Children(base), ElementsAre("1764120000"));
  EXPECT_THAT(Children(*result), ElementsAre("my_module"));
  EXPECT_TRUE(std::filesystem::exists(*result + "/my_module/tfhub_module.pb"));
  auto reader = CheckpointReader::Open(*result + "/my_module/variables/variables");
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ(testing::Values((*reader)->Read("dense/kernel").value()),
            (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_FALSE((*reader)->Contains("global_step"));
}

TEST(LatestModuleExporterTest, RetriesWhenTheFolderExistsAndKeepsTheNewest) {
  const ScopedTempDir tmp = TempDir("lme_keep");
  const std::string dir = tmp.path();
  WriteTrainingDir(dir + "/model", 5, "tower/");
  const std::string base = dir + "/export";
  std::filesystem::create_directories(base + "/1000000001");
  std::filesystem::create_directories(base + "/123");         // not 10 digits: kept
  std::filesystem::create_directories(base + "/temp-other");  // not a version: kept
  LatestModuleExporter exporter(
      "e", MakeSpec(SmallDenseFn),
      {.scope_prefix = "tower/", .exports_to_keep = 2,
       .clock = FakeClock({1000000001, 1000000002, 1000000002, 1000000003})});
  auto first = exporter.Export(dir + "/model", base);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, base + "/1000000002");  // 1000000001 was taken
  EXPECT_THAT(Children(base), ElementsAre("1000000001", "1000000002", "123", "temp-other"));
  auto second = exporter.Export(dir + "/model", base);  // 1000000002 taken -> ...03
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(*second, base + "/1000000003");
  EXPECT_THAT(Children(base), ElementsAre("1000000002", "1000000003", "123", "temp-other"));
}

TEST(LatestModuleExporterTest, GivesUpAfterTenAttempts) {
  const ScopedTempDir tmp = TempDir("lme_attempts");
  const std::string dir = tmp.path();
  WriteTrainingDir(dir + "/model", 1);
  std::filesystem::create_directories(dir + "/export/1000000001");
  LatestModuleExporter exporter("e", MakeSpec(SmallDenseFn), {.clock = FakeClock({1000000001})});
  auto result = exporter.Export(dir + "/model", dir + "/export");
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(),
              HasSubstr("Failed to obtain a unique export directory name after 10 attempts."));
}

TEST(LatestModuleExporterTest, Errors) {
  const ScopedTempDir tmp = TempDir("lme_errors");
  const std::string dir = tmp.path();
  LatestModuleExporter zero("e", MakeSpec(SmallDenseFn), {.exports_to_keep = 0});
  auto r = zero.Export(dir, dir + "/export");
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "`exports_to_keep`, if provided, must be a positive number");

  LatestModuleExporter exporter("e", MakeSpec(SmallDenseFn), {.clock = FakeClock({1000000001})});
  auto none = exporter.Export(dir + "/empty", dir + "/export");
  EXPECT_EQ(none.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(none.status().message(), HasSubstr("no checkpoint to export"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/export"));

  // Variables missing from the checkpoint: nothing is published.
  WriteTrainingDir(dir + "/model", 3, "other/");
  auto missing = exporter.Export(dir + "/model", dir + "/export");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("Tensor dense/bias is not found in"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/export/1000000001"));
}

}  // namespace
}  // namespace tf1hub::hub
