// TagSetDebugString: tag sets printed the way hub prints them in errors.
#include <string>

#include "tf1hub/hub/module_spec.h"

namespace tf1hub::hub {

std::string TagSetDebugString(const TagSet& tags) {
  std::string out = "[";
  for (const std::string& tag : tags) {
    if (out.size() > 1) out += ", ";
    out += "'" + tag + "'";
  }
  return out + "]";
}

}  // namespace tf1hub::hub
