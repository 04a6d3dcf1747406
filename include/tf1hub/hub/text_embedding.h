// Text embedding modules: what tensorflow_hub's example exporter
// (examples/text_embeddings/export.py) does, in C++.
//
// A text embeddings file holds one token per line followed by its vector:
//
//   cat 1.0 2.0 3.0
//   dog 0.5 -1 2e-3
//
// ExportTextEmbeddingModule reads such a file and writes a TF1 Hub module
// whose `default` signature maps string [batch] to float32 [batch, dim]:
//
//   preprocess_text = true (hub's default): input "sentences"; punctuation
//     (\pP) is removed, sentences are split on " ", each token is looked up
//     in the vocabulary (out-of-vocabulary tokens hash into
//     `num_oov_buckets` extra rows with TF's Fingerprint64 bucketing), and
//     a sentence's rows are combined with sqrtn (sum / sqrt(count)). A
//     sentence with no tokens gets the row of the empty string (an OOV
//     bucket, zero unless fine-tuned).
//   preprocess_text = false: input "tokens"; one row per token.
//
// The graph has the ops, node names and collections hub's exporter makes
// with TensorFlow 2.15 (a HashTableV2 initialized from the asset
// assets/tokens.txt, an `embeddings` resource variable [vocab + oov, dim]),
// so hub.Module and hub.text_embedding_column take it, and modules hub
// exported run here.
//
//   ASSIGN_OR_RETURN(TextEmbeddingExportStats stats,
//                    hub::ExportTextEmbeddingModule("glove.txt", "/models/glove"));
//
// Memory: the matrix is held once. The reader parses straight into a
// buffer that grows by remapping pages (never by copying), the buffer is
// fed to the variable's assignment without a copy, and the export streams
// it to the checkpoint. Loading maps the checkpoint (see module.h).
//
// Thread safety: the functions are reentrant.
#ifndef TF1HUB_HUB_TEXT_EMBEDDING_H_
#define TF1HUB_HUB_TEXT_EMBEDDING_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tf1hub/hub/create_module_spec.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor.h"

namespace tf1hub::hub {

// The contents of a text embeddings file.
struct TextEmbeddings {
  // Tokens in file order (row i of `embeddings` belongs to vocabulary[i]).
  std::vector<std::string> vocabulary;
  // float32 [vocabulary.size() + extra_zero_rows, dim]; the extra rows are
  // zero.
  Tensor embeddings;
  int64_t dim = 0;
};

struct ReadTextEmbeddingsOptions {
  // Zero rows appended after the vocabulary rows (the OOV buckets).
  int64_t extra_zero_rows = 0;
  // Called now and then with (bytes parsed, file size); may be empty.
  std::function<void(uint64_t done, uint64_t total)> progress = {};
};

// Reads a text embeddings file, streaming: lines are "token v1 ... vN"
// separated by ASCII whitespace (as Python's str.split() for ASCII text);
// values are parsed as Python's float() does (double) and rounded to
// float32, as hub's exporter feeds them. "\r\n" line ends are accepted.
//
// Errors name the file, the 1-based line and the problem (InvalidArgument
// unless said otherwise):
//   "<path>:3: Inconsistent embedding dimension detected, 300 != 299 for token foo"
//     (hub's wording)
//   "<path>:2: value 4 of token 'foo' is not a number: 'x1'"
//   "<path>:5: empty line (expected: token v1 ... vN)"
//   "<path>:1: token 'foo' has no values"
//   "<path>:7: duplicate token 'cat' (first on line 2)": hub's exporter
//     writes such a module but its vocabulary table then fails to
//     initialize ("HashTable has different value for same key"), so we
//     refuse it up front.
//   "<path>: empty file: no embeddings"
//   NotFound / PermissionDenied etc. when the file cannot be read.
StatusOr<TextEmbeddings> ReadTextEmbeddings(const std::string& path,
                                            const ReadTextEmbeddingsOptions& options = {});

// hub's make_module_spec module_fn: a module over the vocabulary file
// `vocab_file` (one token per line; becomes the module's asset) with
// `vocab_size` tokens, an `embeddings` variable [vocab_size +
// num_oov_buckets, dim] initialized to zeros, and the `default` signature
// described above. num_oov_buckets must be > 0 (TF's StaticVocabularyTable
// refuses 0: "`num_oov_buckets` must be > 0; use StaticHashTable.").
ModuleFn MakeTextEmbeddingModuleFn(const std::string& vocab_file, int64_t vocab_size, int64_t dim,
                                   int64_t num_oov_buckets, bool preprocess_text);

// What an export did, for progress displays and benchmarks.
struct TextEmbeddingExportStats {
  int64_t vocab_size = 0;
  int64_t dim = 0;
  double read_seconds = 0;    // parsing the embeddings file
  double export_seconds = 0;  // building the module and writing it
};

enum class TextEmbeddingExportStage { kReading, kBuilding, kWriting, kDone };
// (stage, done, total): while reading, bytes of the file; other stages
// report (0, 1) when they start and kDone reports (1, 1).
using TextEmbeddingProgressFn =
    std::function<void(TextEmbeddingExportStage stage, uint64_t done, uint64_t total)>;

// hub's export_module_from_file: reads `embeddings_file`, appends
// `num_oov_buckets` zero rows, writes the vocabulary to a temporary
// tokens.txt, creates the spec, instantiates it as a Module, assigns the
// matrix to its `embeddings` variable through a fed placeholder and exports
// the module to `out_dir` with Module::Export (which creates the directory
// and refuses to overwrite a module or asset already there). Errors gain
// the file or stage as context.
StatusOr<TextEmbeddingExportStats> ExportTextEmbeddingModule(
    const std::string& embeddings_file, const std::string& out_dir, int64_t num_oov_buckets = 1,
    bool preprocess_text = true, const TextEmbeddingProgressFn& progress = {});

}  // namespace tf1hub::hub

#endif  // TF1HUB_HUB_TEXT_EMBEDDING_H_
