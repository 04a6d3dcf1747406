// Tests of segment_ops.cc (SparseSegmentSum/Mean/SqrtN and the
// *WithNumSegments variants). Values by hand, or marked "TF 2.15.1"
// (TensorFlow 2.15.1 in the oracle venv, same inputs).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tf1hub/kernels/sparse_test_util.h"

namespace tf1hub {
namespace {

using namespace sparse_test;  // NOLINT(build/namespaces)
using ::testing::ElementsAre;
using ::testing::FloatEq;
using ::testing::Pointwise;

StatusOr<Tensor> Segment(const std::string& op, const Tensor& data, const Tensor& indices,
                         const Tensor& ids, std::optional<Tensor> num_segments = std::nullopt) {
  KernelRunner r(num_segments.has_value() ? op + "WithNumSegments" : op);
  r.Attr("T", data.dtype()).Attr("Tidx", indices.dtype()).Attr("Tsegmentids", ids.dtype());
  r.Input(data).Input(indices).Input(ids);
  if (num_segments.has_value()) r.Attr("Tnumsegments", num_segments->dtype()).Input(*num_segments);
  ASSIGN_OR_RETURN(std::vector<Tensor> out, r.Run());
  return out[0];
}

std::string SegmentError(const std::string& op, const Tensor& data, const Tensor& indices,
                         const Tensor& ids, std::optional<Tensor> num_segments = std::nullopt) {
  StatusOr<Tensor> out = Segment(op, data, indices, ids, std::move(num_segments));
  return out.ok() ? std::string("OK") : std::string(out.status().message());
}

Tensor Data3x2() { return Make<float>({1, 2, 3, 4, 5, 6}, {3, 2}); }

TEST(SparseSegmentTest, SumMeanSqrtNWithEmptySegments) {
  const Tensor idx = Vec<int32_t>({0, 1, 2, 0});
  const Tensor ids = Vec<int32_t>({0, 0, 2, 2});
  Tensor sum = Segment("SparseSegmentSum", Data3x2(), idx, ids).value();
  EXPECT_EQ(sum.shape().DebugString(), "[3,2]");
  EXPECT_THAT(Values<float>(sum), ElementsAre(4, 6, 0, 0, 6, 8));
  Tensor mean = Segment("SparseSegmentMean", Data3x2(), idx, ids).value();
  EXPECT_THAT(Values<float>(mean), ElementsAre(2, 3, 0, 0, 3, 4));
  // TF 2.15.1: 4/sqrt(2), 6/sqrt(2), ...
  Tensor sqrtn = Segment("SparseSegmentSqrtN", Data3x2(), idx, ids).value();
  EXPECT_THAT(Values<float>(sqrtn),
              Pointwise(FloatEq(), {2.828427f, 4.2426405f, 0.f, 0.f, 4.2426405f, 5.656854f}));
  // A leading gap and int64 ids/indices.
  Tensor gap =
      Segment("SparseSegmentSum", Data3x2(), Vec<int64_t>({0, 1, 2, 0}), Vec<int64_t>({1, 1, 3, 3}))
          .value();
  EXPECT_EQ(gap.shape().DebugString(), "[4,2]");
  EXPECT_THAT(Values<float>(gap), ElementsAre(0, 0, 4, 6, 0, 0, 6, 8));
}

TEST(SparseSegmentTest, HigherRankDataAndDuplicates) {
  // data [2,2,2]; three picks of row 1 into segment 1.
  Tensor d = Make<double>({1, 2, 3, 4, 5, 6, 7, 8}, {2, 2, 2});
  Tensor out =
      Segment("SparseSegmentSum", d, Vec<int64_t>({0, 1, 1}), Vec<int32_t>({1, 1, 1})).value();
  EXPECT_EQ(out.shape().DebugString(), "[2,2,2]");
  EXPECT_THAT(Values<double>(out), ElementsAre(0, 0, 0, 0, 11, 14, 17, 20));
}

TEST(SparseSegmentTest, EmptyInputs) {
  Tensor a = Segment("SparseSegmentSum", Data3x2(), Vec<int32_t>({}), Vec<int32_t>({})).value();
  EXPECT_EQ(a.shape().DebugString(), "[0,2]");
  // Zero columns: shape only (TF 2.15.1: [1,0]).
  Tensor b =
      Segment("SparseSegmentMean", Make<float>({}, {3, 0}), Vec<int32_t>({0}), Vec<int32_t>({0}))
          .value();
  EXPECT_EQ(b.shape().DebugString(), "[1,0]");
  Tensor c =
      Segment("SparseSegmentSum", Make<float>({}, {0, 2}), Vec<int32_t>({}), Vec<int32_t>({}))
          .value();
  EXPECT_EQ(c.shape().DebugString(), "[0,2]");
}

TEST(SparseSegmentTest, WithNumSegments) {
  const Tensor idx = Vec<int32_t>({0, 1, 2, 0});
  const Tensor ids = Vec<int32_t>({0, 0, 2, 2});
  Tensor a = Segment("SparseSegmentSum", Data3x2(), idx, ids, Scalar<int32_t>(5)).value();
  EXPECT_EQ(a.shape().DebugString(), "[5,2]");
  EXPECT_THAT(Values<float>(a), ElementsAre(4, 6, 0, 0, 6, 8, 0, 0, 0, 0));
  Tensor b = Segment("SparseSegmentMean", Data3x2(), idx, ids, Scalar<int64_t>(3)).value();
  EXPECT_THAT(Values<float>(b), ElementsAre(2, 3, 0, 0, 3, 4));
  Tensor c = Segment("SparseSegmentSqrtN", Data3x2(), Vec<int32_t>({}), Vec<int32_t>({}),
                     Scalar<int64_t>(3))
                 .value();
  EXPECT_THAT(Values<float>(c), ElementsAre(0, 0, 0, 0, 0, 0));
  Tensor d =
      Segment("SparseSegmentSum", Data3x2(), Vec<int32_t>({}), Vec<int32_t>({}), Scalar<int32_t>(0))
          .value();
  EXPECT_EQ(d.shape().DebugString(), "[0,2]");
}

// TensorFlow groups a segment's rows as: the first n % 8 (8 or 9 rows when
// n % 8 is 0 or 1), then blocks of 8 summed on their own. With 2^24 first,
// adding 1s one at a time is lost in float32, a block of eight 1s is not.
TEST(SparseSegmentTest, SummationOrderIsTensorFlows) {
  for (auto [n, expected_sum, expected_mean] :
       std::vector<std::tuple<int, float, float>>{{9, 16777216.f, 1864135.1f},
                                                  {10, 16777224.f, 1677722.4f},
                                                  {11, 16777224.f, 1525202.1f},
                                                  {17, 16777224.f, 986895.5f}}) {
    std::vector<float> d(static_cast<size_t>(n), 1.f);
    d[0] = 16777216.f;
    std::vector<int32_t> idx, ids(static_cast<size_t>(n), 0);
    for (int i = 0; i < n; ++i) idx.push_back(i);
    const Tensor data = Make<float>(d, {n, 1});
    // TF 2.15.1.
    EXPECT_EQ(Values<float>(Segment("SparseSegmentSum", data, Vec(idx), Vec(ids)).value())[0],
              expected_sum)
        << n;
    EXPECT_FLOAT_EQ(
        Values<float>(Segment("SparseSegmentMean", data, Vec(idx), Vec(ids)).value())[0],
        expected_mean)
        << n;
  }
  // TF 2.15.1, bit for bit: sqrt(3) and 4/sqrt(4) and a 12-row segment.
  const Tensor x = Make<float>({0.1f, 0.2f, 0.7f}, {3, 1});
  Tensor a = Segment("SparseSegmentSqrtN", x, Vec<int64_t>({0, 1, 2, 0, 1, 2, 1}),
                     Vec<int64_t>({0, 0, 0, 1, 1, 1, 1}))
                 .value();
  EXPECT_EQ(Values<float>(a)[0], 0x1.279a74p-1f);
  EXPECT_EQ(Values<float>(a)[1], 0x1.333334p-1f);
  Tensor b = Segment("SparseSegmentSqrtN", x, Vec<int32_t>({0, 1, 2, 0, 1, 2, 1, 2, 2, 2, 0, 0}),
                     Vec<int32_t>(std::vector<int32_t>(12, 0)))
                 .value();
  EXPECT_EQ(Values<float>(b)[0], 0x1.4c8dc4p+0f);
}

TEST(SparseSegmentTest, HalfAndBFloat16AccumulateInFloat) {
  // TF 2.15.1: half [2048, 1 x 12] sums to 2060 (half steps would stay 2048).
  std::vector<float> v(13, 1.f);
  v[0] = 2048.f;
  std::vector<int32_t> idx, ids(13, 0);
  for (int i = 0; i < 13; ++i) idx.push_back(i);
  EXPECT_THAT(
      FloatsOf(Segment("SparseSegmentSum", HalfTensor(v, {13, 1}), Vec(idx), Vec(ids)).value()),
      ElementsAre(2060.f));
  // TF 2.15.1: mean and sqrtn of [2048, 1, 1] in half: 683.5 and 1184.
  const Tensor h3 = HalfTensor({2048, 1, 1}, {3, 1});
  const Tensor i3 = Vec<int32_t>({0, 1, 2});
  const Tensor s3 = Vec<int32_t>({0, 0, 0});
  EXPECT_THAT(FloatsOf(Segment("SparseSegmentMean", h3, i3, s3).value()), ElementsAre(683.5f));
  EXPECT_THAT(FloatsOf(Segment("SparseSegmentSqrtN", h3, i3, s3).value()), ElementsAre(1184.f));
  // TF 2.15.1: bfloat16 [256, 1, 1] sums to 258.
  EXPECT_THAT(
      FloatsOf(Segment("SparseSegmentSum", BFloat16Tensor({256, 1, 1}, {3, 1}), i3, s3).value()),
      ElementsAre(258.f));
  EXPECT_THAT(
      FloatsOf(Segment("SparseSegmentMean", BFloat16Tensor({2048, 1, 1}, {3, 1}), i3, s3).value()),
      ElementsAre(684.f));
}

TEST(SparseSegmentTest, IntegerSumsWrapAround) {
  // TF 2.15.1.
  Tensor a = Segment("SparseSegmentSum", Make<int32_t>({2147483647, 1}, {2, 1}),
                     Vec<int64_t>({0, 1}), Vec<int64_t>({0, 0}))
                 .value();
  EXPECT_THAT(Values<int32_t>(a), ElementsAre(-2147483648));
  Tensor b = Segment("SparseSegmentSum", Make<uint8_t>({200, 100}, {2, 1}), Vec<int64_t>({0, 1}),
                     Vec<int64_t>({0, 0}))
                 .value();
  EXPECT_THAT(Values<uint8_t>(b), ElementsAre(44));
  Tensor c = Segment("SparseSegmentSum", Make<int8_t>({-128, -1, 5}, {3, 1}),
                     Vec<int32_t>({0, 1, 2, 2}), Vec<int32_t>({0, 0, 1, 1}))
                 .value();
  EXPECT_THAT(Values<int8_t>(c), ElementsAre(127, 10));
  Tensor d = Segment("SparseSegmentSum", Make<uint64_t>({1, 2}, {2, 1}), Vec<int32_t>({1, 1}),
                     Vec<int32_t>({0, 1}))
                 .value();
  EXPECT_THAT(Values<uint64_t>(d), ElementsAre(2, 2));
}

TEST(SparseSegmentTest, SegmentErrors) {
  // Messages and precedence: TF 2.15.1.
  const Tensor d = Data3x2();
  for (const char* op : {"SparseSegmentSum", "SparseSegmentMean", "SparseSegmentSqrtN"}) {
    EXPECT_EQ(SegmentError(op, d, Vec<int32_t>({0, 1, 2, 0}), Vec<int32_t>({0, 0, 2, 1})),
              "segment ids are not increasing");
    EXPECT_EQ(SegmentError(op, d, Vec<int32_t>({0, 1, 3, 0}), Vec<int32_t>({0, 0, 2, 2})),
              "Bad: indices[2] == 3 out of range [0, 3)");
    EXPECT_EQ(SegmentError(op, d, Vec<int32_t>({0, 1, -1, 0}), Vec<int32_t>({0, 0, 2, 2})),
              "Bad: indices[2] == -1 out of range [0, 3)");
    EXPECT_EQ(SegmentError(op, d, Vec<int32_t>({0, 1, 2, 0}), Vec<int32_t>({-1, 0, 2, 2})),
              "Segment id -1 out of range [0, 3), possibly because 'segment_ids' input is not "
              "sorted.");
    EXPECT_EQ(SegmentError(op, d, Vec<int32_t>({0, 1, 2}), Vec<int32_t>({0, 0, 2, 2})),
              "segment_ids and indices should have same size.");
    EXPECT_EQ(SegmentError(op, d, Make<int32_t>({0}, {1, 1}), Vec<int32_t>({0})),
              "indices should be a vector.");
    EXPECT_EQ(SegmentError(op, d, Vec<int32_t>({0}), Make<int32_t>({0}, {1, 1})),
              "segment_ids should be a vector.");
    EXPECT_EQ(SegmentError(op, Scalar<float>(5), Vec<int32_t>({0}), Vec<int32_t>({0})),
              "Shape must be at least rank 1");
    EXPECT_EQ(SegmentError(op, Scalar<float>(5), Make<int32_t>({0}, {1, 1}), Vec<int32_t>({0})),
              "indices should be a vector.");
    EXPECT_EQ(SegmentError(op, Make<float>({}, {0, 2}), Vec<int32_t>({0}), Vec<int32_t>({0})),
              "Bad: indices[0] == 0 out of range [0, 0)");
    EXPECT_EQ(SegmentError(op, d, Vec<int32_t>({0, 1, 2, 0}), Vec<int32_t>({0, 0, 2, -5})),
              "segment ids must be >= 0");
    EXPECT_EQ(SegmentError(op, d, Vec<int32_t>({0}), Vec<int32_t>({-1})),
              "segment ids must be >= 0");
    // The next segment's order is checked before this segment's indices.
    EXPECT_EQ(SegmentError(op, d, Vec<int32_t>({0, 1, 9, 0}), Vec<int32_t>({0, 0, 2, 1})),
              "segment ids are not increasing");
    EXPECT_EQ(SegmentError(op, d, Vec<int32_t>({0, 9, 1, 1}), Vec<int32_t>({0, 0, 0, 0})),
              "Bad: indices[1] == 9 out of range [0, 3)");
    EXPECT_EQ(SegmentError(op, d, Vec<int32_t>({0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 9, 9}),
                           Vec<int32_t>(std::vector<int32_t>(13, 0))),
              "Bad: indices[11] == 9 out of range [0, 3)");
  }
  EXPECT_EQ(SegmentError("SparseSegmentSum", d, Vec<int32_t>({0}), Vec<int32_t>({2147483647})),
            "Last segment id must be < kintmax, got 2147483647 limit 2147483647");
  EXPECT_EQ(
      SegmentError("SparseSegmentSum", d, Vec<int64_t>({0}), Vec<int64_t>({9223372036854775807LL})),
      "Last segment id must be < kintmax, got 9223372036854775807 limit "
      "9223372036854775807");
}

TEST(SparseSegmentTest, NumSegmentsErrors) {
  // TF 2.15.1.
  const Tensor d = Data3x2();
  const Tensor idx = Vec<int32_t>({0, 1, 2, 0});
  const Tensor ids = Vec<int32_t>({0, 0, 2, 2});
  EXPECT_EQ(SegmentError("SparseSegmentSum", d, idx, ids, Scalar<int32_t>(2)),
            "segment ids must be < num_segments");
  EXPECT_EQ(SegmentError("SparseSegmentMean", d, idx, ids, Vec<int32_t>({3})),
            "num_segments should be a scalar, not shape [1]");
  // num_segments is checked before everything else.
  EXPECT_EQ(SegmentError("SparseSegmentSum", d, Vec<int32_t>({0}), Vec<int32_t>({0, 1}),
                         Vec<int32_t>({3})),
            "num_segments should be a scalar, not shape [1]");
  EXPECT_EQ(SegmentError("SparseSegmentSum", Scalar<float>(1), Make<int32_t>({0}, {1, 1}),
                         Vec<int32_t>({0}), Scalar<int32_t>(-1)),
            "segment ids must be >= 0");
  EXPECT_EQ(SegmentError("SparseSegmentSqrtN", d, idx, ids, Scalar<int64_t>(-1)),
            "segment ids must be >= 0");
  EXPECT_EQ(SegmentError("SparseSegmentSum", d, Vec<int32_t>({0}), Vec<int32_t>({-1}),
                         Scalar<int64_t>(0)),
            "segment ids must be >= 0");
  EXPECT_EQ(SegmentError("SparseSegmentSum", d, Vec<int32_t>({0}), Vec<int32_t>({-1}),
                         Scalar<int64_t>(1)),
            "Segment id -1 out of range [0, 1), possibly because 'segment_ids' input is not "
            "sorted.");
  EXPECT_EQ(SegmentError("SparseSegmentSum", d, Vec<int32_t>({0, 1}), Vec<int32_t>({0, 3, 2}),
                         Scalar<int32_t>(4)),
            "segment_ids and indices should have same size.");
  EXPECT_EQ(SegmentError("SparseSegmentSum", d, Vec<int32_t>({0}), Vec<int32_t>({2147483647}),
                         Scalar<int64_t>(5)),
            "Last segment id must be < kintmax, got 2147483647 limit 2147483647");
}

TEST(SparseSegmentTest, DtypesOutsideTheOpDefHaveNoKernel) {
  EXPECT_NE(SegmentError("SparseSegmentMean", Make<int32_t>({1}, {1, 1}), Vec<int32_t>({0}),
                         Vec<int32_t>({0})),
            "OK");
}

}  // namespace
}  // namespace tf1hub
