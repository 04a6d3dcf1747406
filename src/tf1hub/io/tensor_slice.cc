// TensorSlice text forms ("0,5:-", SaveV2's "10 20 0,5:-"), validation,
// set operations.
#include <algorithm>
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include "tf1hub/checkpoint.h"
#include "tf1hub/core/checked_math.h"
#include "tf1hub/io/tensor_slice_util.h"

namespace tf1hub {
namespace {

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t begin = 0;
  while (true) {
    const size_t pos = s.find(sep, begin);
    if (pos == std::string_view::npos) {
      parts.push_back(s.substr(begin));
      return parts;
    }
    parts.push_back(s.substr(begin, pos - begin));
    begin = pos + 1;
  }
}

// Parses a whole token as a decimal int64 ("-" sign allowed, nothing else).
bool ParseInt64(std::string_view token, int64_t* out) {
  if (token.empty()) return false;
  const char* end = token.data() + token.size();
  auto [ptr, ec] = std::from_chars(token.data(), end, *out);
  return ec == std::errc() && ptr == end;
}

std::string ExtentString(const SliceExtent& e) {
  if (IsFullExtent(e)) return "-";
  return std::to_string(e.start) + "," + std::to_string(e.length);
}

Status CheckExtent(const TensorSlice& slice, int d) {
  const SliceExtent& e = slice.extents[d];
  if (e.start == 0 && e.length == kFullExtentLength) return Status::OK();
  if (e.start < 0 || e.length <= 0) {
    return InvalidArgumentError("slice '" + slice.DebugString() + "': extent " + std::to_string(d) +
                                " (start " + std::to_string(e.start) + ", length " +
                                std::to_string(e.length) +
                                "): expected a non-negative start and a positive length");
  }
  if (!CheckedAdd(e.start, e.length)) {
    return InvalidArgumentError("slice '" + slice.DebugString() + "': extent " + std::to_string(d) +
                                " end overflows int64");
  }
  return Status::OK();
}

}  // namespace

std::string TensorSlice::DebugString() const {
  std::string out;
  for (size_t d = 0; d < extents.size(); ++d) {
    if (d > 0) out.push_back(':');
    out += ExtentString(extents[d]);
  }
  return out;
}

Status ParseShapeAndSlice(const std::string& spec, TensorShape* full_shape, TensorSlice* slice) {
  const std::string context = "shape_and_slice '" + spec + "'";
  if (spec.empty()) {
    return InvalidArgumentError(
        "empty shape_and_slice specification (expected \"<dims> <slice>\")");
  }
  std::vector<std::string_view> parts = Split(spec, ' ');
  if (parts.size() < 2) {
    return InvalidArgumentError(context +
                                ": expected the dimensions then the slice, separated by spaces");
  }
  TensorSlice parsed;
  for (std::string_view item : Split(parts.back(), ':')) {
    if (item == "-") {
      parsed.extents.push_back(SliceExtent{0, kFullExtentLength});
      continue;
    }
    std::vector<std::string_view> pair = Split(item, ',');
    SliceExtent e;
    if (pair.size() != 2 || !ParseInt64(pair[0], &e.start) || !ParseInt64(pair[1], &e.length)) {
      return InvalidArgumentError(context + ": expected 'start,length' or '-' but got '" +
                                  std::string(item) + "'");
    }
    if (e.start < 0 || e.length <= 0) {
      return InvalidArgumentError(context + ": expected a non-negative start and a positive "
                                  "length but got start " + std::to_string(e.start) +
                                  ", length " + std::to_string(e.length));
    }
    parsed.extents.push_back(e);
  }
  parts.pop_back();
  std::vector<int64_t> dims;
  for (std::string_view token : parts) {
    int64_t dim = 0;
    if (!ParseInt64(token, &dim) || dim < 0) {
      return InvalidArgumentError(context + ": dimension '" + std::string(token) +
                                  "' is not a non-negative integer");
    }
    dims.push_back(dim);
  }
  StatusOr<TensorShape> shape = TensorShape::Create(dims);
  if (!shape.ok()) return shape.status().WithContext(context);
  RETURN_IF_ERROR_WITH_CONTEXT(ValidateSlice(parsed, *shape), context);
  *full_shape = *std::move(shape);
  *slice = std::move(parsed);
  return Status::OK();
}

TensorSlice FullSlice(int rank) {
  TensorSlice slice;
  slice.extents.assign(static_cast<size_t>(rank), SliceExtent{0, kFullExtentLength});
  return slice;
}

Status ValidateSliceExtents(const TensorSlice& slice) {
  for (int d = 0; d < static_cast<int>(slice.extents.size()); ++d) {
    RETURN_IF_ERROR(CheckExtent(slice, d));
  }
  return Status::OK();
}

Status ValidateSlice(const TensorSlice& slice, const TensorShape& full_shape) {
  if (static_cast<int>(slice.extents.size()) != full_shape.rank()) {
    return InvalidArgumentError("slice '" + slice.DebugString() + "' has " +
                                std::to_string(slice.extents.size()) +
                                " extents but the tensor shape " + full_shape.DebugString() +
                                " has rank " + std::to_string(full_shape.rank()));
  }
  for (int d = 0; d < full_shape.rank(); ++d) {
    RETURN_IF_ERROR(CheckExtent(slice, d));
    const SliceExtent& e = slice.extents[d];
    if (!IsFullExtent(e) && e.start + e.length > full_shape.dim(d)) {
      return InvalidArgumentError("slice '" + slice.DebugString() + "': extent " +
                                  std::to_string(d) + " [" + std::to_string(e.start) + ", " +
                                  std::to_string(e.start + e.length) +
                                  ") exceeds dimension size " +
                                  std::to_string(full_shape.dim(d)) + " of shape " +
                                  full_shape.DebugString());
    }
  }
  return Status::OK();
}

StatusOr<TensorShape> SliceShape(const TensorSlice& slice, const TensorShape& full_shape) {
  RETURN_IF_ERROR(ValidateSlice(slice, full_shape));
  std::vector<int64_t> dims(full_shape.dims());
  for (int d = 0; d < full_shape.rank(); ++d) {
    if (!IsFullExtent(slice.extents[d])) dims[d] = slice.extents[d].length;
  }
  return TensorShape::Create(dims);
}

int64_t ExtentBegin(const TensorSlice& slice, const TensorShape& full_shape, int d) {
  return IsFullExtent(slice.extents[d]) ? 0 : slice.extents[d].start;
}

int64_t ExtentEnd(const TensorSlice& slice, const TensorShape& full_shape, int d) {
  const SliceExtent& e = slice.extents[d];
  return IsFullExtent(e) ? full_shape.dim(d) : e.start + e.length;
}

bool IsFullSlice(const TensorSlice& slice, const TensorShape& full_shape) {
  for (int d = 0; d < static_cast<int>(slice.extents.size()); ++d) {
    if (ExtentBegin(slice, full_shape, d) != 0 ||
        ExtentEnd(slice, full_shape, d) != full_shape.dim(d)) {
      return false;
    }
  }
  return true;
}

TensorSlice CanonicalizeSlice(const TensorSlice& slice, const TensorShape& full_shape) {
  TensorSlice out = slice;
  for (int d = 0; d < static_cast<int>(out.extents.size()); ++d) {
    if (ExtentBegin(slice, full_shape, d) == 0 &&
        ExtentEnd(slice, full_shape, d) == full_shape.dim(d)) {
      out.extents[d] = SliceExtent{0, kFullExtentLength};
    }
  }
  return out;
}

int64_t SliceVolume(const TensorSlice& slice, const TensorShape& full_shape) {
  int64_t volume = 1;
  for (int d = 0; d < static_cast<int>(slice.extents.size()); ++d) {
    volume *= ExtentEnd(slice, full_shape, d) - ExtentBegin(slice, full_shape, d);
  }
  return volume;
}

std::optional<TensorSlice> IntersectSlices(const TensorSlice& a, const TensorSlice& b) {
  if (a.extents.size() != b.extents.size()) return std::nullopt;
  TensorSlice out;
  out.extents.reserve(a.extents.size());
  for (size_t d = 0; d < a.extents.size(); ++d) {
    const SliceExtent& x = a.extents[d];
    const SliceExtent& y = b.extents[d];
    if (IsFullExtent(x)) {
      out.extents.push_back(y);
    } else if (IsFullExtent(y)) {
      out.extents.push_back(x);
    } else {
      const int64_t begin = std::max(x.start, y.start);
      const int64_t end = std::min(x.start + x.length, y.start + y.length);
      if (end <= begin) return std::nullopt;
      out.extents.push_back(SliceExtent{begin, end - begin});
    }
  }
  return out;
}

bool SliceCovers(const TensorSlice& outer, const TensorSlice& inner,
                 const TensorShape& full_shape) {
  if (outer.extents.size() != inner.extents.size()) return false;
  for (int d = 0; d < static_cast<int>(outer.extents.size()); ++d) {
    if (ExtentBegin(outer, full_shape, d) > ExtentBegin(inner, full_shape, d) ||
        ExtentEnd(outer, full_shape, d) < ExtentEnd(inner, full_shape, d)) {
      return false;
    }
  }
  return true;
}

}  // namespace tf1hub
