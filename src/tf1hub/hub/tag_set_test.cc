#include <gtest/gtest.h>

#include "tf1hub/hub/module_spec.h"

namespace tf1hub::hub {
namespace {

TEST(TagSetDebugStringTest, SortedPythonListStyle) {
  EXPECT_EQ(TagSetDebugString({}), "[]");
  EXPECT_EQ(TagSetDebugString({"train"}), "['train']");
  EXPECT_EQ(TagSetDebugString({"the", "double", "value"}), "['double', 'the', 'value']");
}

}  // namespace
}  // namespace tf1hub::hub
