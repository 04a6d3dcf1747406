#include "tf1hub/session.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tf1hub/runtime/graph_test_util.h"

namespace tf1hub {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<float> Values(const Tensor& t) {
  auto f = t.flat<float>();
  return std::vector<float>(f.begin(), f.end());
}

std::unique_ptr<Session> MustCreate(const TestGraph& g) {
  StatusOr<std::unique_ptr<Session>> s = Session::Create(g.graph());
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s).value() : nullptr;
}

// A resource counter "count" (int32, starts at 0 after "count/Assign") and
// "bump" adding 1 to it, for observing which nodes ran.
void AddCounter(TestGraph& g) {
  g.ResourceVariable("count", Tensor::Scalar<int32_t>(0));
  g.Const("one", Tensor::Scalar<int32_t>(1));
  g.Node("bump", "AssignAddVariableOp", {"count", "one"}).Type("dtype", DataType::kInt32);
}

int32_t ReadCounter(Session& s) {
  StatusOr<std::vector<Tensor>> out = s.Run({}, {"count/Read"}, {});
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? (*out)[0].scalar<int32_t>() : -1;
}

TEST(SessionTest, ConstThroughIdentity) {
  TestGraph g;
  g.Const("c", FloatTensor({1, 2, 3}, {3}));
  g.Identity("y", "c", DataType::kFloat);
  auto s = MustCreate(g);
  StatusOr<std::vector<Tensor>> out = s->Run({}, {"y:0", "y", "c"}, {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->size(), 3u);
  EXPECT_THAT(Values((*out)[0]), ElementsAre(1, 2, 3));
  EXPECT_THAT(Values((*out)[1]), ElementsAre(1, 2, 3));
  EXPECT_EQ((*out)[0].shape().DebugString(), "[3]");
}

TEST(SessionTest, FeedPlaceholder) {
  TestGraph g;
  g.Placeholder("x", DataType::kFloat, {-1, 2});
  g.Identity("y", "x", DataType::kFloat);
  auto s = MustCreate(g);
  StatusOr<std::vector<Tensor>> out = s->Run({{"x", FloatTensor({1, 2, 3, 4}, {2, 2})}}, {"y"}, {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_THAT(Values((*out)[0]), ElementsAre(1, 2, 3, 4));
  EXPECT_EQ((*out)[0].shape().DebugString(), "[2,2]");
}

TEST(SessionTest, UnfedPlaceholderIsTensorFlowsError) {
  TestGraph g;
  g.Placeholder("x", DataType::kFloat, {-1, 50});
  g.Identity("y", "x", DataType::kFloat);
  g.Placeholder("s", DataType::kInt64, {});
  g.Node("u", "Placeholder").Type("dtype", DataType::kFloat).UnknownShape("shape");
  auto s = MustCreate(g);
  StatusOr<std::vector<Tensor>> out = s->Run({}, {"y"}, {});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(out.status().message(),
            "You must feed a value for placeholder tensor 'x' with dtype float and shape [?,50]"
            "\n\t [[{{node x}}]]");
  // Scalars and unknown ranks print no shape (as TensorFlow 2.15).
  EXPECT_EQ(s->Run({}, {"s"}, {}).status().message(),
            "You must feed a value for placeholder tensor 's' with dtype int64\n\t [[{{node s}}]]");
  EXPECT_EQ(s->Run({}, {"u"}, {}).status().message(),
            "You must feed a value for placeholder tensor 'u' with dtype float\n\t [[{{node u}}]]");
}

TEST(SessionTest, PrunesToWhatFetchesNeed) {
  TestGraph g;
  AddCounter(g);
  g.Placeholder("unfed", DataType::kFloat, {2});
  g.Identity("needs_unfed", "unfed", DataType::kFloat);
  g.Const("c", FloatTensor({5}, {1}));
  g.Node("y", "Identity", {"c", "^bump"}).Type("T", DataType::kFloat);
  g.Identity("z", "c", DataType::kFloat);
  auto s = MustCreate(g);
  ASSERT_TRUE(s->Run({}, {}, {"count/Assign"}).ok());
  // "z" needs neither the unfed placeholder nor the counter.
  StatusOr<std::vector<Tensor>> out = s->Run({}, {"z"}, {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_THAT(Values((*out)[0]), ElementsAre(5));
  EXPECT_EQ(ReadCounter(*s), 0);
  // "y" has a control dependency on "bump": it runs once per Run.
  ASSERT_TRUE(s->Run({}, {"y"}, {}).ok());
  ASSERT_TRUE(s->Run({}, {"y"}, {}).ok());
  EXPECT_EQ(ReadCounter(*s), 2);
}

TEST(SessionTest, FeedingAnyTensorCutsItsProducer) {
  TestGraph g;
  g.Placeholder("p", DataType::kFloat, {2});
  g.Identity("mid", "p", DataType::kFloat);
  g.Identity("out", "mid", DataType::kFloat);
  auto s = MustCreate(g);
  // "p" is unfed but "mid" is fed, so "p" never runs.
  StatusOr<std::vector<Tensor>> out =
      s->Run({{"mid:0", FloatTensor({7, 8}, {2})}}, {"out", "mid"}, {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_THAT(Values((*out)[0]), ElementsAre(7, 8));
  // Fetching a fed tensor returns the fed value.
  EXPECT_THAT(Values((*out)[1]), ElementsAre(7, 8));
}

TEST(SessionTest, ReusesCompiledPlans) {
  TestGraph g;
  g.Placeholder("x", DataType::kFloat, {1});
  g.Identity("y", "x", DataType::kFloat);
  g.Identity("z", "x", DataType::kFloat);
  auto s = MustCreate(g);
  EXPECT_EQ(s->num_cached_plans(), 0u);
  for (int i = 0; i < 3; ++i) {
    StatusOr<std::vector<Tensor>> out = s->Run({{"x", FloatTensor({float(i)}, {1})}}, {"y"}, {});
    ASSERT_TRUE(out.ok());
    EXPECT_THAT(Values((*out)[0]), ElementsAre(float(i)));
  }
  EXPECT_EQ(s->num_cached_plans(), 1u);
  ASSERT_TRUE(s->Run({{"x", FloatTensor({1}, {1})}}, {"z"}, {}).ok());
  EXPECT_EQ(s->num_cached_plans(), 2u);
  // A failed compile caches nothing.
  EXPECT_FALSE(s->Run({}, {"nope"}, {}).ok());
  EXPECT_EQ(s->num_cached_plans(), 2u);
}

TEST(SessionTest, PlanCacheIsBounded) {
  TestGraph g;
  g.Const("c", FloatTensor({1}, {1}));
  g.Identity("a", "c", DataType::kFloat);
  g.Identity("b", "c", DataType::kFloat);
  g.Identity("d", "c", DataType::kFloat);
  SessionOptions options;
  options.max_cached_plans = 2;
  auto s = std::move(Session::Create(g.graph(), options)).value();
  ASSERT_TRUE(s->Run({}, {"a"}, {}).ok());
  ASSERT_TRUE(s->Run({}, {"b"}, {}).ok());
  ASSERT_TRUE(s->Run({}, {"d"}, {}).ok());
  EXPECT_LE(s->num_cached_plans(), 2u);
  StatusOr<std::vector<Tensor>> out = s->Run({}, {"a"}, {});
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(Values((*out)[0]), ElementsAre(1));
}

TEST(SessionTest, TargetsRunWithoutOutputs) {
  TestGraph g;
  AddCounter(g);
  auto s = MustCreate(g);
  ASSERT_TRUE(s->Run({}, {}, {"count/Assign"}).ok());
  StatusOr<std::vector<Tensor>> out = s->Run({}, {}, {"bump"});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(out->empty());
  EXPECT_EQ(ReadCounter(*s), 1);
  // Nothing to do is fine.
  EXPECT_TRUE(s->Run({}, {}, {}).ok());
}

TEST(SessionTest, FeedChecks) {
  TestGraph g;
  g.Placeholder("x", DataType::kFloat, {-1, 2});
  g.Identity("y", "x", DataType::kFloat);
  auto s = MustCreate(g);
  Status wrong_dtype = s->Run({{"x:0", Tensor::Scalar<int32_t>(1)}}, {"y"}, {}).status();
  EXPECT_EQ(wrong_dtype.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(wrong_dtype.message(),
            "Cannot feed value of dtype int32 for Tensor x:0, which has dtype float");
  Status wrong_shape = s->Run({{"x:0", FloatTensor({1, 2, 3}, {1, 3})}}, {"y"}, {}).status();
  EXPECT_EQ(wrong_shape.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(wrong_shape.message(),
            "Cannot feed value of shape [1,3] for Tensor x:0, which has shape [?,2]");
  Status twice = s->Run({{"x", FloatTensor({1, 2}, {1, 2})}, {"x:0", FloatTensor({1, 2}, {1, 2})}},
                        {"y"}, {})
                     .status();
  EXPECT_EQ(twice.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(twice.message(), HasSubstr("x:0 fed more than once"));
  Status unknown = s->Run({{"nope:0", FloatTensor({1}, {1})}}, {"y"}, {}).status();
  EXPECT_EQ(unknown.code(), StatusCode::kNotFound);
}

TEST(SessionTest, NameErrors) {
  TestGraph g;
  g.Const("c", FloatTensor({1}, {1}));
  auto s = MustCreate(g);
  Status fetch = s->Run({}, {"missing:0"}, {}).status();
  EXPECT_EQ(fetch.code(), StatusCode::kNotFound);
  EXPECT_EQ(fetch.message(),
            "The name 'missing:0' refers to a Tensor which does not exist. The operation, "
            "'missing', does not exist in the graph.");
  Status index = s->Run({}, {"c:1"}, {}).status();
  EXPECT_EQ(index.code(), StatusCode::kNotFound);
  EXPECT_EQ(index.message(),
            "The name 'c:1' refers to a Tensor which does not exist. The operation, 'c', exists "
            "but only has 1 outputs.");
  Status target = s->Run({}, {}, {"missing"}).status();
  EXPECT_EQ(target.code(), StatusCode::kNotFound);
  EXPECT_EQ(target.message(), "The name 'missing' refers to an Operation not in the graph.");
  EXPECT_EQ(s->Run({}, {}, {"c:0"}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s->Run({}, {"c:x"}, {}).status().code(), StatusCode::kInvalidArgument);
}

TEST(SessionTest, CreateRejectsBadGraphs) {
  {
    TestGraph g;
    g.Node("f", "Foo");
    Status s = Session::Create(g.graph()).status();
    EXPECT_EQ(s.code(), StatusCode::kNotFound);
    EXPECT_THAT(s.message(), HasSubstr("Op type not registered 'Foo' in binary"));
    EXPECT_THAT(s.message(), HasSubstr("node 'f'"));
  }
  {
    TestGraph g;
    g.Const("c", FloatTensor({1}, {1}));
    g.Const("c", FloatTensor({1}, {1}));
    Status s = Session::Create(g.graph()).status();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(s.message(), "Duplicate node name in graph: 'c'");
  }
  {
    TestGraph g;
    g.Identity("y", "ghost", DataType::kFloat);
    Status s = Session::Create(g.graph()).status();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(s.message(), "Node 'y': Unknown input node 'ghost'");
  }
  {
    TestGraph g;
    g.Const("c", Tensor::Scalar<int32_t>(1));
    g.Identity("y", "c", DataType::kFloat);
    Status s = Session::Create(g.graph()).status();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(s.message(),
              "Input 0 of node y was passed int32 from c:0 incompatible with expected float.");
  }
  {
    TestGraph g;
    g.Const("c", FloatTensor({1}, {1}));
    g.Node("a", "Assign", {"c", "c"}).Type("T", DataType::kFloat);
    Status s = Session::Create(g.graph()).status();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(s.message(),
              "Input 0 of node a was passed float from c:0 incompatible with expected float_ref.");
  }
  {
    TestGraph g;
    g.Const("c", FloatTensor({1}, {1}));
    g.Node("y", "Identity", {"c", "c"}).Type("T", DataType::kFloat);
    Status s = Session::Create(g.graph()).status();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(s.message(), HasSubstr("expected inputs 'float' do not match 2 inputs specified"));
  }
}

TEST(SessionTest, NoKernelForDtypeNamesOpAndDtype) {
  TestGraph g;
  g.ResourceVariable("v", Tensor::Scalar<bool>(true));
  g.Node("add", "AssignAddVariableOp", {"v", "v/init"}).Type("dtype", DataType::kBool);
  auto s = MustCreate(g);
  Status st = s->Run({}, {}, {"add"}).status();
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  EXPECT_THAT(st.message(), HasSubstr("No registered 'AssignAddVariableOp' OpKernel for 'CPU' "
                                      "devices compatible with node {{node add}}"));
  EXPECT_THAT(st.message(), HasSubstr("dtype=DT_BOOL"));
}

TEST(SessionTest, CycleIsReported) {
  TestGraph g;
  g.Identity("a", "b", DataType::kFloat);
  g.Identity("b", "a", DataType::kFloat);
  g.Const("c", FloatTensor({1}, {1}));
  auto s = MustCreate(g);
  Status st = s->Run({}, {"a"}, {}).status();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message(), "Graph is invalid, contains a cycle with 2 nodes, including: a, b");
  // The rest of the graph still runs.
  EXPECT_TRUE(s->Run({}, {"c"}, {}).ok());
  // Feeding a tensor of the cycle breaks it.
  StatusOr<std::vector<Tensor>> out = s->Run({{"b", FloatTensor({4}, {1})}}, {"a"}, {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_THAT(Values((*out)[0]), ElementsAre(4));
}

TEST(SessionTest, ControlFlowLoopsAreUnimplemented) {
  TestGraph g;
  g.Const("c", FloatTensor({1}, {1}));
  g.Node("while/NextIteration", "NextIteration", {"c"}).Type("T", DataType::kFloat);
  g.Identity("y", "while/NextIteration", DataType::kFloat);
  auto s = MustCreate(g);
  Status st = s->Run({}, {"y"}, {}).status();
  EXPECT_EQ(st.code(), StatusCode::kUnimplemented);
  EXPECT_THAT(st.message(), HasSubstr("'while/NextIteration'"));
  EXPECT_THAT(st.message(), HasSubstr("'NextIteration'"));
}

// tf.cond in a TF1 graph: pred -> Switch -> branch ops -> Merge. Only the
// taken branch runs (its side effects included); the other is dead.
TEST(SessionTest, ConditionalsRunTheTakenBranchOnly) {
  TestGraph g;
  g.Placeholder("pred", DataType::kBool, {});
  g.Placeholder("x", DataType::kFloat, {-1});
  g.Node("cond/Switch", "Switch", {"x", "pred"}).Type("T", DataType::kFloat);
  g.Node("cond/false", "Neg", {"cond/Switch"}).Type("T", DataType::kFloat);     // output 0
  g.Node("cond/true", "Square", {"cond/Switch:1"}).Type("T", DataType::kFloat); // output 1
  g.Node("cond/Merge", "Merge", {"cond/false", "cond/true"})
      .Type("T", DataType::kFloat)
      .Int("N", 2);
  // A counter bumped only inside the true branch (control input from it).
  g.ResourceVariable("count", Tensor::Scalar<int64_t>(0));
  g.Const("one", Tensor::Scalar<int64_t>(1));
  g.Node("cond/pivot_t", "Identity", {"cond/Switch:1"}).Type("T", DataType::kFloat);
  g.Node("bump", "AssignAddVariableOp", {"count", "one", "^cond/pivot_t"})
      .Type("dtype", DataType::kInt64);
  g.Node("count/value", "ReadVariableOp", {"count", "^bump"}).Type("dtype", DataType::kInt64);
  auto s = MustCreate(g);
  ASSERT_TRUE(s->Run({}, {}, {"count/Assign"}).ok());

  auto run = [&](bool pred) {
    return s->Run({{"pred", Tensor::Scalar<bool>(pred)}, {"x", FloatTensor({2, -3}, {2})}},
                  {"cond/Merge", "cond/Merge:1"}, {"bump"});
  };
  StatusOr<std::vector<Tensor>> t = run(true);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_THAT(Values((*t)[0]), ElementsAre(4, 9));
  EXPECT_EQ((*t)[1].flat<int32_t>()[0], 1);
  StatusOr<std::vector<Tensor>> f = run(false);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_THAT(Values((*f)[0]), ElementsAre(-2, 3));
  EXPECT_EQ((*f)[1].flat<int32_t>()[0], 0);
  // bump ran once (true branch) and was skipped as dead the second time.
  StatusOr<std::vector<Tensor>> count = s->Run({}, {"count/Read"}, {});
  ASSERT_TRUE(count.ok()) << count.status().ToString();
  EXPECT_EQ((*count)[0].flat<int64_t>()[0], 1);

  // Fetching the untaken branch is TensorFlow's "does not have value".
  Status dead = s->Run({{"pred", Tensor::Scalar<bool>(false)}, {"x", FloatTensor({1}, {1})}},
                       {"cond/true"}, {})
                    .status();
  EXPECT_EQ(dead.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(dead.message(), "Retval[0] does not have value");
}

TEST(SessionTest, RefVariableLifecycle) {
  TestGraph g;
  g.RefVariable("w", FloatTensor({1, 2}, {2}));
  g.Const("delta", FloatTensor({10, 20}, {2}));
  g.Node("add", "AssignAdd", {"w", "delta"}).Type("T", DataType::kFloat);
  g.Node("sub", "AssignSub", {"w", "delta"}).Type("T", DataType::kFloat);
  g.Const("long", FloatTensor({1, 2, 3}, {3}));
  g.Node("bad_assign", "Assign", {"w", "long"}).Type("T", DataType::kFloat);
  auto s = MustCreate(g);

  Status read = s->Run({}, {"w/read"}, {}).status();
  EXPECT_EQ(read.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(read.message(), "Attempting to use uninitialized value w\n\t [[{{node w/read}}]]");
  Status fetch = s->Run({}, {"w"}, {}).status();
  EXPECT_EQ(fetch.message(),
            "Attempting to use uninitialized value w\n\t [[{{node _retval_w_0_0}}]]");
  Status add = s->Run({}, {}, {"add"}).status();
  EXPECT_EQ(add.message(), "Attempting to use uninitialized value w\n\t [[{{node add}}]]");
  // Validation against the declared shape before the first assignment.
  Status bad = s->Run({}, {}, {"bad_assign"}).status();
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message(),
            "Assign requires shapes of both tensors to match. lhs shape= [2] rhs shape= [3]"
            "\n\t [[{{node bad_assign}}]]");

  StatusOr<std::vector<Tensor>> init = s->Run({}, {"w/Assign"}, {});
  ASSERT_TRUE(init.ok()) << init.status().ToString();
  EXPECT_THAT(Values((*init)[0]), ElementsAre(1, 2));  // Assign outputs the new value
  StatusOr<std::vector<Tensor>> before = s->Run({}, {"w/read"}, {});
  ASSERT_TRUE(before.ok());
  StatusOr<std::vector<Tensor>> added = s->Run({}, {"add"}, {});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_THAT(Values((*added)[0]), ElementsAre(11, 22));
  // A value fetched earlier is a snapshot: later updates do not change it.
  EXPECT_THAT(Values((*before)[0]), ElementsAre(1, 2));
  ASSERT_TRUE(s->Run({}, {}, {"sub", }).ok());
  StatusOr<std::vector<Tensor>> after = s->Run({}, {"w", "w/read"}, {});
  ASSERT_TRUE(after.ok());
  EXPECT_THAT(Values((*after)[0]), ElementsAre(1, 2));
  EXPECT_THAT(Values((*after)[1]), ElementsAre(1, 2));
}

TEST(SessionTest, AssignWithoutShapeValidationChangesShape) {
  TestGraph g;
  g.RefVariable("w", FloatTensor({1, 2}, {2}));
  g.Const("long", FloatTensor({1, 2, 3}, {3}));
  g.Node("reshape_assign", "Assign", {"w", "long"})
      .Type("T", DataType::kFloat)
      .Bool("validate_shape", false);
  auto s = MustCreate(g);
  ASSERT_TRUE(s->Run({}, {}, {"reshape_assign"}).ok());
  StatusOr<std::vector<Tensor>> out = s->Run({}, {"w/read"}, {});
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(Values((*out)[0]), ElementsAre(1, 2, 3));
}

TEST(SessionTest, FeedingAVariableOverridesItsValue) {
  TestGraph g;
  g.RefVariable("w", FloatTensor({1, 2}, {2}));
  auto s = MustCreate(g);
  StatusOr<std::vector<Tensor>> out = s->Run({{"w", FloatTensor({5, 6}, {2})}}, {"w/read"}, {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_THAT(Values((*out)[0]), ElementsAre(5, 6));
  // Assign needs the variable itself, not a fed value.
  EXPECT_EQ(s->Run({{"w", FloatTensor({5, 6}, {2})}}, {}, {"w/Assign"}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(SessionTest, ResourceVariableLifecycle) {
  TestGraph g;
  g.ResourceVariable("v", FloatTensor({1, 2}, {2}));
  g.Const("delta", FloatTensor({10, 20}, {2}));
  g.Node("add", "AssignAddVariableOp", {"v", "delta"}).Type("dtype", DataType::kFloat);
  g.Node("sub", "AssignSubVariableOp", {"v", "delta"}).Type("dtype", DataType::kFloat);
  g.Const("long", FloatTensor({1, 2, 3}, {3}));
  g.Node("add_long", "AssignAddVariableOp", {"v", "long"}).Type("dtype", DataType::kFloat);
  g.Node("assign_long", "AssignVariableOp", {"v", "long"})
      .Type("dtype", DataType::kFloat)
      .Bool("validate_shape", true);
  auto s = MustCreate(g);

  StatusOr<std::vector<Tensor>> init = s->Run({}, {"v/IsInitialized"}, {});
  ASSERT_TRUE(init.ok());
  EXPECT_FALSE((*init)[0].scalar<bool>());
  Status read = s->Run({}, {"v/Read"}, {}).status();
  EXPECT_EQ(read.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(read.message(),
            "Could not find variable v. This could mean that the variable has been deleted. In "
            "TF1, it can also mean the variable is uninitialized. Debug info: "
            "container=localhost, status error message=Container localhost does not exist. "
            "(Could not find resource: localhost/v)\n\t [[{{node v/Read}}]]");
  Status add = s->Run({}, {}, {"add"}).status();
  EXPECT_EQ(add.code(), StatusCode::kNotFound);
  EXPECT_EQ(add.message(),
            "Container localhost does not exist. (Could not find resource: localhost/v)"
            "\n\t [[{{node add}}]]");

  ASSERT_TRUE(s->Run({}, {}, {"v/Assign"}).ok());
  init = s->Run({}, {"v/IsInitialized", "v/Read"}, {});
  ASSERT_TRUE(init.ok());
  EXPECT_TRUE((*init)[0].scalar<bool>());
  EXPECT_THAT(Values((*init)[1]), ElementsAre(1, 2));
  const Tensor before = (*init)[1];
  ASSERT_TRUE(s->Run({}, {}, {"add"}).ok());
  StatusOr<std::vector<Tensor>> out = s->Run({}, {"v/Read"}, {});
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(Values((*out)[0]), ElementsAre(11, 22));
  EXPECT_THAT(Values(before), ElementsAre(1, 2));
  ASSERT_TRUE(s->Run({}, {}, {"sub"}).ok());
  out = s->Run({}, {"v/Read"}, {});
  EXPECT_THAT(Values((*out)[0]), ElementsAre(1, 2));

  Status add_long = s->Run({}, {}, {"add_long"}).status();
  EXPECT_EQ(add_long.message(),
            "Cannot update variable with shape [2] using a Tensor with shape [3], shapes must be "
            "equal.\n\t [[{{node add_long}}]]");
  Status assign_long = s->Run({}, {}, {"assign_long"}).status();
  EXPECT_EQ(assign_long.message(),
            "Trying to assign to variable with tensor with wrong shape. Expected [2] got [3]"
            "\n\t [[{{node assign_long}}]]");
}

TEST(SessionTest, ResourceVariableReadWithWrongDtype) {
  TestGraph g;
  g.ResourceVariable("v", FloatTensor({1}, {1}));
  g.Node("read_int", "ReadVariableOp", {"v"}).Type("dtype", DataType::kInt32);
  auto s = MustCreate(g);
  ASSERT_TRUE(s->Run({}, {}, {"v/Assign"}).ok());
  Status st = s->Run({}, {"read_int"}, {}).status();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message(),
            "Trying to read variable with wrong dtype. Expected int32 got float"
            "\n\t [[{{node read_int}}]]");
}

TEST(SessionTest, VariablesAreSharedByName) {
  // Two VariableV2 nodes with one shared_name are one variable.
  TestGraph g;
  g.RefVariable("a", FloatTensor({1, 2}, {2}));
  g.Node("b", "VariableV2").Type("dtype", DataType::kFloat).Shape("shape", {2}).Str("shared_name", "a");
  g.Identity("b/read", "b", DataType::kFloat);
  auto s = MustCreate(g);
  ASSERT_TRUE(s->Run({}, {}, {"a/Assign"}).ok());
  StatusOr<std::vector<Tensor>> out = s->Run({}, {"b/read"}, {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_THAT(Values((*out)[0]), ElementsAre(1, 2));
}

TEST(SessionTest, IdentityNAndStopGradient) {
  TestGraph g;
  g.Const("a", FloatTensor({1}, {1}));
  g.Const("b", Tensor::Scalar<int32_t>(7));
  g.Node("n", "IdentityN", {"a", "b"}).Types("T", {DataType::kFloat, DataType::kInt32});
  g.Node("sg", "StopGradient", {"n:1"}).Type("T", DataType::kInt32);
  g.Node("snap", "Snapshot", {"n"}).Type("T", DataType::kFloat);
  g.Node("noop", "NoOp", {"^sg"});
  auto s = MustCreate(g);
  StatusOr<std::vector<Tensor>> out = s->Run({}, {"n:0", "sg", "snap"}, {"noop"});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_THAT(Values((*out)[0]), ElementsAre(1));
  EXPECT_EQ((*out)[1].scalar<int32_t>(), 7);
  EXPECT_THAT(Values((*out)[2]), ElementsAre(1));
}

TEST(SessionTest, PlaceholderWithDefault) {
  TestGraph g;
  g.Const("d", FloatTensor({1, 2}, {2}));
  g.Node("p", "PlaceholderWithDefault", {"d"}).Type("dtype", DataType::kFloat).Shape("shape", {-1});
  g.Identity("y", "p", DataType::kFloat);
  auto s = MustCreate(g);
  StatusOr<std::vector<Tensor>> out = s->Run({}, {"y"}, {});
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(Values((*out)[0]), ElementsAre(1, 2));
  out = s->Run({{"p", FloatTensor({3, 4, 5}, {3})}}, {"y"}, {});
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(Values((*out)[0]), ElementsAre(3, 4, 5));
  EXPECT_EQ(s->Run({{"p", FloatTensor({3, 4}, {1, 2})}}, {"y"}, {}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(SessionTest, ExtendAddsNodes) {
  TestGraph g;
  g.Const("c", FloatTensor({3}, {1}));
  auto s = MustCreate(g);
  ASSERT_TRUE(s->Run({}, {"c"}, {}).ok());
  TestGraph more;
  more.Identity("y", "c", DataType::kFloat);
  ASSERT_TRUE(s->Extend(more.graph()).ok());
  StatusOr<std::vector<Tensor>> out = s->Run({}, {"y", "c"}, {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_THAT(Values((*out)[0]), ElementsAre(3));
  EXPECT_EQ(s->Extend(more.graph()).code(), StatusCode::kInvalidArgument);  // duplicate "y"
}

TEST(SessionTest, SessionsDoNotShareVariables) {
  TestGraph g;
  g.RefVariable("w", FloatTensor({1}, {1}));
  auto a = MustCreate(g);
  auto b = MustCreate(g);
  ASSERT_TRUE(a->Run({}, {}, {"w/Assign"}).ok());
  EXPECT_TRUE(a->Run({}, {"w/read"}, {}).ok());
  EXPECT_EQ(b->Run({}, {"w/read"}, {}).status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace tf1hub
