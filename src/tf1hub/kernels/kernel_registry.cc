#include "tf1hub/kernels/kernel_registry.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "tf1hub/graph/attr_util.h"
#include "tf1hub/kernels/register_all.h"

namespace tf1hub {
namespace {

bool Allowed(const TypeConstraint& c, DataType t) {
  return std::find(c.allowed.begin(), c.allowed.end(), t) != c.allowed.end();
}

// Does `def` satisfy every constraint? Missing attrs do not.
bool Matches(const std::vector<TypeConstraint>& constraints, const tensorflow::NodeDef& def) {
  for (const TypeConstraint& c : constraints) {
    const tensorflow::AttrValue* v = FindAttr(def, c.attr);
    if (v == nullptr) return false;
    if (v->value_case() == tensorflow::AttrValue::kType) {
      if (!Allowed(c, static_cast<DataType>(v->type()))) return false;
    } else if (v->value_case() == tensorflow::AttrValue::kList) {
      for (int t : v->list().type()) {
        if (!Allowed(c, static_cast<DataType>(t))) return false;
      }
    } else {
      return false;
    }
  }
  return true;
}

// Could one node satisfy both constraint sets? Yes unless some attr
// constrained by both has disjoint allowed sets.
bool Overlap(const std::vector<TypeConstraint>& a, const std::vector<TypeConstraint>& b) {
  for (const TypeConstraint& ca : a) {
    for (const TypeConstraint& cb : b) {
      if (ca.attr != cb.attr) continue;
      bool common = false;
      for (DataType t : ca.allowed) common = common || Allowed(cb, t);
      if (!common) return false;
    }
  }
  return true;
}

std::string EnumList(const std::vector<DataType>& types) {
  std::string out = "[";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i > 0) out += ", ";
    out += DataTypeEnumName(types[i]);
  }
  return out + "]";
}

std::string ConstraintsString(const std::vector<TypeConstraint>& constraints) {
  std::string out = "device='CPU'";
  for (const TypeConstraint& c : constraints) {
    out += "; " + c.attr + " in " + EnumList(c.allowed);
  }
  return out;
}

// "T=DT_FLOAT, Tidx=DT_INT32" for the node's type attrs, sorted by name.
std::string TypeAttrsString(const tensorflow::NodeDef& def) {
  std::vector<std::string> parts;
  for (const auto& [name, value] : def.attr()) {
    if (value.value_case() == tensorflow::AttrValue::kType) {
      parts.push_back(name + "=" + DataTypeEnumName(static_cast<DataType>(value.type())));
    } else if (value.value_case() == tensorflow::AttrValue::kList &&
               value.list().type_size() > 0) {
      std::vector<DataType> types;
      for (int t : value.list().type()) types.push_back(static_cast<DataType>(t));
      parts.push_back(name + "=" + EnumList(types));
    }
  }
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += ", ";
    out += parts[i];
  }
  return out;
}

}  // namespace

const KernelRegistry& KernelRegistry::Global() {
  static const KernelRegistry* const registry = [] {
    auto* r = new KernelRegistry();
    RegisterAllKernels(r);
    return r;
  }();
  return *registry;
}

void KernelRegistry::Register(std::string op, std::vector<TypeConstraint> constraints,
                              KernelFactory factory) {
  auto fail = [&](std::string why) {
    if (status_.ok()) {
      status_ = AlreadyExistsError("registering a kernel for op '" + op + "' (" +
                                   ConstraintsString(constraints) + "): " + why);
    }
  };
  std::set<std::string> seen;
  for (const TypeConstraint& c : constraints) {
    if (c.allowed.empty()) return fail("constraint on '" + c.attr + "' allows no type");
    if (!seen.insert(c.attr).second) return fail("attr '" + c.attr + "' constrained twice");
  }
  if (!factory) return fail("no factory");
  std::vector<Registration>& regs = by_op_[op];
  for (const Registration& r : regs) {
    if (Overlap(r.constraints, constraints)) {
      return fail("overlaps the earlier registration " + ConstraintsString(r.constraints));
    }
  }
  regs.push_back(Registration{std::move(constraints), std::move(factory)});
}

StatusOr<const KernelFactory*> KernelRegistry::Find(const tensorflow::NodeDef& def) const {
  auto it = by_op_.find(def.op());
  if (it == by_op_.end()) {
    return NotFoundError("No OpKernel was registered to support Op '" + def.op() +
                         "' used by {{node " + def.name() + "}} with these attrs: [" +
                         TypeAttrsString(def) +
                         "]\nRegistered devices: [CPU]\nRegistered kernels:\n"
                         "  <no registered kernels>\n");
  }
  for (const Registration& r : it->second) {
    if (Matches(r.constraints, def)) return &r.factory;
  }
  std::string registered;
  for (const Registration& r : it->second) registered += "  " + ConstraintsString(r.constraints) + "\n";
  return NotFoundError("No registered '" + def.op() +
                       "' OpKernel for 'CPU' devices compatible with node {{node " + def.name() +
                       "}}\n\t (OpKernel was found, but attributes didn't match) Requested "
                       "Attributes: " +
                       TypeAttrsString(def) + "\n\t.  Registered:" + registered);
}

StatusOr<std::unique_ptr<OpKernel>> KernelRegistry::CreateKernel(
    const KernelConstruction& c) const {
  ASSIGN_OR_RETURN(const KernelFactory* factory, Find(c.def()));
  return (*factory)(c);
}

bool KernelRegistry::HasKernelsFor(std::string_view op) const {
  return by_op_.find(op) != by_op_.end();
}

std::vector<std::string> KernelRegistry::DebugStrings() const {
  std::vector<std::string> out;
  for (const auto& [op, regs] : by_op_) {
    for (const Registration& r : regs) {
      std::string line = op + ":";
      if (r.constraints.empty()) line += " any";
      for (size_t i = 0; i < r.constraints.size(); ++i) {
        if (i > 0) line += ";";
        line += " ";
        line += r.constraints[i].attr;
        line += " in [";
        for (size_t j = 0; j < r.constraints[i].allowed.size(); ++j) {
          if (j > 0) line += ", ";
          line += TfTypeName(r.constraints[i].allowed[j]);
        }
        line += "]";
      }
      out.push_back(std::move(line));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace tf1hub
