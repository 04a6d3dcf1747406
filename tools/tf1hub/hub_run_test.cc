#include "hub_run.h"

#include <cmath>
#include <limits>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hub_test_util.h"
#include "tf1hub/env.h"
#include "tf1hub/npy.h"

namespace tf1hub::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::FloatEq;
using ::testing::HasSubstr;
using testing::FloatTensor;
using testing::NewTempDir;
using testing::ScopedTempDir;

// x = [[1,0,0],[0,1,2]] through the affine module (hub_test_util.h):
// x@w = [[1,2],[3+10,4+12]] = [[1,2],[13,16]]; + b = [[1.5,1.5],[13.5,15.5]].
const std::vector<float> kX = {1, 0, 0, 0, 1, 2};

class HubRunTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = new ScopedTempDir(NewTempDir());
    dir_ = new std::string(scratch_->Join("affine"));
    Status status = testing::ExportAffineModule(*dir_);
    ASSERT_TRUE(status.ok()) << status.ToString();
    spec_ = new std::shared_ptr<const hub::ModuleSpec>();
    auto spec = hub::LoadModuleSpec(*dir_);
    ASSERT_TRUE(spec.ok()) << spec.status().ToString();
    *spec_ = *spec;
  }
  static void TearDownTestSuite() {
    delete scratch_;
    scratch_ = nullptr;
  }
  static std::map<std::string, SignatureInput> X(std::vector<int64_t> dims = {2, 3},
                                                 std::vector<float> values = kX) {
    return {{"default", {FloatTensor(dims, values), "x.npy"}}};
  }
  static ScopedTempDir* scratch_;  // holds dir_
  static std::string* dir_;
  static std::shared_ptr<const hub::ModuleSpec>* spec_;
};
ScopedTempDir* HubRunTest::scratch_ = nullptr;
std::string* HubRunTest::dir_ = nullptr;
std::shared_ptr<const hub::ModuleSpec>* HubRunTest::spec_ = nullptr;

std::vector<float> Values(const Tensor& t) {
  auto flat = t.flat<float>();
  return std::vector<float>(flat.begin(), flat.end());
}

TEST_F(HubRunTest, DefaultSignatureUsesTheExportedValues) {
  auto outputs = RunModuleSignature(*spec_, {}, "default", X());
  ASSERT_TRUE(outputs.ok()) << outputs.status().ToString();
  ASSERT_EQ(outputs->size(), 2u);
  EXPECT_EQ((*outputs)[0].first, "default");
  EXPECT_EQ((*outputs)[0].second.shape().DebugString(), "[2,2]");
  EXPECT_THAT(Values((*outputs)[0].second),
              ElementsAre(FloatEq(1.5f), FloatEq(1.5f), FloatEq(13.5f), FloatEq(15.5f)));
  EXPECT_EQ((*outputs)[1].first, "doubled");
  EXPECT_THAT(Values((*outputs)[1].second), ElementsAre(2, 0, 0, 0, 2, 4));
}

TEST_F(HubRunTest, EmptySignatureMeansDefault) {
  auto outputs = RunModuleSignature(*spec_, {}, "", X());
  ASSERT_TRUE(outputs.ok()) << outputs.status().ToString();
  EXPECT_EQ(outputs->size(), 2u);
}

TEST_F(HubRunTest, TrainVariant) {
  auto outputs = RunModuleSignature(*spec_, {"train"}, "default", X());
  ASSERT_TRUE(outputs.ok()) << outputs.status().ToString();
  EXPECT_THAT(Values((*outputs)[0].second),
              ElementsAre(FloatEq(15.f), FloatEq(15.f), FloatEq(135.f), FloatEq(155.f)));
}

TEST_F(HubRunTest, TwoInputSignature) {
  std::map<std::string, SignatureInput> inputs = {
      {"a", {FloatTensor({1, 2}, {1, 2}), "a.npy"}},
      {"b", {FloatTensor({1, 2}, {10, 20}), "b.npy"}}};
  auto outputs = RunModuleSignature(*spec_, {}, "sum", inputs);
  ASSERT_TRUE(outputs.ok()) << outputs.status().ToString();
  ASSERT_EQ(outputs->size(), 1u);
  EXPECT_THAT(Values((*outputs)[0].second), ElementsAre(11, 22));
}

TEST_F(HubRunTest, VariablesComeFromTheBundle) {
  // Same graphs, new values in variables/variables: w = all 1, b = [0,100].
  const ScopedTempDir scratch = NewTempDir();
  const std::string copy = scratch.Join("copy");
  FileSystem* fs = PosixFileSystem();
  ASSERT_TRUE(fs->RecursivelyCreateDir(JoinPath(copy, "variables")).ok());
  for (const char* file : {"tfhub_module.pb", "saved_model.pb"}) {
    ASSERT_TRUE(fs->CopyFile(JoinPath(*dir_, file), JoinPath(copy, file)).ok());
  }
  ASSERT_TRUE(testing::WriteFloatCheckpoint(JoinPath(copy, "variables/variables"),
                                            {{"w", FloatTensor({3, 2}, {1, 1, 1, 1, 1, 1})},
                                             {"b", FloatTensor({2}, {0, 100})}})
                  .ok());
  auto spec = hub::LoadModuleSpec(copy);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  auto outputs = RunModuleSignature(*spec, {}, "default", X());
  ASSERT_TRUE(outputs.ok()) << outputs.status().ToString();
  // Row sums of x are 1 and 3.
  EXPECT_THAT(Values((*outputs)[0].second), ElementsAre(1, 101, 3, 103));
}

TEST_F(HubRunTest, CommandWritesNpyFilesAndJson) {
  const ScopedTempDir scratch = NewTempDir();
  const std::string tmp = scratch.path();
  const std::string x_path = JoinPath(tmp, "x.npy");
  ASSERT_TRUE(WriteNpyFile(x_path, FloatTensor({2, 3}, kX)).ok());
  HubRunArgs args;
  args.module = *dir_;
  args.inputs = {"default=" + x_path};
  args.out_dir = JoinPath(tmp, "out");
  args.json = true;
  std::string json_text;
  Status status = RunHubCommand(args, &json_text);
  ASSERT_TRUE(status.ok()) << status.ToString();
  StatusOr<Tensor> y = ReadNpyFile(JoinPath(args.out_dir, "default.npy"));
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  EXPECT_THAT(Values(*y), ElementsAre(1.5f, 1.5f, 13.5f, 15.5f));
  EXPECT_TRUE(PosixFileSystem()->FileExists(JoinPath(args.out_dir, "doubled.npy")));
  const auto json = nlohmann::ordered_json::parse(json_text);
  EXPECT_EQ(json["default"]["dtype"], "float32");
  EXPECT_EQ(json["default"]["shape"], nlohmann::ordered_json({2, 2}));
  EXPECT_EQ(json["default"]["values"], nlohmann::ordered_json::parse("[[1.5,1.5],[13.5,15.5]]"));
  EXPECT_EQ(json["doubled"]["values"], nlohmann::ordered_json::parse("[[2,0,0],[0,2,4]]"));
}

// ---- errors -----------------------------------------------------------------

std::string ErrorOf(const Status& status) {
  EXPECT_FALSE(status.ok());
  return status.ToString();
}

TEST_F(HubRunTest, UnknownSignatureListsTheKnownOnes) {
  auto outputs = RunModuleSignature(*spec_, {}, "nope", X());
  EXPECT_THAT(ErrorOf(outputs.status()),
              HasSubstr("Signature 'nope' is missing from meta graph. The signatures for "
                        "tags=[] are: default, sum"));
}

TEST_F(HubRunTest, UnknownTagsUseHubsMessage) {
  auto outputs = RunModuleSignature(*spec_, {"serve"}, "default", X());
  EXPECT_THAT(ErrorOf(outputs.status()), HasSubstr("No such graph variant: tags=['serve']"));
}

TEST_F(HubRunTest, MissingAndExtraInputs) {
  std::map<std::string, SignatureInput> inputs = {{"a", {FloatTensor({1, 2}, {1, 2}), "a.npy"}},
                                                  {"c", {FloatTensor({1, 2}, {1, 2}), "c.npy"}}};
  auto outputs = RunModuleSignature(*spec_, {}, "sum", inputs);
  EXPECT_THAT(ErrorOf(outputs.status()),
              HasSubstr("Cannot convert dict_inputs: missing ['b'], extra given ['c']. Signature "
                        "'sum' takes a (float32 [?,2]), b (float32 [?,2])"));
}

TEST_F(HubRunTest, NoInputs) {
  auto outputs = RunModuleSignature(*spec_, {}, "default", {});
  EXPECT_THAT(ErrorOf(outputs.status()),
              HasSubstr("Cannot convert dict_inputs: missing ['default'], extra given []"));
}

TEST_F(HubRunTest, DtypeMismatch) {
  StatusOr<Tensor> ints = Tensor::FromVector<int64_t>({1, 2, 3}, *TensorShape::Create({1, 3}));
  std::map<std::string, SignatureInput> inputs = {{"default", {*ints, "/tmp/ints.npy"}}};
  auto outputs = RunModuleSignature(*spec_, {}, "default", inputs);
  EXPECT_THAT(ErrorOf(outputs.status()),
              HasSubstr("--input 'default' (/tmp/ints.npy): dtype int64 does not match the "
                        "signature's float32"));
}

TEST_F(HubRunTest, ShapeMismatch) {
  auto outputs = RunModuleSignature(*spec_, {}, "default", X({3, 2}));
  EXPECT_THAT(ErrorOf(outputs.status()),
              HasSubstr("--input 'default' (x.npy): shape [3,2] is not compatible with the "
                        "signature's [?,3]"));
  auto rank1 = RunModuleSignature(*spec_, {}, "default", X({6}));
  EXPECT_THAT(ErrorOf(rank1.status()), HasSubstr("shape [6] is not compatible"));
}

TEST_F(HubRunTest, CommandErrors) {
  const ScopedTempDir scratch = NewTempDir();
  const std::string tmp = scratch.path();
  HubRunArgs args;
  args.module = *dir_;
  args.out_dir = JoinPath(tmp, "out");
  std::string json;

  args.inputs = {"default"};
  EXPECT_THAT(ErrorOf(RunHubCommand(args, &json)),
              HasSubstr("--input 'default': expected KEY=FILE.npy"));

  args.inputs = {"default=" + JoinPath(tmp, "absent.npy")};
  EXPECT_THAT(ErrorOf(RunHubCommand(args, &json)),
              ::testing::AllOf(HasSubstr("--input 'default'"), HasSubstr("absent.npy")));

  testing::WriteFileOrDie(JoinPath(tmp, "junk.npy"), "not an npy file");
  args.inputs = {"default=" + JoinPath(tmp, "junk.npy")};
  EXPECT_THAT(ErrorOf(RunHubCommand(args, &json)),
              ::testing::AllOf(HasSubstr("--input 'default'"), HasSubstr("junk.npy")));

  ASSERT_TRUE(WriteNpyFile(JoinPath(tmp, "x.npy"), FloatTensor({2, 3}, kX)).ok());
  args.inputs = {"default=" + JoinPath(tmp, "x.npy"), "default=" + JoinPath(tmp, "x.npy")};
  EXPECT_THAT(ErrorOf(RunHubCommand(args, &json)), HasSubstr("--input 'default' given twice"));

  args.inputs = {"default=" + JoinPath(tmp, "x.npy")};
  args.tags = "a,,b";
  EXPECT_THAT(ErrorOf(RunHubCommand(args, &json)), HasSubstr("--tags 'a,,b'"));
  args.tags = "";

  args.out_dir = "";
  EXPECT_THAT(ErrorOf(RunHubCommand(args, &json)), HasSubstr("nothing to do"));

  args.out_dir = JoinPath(tmp, "out");
  args.module = JoinPath(tmp, "no_module");
  EXPECT_THAT(ErrorOf(RunHubCommand(args, &json)), HasSubstr("no_module"));
  EXPECT_FALSE(PosixFileSystem()->FileExists(args.out_dir));
}

// ---- JSON of tensors ----------------------------------------------------------

TEST(TensorJsonTest, NestedValues) {
  EXPECT_EQ(TensorJson(FloatTensor({2, 1, 2}, {1, 2, 3, 4})).dump(),
            R"({"dtype":"float32","shape":[2,1,2],"values":[[[1.0,2.0]],[[3.0,4.0]]]})");
  EXPECT_EQ(TensorJson(Tensor::Scalar<int64_t>(-7)).dump(),
            R"({"dtype":"int64","shape":[],"values":-7})");
  EXPECT_EQ(TensorJson(FloatTensor({0, 3}, {})).dump(),
            R"({"dtype":"float32","shape":[0,3],"values":[]})");
}

TEST(TensorJsonTest, Float32ValuesAreShortest) {
  // numpy: str(np.float32(0.1)) == '0.1'; float(np.float32(0.1)) == 0.10000000149011612.
  EXPECT_EQ(TensorJson(FloatTensor({3}, {0.1f, -1.0990477f, 3e-39f}))["values"].dump(),
            "[0.1,-1.0990477,3e-39]");
  // The shortest form still reads back as the same float32.
  EXPECT_EQ(static_cast<float>(TensorJson(FloatTensor({1}, {-1.0990477f}))["values"][0].get<double>()),
            -1.0990477f);
}

TEST(TensorJsonTest, SpecialValues) {
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(TensorJson(FloatTensor({3}, {std::nanf(""), inf, -inf}))["values"].dump(),
            R"(["nan","inf","-inf"])");
  StatusOr<Tensor> strings =
      Tensor::FromVector<std::string>({"cat", "d\xffg"}, *TensorShape::Create({2}));
  EXPECT_EQ(TensorJson(*strings)["values"].dump(-1, ' ', false,
                                                  nlohmann::ordered_json::error_handler_t::replace),
            "[\"cat\",\"d\xEF\xBF\xBDg\"]");
  StatusOr<Tensor> bools = Tensor::FromVector<bool>({true, false}, *TensorShape::Create({2}));
  EXPECT_EQ(TensorJson(*bools)["values"].dump(), "[true,false]");
  // float16 1.0 = 0x3c00, -2.5 = 0xc100; bfloat16 1.5 = 0x3fc0.
  Tensor half = *Tensor::Create(DataType::kHalf, *TensorShape::Create({2}));
  half.mutable_flat<Half>()[0].bits = 0x3c00;
  half.mutable_flat<Half>()[1].bits = 0xc100;
  EXPECT_EQ(TensorJson(half)["values"].dump(), "[1.0,-2.5]");
  Tensor bf16 = *Tensor::Create(DataType::kBfloat16, *TensorShape::Create({1}));
  bf16.mutable_flat<BFloat16>()[0].bits = 0x3fc0;
  EXPECT_EQ(TensorJson(bf16)["values"].dump(), "[1.5]");
}

}  // namespace
}  // namespace tf1hub::cli
