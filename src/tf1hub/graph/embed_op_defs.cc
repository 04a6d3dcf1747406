// Build-time tool: turns op_defs.pbtxt (an OpList in protobuf text format)
// into a C++ source holding the OpList's binary serialization, so that
// OpRegistry::Global() parses ~30 KB of binary protobuf (~0.1 ms) instead of
// ~100 KB of text (~2.5 ms) in every process that uses the graph layer.
//
//   tf1hub_embed_op_defs INPUT.pbtxt OUTPUT.cc
//
// Defines tf1hub::kEmbeddedOpDefs (bytes) and kEmbeddedOpDefsSize. Exits 1
// with a message naming the file and the problem if the text does not parse;
// the output is only replaced when its content changes.
#include <google/protobuf/text_format.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "tf1hub/proto/op_def.pb.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: tf1hub_embed_op_defs INPUT.pbtxt OUTPUT.cc\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "tf1hub_embed_op_defs: cannot read '%s'\n", argv[1]);
    return 1;
  }
  std::stringstream text;
  text << in.rdbuf();
  tensorflow::OpList ops;
  if (!google::protobuf::TextFormat::ParseFromString(text.str(), &ops)) {
    std::fprintf(stderr, "tf1hub_embed_op_defs: '%s' is not a valid OpList (see above)\n",
                 argv[1]);
    return 1;
  }
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  {
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    ops.SerializeToCodedStream(&coded);
  }
  std::string out = "// Generated from op_defs.pbtxt by tf1hub_embed_op_defs; do not edit.\n";
  out += "#include <cstddef>\nnamespace tf1hub {\n";
  out += "extern const unsigned char kEmbeddedOpDefs[];\nextern const std::size_t kEmbeddedOpDefsSize;\n";
  out += "const unsigned char kEmbeddedOpDefs[] = {";
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i % 20 == 0) out += "\n ";
    out += " " + std::to_string(static_cast<unsigned char>(bytes[i])) + ",";
  }
  out += "\n};\nconst std::size_t kEmbeddedOpDefsSize = " + std::to_string(bytes.size()) +
         ";\n}  // namespace tf1hub\n";
  std::ifstream old(argv[2], std::ios::binary);
  std::stringstream previous;
  if (old) previous << old.rdbuf();
  if (old && previous.str() == out) return 0;  // unchanged: keep the timestamp
  old.close();
  std::ofstream file(argv[2], std::ios::binary | std::ios::trunc);
  file << out;
  if (!file.flush()) {
    std::fprintf(stderr, "tf1hub_embed_op_defs: cannot write '%s'\n", argv[2]);
    return 1;
  }
  return 0;
}
