#include "tf1hub/graph/device_spec.h"

#include <cctype>
#include <charconv>
#include <vector>

namespace tf1hub {
namespace {

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    out.push_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) return out;
    start = pos + 1;
  }
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Device types accepted in the short form "/cpu:0" (TF accepts the types of
// registered devices; these are the ones a CPU build knows, plus GPU/TPU).
bool IsShortDeviceType(std::string_view upper) {
  return upper == "CPU" || upper == "GPU" || upper == "TPU" || upper == "XLA_CPU" ||
         upper == "XLA_GPU" || upper == "TPU_SYSTEM";
}

Status ParseInt(std::string_view text, std::string_view spec, int64_t* out) {
  // Python's int() also takes a sign and surrounding spaces; TF specs never
  // carry them, so plain decimal digits are required.
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || *out < 0) {
    return InvalidArgumentError("device spec '" + std::string(spec) + "': '" + std::string(text) +
                                "' is not a valid number");
  }
  return Status::OK();
}

}  // namespace

StatusOr<DeviceSpec> DeviceSpec::Parse(std::string_view spec) {
  DeviceSpec d;
  for (std::string_view piece : Split(spec, '/')) {
    if (piece.empty()) continue;
    std::vector<std::string_view> y = Split(piece, ':');
    auto set_type = [&](std::string type, std::string_view index) -> Status {
      if (d.device_type.has_value()) {
        return InvalidArgumentError("device spec '" + std::string(spec) +
                                    "': more than one device type");
      }
      d.device_type = std::move(type);
      if (!index.empty() && index != "*") {
        int64_t i;
        RETURN_IF_ERROR(ParseInt(index, spec, &i));
        d.device_index = i;
      }
      return Status::OK();
    };
    if (y.size() == 2 && y[0] == "job") {
      d.job = std::string(y[1]);
    } else if (y.size() == 2 && y[0] == "replica") {
      int64_t v;
      RETURN_IF_ERROR(ParseInt(y[1], spec, &v));
      d.replica = v;
    } else if (y.size() == 2 && y[0] == "task") {
      int64_t v;
      RETURN_IF_ERROR(ParseInt(y[1], spec, &v));
      d.task = v;
    } else if ((y.size() == 1 || y.size() == 2) && IsShortDeviceType(Upper(y[0]))) {
      RETURN_IF_ERROR(set_type(Upper(y[0]), y.size() == 2 ? y[1] : std::string_view("*")));
    } else if (y.size() == 3 && y[0] == "device") {
      if (y[1].empty()) {
        return InvalidArgumentError("device spec '" + std::string(spec) + "': empty device type");
      }
      RETURN_IF_ERROR(set_type(Upper(y[1]), y[2]));  // the DeviceSpec setter upper-cases
    } else {
      return InvalidArgumentError("device spec '" + std::string(spec) + "': unknown piece '" +
                                  std::string(piece) + "'");
    }
  }
  return d;
}

void DeviceSpec::MergeFrom(const DeviceSpec& other) {
  if (other.job) job = other.job;
  if (other.replica) replica = other.replica;
  if (other.task) task = other.task;
  if (other.device_type) device_type = other.device_type;
  if (other.device_index) device_index = other.device_index;
}

std::string DeviceSpec::ToString() const {
  std::string out;
  if (job) out += "/job:" + *job;
  if (replica) out += "/replica:" + std::to_string(*replica);
  if (task) out += "/task:" + std::to_string(*task);
  if (device_type) {
    out += "/device:" + *device_type + ":" +
           (device_index ? std::to_string(*device_index) : std::string("*"));
  }
  return out;
}

}  // namespace tf1hub
