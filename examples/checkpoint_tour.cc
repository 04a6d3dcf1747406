// A short tour of tf1hub's checkpoint API: writes a small training-style
// checkpoint (a dense layer's kernel and bias, a global step, a vocabulary),
// records it in a `checkpoint` state file, then resolves the latest
// checkpoint the way tf.train.latest_checkpoint does and reads it back.
//
//   checkpoint_tour OUT_DIR
#include <cmath>
#include <cstdio>
#include <string>

#include "tf1hub/checkpoint.h"
#include "tf1hub/env.h"
#include "tf1hub/tensor.h"

namespace {

using tf1hub::DataType;
using tf1hub::Status;
using tf1hub::StatusOr;
using tf1hub::Tensor;
using tf1hub::TensorShape;

StatusOr<Tensor> MakeFloatTensor(std::initializer_list<int64_t> dims) {
  ASSIGN_OR_RETURN(TensorShape shape, TensorShape::Create(dims));
  ASSIGN_OR_RETURN(Tensor t, Tensor::Create(DataType::kFloat, shape));
  std::span<float> v = t.mutable_flat<float>();
  for (size_t i = 0; i < v.size(); ++i) v[i] = std::sin(0.01f * static_cast<float>(i));
  return t;
}

Status Run(const std::string& dir) {
  tf1hub::FileSystem* fs = tf1hub::PosixFileSystem();
  RETURN_IF_ERROR(fs->RecursivelyCreateDir(dir));
  const std::string prefix = tf1hub::JoinPath(dir, "model.ckpt-1000");

  ASSIGN_OR_RETURN(auto writer, tf1hub::CheckpointWriter::Create(prefix));
  ASSIGN_OR_RETURN(Tensor kernel, MakeFloatTensor({50, 200}));
  ASSIGN_OR_RETURN(Tensor bias, MakeFloatTensor({200}));
  ASSIGN_OR_RETURN(TensorShape vocab_shape, TensorShape::Create({3}));
  ASSIGN_OR_RETURN(Tensor vocab, Tensor::FromVector<std::string>({"cat", "lizard", "dog"}, vocab_shape));
  RETURN_IF_ERROR(writer->Add("dense/kernel", kernel));
  RETURN_IF_ERROR(writer->Add("dense/bias", bias));
  RETURN_IF_ERROR(writer->Add("global_step", Tensor::Scalar<int64_t>(1000)));
  RETURN_IF_ERROR(writer->Add("vocab", vocab));
  RETURN_IF_ERROR(writer->Finish());

  tf1hub::CheckpointState state;
  state.model_checkpoint_path = prefix;
  state.all_model_checkpoint_paths = {prefix};
  RETURN_IF_ERROR(tf1hub::WriteCheckpointState(dir, state));

  ASSIGN_OR_RETURN(std::string latest, tf1hub::LatestCheckpoint(dir));
  std::printf("latest checkpoint in %s: %s\n", dir.c_str(), latest.c_str());
  ASSIGN_OR_RETURN(auto reader, tf1hub::CheckpointReader::Open(dir));
  for (const tf1hub::CheckpointEntryInfo& e : reader->Entries()) {
    ASSIGN_OR_RETURN(Tensor t, reader->Read(e.name));
    std::printf("  %-14s %s\n", e.name.c_str(), t.DebugString(4).c_str());
  }
  return Status::OK();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  Status status = Run(argv[1]);
  if (!status.ok()) {
    std::fprintf(stderr, "checkpoint_tour: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
