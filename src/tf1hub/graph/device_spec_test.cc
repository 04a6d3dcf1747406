#include "tf1hub/graph/device_spec.h"

#include <gtest/gtest.h>

namespace tf1hub {
namespace {

std::string Canonical(const char* spec) {
  StatusOr<DeviceSpec> d = DeviceSpec::Parse(spec);
  return d.ok() ? d->ToString() : "ERROR";
}

// Canonical forms as tf.DeviceSpec.from_string(s).to_string() prints them
// (TF 2.15.1).
TEST(DeviceSpecTest, CanonicalForms) {
  EXPECT_EQ(Canonical(""), "");
  EXPECT_EQ(Canonical("/cpu:0"), "/device:CPU:0");
  EXPECT_EQ(Canonical("/GPU:1"), "/device:GPU:1");
  EXPECT_EQ(Canonical("/gpu:*"), "/device:GPU:*");
  EXPECT_EQ(Canonical("cpu"), "/device:CPU:*");
  EXPECT_EQ(Canonical("/task:1/job:w/device:CPU:0/replica:2"), "/job:w/replica:2/task:1/device:CPU:0");
  EXPECT_EQ(Canonical("/device:cpu:3"), "/device:CPU:3");
  EXPECT_EQ(Canonical("/cpu:0/gpu:0"), "ERROR");
  EXPECT_EQ(Canonical("/foo:1"), "ERROR");
  EXPECT_EQ(Canonical("/replica:x"), "ERROR");
  EXPECT_EQ(Canonical("/device:GPU"), "ERROR");
}

TEST(DeviceSpecTest, MergeOverridesFieldByField) {
  DeviceSpec a = *DeviceSpec::Parse("/job:ps/device:CPU:1");
  a.MergeFrom(*DeviceSpec::Parse("/job:z"));
  EXPECT_EQ(a.ToString(), "/job:z/device:CPU:1");
  a.MergeFrom(*DeviceSpec::Parse("/device:GPU:*"));
  EXPECT_EQ(a.ToString(), "/job:z/device:GPU:1");
}

}  // namespace
}  // namespace tf1hub
