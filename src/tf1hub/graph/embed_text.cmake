# Turns a text file into a C++ source defining
#   extern const char <SYMBOL>[] = R"delim(<file contents>)delim";
# Run as: cmake -DINPUT=in.pbtxt -DOUTPUT=out.cc -DSYMBOL=name -P embed_text.cmake
file(READ "${INPUT}" content)
set(delim "tf1hub_embed")
string(FIND "${content}" ")${delim}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter ${delim}")
endif()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} by embed_text.cmake; do not edit.\n"
  "namespace tf1hub {\n"
  "extern const char ${SYMBOL}[];\n"
  "const char ${SYMBOL}[] = R\"${delim}(${content})${delim}\";\n"
  "}  // namespace tf1hub\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
