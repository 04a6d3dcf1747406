#include "tf1hub/status.h"

#include <gtest/gtest.h>

namespace tf1hub {
namespace {

StatusOr<int> ParsePositive(int v) {
  if (v <= 0) return InvalidArgumentError("value " + std::to_string(v) + " is not positive");
  return v;
}

StatusOr<int> Doubled(int v) {
  ASSIGN_OR_RETURN(int p, ParsePositive(v));
  return 2 * p;
}

Status CheckBoth(int a, int b) {
  RETURN_IF_ERROR_WITH_CONTEXT(ParsePositive(a).status(), "first");
  RETURN_IF_ERROR(ParsePositive(b).status());
  return Status::OK();
}

TEST(StatusTest, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_EQ(s.message(), "");
}

TEST(StatusTest, CodeNamesMatchTensorFlow) {
  EXPECT_EQ(DataLossError("x").ToString(), "DATA_LOSS: x");
  EXPECT_EQ(static_cast<int>(StatusCode::kDataLoss), 15);
  EXPECT_EQ(static_cast<int>(StatusCode::kUnimplemented), 12);
  EXPECT_EQ(StatusCodeName(StatusCode::kFailedPrecondition), "FAILED_PRECONDITION");
}

TEST(StatusTest, ContextIsPrepended) {
  Status s = NotFoundError("no such file").WithContext("opening 'a.index'");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "opening 'a.index': no such file");
  EXPECT_TRUE(Status::OK().WithContext("x").ok());
}

TEST(StatusTest, MacrosPropagate) {
  EXPECT_EQ(*Doubled(4), 8);
  StatusOr<int> bad = Doubled(-1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "value -1 is not positive");
  EXPECT_TRUE(CheckBoth(1, 2).ok());
  EXPECT_EQ(CheckBoth(0, 2).message(), "first: value 0 is not positive");
  EXPECT_EQ(CheckBoth(1, -3).message(), "value -3 is not positive");
}

}  // namespace
}  // namespace tf1hub
