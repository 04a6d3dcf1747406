// tf1hub_write_test_graphs OUT_DIR: writes GraphDefs built with the graph
// API, for interop/test_graph_to_tf.py to import and run with TensorFlow.
// The Python test hard-codes what each graph must contain; keep the two in
// step.
//
//   dense.pb           x -> dense/MatMul -> dense/BiasAdd -> out (Relu), Sum
//   dense_stripped.pb  the same, default-valued attrs stripped
//   consts.pb          Const nodes of every dtype and encoding
//   state.pb           ref and resource variables, init op, colocation, devices
//   imported.pb        dense.pb imported twice: module/ (x mapped to feed) and
//                      module_1/ (x and dense/kernel mapped); result = module_1/out
//   strings.pb         hash table, string split/join/regex/hash ops
//   loop.pb            a hand-built while loop: counts to 10
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "tf1hub/graph/import.h"
#include "tf1hub/graph/ops.h"

namespace tf1hub {
namespace {

PartialTensorShape Shape(std::vector<int64_t> dims) { return *PartialTensorShape::Create(dims); }

void BuildDense(const Scope& root) {
  Output x = ops::Placeholder(root.WithOpName("x"), DataType::kFloat, {.shape = Shape({-1, 3})});
  Scope dense = root.NewSubScope("dense");
  Output w = ops::Const(dense.WithOpName("kernel"), std::vector<float>{1, 2, 3, 4, 5, 6}, {3, 2});
  Output b = ops::Const(dense.WithOpName("bias"), std::vector<float>{0.5f, -1.0f});
  Output h = ops::BiasAdd(dense, ops::MatMul(dense, x, w), b);
  Output out = ops::Relu(root.WithOpName("out"), h);
  ops::Sum(root.WithOpName("total"), out, ops::Const(root, std::vector<int32_t>{0, 1}),
           {.keep_dims = true});
}

void BuildConsts(const Scope& root) {
  auto c = [&](const char* name) { return root.WithOpName(name); };
  ops::Const(c("f32_scalar"), 1.5f);
  ops::Const(c("f32_matrix"), std::vector<float>{1, -2, 3.25f, 4, 5, 6}, {2, 3});
  ops::Const(c("f32_one"), std::vector<float>{7}, {1, 1});
  ops::Const(c("f32_empty"), std::vector<float>{}, {0, 2});
  ops::Const(c("f64"), std::vector<double>{1e300, -2.5});
  ops::Const(c("i8"), std::vector<int8_t>{-128, 127});
  ops::Const(c("i16"), std::vector<int16_t>{-300, 300});
  ops::Const(c("i32"), std::vector<int32_t>{-7, 0, 7});
  ops::Const(c("i64"), std::vector<int64_t>{int64_t{1} << 40, -1});
  ops::Const(c("u8"), std::vector<uint8_t>{0, 255});
  ops::Const(c("u16"), std::vector<uint16_t>{0, 65535});
  ops::Const(c("u32"), std::vector<uint32_t>{4000000000u});
  ops::Const(c("u64"), std::vector<uint64_t>{18000000000000000000ull, 1});
  ops::Const(c("bool"), std::vector<bool>{true, false, true});
  ops::Const(c("c64"), std::vector<Complex64>{{1, 2}, {-3, 0.5f}});
  ops::Const(c("c128"), Tensor::Scalar<Complex128>({0.25, -8}));
  ops::Const(c("strings"), std::vector<std::string>{"", "héllo", std::string("a\0b", 3)}, {3});
  ops::Const(c("string_scalar"), "hub");
  Tensor half = *Tensor::Create(DataType::kHalf, *TensorShape::Create({3}));
  half.mutable_flat<Half>()[0].bits = 0x3c00;  // 1.0
  half.mutable_flat<Half>()[1].bits = 0xc000;  // -2.0
  half.mutable_flat<Half>()[2].bits = 0x3800;  // 0.5
  ops::Const(c("f16"), half);
  Tensor bf = *Tensor::Create(DataType::kBfloat16, *TensorShape::Create({2}));
  bf.mutable_flat<BFloat16>()[0].bits = 0x3fc0;  // 1.5
  bf.mutable_flat<BFloat16>()[1].bits = 0xc100;  // -8.0
  ops::Const(c("bf16"), bf);
  ops::ConstFilled(c("filled"), Tensor::Scalar<float>(0.25f), *TensorShape::Create({2, 2}));
  ops::ConstFilled(c("filled_i64"), Tensor::Scalar<int64_t>(-3), *TensorShape::Create({4}));
}

void BuildState(const Scope& root) {
  Scope cpu = root.WithDevice("/cpu:0");
  Output v = ops::VariableV2(cpu.WithOpName("v"), Shape({2}), DataType::kFloat);
  Output v_init = ops::Const(root.WithOpName("v_init"), std::vector<float>{3, 4});
  Output assign = ops::Assign(root.WithOpName("v/Assign"), v, v_init);
  Output h = ops::VarHandleOp(root.WithOpName("r"), DataType::kInt64, Shape({}),
                              {.shared_name = "r"});
  Operation assign_r = ops::AssignVariableOp(root.WithOpName("r/Assign"), h,
                                             ops::Const(root.WithOpName("r_init"), int64_t{41}));
  Operation init = ops::NoOp(root.WithOpName("init").WithControlDependencies({assign.op(), assign_r}));
  Scope after = root.WithControlDependencies({init});
  Output read_r = ops::ReadVariableOp(after.WithOpName("r/Read"), h, DataType::kInt64);
  Output bumped = ops::AddV2(root.WithOpName("bumped"), read_r,
                             ops::Const(root.WithOpName("one"), int64_t{1}));
  ops::Identity(root.ColocateWith(v).WithOpName("v_read"), v);
  Graph* g = root.graph();
  root.UpdateStatus(g->AddToCollection(graph_keys::kTableInitializers, "init"));
  (void)bumped;
}

void BuildImported(const Scope& root) {
  Scope source = Scope::NewRootScope();
  BuildDense(source);
  tensorflow::GraphDef dense = source.graph()->ToGraphDef();
  Output feed = ops::Placeholder(root.WithOpName("feed"), DataType::kFloat, {.shape = Shape({-1, 3})});
  ImportGraphDefOptions first;
  first.name = "module";
  first.input_map = {{"x:0", feed}};
  StatusOr<ImportGraphDefResults> r = ImportGraphDef(root, dense, first);
  if (!r.ok()) {
    root.UpdateStatus(r.status());
    return;
  }
  Output kernel2 = ops::Const(root.WithOpName("kernel2"),
                              std::vector<float>{2, 4, 6, 8, 10, 12}, {3, 2});
  ImportGraphDefOptions second;
  second.name = "module";
  second.input_map = {{"x", feed}, {"dense/kernel:0", kernel2}};
  second.return_elements = {"out:0"};
  StatusOr<ImportGraphDefResults> r2 = ImportGraphDef(root, dense, second);
  if (!r2.ok()) {
    root.UpdateStatus(r2.status());
    return;
  }
  ops::Identity(root.WithOpName("result"), r2->return_tensors[0]);
}

void BuildStrings(const Scope& root) {
  Output table = ops::HashTableV2(root.WithOpName("table"), DataType::kString, DataType::kInt64,
                                  {.shared_name = "vocab"});
  Output keys = ops::Const(root.WithOpName("keys"), std::vector<std::string>{"cat", "dog"});
  Output values = ops::Const(root.WithOpName("values"), std::vector<int64_t>{0, 2});
  Operation import = ops::LookupTableImportV2(root.WithOpName("table_init"), table, keys, values);
  Output text = ops::Placeholder(root.WithOpName("text"), DataType::kString, {.shape = Shape({-1})});
  Output lower = ops::StaticRegexReplace(root.WithOpName("clean"), text, "[[:punct:]]", "");
  ops::StringSplitOutputs split =
      ops::StringSplitV2(root.WithOpName("split"), lower, ops::Const(root.WithOpName("sep"), " "));
  Output ids = ops::LookupTableFindV2(root.WithOpName("ids"), table, split.values,
                                      ops::Const(root.WithOpName("oov"), int64_t{-1}));
  ops::StringToHashBucketFast(root.WithOpName("buckets"), split.values, 1000);
  std::vector<Output> parts = {split.values, split.values};
  ops::StringJoin(root.WithOpName("joined"), parts, {.separator = "+"});
  ops::LookupTableSizeV2(root.WithOpName("size"), table);
  root.UpdateStatus(root.graph()->AddToCollection(graph_keys::kTableInitializers, import.name));
  (void)ids;
}

// i = 0; while (i < 10) i = i + 1;  -> "result" = 10
void BuildLoop(const Scope& root) {
  Scope loop = root.NewSubScope("while");
  Output i0 = ops::Const(root.WithOpName("i0"), 0);
  Output n = ops::Const(root.WithOpName("n"), 10);
  Output enter_i = ops::Enter(loop.WithOpName("Enter"), i0, "while/while_context");
  Output enter_n = ops::Enter(loop.WithOpName("Enter_1"), n, "while/while_context",
                              {.is_constant = true});
  std::vector<Output> merge_inputs = {enter_i, enter_i};
  ops::MergeOutputs merge = ops::Merge(loop.WithOpName("Merge"), merge_inputs);
  Output cond = ops::Less(loop.WithOpName("Less"), merge.output, enter_n);
  Output loop_cond = ops::LoopCond(loop.WithOpName("LoopCond"), cond);
  ops::SwitchOutputs sw = ops::Switch(loop.WithOpName("Switch"), merge.output, loop_cond);
  Output body = ops::Identity(loop.WithOpName("Identity"), sw.output_true);
  Output one = ops::Const(loop.WithControlDependencies(body).WithOpName("add/y"), 1);
  Output next = ops::NextIteration(loop.WithOpName("NextIteration"),
                                   ops::AddV2(loop.WithOpName("add"), body, one));
  Output exit = ops::Exit(loop.WithOpName("Exit"), sw.output_false);
  ops::Identity(root.WithOpName("result"), exit);
  if (root.ok()) root.UpdateStatus(root.graph()->UpdateInput(merge.output.node, 1, next));
}

int Write(const std::string& dir, const std::string& file, void (*build)(const Scope&),
          bool strip = false) {
  Scope root = Scope::NewRootScope();
  build(root);
  StatusOr<tensorflow::GraphDef> def = root.ToGraphDef({.strip_default_attrs = strip});
  if (!def.ok()) {
    std::fprintf(stderr, "building %s: %s\n", file.c_str(), def.status().ToString().c_str());
    return 1;
  }
  const std::string path = dir + "/" + file;
  std::ofstream out(path, std::ios::binary);
  if (!out || !def->SerializeToOstream(&out)) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace tf1hub

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  int failures = 0;
  failures += tf1hub::Write(dir, "dense.pb", tf1hub::BuildDense);
  failures += tf1hub::Write(dir, "dense_stripped.pb", tf1hub::BuildDense, /*strip=*/true);
  failures += tf1hub::Write(dir, "consts.pb", tf1hub::BuildConsts);
  failures += tf1hub::Write(dir, "state.pb", tf1hub::BuildState);
  failures += tf1hub::Write(dir, "imported.pb", tf1hub::BuildImported);
  failures += tf1hub::Write(dir, "strings.pb", tf1hub::BuildStrings);
  failures += tf1hub::Write(dir, "loop.pb", tf1hub::BuildLoop);
  return failures == 0 ? 0 : 1;
}
