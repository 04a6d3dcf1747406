// DeviceSpec: TensorFlow's device strings ("/job:w/replica:0/task:1/device:CPU:0",
// legacy "/cpu:0"), parsed, merged and written canonically as Python's
// tf.DeviceSpec does.
//
//   ASSIGN_OR_RETURN(DeviceSpec outer, DeviceSpec::Parse("/job:w/cpu:0"));
//   ASSIGN_OR_RETURN(DeviceSpec inner, DeviceSpec::Parse("/gpu:1"));
//   outer.MergeFrom(inner);
//   outer.ToString() == "/job:w/device:GPU:1"
//
// Thread safety: values.
#ifndef TF1HUB_GRAPH_DEVICE_SPEC_H_
#define TF1HUB_GRAPH_DEVICE_SPEC_H_

#include <optional>
#include <string>
#include <string_view>

#include "tf1hub/status.h"

namespace tf1hub {

struct DeviceSpec {
  std::optional<std::string> job;
  std::optional<int64_t> replica;
  std::optional<int64_t> task;
  std::optional<std::string> device_type;
  std::optional<int64_t> device_index;  // unset with a type means "*"

  // "" parses to an empty spec. Unknown pieces, two device types and bad
  // numbers are InvalidArgument.
  static StatusOr<DeviceSpec> Parse(std::string_view spec);
  // Each field set in `other` replaces ours (tf.DeviceSpec.make_merged_spec).
  void MergeFrom(const DeviceSpec& other);
  // Canonical form; "" for an empty spec.
  std::string ToString() const;
};

}  // namespace tf1hub

#endif  // TF1HUB_GRAPH_DEVICE_SPEC_H_
