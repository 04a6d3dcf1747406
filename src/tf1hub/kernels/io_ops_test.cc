// Tests of the checkpoint I/O kernels (io_ops.cc). Expected error messages
// and the reference checkpoint bytes were produced by TensorFlow 2.15.1
// (tf.raw_ops in the oracle venv) and pasted in.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <complex>
#include <cstdlib>
#include <string>
#include <vector>

#include "tf1hub/checkpoint.h"
#include "tf1hub/env.h"
#include "tf1hub/kernels/kernel_test_util.h"

namespace tf1hub {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TensorShape Shape(std::initializer_list<int64_t> dims) { return *TensorShape::Create(dims); }

template <typename T>
Tensor Make(std::vector<T> values, std::initializer_list<int64_t> dims) {
  return *Tensor::FromVector<T>(values, Shape(dims));
}

Tensor Strings(std::vector<std::string> values) {
  const int64_t n = static_cast<int64_t>(values.size());
  return Make<std::string>(std::move(values), {n});
}

template <typename T>
std::vector<T> Values(const Tensor& t) {
  return std::vector<T>(t.flat<T>().begin(), t.flat<T>().end());
}

class IoOpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* base = std::getenv("TEST_TMPDIR");
    std::string templ = std::string(base != nullptr ? base : "/tmp") + "/io_ops_test_XXXXXX";
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ;
  }
  void TearDown() override { PosixFileSystem()->DeleteRecursively(dir_).IgnoreError(); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  bool Exists(const std::string& name) const { return PosixFileSystem()->FileExists(Path(name)); }
  std::vector<std::string> Children(const std::string& sub = "") const {
    StatusOr<std::vector<std::string>> c =
        PosixFileSystem()->GetChildren(sub.empty() ? dir_ : Path(sub));
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    std::vector<std::string> sorted = c.ok() ? *c : std::vector<std::string>{};
    std::sort(sorted.begin(), sorted.end());
    return sorted;
  }

  static StatusOr<std::vector<Tensor>> Save(const std::string& prefix,
                                            const std::vector<std::string>& names,
                                            const std::vector<std::string>& specs,
                                            const std::vector<Tensor>& tensors) {
    KernelRunner r("SaveV2");
    std::vector<DataType> dtypes;
    for (const Tensor& t : tensors) dtypes.push_back(t.dtype());
    r.Attr("dtypes", dtypes)
        .Input(Tensor::Scalar<std::string>(prefix))
        .Input(Strings(names))
        .Input(Strings(specs));
    for (const Tensor& t : tensors) r.Input(t);
    return r.Run();
  }

  static StatusOr<std::vector<Tensor>> Restore(const std::string& prefix,
                                               const std::vector<std::string>& names,
                                               const std::vector<std::string>& specs,
                                               const std::vector<DataType>& dtypes) {
    KernelRunner r("RestoreV2");
    r.Attr("dtypes", dtypes)
        .Input(Tensor::Scalar<std::string>(prefix))
        .Input(Strings(names))
        .Input(Strings(specs));
    return r.Run();
  }

  static StatusOr<std::vector<Tensor>> Merge(const std::vector<std::string>& prefixes,
                                             const std::string& dest, bool delete_old_dirs = true,
                                             bool allow_missing_files = false) {
    KernelRunner r("MergeV2Checkpoints");
    r.Attr("delete_old_dirs", delete_old_dirs)
        .Attr("allow_missing_files", allow_missing_files)
        .Input(Strings(prefixes))
        .Input(Tensor::Scalar<std::string>(dest));
    return r.Run();
  }

  void WriteFile(const std::string& name, const std::string& bytes) {
    ASSERT_TRUE(PosixFileSystem()->WriteStringToFile(Path(name), bytes).ok());
  }

  std::string dir_;
};

// ---------------------------------------------------------------------------
// TensorFlow's bytes for
//   tf.raw_ops.SaveV2(prefix=P, tensor_names=["w", "s", "part"],
//       shape_and_slices=["", "", "4 2 2,2:-"],
//       tensors=[np.arange(6, dtype=np.float32).reshape(2, 3),
//                np.array([b"a", b"bc"]), np.array([[1, 2], [3, 4]], np.int64)])
const std::string kTfData(
    "\x00\x00\x00\x00\x00\x00\x80\x3f\x00\x00\x00\x40\x00\x00\x40\x40\x00\x00\x80\x40\x00\x00\xa0"
    "\x40\x01\x02\xbf\xdf\xdb\x7a\x61\x62\x63\x01\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00"
    "\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00",
    65);
const std::string kTfIndex(
    "\x00\x00\x06\x08\x01\x1a\x02\x08\x01\x00\x0d\x15\x00\x70\x61\x72\x74\x00\x01\x01\x02\x82\x82"
    "\x80\x7f\x08\x09\x12\x08\x12\x02\x08\x02\x12\x02\x08\x02\x20\x21\x28\x20\x35\x1b\xd4\xa8\x90"
    "\x00\x04\x16\x70\x61\x72\x74\x08\x09\x12\x08\x12\x02\x08\x04\x12\x02\x08\x02\x3a\x08\x0a\x04"
    "\x08\x02\x10\x02\x0a\x00\x00\x01\x11\x73\x08\x07\x12\x04\x12\x02\x08\x02\x20\x18\x28\x09\x35"
    "\xe9\xe4\x36\x85\x00\x01\x13\x77\x08\x01\x12\x08\x12\x02\x08\x02\x12\x02\x08\x03\x28\x18\x35"
    "\xc0\xdb\x3d\x17\x00\x00\x00\x00\x01\x00\x00\x00\x00\x8a\x88\x27\x44\x00\x00\x00\x00\x01\x00"
    "\x00\x00\x00\xc0\xf2\xa1\xb0\x00\x01\x02\x78\x00\x7f\x00\x00\x00\x00\x01\x00\x00\x00\x00\x17"
    "\x04\x53\xdc\x84\x01\x08\x91\x01\x0e\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x57\xfb\x80"
    "\x8b\x24\x75\x47\xdb",
    212);

std::vector<Tensor> TfReferenceTensors() {
  return {Make<float>({0, 1, 2, 3, 4, 5}, {2, 3}), Strings({"a", "bc"}),
          Make<int64_t>({1, 2, 3, 4}, {2, 2})};
}

TEST_F(IoOpsTest, SaveV2WritesTensorFlowsBytes) {
  ASSERT_TRUE(
      Save(Path("ck"), {"w", "s", "part"}, {"", "", "4 2 2,2:-"}, TfReferenceTensors()).ok());
  EXPECT_THAT(Children(), ElementsAre("ck.data-00000-of-00001", "ck.index"));
  EXPECT_EQ(*PosixFileSystem()->ReadFileToString(Path("ck.data-00000-of-00001")), kTfData);
  EXPECT_EQ(*PosixFileSystem()->ReadFileToString(Path("ck.index")), kTfIndex);
}

TEST_F(IoOpsTest, RestoreV2ReadsTensorFlowsCheckpoint) {
  WriteFile("tf.data-00000-of-00001", kTfData);
  WriteFile("tf.index", kTfIndex);
  StatusOr<std::vector<Tensor>> out =
      Restore(Path("tf"), {"w", "s", "part", "w"}, {"", "", "4 2 2,2:-", "2 3 1,1:1,2"},
              {DataType::kFloat, DataType::kString, DataType::kInt64, DataType::kFloat});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->size(), 4u);
  EXPECT_EQ((*out)[0].shape(), Shape({2, 3}));
  EXPECT_THAT(Values<float>((*out)[0]), ElementsAre(0, 1, 2, 3, 4, 5));
  EXPECT_THAT(Values<std::string>((*out)[1]), ElementsAre("a", "bc"));
  EXPECT_EQ((*out)[2].shape(), Shape({2, 2}));
  EXPECT_THAT(Values<int64_t>((*out)[2]), ElementsAre(1, 2, 3, 4));
  EXPECT_EQ((*out)[3].shape(), Shape({1, 2}));
  EXPECT_THAT(Values<float>((*out)[3]), ElementsAre(4, 5));
}

// Every dtype a checkpoint holds, through SaveV2 then RestoreV2.
TEST_F(IoOpsTest, RoundTripsEveryDtype) {
  std::vector<Tensor> tensors = {
      Make<float>({1.5f, -2.25f, 3e30f}, {3}),
      Make<double>({1e-300, -0.5}, {2, 1}),
      Make<Half>({Half{0x3c00}, Half{0xc000}}, {2}),
      Make<BFloat16>({BFloat16{0x3f80}, BFloat16{0x4049}}, {1, 2}),
      Make<int8_t>({-128, 127}, {2}),
      Make<int16_t>({-32768, 5}, {2}),
      Make<int32_t>({-7, 1 << 30}, {2}),
      Make<int64_t>({int64_t{1} << 62, -1}, {2}),
      Make<uint8_t>({0, 255}, {2}),
      Make<uint16_t>({65535}, {1}),
      Make<uint32_t>({4000000000u}, {1}),
      Make<uint64_t>({18000000000000000000u}, {1}),
      Make<std::complex<float>>({{1, -2}}, {1}),
      Make<std::complex<double>>({{3, 4}, {-5, 0.5}}, {2}),
      Make<bool>({true, false, true}, {3}),
      Make<std::string>({"", std::string("x\0y", 3), std::string(300, 'z')}, {3}),
      Tensor::Scalar<float>(42.0f),
      Make<float>({}, {0, 4}),
  };
  std::vector<std::string> names, specs;
  std::vector<DataType> dtypes;
  for (size_t i = 0; i < tensors.size(); ++i) {
    std::string name = "t";  // (not "t" + ...: a GCC 12 -Wrestrict false positive)
    name += std::to_string(i);
    names.push_back(name);
    specs.push_back("");
    dtypes.push_back(tensors[i].dtype());
  }
  StatusOr<std::vector<Tensor>> saved = Save(Path("all"), names, specs, tensors);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_TRUE(saved->empty());
  StatusOr<std::vector<Tensor>> out = Restore(Path("all"), names, specs, dtypes);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->size(), tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) {
    EXPECT_TRUE(BitwiseEqual((*out)[i], tensors[i]))
        << names[i] << ": " << (*out)[i].DebugString() << " vs " << tensors[i].DebugString();
  }
}

TEST_F(IoOpsTest, PrefixMayBeAOneElementVector) {
  KernelRunner save("SaveV2");
  save.Attr("dtypes", std::vector<DataType>{DataType::kInt32})
      .Input(Strings({Path("v")}))
      .Input(Strings({"a"}))
      .Input(Strings({""}))
      .Input(Tensor::Scalar<int32_t>(3));
  ASSERT_TRUE(save.Run().ok());
  KernelRunner restore("RestoreV2");
  restore.Attr("dtypes", std::vector<DataType>{DataType::kInt32})
      .Input(Strings({Path("v")}))
      .Input(Strings({"a"}))
      .Input(Strings({""}));
  StatusOr<std::vector<Tensor>> out = restore.Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].scalar<int32_t>(), 3);
}

TEST_F(IoOpsTest, SaveV2CreatesOneMissingDirectoryLevel) {
  ASSERT_TRUE(Save(Path("sub/ck"), {"a"}, {""}, {Tensor::Scalar<float>(1)}).ok());
  EXPECT_THAT(Children("sub"), ElementsAre("ck.data-00000-of-00001", "ck.index"));
  Status s = Save(Path("x/y/ck"), {"a"}, {""}, {Tensor::Scalar<float>(1)}).status();
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), Path("x/y") + "; No such file or directory");
}

// ---------------------------------------------------------------------------
// Slices.

TEST_F(IoOpsTest, RestoreV2SlicesAWholeTensor) {
  ASSERT_TRUE(Save(Path("ck"), {"w"}, {""}, {Make<double>({0, 1, 2, 3, 4, 5}, {2, 3})}).ok());
  // Values from TensorFlow's RestoreV2 with the same specs.
  struct Case {
    std::string spec;
    TensorShape shape;
    std::vector<double> values;
  };
  for (const Case& c : std::vector<Case>{
           {"2 3 0,2:1,2", Shape({2, 2}), {1, 2, 4, 5}},
           {"2 3 1,1:-", Shape({1, 3}), {3, 4, 5}},
           {"2 3 -:-", Shape({2, 3}), {0, 1, 2, 3, 4, 5}},
           {"2 3 0,2:0,3", Shape({2, 3}), {0, 1, 2, 3, 4, 5}},
           {"2 3 ::0,1::-", Shape({1, 3}), {0, 1, 2}},  // TensorFlow skips empty items
           {"2 3 0,,1:-", Shape({1, 3}), {0, 1, 2}},
       }) {
    StatusOr<std::vector<Tensor>> out = Restore(Path("ck"), {"w"}, {c.spec}, {DataType::kDouble});
    ASSERT_TRUE(out.ok()) << c.spec << ": " << out.status().ToString();
    EXPECT_EQ((*out)[0].shape(), c.shape) << c.spec;
    EXPECT_EQ(Values<double>((*out)[0]), c.values) << c.spec;
  }
}

TEST_F(IoOpsTest, SavesAndRestoresAPartitionedTensor) {
  ASSERT_TRUE(Save(Path("p"), {"a", "a"}, {"4 2 0,2:-", "4 2 2,2:-"},
                   {Make<float>({0, 1, 2, 3}, {2, 2}), Make<float>({4, 5, 6, 7}, {2, 2})})
                  .ok());
  StatusOr<CheckpointEntryInfo> info = (*CheckpointReader::Open(Path("p")))->GetInfo("a");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->shape, Shape({4, 2}));
  EXPECT_EQ(info->slices.size(), 2u);

  StatusOr<std::vector<Tensor>> out = Restore(Path("p"), {"a", "a", "a"}, {"", "4 2 1,2:-", "4 2 2,2:-"},
                                              {DataType::kFloat, DataType::kFloat, DataType::kFloat});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_THAT(Values<float>((*out)[0]), ElementsAre(0, 1, 2, 3, 4, 5, 6, 7));
  EXPECT_THAT(Values<float>((*out)[1]), ElementsAre(2, 3, 4, 5));
  EXPECT_THAT(Values<float>((*out)[2]), ElementsAre(4, 5, 6, 7));
}

TEST_F(IoOpsTest, SaveV2WritesAFullSliceAsTheWholeTensor) {
  ASSERT_TRUE(Save(Path("f"), {"a"}, {"2 2 -:-"}, {Make<float>({1, 2, 3, 4}, {2, 2})}).ok());
  StatusOr<CheckpointEntryInfo> info = (*CheckpointReader::Open(Path("f")))->GetInfo("a");
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(info->slices.empty());
  EXPECT_EQ(info->shape, Shape({2, 2}));
}

TEST_F(IoOpsTest, RestoreV2PartitionedTensorErrors) {
  // Only the lower half saved: TensorFlow's message for the uncovered parts.
  ASSERT_TRUE(Save(Path("half"), {"a"}, {"4 2 0,2:-"}, {Make<float>({0, 1, 2, 3}, {2, 2})}).ok());
  Status s = Restore(Path("half"), {"a"}, {""}, {DataType::kFloat}).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "Does not have sufficient slices for partitioned tensor a to restore in slice_spec: -:-");
  s = Restore(Path("half"), {"a"}, {"4 2 1,2:-"}, {DataType::kFloat}).status();
  EXPECT_EQ(s.message(),
            "Does not have sufficient slices for partitioned tensor a to restore in slice_spec: "
            "1,2:-");
  StatusOr<std::vector<Tensor>> ok = Restore(Path("half"), {"a"}, {"4 2 1,1:-"}, {DataType::kFloat});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_THAT(Values<float>((*ok)[0]), ElementsAre(2, 3));
}

// ---------------------------------------------------------------------------
// Views, rewritten checkpoints.

TEST_F(IoOpsTest, LargeTensorsComeBackAsViewsOfTheDataFile) {
  std::vector<float> big(1 << 19);  // 2 MiB
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<float>(i);
  ASSERT_TRUE(Save(Path("big"), {"big", "small"}, {"", ""},
                   {Make<float>(big, {1 << 19}), Tensor::Scalar<float>(1)})
                  .ok());
  StatusOr<std::vector<Tensor>> out =
      Restore(Path("big"), {"big", "small"}, {"", ""}, {DataType::kFloat, DataType::kFloat});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE((*out)[0].IsView());
  EXPECT_FALSE((*out)[1].IsView());
  EXPECT_EQ((*out)[0].flat<float>()[12345], 12345.0f);
}

TEST_F(IoOpsTest, RestoreV2SeesARewrittenCheckpoint) {
  KernelRunner restore("RestoreV2");
  restore.Attr("dtypes", std::vector<DataType>{DataType::kInt64})
      .Input(Tensor::Scalar<std::string>(Path("ck")))
      .Input(Strings({"n"}))
      .Input(Strings({""}));
  ASSERT_TRUE(Save(Path("ck"), {"n"}, {""}, {Tensor::Scalar<int64_t>(1)}).ok());
  EXPECT_EQ((*restore.Run())[0].scalar<int64_t>(), 1);
  ASSERT_TRUE(Save(Path("ck"), {"n"}, {""}, {Tensor::Scalar<int64_t>(2)}).ok());
  EXPECT_EQ((*restore.Run())[0].scalar<int64_t>(), 2);
}

// ---------------------------------------------------------------------------
// RestoreV2 errors (messages from TensorFlow 2.15.1).

TEST_F(IoOpsTest, RestoreV2Errors) {
  ASSERT_TRUE(Save(Path("ck"), {"w", "s", "b"}, {"", "", ""},
                   {Make<double>({0, 1, 2, 3, 4, 5}, {2, 3}), Strings({"a", "bc"}),
                    Tensor::Scalar<bool>(true)})
                  .ok());
  const std::string ck = Path("ck");
  struct Case {
    std::vector<std::string> names, specs;
    std::vector<DataType> dtypes;
    StatusCode code;
    std::string message;
  };
  const DataType f32 = DataType::kFloat, f64 = DataType::kDouble;
  for (const Case& c : std::vector<Case>{
           {{"zz"}, {""}, {f32}, StatusCode::kNotFound, "Key zz not found in checkpoint"},
           {{"w"}, {""}, {f32}, StatusCode::kInvalidArgument,
            "tensor_name = w; expected dtype float does not equal original dtype double"},
           {{"w"}, {"2 3 0,1:-"}, {f32}, StatusCode::kInvalidArgument,
            "tensor_name = w; expected dtype float does not equal original dtype double"},
           // Missing keys are found before any mismatch; mismatches are all
           // reported, in the order of the data file (w, s, b here).
           {{"w", "zz"}, {"", ""}, {f32, f32}, StatusCode::kNotFound,
            "Key zz not found in checkpoint"},
           {{"b", "w"}, {"", ""}, {DataType::kInt32, f32}, StatusCode::kInvalidArgument,
            "tensor_name = w; expected dtype float does not equal original dtype double\n"
            "tensor_name = b; expected dtype int32 does not equal original dtype bool"},
           // Read errors: the first in file order wins.
           {{"b", "w"}, {"3 0,1", "4 3 0,1:-"}, {DataType::kBool, f64},
            StatusCode::kInvalidArgument,
            "tensor_name = w; shape in shape_and_slice spec [4,3] does not match the shape "
            "stored in checkpoint: [2,3]"},
           {{"w"}, {"3 3 0,1:-"}, {f64}, StatusCode::kInvalidArgument,
            "tensor_name = w; shape in shape_and_slice spec [3,3] does not match the shape "
            "stored in checkpoint: [2,3]"},
           {{"w"}, {"3 0,1"}, {f64}, StatusCode::kInvalidArgument,
            "tensor_name = w; shape in shape_and_slice spec [3] does not match the shape "
            "stored in checkpoint: [2,3]"},
           {{"w"}, {"2 3 0,5:-"}, {f64}, StatusCode::kInternal,
            "Extent in dimension 0 out of bounds: shape = [2,3], slice = 0,5:-"},
           {{"w"}, {"2 3 1,2:-"}, {f64}, StatusCode::kInternal,
            "Extent in dimension 0 out of bounds: shape = [2,3], slice = 1,2:-"},
           {{"w"}, {"2 3 -"}, {f64}, StatusCode::kInternal,
            "Mismatching ranks: shape = [2,3], slice = -"},
           {{"w"}, {"garbage"}, {f64}, StatusCode::kInvalidArgument,
            "Need least two elements in shape_and_slice specification: garbage"},
           {{"w"}, {"2 3 x"}, {f64}, StatusCode::kInvalidArgument,
            "Expected a pair of numbers or '-' but got 'x': string = x"},
           {{"w"}, {"2 3"}, {f64}, StatusCode::kInvalidArgument,
            "Expected a pair of numbers or '-' but got '3': string = 3"},
           {{"w"}, {"2 3 0,1,2:-"}, {f64}, StatusCode::kInvalidArgument,
            "Expected a pair of numbers or '-' but got '0,1,2': string = 0,1,2:-"},
           {{"w"}, {"2 3 +1,1:-"}, {f64}, StatusCode::kInvalidArgument,
            "Expected a pair of numbers or '-' but got '+1,1': string = +1,1:-"},
           {{"w"}, {"2 3 19223372036854775808,1:-"}, {f64}, StatusCode::kInvalidArgument,
            "Expected a pair of numbers or '-' but got '19223372036854775808,1': string = "
            "19223372036854775808,1:-"},
           {{"w"}, {"2 3 0,0:-"}, {f64}, StatusCode::kInvalidArgument,
            "Expected non-negative start and positive length but got start = 0, length = 0: "
            "string = 0,0:-"},
           {{"w"}, {"2 3 -1,1:-"}, {f64}, StatusCode::kInvalidArgument,
            "Expected non-negative start and positive length but got start = -1, length = 1: "
            "string = -1,1:-"},
           {{"w"}, {"2  3 0,1:-"}, {f64}, StatusCode::kInvalidArgument,
            "Non numerical dimension in shape_and_slice: 2  3 0,1:-"},
           {{"w"}, {"2 3.0 0,1:-"}, {f64}, StatusCode::kInvalidArgument,
            "Non numerical dimension in shape_and_slice: 2 3.0 0,1:-"},
           {{"b"}, {" "}, {DataType::kBool}, StatusCode::kInvalidArgument,
            "Non numerical dimension in shape_and_slice:  "},
           {{"w", "s"}, {"", ""}, {f64}, StatusCode::kInvalidArgument,
            "Got 2 tensor names, but 1 expected dtypes."},
           {{"w"}, {"", ""}, {f64}, StatusCode::kInvalidArgument,
            "tensor_names and shape_and_slices have different number of elements: 1 vs. 2"},
       }) {
    Status s = Restore(ck, c.names, c.specs, c.dtypes).status();
    EXPECT_EQ(s.code(), c.code) << c.message << "\n got: " << s.ToString();
    EXPECT_EQ(s.message(), c.message);
  }
}

TEST_F(IoOpsTest, RestoreV2InputShapeErrors) {
  ASSERT_TRUE(Save(Path("ck"), {"w"}, {""}, {Tensor::Scalar<float>(1)}).ok());
  KernelRunner r("RestoreV2");
  r.Attr("dtypes", std::vector<DataType>{DataType::kFloat})
      .Input(Strings({Path("ck"), Path("ck")}))
      .Input(Strings({"w"}))
      .Input(Strings({""}));
  EXPECT_EQ(r.Run().status().message(), "Input prefix should have a single element, got 2 instead.");
  KernelRunner scalar_names("RestoreV2");
  scalar_names.Attr("dtypes", std::vector<DataType>{DataType::kFloat})
      .Input(Tensor::Scalar<std::string>(Path("ck")))
      .Input(Tensor::Scalar<std::string>("w"))
      .Input(Tensor::Scalar<std::string>(""));
  EXPECT_EQ(scalar_names.Run().status().message(),
            "Input tensor_names and shape_and_slices should be an 1-D tensors, got [] and [] "
            "instead.");
}

TEST_F(IoOpsTest, RestoreV2MissingFiles) {
  Status s = Restore(Path("nope"), {"w"}, {""}, {DataType::kFloat}).status();
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(),
            "Unsuccessful TensorSliceReader constructor: Failed to find any matching files for " +
                Path("nope"));
  s = Restore("/nonexistent_dir_tf1hub/ck", {"w"}, {""}, {DataType::kFloat}).status();
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(),
            "Unsuccessful TensorSliceReader constructor: Failed to find any matching files for "
            "/nonexistent_dir_tf1hub/ck");

  // An existing path without an index would be a V1 checkpoint to TensorFlow.
  s = Restore(dir_, {"w"}, {""}, {DataType::kFloat}).status();
  EXPECT_EQ(s.code(), StatusCode::kUnimplemented);
  EXPECT_THAT(s.message(), HasSubstr("V1 checkpoint format"));

  // A missing data file: NotFound naming it.
  ASSERT_TRUE(Save(Path("ck"), {"w"}, {""}, {Tensor::Scalar<float>(1)}).ok());
  ASSERT_TRUE(PosixFileSystem()->DeleteFile(Path("ck.data-00000-of-00001")).ok());
  s = Restore(Path("ck"), {"w"}, {""}, {DataType::kFloat}).status();
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_THAT(s.message(), HasSubstr(Path("ck.data-00000-of-00001")));
  // ... but a missing key is found first, as in TensorFlow.
  s = Restore(Path("ck"), {"q"}, {""}, {DataType::kFloat}).status();
  EXPECT_EQ(s.message(), "Key q not found in checkpoint");
}

// ---------------------------------------------------------------------------
// SaveV2 errors (messages from TensorFlow 2.15.1).

TEST_F(IoOpsTest, SaveV2Errors) {
  Status s = Save(Path("c1"), {"a", "b"}, {"", ""}, {Tensor::Scalar<float>(1)}).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "Got 2 tensor names but 1 tensors.");

  s = Save(Path("c2"), {"a", "a"}, {"", ""}, {Tensor::Scalar<float>(1), Tensor::Scalar<float>(2)})
          .status();
  EXPECT_EQ(s.message(), "Adding duplicate key: a");
  s = Save(Path("c2"), {"a", "a"}, {"4 0,2", "4 -"},
           {Make<float>({1, 2}, {2}), Make<float>({1, 2, 3, 4}, {4})})
          .status();
  EXPECT_EQ(s.message(), "Adding duplicate key: a");

  s = Save(Path("c3"), {"a"}, {"4 2 0,2:-"}, {Make<float>({0, 0, 0, 0, 0, 0}, {3, 2})}).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "Slice in shape_and_slice specification does not match the shape of the tensor to  "
            "save: 4 2 0,2:-, tensor: [3,2]");
  s = Save(Path("c4"), {"a"}, {"zz"}, {Tensor::Scalar<float>(1)}).status();
  EXPECT_EQ(s.message(), "Need least two elements in shape_and_slice specification: zz");
  s = Save(Path("c4"), {"a"}, {" "}, {Tensor::Scalar<float>(1)}).status();
  EXPECT_EQ(s.message(), "Non numerical dimension in shape_and_slice:  ");
  s = Save(Path("c4"), {"a"}, {"-2 0,1"}, {Make<float>({1}, {1})}).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);  // TensorFlow check-fails
  EXPECT_EQ(s.message(), "Negative dimension -2 in shape_and_slice: -2 0,1");
  // TensorFlow check-fails on an empty name; tf1hub's writer refuses it.
  s = Save(Path("c5"), {""}, {""}, {Tensor::Scalar<float>(1)}).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);

  // Nothing is left behind by failed saves.
  EXPECT_TRUE(Children().empty()) << ::testing::PrintToString(Children());
}

// ---------------------------------------------------------------------------
// MergeV2Checkpoints.

TEST_F(IoOpsTest, MergesShardsAndDeletesTheirDirectory) {
  // The layout of a sharded tf.compat.v1.train.Saver.
  ASSERT_TRUE(
      Save(Path("model_temp/part-00000-of-00002"), {"a"}, {""}, {Tensor::Scalar<float>(1)}).ok());
  ASSERT_TRUE(
      Save(Path("model_temp/part-00001-of-00002"), {"b"}, {""}, {Tensor::Scalar<int64_t>(2)}).ok());
  StatusOr<std::vector<Tensor>> out = Merge(
      {Path("model_temp/part-00000-of-00002"), Path("model_temp/part-00001-of-00002")},
      Path("model"));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(out->empty());
  EXPECT_THAT(Children(),
              ElementsAre("model.data-00000-of-00002", "model.data-00001-of-00002", "model.index"));
  StatusOr<std::vector<Tensor>> restored =
      Restore(Path("model"), {"a", "b"}, {"", ""}, {DataType::kFloat, DataType::kInt64});
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_EQ((*restored)[0].scalar<float>(), 1.0f);
  EXPECT_EQ((*restored)[1].scalar<int64_t>(), 2);
}

TEST_F(IoOpsTest, MergeKeepsDirectoriesWhenAskedOrNotEmpty) {
  ASSERT_TRUE(Save(Path("t2/p0"), {"a"}, {""}, {Tensor::Scalar<float>(1)}).ok());
  ASSERT_TRUE(Merge({Path("t2/p0")}, Path("m2"), /*delete_old_dirs=*/false).ok());
  EXPECT_TRUE(Children("t2").empty());
  ASSERT_TRUE(Save(Path("t3/p0"), {"a"}, {""}, {Tensor::Scalar<float>(1)}).ok());
  WriteFile("t3/other", "x");
  ASSERT_TRUE(Merge({Path("t3/p0")}, Path("m3")).ok());
  EXPECT_THAT(Children("t3"), ElementsAre("other"));
  // Inputs in the destination's directory: the directory stays.
  ASSERT_TRUE(Save(Path("m4_temp"), {"a"}, {""}, {Tensor::Scalar<float>(1)}).ok());
  ASSERT_TRUE(Merge({Path("m4_temp")}, Path("m4")).ok());
  EXPECT_THAT(Children(), ElementsAre("m2.data-00000-of-00001", "m2.index",
                                      "m3.data-00000-of-00001", "m3.index",
                                      "m4.data-00000-of-00001", "m4.index", "t2", "t3"));
}

TEST_F(IoOpsTest, MergeMissingFiles) {
  Status s = Merge({Path("nope/p0")}, Path("m")).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "allow_missing_files was set to false and " + Path("nope/p0") +
                             " did not exist.NOT_FOUND: " + Path("nope/p0") + " not found");
  s = Merge({Path("nope/p0")}, Path("m"), true, /*allow_missing_files=*/true).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "At least one prefix checkpoint file must exist, but none existed.");

  ASSERT_TRUE(Save(Path("t/p1"), {"a"}, {""}, {Tensor::Scalar<float>(1)}).ok());
  ASSERT_TRUE(Merge({Path("nope/p0"), Path("t/p1")}, Path("m"), true, true).ok());
  StatusOr<std::vector<Tensor>> out = Restore(Path("m"), {"a"}, {""}, {DataType::kFloat});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].scalar<float>(), 1.0f);
  EXPECT_FALSE(Exists("t"));  // its directory was deleted
}

TEST_F(IoOpsTest, MergeErrors) {
  ASSERT_TRUE(Save(Path("t/p0"), {"a"}, {""}, {Tensor::Scalar<float>(1)}).ok());
  ASSERT_TRUE(Save(Path("t/p1"), {"a"}, {""}, {Tensor::Scalar<float>(2)}).ok());
  Status s = Merge({Path("t/p0"), Path("t/p1")}, Path("m")).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("duplicate tensor 'a'"));
  // Nothing was touched.
  EXPECT_THAT(Children("t"), ElementsAre("p0.data-00000-of-00001", "p0.index",
                                         "p1.data-00000-of-00001", "p1.index"));

  s = Merge({Path("t/p0")}, Path("x/y/m")).status();
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), Path("x/y") + "; No such file or directory");

  KernelRunner matrix("MergeV2Checkpoints");
  matrix.Input(Make<std::string>({Path("t/p0")}, {1, 1})).Input(Tensor::Scalar<std::string>("m"));
  EXPECT_EQ(matrix.Run().status().message(),
            "Input checkpoint_prefixes should be an 1-D tensor, got [1,1] instead.");
  KernelRunner vector_dest("MergeV2Checkpoints");
  vector_dest.Input(Strings({Path("t/p0")})).Input(Strings({"m"}));
  EXPECT_EQ(vector_dest.Run().status().message(),
            "Input destination_prefix should be a scalar tensor, got [1] instead.");
  KernelRunner none("MergeV2Checkpoints");
  none.Input(Strings({})).Input(Tensor::Scalar<std::string>(Path("m")));
  EXPECT_EQ(none.Run().status().message(),
            "At least one prefix checkpoint file must exist, but none existed.");
}

// ---------------------------------------------------------------------------
// ShardedFilename / ShardedFilespec (values from TensorFlow).

StatusOr<std::string> ShardedFilename(Tensor base, Tensor shard, Tensor num) {
  KernelRunner r("ShardedFilename");
  r.Input(std::move(base)).Input(std::move(shard)).Input(std::move(num));
  ASSIGN_OR_RETURN(std::vector<Tensor> out, r.Run());
  return out[0].scalar<std::string>();
}

StatusOr<std::string> ShardedFilespec(Tensor base, Tensor num) {
  KernelRunner r("ShardedFilespec");
  r.Input(std::move(base)).Input(std::move(num));
  ASSIGN_OR_RETURN(std::vector<Tensor> out, r.Run());
  return out[0].scalar<std::string>();
}

TEST(ShardedFilenameTest, FormatsLikeTensorFlow) {
  using S = std::string;
  auto str = [](const char* s) { return Tensor::Scalar<S>(s); };
  auto i32 = [](int32_t v) { return Tensor::Scalar<int32_t>(v); };
  EXPECT_EQ(*ShardedFilename(str("a/b"), i32(3), i32(12)), "a/b-00003-of-00012");
  EXPECT_EQ(*ShardedFilename(str("model_temp/part"), i32(0), i32(1)),
            "model_temp/part-00000-of-00001");
  EXPECT_EQ(*ShardedFilename(str("a/b"), i32(123456), i32(1234567)), "a/b-123456-of-1234567");
  EXPECT_EQ(*ShardedFilename(str("a/b"), i32(-1), i32(-2)), "a/b--0001-of--0002");
  EXPECT_EQ(*ShardedFilename(str("100%s"), i32(1), i32(2)), "100%s-00001-of-00002");
  EXPECT_EQ(*ShardedFilespec(str("a/b"), i32(7)), "a/b-\?\?\?\?\?-of-00007");
  EXPECT_EQ(*ShardedFilespec(str("a/b"), i32(-7)), "a/b-\?\?\?\?\?-of--0007");
}

TEST(ShardedFilenameTest, ScalarErrors) {
  Tensor vec_s = Make<std::string>({"a"}, {1});
  Tensor vec_i = Make<int32_t>({1}, {1});
  Tensor s = Tensor::Scalar<std::string>("a");
  Tensor i = Tensor::Scalar<int32_t>(1);
  EXPECT_EQ(ShardedFilename(vec_s, i, i).status().message(),
            "basename must be a scalar, got shape [1]");
  EXPECT_EQ(ShardedFilename(s, vec_i, i).status().message(),
            "shard must be a scalar, got shape [1]");
  EXPECT_EQ(ShardedFilename(s, i, vec_i).status().message(),
            "num_shards must be a scalar, got shape [1]");
  EXPECT_EQ(ShardedFilespec(vec_s, i).status().message(),
            "basename must be a scalar, got shape [1]");
  EXPECT_EQ(ShardedFilespec(s, vec_i).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ShardedFilespec(s, vec_i).status().message(),
            "num_shards must be a scalar, got shape [1]");
}

}  // namespace
}  // namespace tf1hub
