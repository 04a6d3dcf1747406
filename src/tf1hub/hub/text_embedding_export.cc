// ExportTextEmbeddingModule: hub's export_module_from_file.
//
// Memory: the matrix exists once. ReadTextEmbeddings builds it (with the
// zero OOV rows) in its final buffer; feeding that Tensor to the
// placeholder and assigning it to the variable share the buffer (Session
// feeds and AssignVariableOp keep references, they do not copy); the
// variable's zeros initializer never runs; Module::Export reads the
// variable (a reference again) and streams it into the checkpoint.
#include <unistd.h>

#include <chrono>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tf1hub/env.h"
#include "tf1hub/graph/array_ops.h"
#include "tf1hub/graph/scope.h"
#include "tf1hub/graph/state_ops.h"
#include "tf1hub/hub/module.h"
#include "tf1hub/hub/text_embedding.h"
#include "tf1hub/session.h"

namespace tf1hub::hub {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A fresh directory under $TMPDIR (or /tmp), deleted with its contents when
// this object goes away.
class TempDir {
 public:
  static StatusOr<std::unique_ptr<TempDir>> Create() {
    const char* base = std::getenv("TMPDIR");
    std::string templ = std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
                        "/tf1hub_text_embedding_XXXXXX";
    if (mkdtemp(templ.data()) == nullptr) {
      return InternalError("cannot create a temporary directory from '" + templ +
                           "': " + std::strerror(errno));
    }
    return std::unique_ptr<TempDir>(new TempDir(std::move(templ)));
  }
  ~TempDir() { PosixFileSystem()->DeleteRecursively(path_).IgnoreError(); }
  const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// hub writes "\n".join(vocabulary): no newline after the last token.
Status WriteVocabulary(const std::string& path, const std::vector<std::string>& vocabulary) {
  ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, PosixFileSystem()->NewWritableFile(path));
  std::string block;
  for (size_t i = 0; i < vocabulary.size(); ++i) {
    if (i > 0) block.push_back('\n');
    block.append(vocabulary[i]);
    if (block.size() >= (size_t{1} << 20)) {
      RETURN_IF_ERROR(file->Append(block));
      block.clear();
    }
  }
  RETURN_IF_ERROR(file->Append(block));
  return file->Close();
}

}  // namespace

StatusOr<TextEmbeddingExportStats> ExportTextEmbeddingModule(const std::string& embeddings_file,
                                                             const std::string& out_dir,
                                                             int64_t num_oov_buckets,
                                                             bool preprocess_text,
                                                             const TextEmbeddingProgressFn& progress) {
  auto report = [&](TextEmbeddingExportStage stage, uint64_t done, uint64_t total) {
    if (progress) progress(stage, done, total);
  };
  if (num_oov_buckets <= 0) {
    return InvalidArgumentError("`num_oov_buckets` must be > 0; use StaticHashTable.");
  }
  TextEmbeddingExportStats stats;
  auto start = std::chrono::steady_clock::now();
  ReadTextEmbeddingsOptions read_options;
  read_options.extra_zero_rows = num_oov_buckets;
  read_options.progress = [&](uint64_t done, uint64_t total) {
    report(TextEmbeddingExportStage::kReading, done, total);
  };
  ASSIGN_OR_RETURN(TextEmbeddings read, ReadTextEmbeddings(embeddings_file, read_options));
  stats.vocab_size = static_cast<int64_t>(read.vocabulary.size());
  stats.dim = read.dim;
  stats.read_seconds = SecondsSince(start);

  start = std::chrono::steady_clock::now();
  report(TextEmbeddingExportStage::kBuilding, 0, 1);
  ASSIGN_OR_RETURN(std::unique_ptr<TempDir> tmp, TempDir::Create());
  const std::string vocab_file = JoinPath(tmp->path(), "tokens.txt");
  RETURN_IF_ERROR_WITH_CONTEXT(WriteVocabulary(vocab_file, read.vocabulary),
                               "writing the vocabulary");
  read.vocabulary = {};  // only the file is needed from here on
  ASSIGN_OR_RETURN(std::shared_ptr<const ModuleSpec> spec,
                   CreateModuleSpec(MakeTextEmbeddingModuleFn(vocab_file, stats.vocab_size,
                                                              stats.dim, num_oov_buckets,
                                                              preprocess_text)));

  // As hub: a Module in a fresh graph, the matrix assigned through a
  // placeholder (never a constant: it may exceed protobuf's 2 GB).
  Scope root = Scope::NewRootScope();
  ASSIGN_OR_RETURN(std::unique_ptr<Module> module, Module::Create(root, spec));
  auto var = module->variable_map().find("embeddings");
  if (var == module->variable_map().end() || var->second.size() != 1) {
    return InternalError("the text embedding module has no single 'embeddings' variable");
  }
  Output matrix = ops::Placeholder(root, DataType::kFloat);
  Operation assign = ops::AssignVariableOp(root.WithOpName("Assign"), var->second[0].handle(), matrix);
  if (!root.ok()) return root.status();
  ASSIGN_OR_RETURN(tensorflow::GraphDef graph_def, root.ToGraphDef());
  ASSIGN_OR_RETURN(std::unique_ptr<Session> session, Session::Create(std::move(graph_def)));
  {
    // The feed list holds the only other reference; after Run the variable
    // owns the buffer.
    std::vector<std::pair<std::string, Tensor>> feeds;
    feeds.emplace_back(matrix.ToString(), std::move(read.embeddings));
    RETURN_IF_ERROR_WITH_CONTEXT(session->Run(feeds, {}, {assign.name}).status(),
                                 "assigning the embedding matrix");
  }
  report(TextEmbeddingExportStage::kWriting, 0, 1);
  RETURN_IF_ERROR_WITH_CONTEXT(module->Export(out_dir, *session),
                               "exporting the module to '" + out_dir + "'");
  stats.export_seconds = SecondsSince(start);
  report(TextEmbeddingExportStage::kDone, 1, 1);
  return stats;
}

}  // namespace tf1hub::hub
