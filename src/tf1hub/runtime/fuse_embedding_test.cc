// The fused embedding lookup (ResourceGather -> [Identity] -> SparseSegment*)
// against the same graph run unfused. Fetching the gathered rows as well
// keeps the plan from fusing, so the unfused kernels (checked against
// TensorFlow in kernels/segment_ops_test.cc and resource_gather_ops_test.cc)
// are the reference: results must match bit for bit, errors word for word.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "tf1hub/kernels/kernel_registry.h"
#include "tf1hub/runtime/graph_state.h"
#include "tf1hub/runtime/graph_test_util.h"
#include "tf1hub/runtime/plan.h"
#include "tf1hub/session.h"

namespace tf1hub {
namespace {

constexpr int kRows = 40, kDim = 5;

Tensor Embeddings() {
  std::vector<float> v;
  for (int i = 0; i < kRows * kDim; ++i)
    v.push_back(0.1f * static_cast<float>(i % 17) - 0.77f / (1 + i % 5));
  return *Tensor::FromVector<float>(v, *TensorShape::Create({kRows, kDim}));
}

template <typename T>
Tensor Vec(std::vector<T> v) {
  const int64_t n = static_cast<int64_t>(v.size());
  return *Tensor::FromVector<T>(v, *TensorShape::Create({n}));
}

// emb[40, 5] -> gather(ids) -> Identity -> `op`(., idx, seg[, num]).
TestGraph LookupGraph(const std::string& op, bool with_identity = true) {
  TestGraph g;
  g.ResourceVariable("emb", Embeddings());
  g.Node("ids", "Placeholder").Type("dtype", DataType::kInt64).UnknownShape("shape");
  g.Placeholder("idx", DataType::kInt32, {-1});
  g.Placeholder("seg", DataType::kInt64, {-1});
  g.Node("gather", "ResourceGather", {"emb", "ids"})
      .Type("dtype", DataType::kFloat)
      .Type("Tindices", DataType::kInt64);
  std::string data = "gather";
  if (with_identity) {
    g.Identity("gather/Identity", "gather", DataType::kFloat);
    data = "gather/Identity";
  }
  if (op.find("WithNumSegments") != std::string::npos) {
    g.Const("num", Tensor::Scalar<int32_t>(9));
    g.Node("reduce", op, {data, "idx", "seg", "num"})
        .Type("T", DataType::kFloat)
        .Type("Tidx", DataType::kInt32)
        .Type("Tsegmentids", DataType::kInt64)
        .Type("Tnumsegments", DataType::kInt32);
  } else {
    g.Node("reduce", op, {data, "idx", "seg"})
        .Type("T", DataType::kFloat)
        .Type("Tidx", DataType::kInt32)
        .Type("Tsegmentids", DataType::kInt64);
  }
  return g;
}

struct Feeds {
  Tensor ids, idx, seg;
};

// Segments of 1, 9, 10, 17 and 3 rows (TensorFlow's grouping changes at 8,
// 9 and 10), with output rows 1 and 4 left empty.
Feeds ManySegments() {
  std::vector<int64_t> ids;
  for (int i = 0; i < 12; ++i) ids.push_back((i * 7 + 3) % kRows);
  std::vector<int32_t> idx;
  std::vector<int64_t> seg;
  const int sizes[] = {1, 9, 10, 17, 3};
  const int64_t rows[] = {0, 2, 3, 5, 7};
  int k = 0;
  for (int s = 0; s < 5; ++s) {
    for (int j = 0; j < sizes[s]; ++j) {
      idx.push_back((k++ * 5) % 12);
      seg.push_back(rows[s]);
    }
  }
  return {Vec(ids), Vec(idx), Vec(seg)};
}

// Runs the graph fetching "reduce" (fused) and {"reduce", "gather"}
// (unfused); returns both statuses/results.
struct Both {
  StatusOr<std::vector<Tensor>> fused, unfused;
};
Both RunBoth(const TestGraph& g, const Feeds& f, bool initialize = true) {
  auto session = Session::Create(g.graph());
  EXPECT_TRUE(session.ok()) << session.status().ToString();
  if (initialize) EXPECT_TRUE((*session)->Run({}, {}, {"emb/Assign"}).ok());
  std::vector<std::pair<std::string, Tensor>> feeds = {
      {"ids", f.ids}, {"idx", f.idx}, {"seg", f.seg}};
  Both b{(*session)->Run(feeds, {"reduce"}, {}), (*session)->Run(feeds, {"reduce", "gather"}, {})};
  return b;
}

bool BitEqual(const Tensor& a, const Tensor& b) {
  return a.dtype() == b.dtype() && a.shape() == b.shape() &&
         std::memcmp(a.raw_data(), b.raw_data(), a.NumElements() * sizeof(float)) == 0;
}

TEST(FuseEmbeddingTest, SameBitsAsUnfused) {
  for (const char* op : {"SparseSegmentSum", "SparseSegmentMean", "SparseSegmentSqrtN",
                         "SparseSegmentSumWithNumSegments", "SparseSegmentMeanWithNumSegments",
                         "SparseSegmentSqrtNWithNumSegments"}) {
    for (bool identity : {true, false}) {
      Both b = RunBoth(LookupGraph(op, identity), ManySegments());
      ASSERT_TRUE(b.fused.ok()) << op << ": " << b.fused.status().ToString();
      ASSERT_TRUE(b.unfused.ok()) << op << ": " << b.unfused.status().ToString();
      EXPECT_TRUE(BitEqual((*b.fused)[0], (*b.unfused)[0])) << op;
      EXPECT_EQ((*b.fused)[0].shape().dim(0),
                std::string(op).find("Num") != std::string::npos ? 9 : 8);
    }
  }
}

TEST(FuseEmbeddingTest, HandValues) {
  // Rows 2 and 5 of emb, summed and divided by sqrt(2) (a short segment:
  // multiplied by the reciprocal, as TensorFlow does).
  Both b = RunBoth(LookupGraph("SparseSegmentSqrtN"),
                   {Vec<int64_t>({5, 2}), Vec<int32_t>({1, 0}), Vec<int64_t>({0, 0})});
  ASSERT_TRUE(b.fused.ok()) << b.fused.status().ToString();
  const Tensor emb = Embeddings();
  const float* e = emb.flat<float>().data();
  for (int c = 0; c < kDim; ++c) {
    const float want = (e[2 * kDim + c] + e[5 * kDim + c]) * (1.0f / std::sqrt(2.0f));
    EXPECT_EQ((*b.fused)[0].flat<float>()[c], want) << c;
  }
}

TEST(FuseEmbeddingTest, IdsOfOtherRanks) {
  // ids [2, 2]: the gathered data is [2, 2, 5], rows of 10 values.
  Feeds f{*Tensor::FromVector<int64_t>({1, 2, 3, 4}, *TensorShape::Create({2, 2})),
          Vec<int32_t>({1, 0, 1}), Vec<int64_t>({0, 0, 1})};
  Both b = RunBoth(LookupGraph("SparseSegmentMean"), f);
  ASSERT_TRUE(b.fused.ok()) << b.fused.status().ToString();
  ASSERT_TRUE(b.unfused.ok());
  EXPECT_TRUE(BitEqual((*b.fused)[0], (*b.unfused)[0]));
  EXPECT_EQ((*b.fused)[0].shape().DebugString(), "[2,2,5]");
}

TEST(FuseEmbeddingTest, EmptyInputs) {
  Both b = RunBoth(LookupGraph("SparseSegmentSumWithNumSegments"),
                   {Vec<int64_t>({}), Vec<int32_t>({}), Vec<int64_t>({})});
  ASSERT_TRUE(b.fused.ok()) << b.fused.status().ToString();
  EXPECT_TRUE(BitEqual((*b.fused)[0], (*b.unfused)[0]));
}

TEST(FuseEmbeddingTest, ErrorsNameTheirNode) {
  auto expect_same = [](const Both& b, const std::string& node) {
    ASSERT_FALSE(b.fused.ok());
    EXPECT_EQ(b.fused.status().code(), b.unfused.status().code());
    EXPECT_EQ(b.fused.status().message(), b.unfused.status().message());
    EXPECT_THAT(b.fused.status().message(), ::testing::EndsWith("[[{{node " + node + "}}]]"));
  };
  const TestGraph g = LookupGraph("SparseSegmentSqrtN");
  // A gather index out of range: the gather's error.
  Both b = RunBoth(g, {Vec<int64_t>({1, 40}), Vec<int32_t>({0, 1}), Vec<int64_t>({0, 1})});
  expect_same(b, "gather");
  EXPECT_THAT(b.fused.status().message(),
              ::testing::StartsWith("indices[1] = 40 is not in [0, 40)"));
  // An index into the gathered rows out of range: the reduction's.
  b = RunBoth(g, {Vec<int64_t>({1, 2}), Vec<int32_t>({0, 2}), Vec<int64_t>({0, 1})});
  expect_same(b, "reduce");
  EXPECT_THAT(b.fused.status().message(), ::testing::StartsWith("Bad: indices[1] == 2"));
  // Unsorted segment ids.
  b = RunBoth(g, {Vec<int64_t>({1, 2}), Vec<int32_t>({0, 1}), Vec<int64_t>({1, 0})});
  expect_same(b, "reduce");
  // The variable not initialized.
  b = RunBoth(g, ManySegments(), /*initialize=*/false);
  expect_same(b, "gather");
}

// The ops of the plan compiled for `fetches` (kernels from the registry).
std::vector<std::string> PlanOps(const TestGraph& graph, const std::vector<std::string>& feeds,
                                 const std::vector<std::string>& fetches,
                                 bool* names_own_errors = nullptr) {
  auto state = GraphState::Create(graph.graph());
  EXPECT_TRUE(state.ok()) << state.status().ToString();
  if (!state.ok()) return {};
  const GraphState& g = **state;
  KernelProvider kernels = [&](int node) -> StatusOr<std::shared_ptr<OpKernel>> {
    const NodeInfo& n = g.node(node);
    KernelConstruction c(n.def, *n.op_def, n.input_types, n.input_is_ref, n.output_types,
                         n.output_is_ref);
    ASSIGN_OR_RETURN(std::unique_ptr<OpKernel> k, KernelRegistry::Global().CreateKernel(c));
    return std::shared_ptr<OpKernel>(std::move(k));
  };
  auto plan = CompilePlan(*state, feeds, fetches, {}, kernels);
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  if (!plan.ok()) return {};
  std::vector<std::string> ops;
  for (const PlanStep& s : (*plan)->steps) ops.push_back(g.node(s.node).def.op());
  if (names_own_errors != nullptr) *names_own_errors = (*plan)->steps.back().names_own_errors;
  return ops;
}

// The plan has one fused step in place of gather, Identity and reduce —
// unless the gathered rows are fetched too.
TEST(FuseEmbeddingTest, PlanSteps) {
  const TestGraph g = LookupGraph("SparseSegmentSqrtN");
  bool names_own_errors = false;
  EXPECT_THAT(PlanOps(g, {"ids", "idx", "seg"}, {"reduce"}, &names_own_errors),
              ::testing::ElementsAre("VarHandleOp", "SparseSegmentSqrtN"));
  EXPECT_TRUE(names_own_errors);
  EXPECT_THAT(PlanOps(g, {"ids", "idx", "seg"}, {"reduce", "gather/Identity"}),
              ::testing::ElementsAre("VarHandleOp", "ResourceGather", "Identity",
                                     "SparseSegmentSqrtN"));
}

// ---------------------------------------------------------------------------
// Unique folded in: x -> Unique -> (y -> gather -> Identity, idx) -> `op`.

TestGraph UniqueLookupGraph(const std::string& op) {
  TestGraph g;
  g.ResourceVariable("emb", Embeddings());
  g.Node("x", "Placeholder").Type("dtype", DataType::kInt64).UnknownShape("shape");
  g.Placeholder("seg", DataType::kInt64, {-1});
  g.Node("unique", "Unique", {"x"}).Type("T", DataType::kInt64).Type("out_idx", DataType::kInt32);
  g.Node("gather", "ResourceGather", {"emb", "unique"})
      .Type("dtype", DataType::kFloat)
      .Type("Tindices", DataType::kInt64);
  g.Identity("gather/Identity", "gather", DataType::kFloat);
  if (op.find("WithNumSegments") != std::string::npos) {
    g.Const("num", Tensor::Scalar<int32_t>(9));
    g.Node("reduce", op, {"gather/Identity", "unique:1", "seg", "num"})
        .Type("T", DataType::kFloat)
        .Type("Tidx", DataType::kInt32)
        .Type("Tsegmentids", DataType::kInt64)
        .Type("Tnumsegments", DataType::kInt32);
  } else {
    g.Node("reduce", op, {"gather/Identity", "unique:1", "seg"})
        .Type("T", DataType::kFloat)
        .Type("Tidx", DataType::kInt32)
        .Type("Tsegmentids", DataType::kInt64);
  }
  return g;
}

// "reduce" fetched alone (Unique folded in), with Unique's idx (gather and
// reduction fused, Unique run), and with the gathered rows (nothing fused).
struct Three {
  StatusOr<std::vector<Tensor>> folded, fused, unfused;
};
Three RunThree(const TestGraph& g, const Tensor& x, const Tensor& seg, bool initialize = true) {
  auto session = Session::Create(g.graph());
  EXPECT_TRUE(session.ok()) << session.status().ToString();
  if (initialize) EXPECT_TRUE((*session)->Run({}, {}, {"emb/Assign"}).ok());
  std::vector<std::pair<std::string, Tensor>> feeds = {{"x", x}, {"seg", seg}};
  return {(*session)->Run(feeds, {"reduce"}, {}), (*session)->Run(feeds, {"reduce", "unique:1"}, {}),
          (*session)->Run(feeds, {"reduce", "gather"}, {})};
}

// ids with repeats, in segments of 1, 9, 10, 17 and 3 rows.
std::pair<Tensor, Tensor> RepeatedIds() {
  std::vector<int64_t> x, seg;
  const int sizes[] = {1, 9, 10, 17, 3};
  const int64_t rows[] = {0, 2, 3, 5, 7};
  int k = 0;
  for (int s = 0; s < 5; ++s) {
    for (int j = 0; j < sizes[s]; ++j, ++k) {
      x.push_back((k * 7 + 3) % 13);  // 13 distinct ids, each repeated
      seg.push_back(rows[s]);
    }
  }
  return {Vec(x), Vec(seg)};
}

TEST(FuseEmbeddingTest, UniqueFoldedSameBits) {
  const auto [x, seg] = RepeatedIds();
  for (const char* op : {"SparseSegmentSum", "SparseSegmentMean", "SparseSegmentSqrtN",
                         "SparseSegmentSumWithNumSegments", "SparseSegmentMeanWithNumSegments",
                         "SparseSegmentSqrtNWithNumSegments"}) {
    Three t = RunThree(UniqueLookupGraph(op), x, seg);
    ASSERT_TRUE(t.folded.ok()) << op << ": " << t.folded.status().ToString();
    ASSERT_TRUE(t.fused.ok()) << op << ": " << t.fused.status().ToString();
    ASSERT_TRUE(t.unfused.ok()) << op << ": " << t.unfused.status().ToString();
    EXPECT_TRUE(BitEqual((*t.folded)[0], (*t.unfused)[0])) << op;
    EXPECT_TRUE(BitEqual((*t.fused)[0], (*t.unfused)[0])) << op;
  }
}

TEST(FuseEmbeddingTest, UniqueFoldedErrorsAreTheUnfusedOnes) {
  auto expect_same = [](const Three& t, const std::string& node) {
    ASSERT_FALSE(t.unfused.ok());
    for (const auto* r : {&t.folded, &t.fused}) {
      ASSERT_FALSE(r->ok());
      EXPECT_EQ(r->status().code(), t.unfused.status().code());
      EXPECT_EQ(r->status().message(), t.unfused.status().message());
    }
    EXPECT_THAT(t.unfused.status().message(), ::testing::EndsWith("[[{{node " + node + "}}]]"));
  };
  const TestGraph g = UniqueLookupGraph("SparseSegmentSqrtN");
  // An id out of range at x[3], which is y[2]: the gather's error names
  // its position among the unique ids.
  Three t = RunThree(g, Vec<int64_t>({3, 3, 5, 40, 40}), Vec<int64_t>({0, 0, 1, 1, 2}));
  expect_same(t, "gather");
  EXPECT_THAT(t.folded.status().message(),
              ::testing::StartsWith("indices[2] = 40 is not in [0, 40)"));
  t = RunThree(g, Vec<int64_t>({-1}), Vec<int64_t>({0}));
  expect_same(t, "gather");
  // A bad id in a later segment than an unsorted pair of segment ids: the
  // gather's error still comes first, as in the unfused order.
  t = RunThree(g, Vec<int64_t>({1, 2, 3, 41}), Vec<int64_t>({1, 0, 2, 3}));
  expect_same(t, "gather");
  EXPECT_THAT(t.folded.status().message(),
              ::testing::StartsWith("indices[3] = 41 is not in [0, 40)"));
  // Unique's own check.
  t = RunThree(g, *Tensor::FromVector<int64_t>({1, 2, 3, 4}, *TensorShape::Create({2, 2})),
               Vec<int64_t>({0, 0, 0, 0}));
  expect_same(t, "unique");
  EXPECT_THAT(t.folded.status().message(), ::testing::StartsWith("unique expects a 1D vector."));
  // The reduction's checks: sizes, unsorted segment ids.
  t = RunThree(g, Vec<int64_t>({1, 2}), Vec<int64_t>({0}));
  expect_same(t, "reduce");
  t = RunThree(g, Vec<int64_t>({1, 2}), Vec<int64_t>({1, 0}));
  expect_same(t, "reduce");
  // The variable not initialized.
  const auto [x, seg] = RepeatedIds();
  t = RunThree(g, x, seg, /*initialize=*/false);
  expect_same(t, "gather");
}

TEST(FuseEmbeddingTest, UniqueFoldedEmptyIds) {
  Three t = RunThree(UniqueLookupGraph("SparseSegmentSumWithNumSegments"), Vec<int64_t>({}),
                     Vec<int64_t>({}));
  ASSERT_TRUE(t.folded.ok()) << t.folded.status().ToString();
  ASSERT_TRUE(t.unfused.ok());
  EXPECT_TRUE(BitEqual((*t.folded)[0], (*t.unfused)[0]));
}

// Unique's step is gone when its outputs feed only the fused step, and
// stays when idx is fetched.
TEST(FuseEmbeddingTest, UniqueFoldedPlanSteps) {
  const TestGraph g = UniqueLookupGraph("SparseSegmentSqrtN");
  EXPECT_THAT(PlanOps(g, {"x", "seg"}, {"reduce"}),
              ::testing::ElementsAre("VarHandleOp", "SparseSegmentSqrtN"));
  EXPECT_THAT(PlanOps(g, {"x", "seg"}, {"reduce", "unique:1"}),
              ::testing::ElementsAre("VarHandleOp", "Unique", "SparseSegmentSqrtN"));
}

}  // namespace
}  // namespace tf1hub
