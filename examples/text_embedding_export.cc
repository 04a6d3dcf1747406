// Text embeddings as a TF1 Hub module: tensorflow_hub's
// examples/text_embeddings/export.py, in C++.
//
//   tf1hub_text_embedding_export EMBEDDINGS.txt MODULE_DIR
//
// Exports EMBEDDINGS.txt ("token v1 ... vN" per line) as a module whose
// default signature embeds whole sentences (punctuation stripped, split on
// spaces, sqrtn-combined; one OOV bucket), then loads the module back as
// any consumer would and embeds three sentences. In Python the same module
// is used as
//
//   embed = hub.Module("MODULE_DIR")
//   vectors = embed(["the cat sat", "", "dog!"])
//
// Without arguments it writes a tiny embeddings file (cat, lizard, dog) to
// /tmp and exports that.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "tf1hub/graph/ops.h"
#include "tf1hub/graph/variables.h"
#include "tf1hub/hub/module.h"
#include "tf1hub/hub/text_embedding.h"
#include "tf1hub/session.h"

namespace {

using namespace tf1hub;  // NOLINT(build/namespaces): a short example program.

// Loads the module, applies it to `sentences` and prints the embeddings.
Status EmbedSentences(const std::string& module_dir, const std::vector<std::string>& sentences) {
  ASSIGN_OR_RETURN(auto spec, hub::LoadModuleSpec(module_dir));
  Scope root = Scope::NewRootScope();
  ASSIGN_OR_RETURN(auto module, hub::Module::Create(root, spec));
  Output input = ops::Placeholder(root, DataType::kString);
  ASSIGN_OR_RETURN(Output embedding, module->Apply(root, input));

  // Initializers: the variables (restored from the module) and the
  // vocabulary table (read from the module's assets/tokens.txt).
  std::vector<std::string> init = {GlobalVariablesInitializer(root).name};
  for (const std::string& op :
       root.graph()->GetCollection(graph_keys::kTableInitializers)->node_list().value()) {
    init.push_back(op);
  }
  ASSIGN_OR_RETURN(auto graph_def, root.ToGraphDef());
  ASSIGN_OR_RETURN(auto session, Session::Create(graph_def));
  RETURN_IF_ERROR(session->Run({}, {}, init).status());

  ASSIGN_OR_RETURN(TensorShape shape,
                   TensorShape::Create({static_cast<int64_t>(sentences.size())}));
  ASSIGN_OR_RETURN(Tensor batch, Tensor::FromVector(sentences, shape));
  ASSIGN_OR_RETURN(auto out, session->Run({{input.ToString(), batch}}, {embedding.ToString()}, {}));
  const int64_t dim = out[0].shape().dim(1);
  for (size_t i = 0; i < sentences.size(); ++i) {
    std::printf("%-16s ->", ("\"" + sentences[i] + "\"").c_str());
    for (int64_t j = 0; j < std::min<int64_t>(dim, 8); ++j) {
      std::printf(" %8.4f", out[0].flat<float>()[i * dim + j]);
    }
    std::printf("%s\n", dim > 8 ? " ..." : "");
  }
  return Status::OK();
}

}  // namespace

int main(int argc, char** argv) {
  std::string embeddings = argc > 1 ? argv[1] : "/tmp/tf1hub_example_embeddings.txt";
  std::string module_dir = argc > 2 ? argv[2] : "/tmp/tf1hub_example_text_module";
  if (argc <= 1) {
    std::ofstream(embeddings) << "cat 1.1 2.56 3.45\nlizard 1 2 3\ndog 5 2.5 -1\n";
  }
  StatusOr<hub::TextEmbeddingExportStats> stats =
      hub::ExportTextEmbeddingModule(embeddings, module_dir);
  if (!stats.ok()) {
    std::fprintf(stderr, "export failed: %s\n", stats.status().ToString().c_str());
    return 1;
  }
  std::printf("exported %lld tokens x %lld to %s\n", static_cast<long long>(stats->vocab_size),
              static_cast<long long>(stats->dim), module_dir.c_str());
  Status status = EmbedSentences(module_dir, {"cat dog", "the lizard!", ""});
  if (!status.ok()) {
    std::fprintf(stderr, "running the module failed: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
