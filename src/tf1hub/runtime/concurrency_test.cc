// Many threads running one session: results must be right every time, and
// the run must be clean under ThreadSanitizer (TF1HUB_SANITIZE=thread).
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "tf1hub/runtime/graph_test_util.h"
#include "tf1hub/session.h"

namespace tf1hub {
namespace {

constexpr int kThreads = 8;
constexpr int kRunsPerThread = 1000;

TEST(ConcurrencyTest, ManyThreadsOneSession) {
  TestGraph g;
  g.Placeholder("x", DataType::kFloat, {-1});
  g.Identity("a", "x", DataType::kFloat);
  g.Identity("b", "a", DataType::kFloat);
  g.Const("c", FloatTensor({3, 4}, {2}));
  g.Node("n", "IdentityN", {"b", "c"}).Types("T", {DataType::kFloat, DataType::kFloat});
  // A resource counter bumped by every run of "counted".
  g.ResourceVariable("count", Tensor::Scalar<int64_t>(0));
  g.Const("one", Tensor::Scalar<int64_t>(1));
  g.Node("bump", "AssignAddVariableOp", {"count", "one"}).Type("dtype", DataType::kInt64);
  g.Node("counted", "Identity", {"x", "^bump"}).Type("T", DataType::kFloat);
  // A ref vector [k, k] grown by [1, 1] while others read it: every read
  // must see both elements equal (updates are atomic to readers).
  g.RefVariable("w", FloatTensor({0, 0}, {2}));
  g.Const("ones", FloatTensor({1, 1}, {2}));
  g.Node("grow", "AssignAdd", {"w", "ones"}).Type("T", DataType::kFloat);

  StatusOr<std::unique_ptr<Session>> created = Session::Create(g.graph());
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  Session& s = **created;
  ASSERT_TRUE(s.Run({}, {}, {"count/Assign", "w/Assign"}).ok());

  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRunsPerThread && failures.load() == 0; ++i) {
        const float v = static_cast<float>(t * kRunsPerThread + i);
        auto fail = [&](const std::string& what) {
          ADD_FAILURE() << "thread " << t << " run " << i << ": " << what;
          failures.fetch_add(1);
        };
        switch (i % 3) {
          case 0: {
            StatusOr<std::vector<Tensor>> out =
                s.Run({{"x", FloatTensor({v, -v}, {2})}}, {"n:0", "n:1", "a"}, {});
            if (!out.ok()) return fail(out.status().ToString());
            const auto n0 = (*out)[0].flat<float>();
            const auto n1 = (*out)[1].flat<float>();
            const auto a = (*out)[2].flat<float>();
            if (n0.size() != 2 || n0[0] != v || n0[1] != -v || a[0] != v || n1[0] != 3 ||
                n1[1] != 4) {
              return fail("wrong values");
            }
            break;
          }
          case 1: {
            StatusOr<std::vector<Tensor>> out = s.Run({{"x", FloatTensor({v}, {1})}}, {"counted"}, {});
            if (!out.ok()) return fail(out.status().ToString());
            if ((*out)[0].flat<float>()[0] != v) return fail("wrong counted value");
            break;
          }
          case 2: {
            StatusOr<std::vector<Tensor>> out = s.Run({}, {"w/read"}, {"grow"});
            if (!out.ok()) return fail(out.status().ToString());
            const auto w = (*out)[0].flat<float>();
            if (w[0] != w[1]) return fail("torn read of w");
            break;
          }
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  ASSERT_EQ(failures.load(), 0);

  // Exactly one bump and one grow per run that asked for it.
  int expected_bumps = 0, expected_grows = 0;
  for (int i = 0; i < kRunsPerThread; ++i) {
    expected_bumps += (i % 3 == 1);
    expected_grows += (i % 3 == 2);
  }
  StatusOr<std::vector<Tensor>> out = s.Run({}, {"count/Read", "w/read"}, {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].scalar<int64_t>(), int64_t{kThreads} * expected_bumps);
  EXPECT_EQ((*out)[1].flat<float>()[0], static_cast<float>(kThreads * expected_grows));
  EXPECT_EQ((*out)[1].flat<float>()[1], static_cast<float>(kThreads * expected_grows));
}

TEST(ConcurrencyTest, ConcurrentFirstRunsCompileOnePlanEach) {
  TestGraph g;
  g.Const("c", FloatTensor({1}, {1}));
  for (int i = 0; i < 16; ++i) g.Identity("y" + std::to_string(i), "c", DataType::kFloat);
  auto s = std::move(Session::Create(g.graph())).value();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 16; ++i) {
        StatusOr<std::vector<Tensor>> out = s->Run({}, {"y" + std::to_string(i)}, {});
        if (!out.ok() || (*out)[0].flat<float>()[0] != 1.0f) failures.fetch_add(1);
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(s->num_cached_plans(), 16u);
}

}  // namespace
}  // namespace tf1hub
