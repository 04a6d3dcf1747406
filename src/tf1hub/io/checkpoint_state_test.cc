#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <memory>
#include <string>

#include "tf1hub/checkpoint.h"
#include "tf1hub/core/temp_dir_test_util.h"
#include "tf1hub/io/checkpoint_state_format.h"

namespace tf1hub {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// What TensorFlow 2.15.1 wrote for
//   checkpoint_management.update_checkpoint_state_internal(
//       d, d + "/model.ckpt-2000",
//       all_model_checkpoint_paths=[d + "/model.ckpt-1000", d + "/model.ckpt-2000"],
//       save_relative_paths=True,
//       all_model_checkpoint_timestamps=[1595521834.7208126, 1595521899.1234567],
//       last_preserved_timestamp=1595521800.0)
constexpr char kTfStateFile[] =
    "model_checkpoint_path: \"model.ckpt-2000\"\n"
    "all_model_checkpoint_paths: \"model.ckpt-1000\"\n"
    "all_model_checkpoint_paths: \"model.ckpt-2000\"\n"
    "all_model_checkpoint_timestamps: 1595521834.7208126\n"
    "all_model_checkpoint_timestamps: 1595521899.1234567\n"
    "last_preserved_timestamp: 1595521800.0\n";

TEST(FormatPythonFloatTest, MatchesPythonRepr) {
  // Right-hand sides printed by Python 3.11's repr().
  const std::pair<double, const char*> cases[] = {
      {0.0, "0.0"},
      {-0.0, "-0.0"},
      {1e-05, "1e-05"},
      {0.0001, "0.0001"},
      {123456789012345678.0, "1.2345678901234568e+17"},
      {1e16, "1e+16"},
      {9999999999999998.0, "9999999999999998.0"},
      {1.5e300, "1.5e+300"},
      {5e-324, "5e-324"},
      {0.1, "0.1"},
      {1.0 / 3, "0.3333333333333333"},
      {2.5, "2.5"},
      {100.0, "100.0"},
      {1e22, "1e+22"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {std::numeric_limits<double>::infinity(), "inf"},
      {-std::numeric_limits<double>::infinity(), "-inf"},
      {std::nan(""), "nan"},
      {-1.25e-7, "-1.25e-07"},
      {1595521834.7208126, "1595521834.7208126"},
      {1595521800.0, "1595521800.0"},
  };
  for (const auto& [value, text] : cases) EXPECT_EQ(FormatPythonFloat(value), text);
}

TEST(PythonCEscapeTest, MatchesPythonTextFormat) {
  EXPECT_EQ(PythonCEscape("plain/path-1"), "plain/path-1");
  // From text_format.MessageToString of the path "/abs/we\"ird'\\p\u00e9\n\t".
  EXPECT_EQ(PythonCEscape("/abs/we\"ird'\\p\xc3\xa9\n\t"),
            "/abs/we\\\"ird\\'\\\\p\\303\\251\\n\\t");
  EXPECT_EQ(PythonCEscape(std::string("\0\x1f\x7f\r", 4)), "\\000\\037\\177\\r");
}

TEST(FormatCheckpointStateTest, MatchesTensorFlow) {
  CheckpointState state;
  state.model_checkpoint_path = "model.ckpt-2000";
  state.all_model_checkpoint_paths = {"model.ckpt-1000", "model.ckpt-2000"};
  state.all_model_checkpoint_timestamps = {1595521834.7208126, 1595521899.1234567};
  state.last_preserved_timestamp = 1595521800.0;
  StatusOr<std::string> text = FormatCheckpointState(state);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, kTfStateFile);
}

TEST(FormatCheckpointStateTest, AppendsModelPathAndEscapes) {
  // TF 2.15.1: text_format.MessageToString(generate_checkpoint_state_proto(
  //   d, "/abs/we\"ird'\\p\u00e9\n\t", all_model_checkpoint_paths=["x"],
  //   all_model_checkpoint_timestamps=[1e16, 0.0001]))
  CheckpointState state;
  state.model_checkpoint_path = "/abs/we\"ird'\\p\xc3\xa9\n\t";
  state.all_model_checkpoint_paths = {"x"};
  state.all_model_checkpoint_timestamps = {1e16, 0.0001};
  StatusOr<std::string> text = FormatCheckpointState(state);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text,
            "model_checkpoint_path: \"/abs/we\\\"ird\\'\\\\p\\303\\251\\n\\t\"\n"
            "all_model_checkpoint_paths: \"x\"\n"
            "all_model_checkpoint_paths: \"/abs/we\\\"ird\\'\\\\p\\303\\251\\n\\t\"\n"
            "all_model_checkpoint_timestamps: 1e+16\n"
            "all_model_checkpoint_timestamps: 0.0001\n");
}

TEST(FormatCheckpointStateTest, OldStyleFileHasOnlyPaths) {
  CheckpointState state;
  state.model_checkpoint_path = "m-1";
  state.last_preserved_timestamp = 0.0;  // proto3 default: not written
  StatusOr<std::string> text = FormatCheckpointState(state);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "model_checkpoint_path: \"m-1\"\nall_model_checkpoint_paths: \"m-1\"\n");
}

TEST(FormatCheckpointStateTest, RejectsBadStates) {
  CheckpointState empty;
  EXPECT_EQ(FormatCheckpointState(empty).status().code(), StatusCode::kInvalidArgument);
  CheckpointState mismatch;
  mismatch.model_checkpoint_path = "b";
  mismatch.all_model_checkpoint_paths = {"a"};  // becomes {"a", "b"}
  mismatch.all_model_checkpoint_timestamps = {1.0};
  Status s = FormatCheckpointState(mismatch).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("2 paths and 1 timestamps"));
}

TEST(ParseCheckpointStateTest, ParsesTensorFlowFileAndTextFormatVariants) {
  StatusOr<CheckpointState> state = ParseCheckpointState(kTfStateFile, "f");
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  EXPECT_EQ(state->model_checkpoint_path, "model.ckpt-2000");
  EXPECT_THAT(state->all_model_checkpoint_paths, ElementsAre("model.ckpt-1000", "model.ckpt-2000"));
  EXPECT_THAT(state->all_model_checkpoint_timestamps,
              ElementsAre(1595521834.7208126, 1595521899.1234567));
  EXPECT_EQ(state->last_preserved_timestamp, 1595521800.0);

  // Comments, list syntax, single quotes, escapes, a repeated singular field
  // (Python's text_format.Merge keeps the last one).
  StatusOr<CheckpointState> other = ParseCheckpointState(
      "# comment\nmodel_checkpoint_path: 'first'\n"
      "all_model_checkpoint_paths: [\"a\\303\\251\", 'b']  model_checkpoint_path: \"b\"\n",
      "f");
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_EQ(other->model_checkpoint_path, "b");
  EXPECT_THAT(other->all_model_checkpoint_paths, ElementsAre("a\xc3\xa9", "b"));
  EXPECT_FALSE(other->last_preserved_timestamp.has_value());
}

TEST(ParseCheckpointStateTest, GarbageIsDataLoss) {
  for (const char* text : {"model_checkpoint_path: \"unterminated\n", "no_such_field: 1\n",
                           "model_checkpoint_path: 5\n", "all_model_checkpoint_timestamps: x\n",
                           "\x89PNG\r\n"}) {
    Status s = ParseCheckpointState(text, "/d/checkpoint").status();
    EXPECT_EQ(s.code(), StatusCode::kDataLoss) << text;
    EXPECT_THAT(s.message(), HasSubstr("'/d/checkpoint'"));
  }
}

class CheckpointStateFsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs_ = NewMemoryFileSystem();
    ASSERT_TRUE(fs_->RecursivelyCreateDir("/ckpt").ok());
  }
  void Write(const std::string& path, const std::string& text) {
    ASSERT_TRUE(fs_->WriteStringToFile(path, text).ok());
  }
  std::string Read(const std::string& path) { return *fs_->ReadFileToString(path); }
  std::unique_ptr<FileSystem> fs_;
};

TEST_F(CheckpointStateFsTest, ReadJoinsRelativePathsOntoDir) {
  Write("/ckpt/checkpoint", kTfStateFile);
  StatusOr<CheckpointState> state = ReadCheckpointState("/ckpt", fs_.get());
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  EXPECT_EQ(state->model_checkpoint_path, "/ckpt/model.ckpt-2000");
  EXPECT_THAT(state->all_model_checkpoint_paths,
              ElementsAre("/ckpt/model.ckpt-1000", "/ckpt/model.ckpt-2000"));
  EXPECT_EQ(state->all_model_checkpoint_timestamps.size(), 2u);
}

TEST_F(CheckpointStateFsTest, ReadKeepsAbsolutePaths) {
  // As TF Serving's test data has it.
  Write("/ckpt/checkpoint",
        "model_checkpoint_path: \"/tmp/x/00000123/export\"\n"
        "all_model_checkpoint_paths: \"/tmp/x/00000123/export\"\n");
  StatusOr<CheckpointState> state = ReadCheckpointState("/ckpt", fs_.get());
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->model_checkpoint_path, "/tmp/x/00000123/export");
  EXPECT_THAT(state->all_model_checkpoint_paths, ElementsAre("/tmp/x/00000123/export"));
}

TEST_F(CheckpointStateFsTest, ReadErrors) {
  Status missing = ReadCheckpointState("/ckpt", fs_.get()).status();
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.message(), HasSubstr("/ckpt/checkpoint"));

  Write("/ckpt/checkpoint", "model_checkpoint_path: \"x\" garbage");
  Status bad = ReadCheckpointState("/ckpt", fs_.get()).status();
  EXPECT_EQ(bad.code(), StatusCode::kDataLoss);
  EXPECT_THAT(bad.message(), HasSubstr("/ckpt/checkpoint"));

  Write("/ckpt/checkpoint", "all_model_checkpoint_paths: \"x\"\n");
  Status empty = ReadCheckpointState("/ckpt", fs_.get()).status();
  EXPECT_EQ(empty.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(empty.message(), HasSubstr("Invalid checkpoint state loaded from /ckpt"));
}

TEST_F(CheckpointStateFsTest, WriteRelativeMatchesTensorFlow) {
  CheckpointState state;
  state.model_checkpoint_path = "/ckpt/model.ckpt-2000";
  state.all_model_checkpoint_paths = {"/ckpt/model.ckpt-1000", "/ckpt/model.ckpt-2000"};
  state.all_model_checkpoint_timestamps = {1595521834.7208126, 1595521899.1234567};
  state.last_preserved_timestamp = 1595521800.0;
  ASSERT_TRUE(WriteCheckpointState("/ckpt", state, /*relative=*/true, fs_.get()).ok());
  EXPECT_EQ(Read("/ckpt/checkpoint"), kTfStateFile);
  // Only the state file is left behind (the write went through a temp file).
  EXPECT_THAT(*fs_->GetChildren("/ckpt"), ElementsAre("checkpoint"));
  // And it reads back to the absolute form.
  StatusOr<CheckpointState> back = ReadCheckpointState("/ckpt", fs_.get());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->model_checkpoint_path, state.model_checkpoint_path);
  EXPECT_EQ(back->all_model_checkpoint_paths, state.all_model_checkpoint_paths);
  EXPECT_EQ(back->all_model_checkpoint_timestamps, state.all_model_checkpoint_timestamps);
  EXPECT_EQ(back->last_preserved_timestamp, state.last_preserved_timestamp);
}

TEST_F(CheckpointStateFsTest, WriteRelativeOnlyInsideDir) {
  CheckpointState state;
  state.model_checkpoint_path = "/ckpt/sub/m-2";
  state.all_model_checkpoint_paths = {"/elsewhere/m-1", "/ckpt2/m-1"};
  ASSERT_TRUE(WriteCheckpointState("/ckpt/", state, true, fs_.get()).ok());
  EXPECT_EQ(Read("/ckpt/checkpoint"),
            "model_checkpoint_path: \"sub/m-2\"\n"
            "all_model_checkpoint_paths: \"/elsewhere/m-1\"\n"
            "all_model_checkpoint_paths: \"/ckpt2/m-1\"\n"
            "all_model_checkpoint_paths: \"sub/m-2\"\n");
}

TEST_F(CheckpointStateFsTest, WriteAbsoluteWhenNotRelative) {
  CheckpointState state;
  state.model_checkpoint_path = "/ckpt/m-2";
  ASSERT_TRUE(WriteCheckpointState("/ckpt", state, false, fs_.get()).ok());
  EXPECT_EQ(Read("/ckpt/checkpoint"),
            "model_checkpoint_path: \"/ckpt/m-2\"\nall_model_checkpoint_paths: \"/ckpt/m-2\"\n");
}

TEST_F(CheckpointStateFsTest, WriteRefusesStateFileAsCheckpoint) {
  CheckpointState state;
  state.model_checkpoint_path = "/ckpt/checkpoint";
  Status s = WriteCheckpointState("/ckpt", state, true, fs_.get());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs_->FileExists("/ckpt/checkpoint"));
}

TEST_F(CheckpointStateFsTest, LatestCheckpoint) {
  Status none = LatestCheckpoint("/ckpt", fs_.get()).status();
  EXPECT_EQ(none.code(), StatusCode::kNotFound);

  Write("/ckpt/checkpoint", kTfStateFile);
  Status unmatched = LatestCheckpoint("/ckpt", fs_.get()).status();
  EXPECT_EQ(unmatched.code(), StatusCode::kNotFound);
  EXPECT_THAT(unmatched.message(),
              HasSubstr("Couldn't match files for checkpoint /ckpt/model.ckpt-2000"));

  // The data file alone is not enough; the index is what counts.
  Write("/ckpt/model.ckpt-2000.data-00000-of-00001", "");
  EXPECT_FALSE(LatestCheckpoint("/ckpt", fs_.get()).ok());
  Write("/ckpt/model.ckpt-2000.index", "");
  StatusOr<std::string> latest = LatestCheckpoint("/ckpt", fs_.get());
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  EXPECT_EQ(*latest, "/ckpt/model.ckpt-2000");
  // The newest file on disk does not matter, only the state file.
  Write("/ckpt/model.ckpt-3000.index", "");
  EXPECT_EQ(*LatestCheckpoint("/ckpt", fs_.get()), "/ckpt/model.ckpt-2000");
}

TEST_F(CheckpointStateFsTest, LatestCheckpointV1File) {
  Write("/ckpt/checkpoint", "model_checkpoint_path: \"model.ckpt-5\"\n");
  Write("/ckpt/model.ckpt-5", "v1");
  StatusOr<std::string> latest = LatestCheckpoint("/ckpt", fs_.get());
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  EXPECT_EQ(*latest, "/ckpt/model.ckpt-5");
}

TEST_F(CheckpointStateFsTest, LatestCheckpointEmptyModelPath) {
  Write("/ckpt/checkpoint", "");
  Status s = LatestCheckpoint("/ckpt", fs_.get()).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("Invalid checkpoint state loaded from /ckpt"));
}

TEST(CheckpointStatePosixTest, RoundTripOnDisk) {
  const testing::ScopedTempDir tmp("tf1hub_state");
  const std::string& dir = tmp.path();
  CheckpointState state;
  state.model_checkpoint_path = dir + "/ckpt-7";
  ASSERT_TRUE(WriteCheckpointState(dir, state).ok());
  ASSERT_TRUE(PosixFileSystem()->WriteStringToFile(dir + "/ckpt-7.index", "").ok());
  StatusOr<std::string> latest = LatestCheckpoint(dir);
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  EXPECT_EQ(*latest, dir + "/ckpt-7");
  EXPECT_EQ(*PosixFileSystem()->ReadFileToString(dir + "/checkpoint"),
            "model_checkpoint_path: \"ckpt-7\"\nall_model_checkpoint_paths: \"ckpt-7\"\n");
}

}  // namespace
}  // namespace tf1hub
