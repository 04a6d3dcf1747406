// CreateModuleSpec and ModuleSpec queries. Expected messages and values
// were produced by real tensorflow_hub 0.15.0 on TF 2.15.1 (oracle venv),
// with the equivalent Python module_fn; each test says what it mirrors.
#include "tf1hub/hub/create_module_spec.h"

#include <gtest/gtest.h>

#include "tf1hub/graph/layers.h"
#include "tf1hub/graph/ops.h"
#include "tf1hub/graph/variables.h"
#include "tf1hub/hub/seed_module_fn.h"
#include "tf1hub/proto/image_module_info.pb.h"
#include "tf1hub/proto/module_attachment.pb.h"

namespace tf1hub::hub {
namespace {

using testing::SeedModuleFn;
using testing::Shape;

// x [?,3] -> x * 2, signature "default".
Status DoubleFn(ModuleFnContext& ctx) {
  const Scope& s = ctx.scope();
  Output x = ops::Placeholder(s, DataType::kFloat, {.shape = Shape({-1, 3})});
  ctx.AddSignature("", x, ops::Mul(s, x, ops::Const(s, 2.0f)));
  return s.status();
}

TEST(CreateModuleSpecTest, SeedModuleSignatures) {
  StatusOr<std::shared_ptr<const ModuleSpec>> spec = CreateModuleSpec(SeedModuleFn);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ((*spec)->GetTags(), std::vector<TagSet>{TagSet{}});
  EXPECT_EQ((*spec)->module_dir(), "");
  EXPECT_EQ((*spec)->checkpoint_path(), "");
  EXPECT_EQ((*spec)->GetSignatureNames().value(), std::vector<std::string>{"default"});

  auto inputs = (*spec)->GetInputInfoDict();
  ASSERT_TRUE(inputs.ok()) << inputs.status().ToString();
  ASSERT_EQ(inputs->size(), 1u);
  const ParsedTensorInfo& in = inputs->at("default");
  EXPECT_EQ(in.dtype, DataType::kFloat);
  EXPECT_EQ(in.shape, Shape({-1, 50}));
  EXPECT_FALSE(in.is_sparse);
  EXPECT_FALSE(in.is_composite);
  EXPECT_EQ(in.proto.name(), "Placeholder:0");  // as in hub's export

  auto outputs = (*spec)->GetOutputInfoDict("");
  ASSERT_TRUE(outputs.ok());
  ASSERT_EQ(outputs->size(), 2u);
  EXPECT_EQ(outputs->at("default").shape, Shape({-1, 100}));
  EXPECT_EQ(outputs->at("default").proto.name(), "dense_1/BiasAdd:0");
  EXPECT_EQ(outputs->at("hidden_activations").shape, Shape({-1, 200}));
  EXPECT_EQ(outputs->at("hidden_activations").proto.name(), "dense/BiasAdd:0");
  EXPECT_EQ(outputs->at("hidden_activations").dtype, DataType::kFloat);
}

TEST(CreateModuleSpecTest, SeedModuleMetaGraphAsHubWritesIt) {
  auto spec = CreateModuleSpec(SeedModuleFn);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  const tensorflow::SavedModel& sm = (*spec)->saved_model();
  // hub's export: no schema version, one meta graph, no tags, no saver_def,
  // collections variables + trainable_variables (4 VariableDefs each),
  // method_name empty, producer 1645, _output_shapes on the nodes.
  EXPECT_EQ(sm.saved_model_schema_version(), 0);
  ASSERT_EQ(sm.meta_graphs_size(), 1);
  const tensorflow::MetaGraphDef& mg = sm.meta_graphs(0);
  EXPECT_EQ(mg.meta_info_def().tags_size(), 0);
  EXPECT_FALSE(mg.has_saver_def());
  EXPECT_TRUE(mg.meta_info_def().stripped_default_attrs());
  EXPECT_EQ(mg.meta_info_def().tensorflow_version(), "2.15.1");
  EXPECT_EQ(mg.graph_def().versions().producer(), 1645);
  ASSERT_EQ(mg.collection_def_size(), 2);
  EXPECT_EQ(mg.collection_def().at("variables").bytes_list().value_size(), 4);
  EXPECT_EQ(mg.collection_def().at("trainable_variables").bytes_list().value_size(), 4);
  EXPECT_EQ(mg.signature_def().at("default").method_name(), "");
  const tensorflow::TensorInfo& in = mg.signature_def().at("default").inputs().at("default");
  EXPECT_EQ(in.dtype(), tensorflow::DT_FLOAT);
  ASSERT_EQ(in.tensor_shape().dim_size(), 2);
  EXPECT_EQ(in.tensor_shape().dim(0).size(), -1);
  EXPECT_EQ(in.tensor_shape().dim(1).size(), 50);
  bool has_shapes = false;
  for (const auto& node : mg.graph_def().node()) {
    if (node.name() == "Placeholder") has_shapes = node.attr().count("_output_shapes") == 1;
  }
  EXPECT_TRUE(has_shapes);
  std::vector<std::string> ops;
  for (const auto& op : mg.meta_info_def().stripped_op_list().op()) ops.push_back(op.name());
  for (const char* op : {"BiasAdd", "MatMul", "Placeholder", "ReadVariableOp", "VarHandleOp",
                         "AssignVariableOp", "VarIsInitializedOp"}) {
    EXPECT_NE(std::find(ops.begin(), ops.end(), op), ops.end()) << op;
  }
}

TEST(CreateModuleSpecTest, UnknownRankInput) {
  auto spec = CreateModuleSpec([](ModuleFnContext& ctx) {
    Output x = ops::Placeholder(ctx.scope(), DataType::kString);
    ctx.AddSignature("", x, x);
    return ctx.scope().status();
  });
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  const auto& info =
      (*spec)->saved_model().meta_graphs(0).signature_def().at("default").inputs().at("default");
  EXPECT_TRUE(info.tensor_shape().unknown_rank());
  EXPECT_EQ(info.dtype(), tensorflow::DT_STRING);
  auto parsed = (*spec)->GetInputInfoDict();
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->at("default").shape.unknown_rank());
}

TEST(CreateModuleSpecTest, NoSignatures) {
  auto spec = CreateModuleSpec([](ModuleFnContext& ctx) {
    ops::Placeholder(ctx.scope(), DataType::kFloat);
    return ctx.scope().status();
  });
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().code(), StatusCode::kInvalidArgument);
  // hub's text, missing space included.
  EXPECT_EQ(spec.status().message(),
            "No signatures present. Please call hub.add_signature(...)at least once in the "
            "module_fn.");
}

TEST(CreateModuleSpecTest, TagsUsedRepeatedly) {
  // hub: ValueError("Tags frozenset({'train'}) used repeatedly").
  auto spec = CreateModuleSpec(DoubleFn, {.tags_and_args = {{{"train"}, {}}, {{"train"}, {}}}});
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().message(), "Tags frozenset({'train'}) used repeatedly");
  auto spec2 = CreateModuleSpec(DoubleFn, {.tags_and_args = {{{"b", "a"}, {}}, {{"a", "b"}, {}}}});
  ASSERT_FALSE(spec2.ok());
  EXPECT_EQ(spec2.status().message(), "Tags frozenset({'a', 'b'}) used repeatedly");
  auto spec3 = CreateModuleSpec(DoubleFn, {.tags_and_args = {{{}, {}}, {{}, {}}}});
  ASSERT_FALSE(spec3.ok());
  EXPECT_EQ(spec3.status().message(), "Tags frozenset() used repeatedly");
}

Status CollectionsFn(ModuleFnContext& ctx) {
  const Scope& s = ctx.scope();
  Output x = ops::Placeholder(s, DataType::kFloat, {.shape = Shape({-1, 3})});
  RETURN_IF_ERROR(s.graph()->AddToCollection("foo", x.ToString()));
  RETURN_IF_ERROR(s.graph()->AddToCollection("bar", x.ToString()));
  ctx.AddSignature("", x, ops::Mul(s, x, x));
  return s.status();
}

TEST(CreateModuleSpecTest, UnsupportedCollectionsAndDropCollections) {
  auto spec = CreateModuleSpec(CollectionsFn);
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().code(), StatusCode::kInvalidArgument);
  // hub lists them in set order ("['foo', 'bar']" in our run); we sort.
  EXPECT_EQ(spec.status().message(),
            "Unsupported collections in graph: ['bar', 'foo']\n"
            "Use hub.create_module_spec(..., drop_collections=[...]) as appropriate.");
  auto dropped = CreateModuleSpec(CollectionsFn, {.drop_collections = {"foo", "bar"}});
  ASSERT_TRUE(dropped.ok()) << dropped.status().ToString();
  EXPECT_EQ((*dropped)->saved_model().meta_graphs(0).collection_def_size(), 0);
}

TEST(CreateModuleSpecTest, GetUnsupportedCollections) {
  EXPECT_EQ(GetUnsupportedCollections({"foo", "variables", "bar", "update_ops", "foo"}),
            (std::vector<std::string>{"bar", "foo"}));
  EXPECT_TRUE(GetUnsupportedCollections(SupportedCollections()).empty());
  EXPECT_EQ(SupportedCollections().size(), 10u);
}

TEST(CreateModuleSpecTest, MalformedAttachKey) {
  for (const char* key : {"a b", "1abc", "", "_x", "a-b"}) {
    auto spec = CreateModuleSpec([&](ModuleFnContext& ctx) {
      Status st = ctx.AttachMessage(key, tensorflow::GraphDef());
      EXPECT_FALSE(st.ok());
      return DoubleFn(ctx);
    });
    ASSERT_FALSE(spec.ok()) << key;
    EXPECT_EQ(spec.status().message(),
              "hub.attach_message() called with malformed key '" + std::string(key) + "'");
  }
}

TEST(CreateModuleSpecTest, ModuleFnErrorPropagates) {
  auto spec = CreateModuleSpec([](ModuleFnContext&) { return NotFoundError("no vocab file"); });
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status(), NotFoundError("no vocab file"));
  // A sticky scope error counts even if module_fn returns OK.
  auto spec2 = CreateModuleSpec([](ModuleFnContext& ctx) {
    ctx.scope().UpdateStatus(InvalidArgumentError("bad op"));
    return Status::OK();
  });
  ASSERT_FALSE(spec2.ok());
  EXPECT_EQ(spec2.status().message(), "bad op");
  auto spec3 = CreateModuleSpec(ModuleFn());
  EXPECT_FALSE(spec3.ok());
}

Status StateColocatedFn(ModuleFnContext& ctx) {
  const Scope& s = ctx.scope();
  Output c = ops::Const(s.WithOpName("c"), 1.0f);
  ops::VarHandleOp(s.ColocateWith(c).WithOpName("v"), DataType::kFloat, Shape({}));
  return DoubleFn(ctx);
}

TEST(CreateModuleSpecTest, StateOpColocatedWithNonStateOp) {
  // Text from hub with the Python equivalent (get_variable under
  // colocate_with(c)).
  const std::string head =
      "A state-holding node x of a module's graph (e.g., a Variable op) must not be subject "
      "to a tf.colocate_with(y) constraint unless y is also a state-holding node.\nDetails: ";
  const std::string tail =
      "node 'v' has op 'VarHandleOp', which counts as state-holding, but "
      "Operation.colocation_groups() == [b'loc:@c']. ";
  auto spec = CreateModuleSpec(StateColocatedFn);
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().message(), head + tail);
  auto tagged = CreateModuleSpec(StateColocatedFn, {.tags_and_args = {{{"train", "b"}, {}}}});
  ASSERT_FALSE(tagged.ok());
  EXPECT_EQ(tagged.status().message(), head + "in the graph for tags {'b', 'train'}, " + tail);
  auto empty_tags = CreateModuleSpec(StateColocatedFn, {.tags_and_args = {{{}, {}}}});
  ASSERT_FALSE(empty_tags.ok());
  EXPECT_EQ(empty_tags.status().message(), head + "in the graph for tags set(), " + tail);
}

TEST(CreateModuleSpecTest, StateOpColocatedWithStateOpIsFine) {
  auto spec = CreateModuleSpec([](ModuleFnContext& ctx) {
    const Scope& s = ctx.scope();
    Output a = ops::VarHandleOp(s.WithOpName("a"), DataType::kFloat, Shape({}));
    ops::VarHandleOp(s.ColocateWith(a).WithOpName("b"), DataType::kFloat, Shape({}));
    return DoubleFn(ctx);
  });
  EXPECT_TRUE(spec.ok()) << spec.status().ToString();
}

TEST(CreateModuleSpecTest, SignatureInputWithColocation) {
  auto spec = CreateModuleSpec([](ModuleFnContext& ctx) {
    const Scope& s = ctx.scope();
    Output c = ops::Const(s.WithOpName("c"), 1.0f);
    Output x = ops::Placeholder(s.ColocateWith(c).WithOpName("x"), DataType::kFloat,
                                {.shape = Shape({-1, 3})});
    ctx.AddSignature("", {{"in", x}}, {{"default", ops::Mul(s, x, x)}});
    return s.status();
  });
  ASSERT_FALSE(spec.ok());
  // hub's text for the same Python module_fn.
  EXPECT_EQ(spec.status().message(),
            "A tensor x used as input in a signature must not be subject to a "
            "tf.colocate_with(y) constraint. (The reverse would be allowed.)\nDetails: tensor "
            "'Tensor(\"x:0\", shape=(None, 3), dtype=float32)' appears as input 'in' of "
            "signature 'default' but has Tensor.op.colocation_groups() == [b'loc:@c']");
}

TEST(CreateModuleSpecTest, SparseSignatureInputWithColocation) {
  auto spec = CreateModuleSpec([](ModuleFnContext& ctx) {
    const Scope& s = ctx.scope();
    Output c = ops::Const(s.WithOpName("c"), 1.0f);
    Scope sp = s.NewSubScope("sp");
    Output indices =
        ops::Placeholder(sp.WithOpName("indices"), DataType::kInt64, {.shape = Shape({-1, -1})});
    Output values = ops::Placeholder(sp.ColocateWith(c).WithOpName("values"), DataType::kFloat,
                                     {.shape = Shape({-1})});
    Output shape =
        ops::Placeholder(sp.WithOpName("shape"), DataType::kInt64, {.shape = Shape({-1})});
    ctx.AddSignature("", {{"in", SparseOutput{indices, values, shape}}}, {{"default", values}});
    return s.status();
  });
  ASSERT_FALSE(spec.ok());
  // hub's text for tf.compat.v1.sparse_placeholder under colocate_with(c).
  EXPECT_EQ(spec.status().message(),
            "A tensor x used as input in a signature must not be subject to a "
            "tf.colocate_with(y) constraint. (The reverse would be allowed.)\nDetails: tensor "
            "'SparseTensor(indices=Tensor(\"sp/indices:0\", shape=(None, None), dtype=int64), "
            "values=Tensor(\"sp/values:0\", shape=(None,), dtype=float32), "
            "dense_shape=Tensor(\"sp/shape:0\", shape=(None,), dtype=int64))' appears in input "
            "'in' of signature 'default' but has Tensor.op.colocation_groups() == [b'loc:@c']");
}

// Two variants chosen by a bool arg, as hub's tags_and_args.
Status TrainFn(ModuleFnContext& ctx) {
  const Scope& s = ctx.scope();
  Output x = ops::Placeholder(s, DataType::kFloat, {.shape = Shape({-1, 3})});
  bool training = ctx.GetBool("is_training", false);
  ctx.AddSignature("", x, ops::Mul(s, x, ops::Const(s, training ? 3.0f : 2.0f)));
  if (training) ctx.AddSignature("extra", x, x);
  tensorflow_hub::ModuleAttachment marker;
  marker.set_key(training ? "train" : "serve");
  RETURN_IF_ERROR(ctx.AttachMessage("which", marker));
  return s.status();
}

TEST(CreateModuleSpecTest, TwoTagSets) {
  auto spec = CreateModuleSpec(TrainFn,
                               {.tags_and_args = {{{"train"}, {{"is_training", true}}}, {{}, {}}}});
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ((*spec)->GetTags(), (std::vector<TagSet>{{}, {"train"}}));
  const auto& sm = (*spec)->saved_model();
  ASSERT_EQ(sm.meta_graphs_size(), 2);  // in tags_and_args order
  ASSERT_EQ(sm.meta_graphs(0).meta_info_def().tags_size(), 1);
  EXPECT_EQ(sm.meta_graphs(0).meta_info_def().tags(0), "train");
  EXPECT_EQ(sm.meta_graphs(1).meta_info_def().tags_size(), 0);
  EXPECT_EQ((*spec)->GetSignatureNames({"train"}).value(),
            (std::vector<std::string>{"default", "extra"}));
  EXPECT_EQ((*spec)->GetSignatureNames().value(), std::vector<std::string>{"default"});

  tensorflow_hub::ModuleAttachment got;
  ASSERT_TRUE((*spec)->GetAttachedMessage("which", &got, {"train"}).value());
  EXPECT_EQ(got.key(), "train");
  ASSERT_TRUE((*spec)->GetAttachedMessage("which", &got).value());
  EXPECT_EQ(got.key(), "serve");

  auto missing = (*spec)->GetSignatureNames({"b", "a"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "No such graph variant: tags=['a', 'b']");
  auto missing_sig = (*spec)->GetInputInfoDict("foo");
  ASSERT_FALSE(missing_sig.ok());
  EXPECT_EQ(missing_sig.status().message(), "Signature 'foo' is missing from meta graph.");
  EXPECT_FALSE((*spec)->GetOutputInfoDict("extra").ok());
  EXPECT_TRUE((*spec)->GetOutputInfoDict("extra", {"train"}).ok());
}

TEST(CreateModuleSpecTest, AttachmentsRoundTrip) {
  auto spec = CreateModuleSpec([](ModuleFnContext& ctx) {
    tensorflow_hub::ImageModuleInfo info;
    info.mutable_default_image_size()->set_height(2);
    info.mutable_default_image_size()->set_width(4);
    RETURN_IF_ERROR(ctx.AttachMessage("zeta", info));
    info.mutable_default_image_size()->set_height(224);
    RETURN_IF_ERROR(ctx.AttachMessage("alpha", info));
    info.mutable_default_image_size()->set_width(225);
    RETURN_IF_ERROR(ctx.AttachMessage("zeta", info));  // last value wins
    return DoubleFn(ctx);
  });
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  const auto& collection =
      (*spec)->saved_model().meta_graphs(0).collection_def().at("hub_module_attachments");
  ASSERT_EQ(collection.bytes_list().value_size(), 2);
  tensorflow_hub::ModuleAttachment first;
  ASSERT_TRUE(first.ParseFromString(collection.bytes_list().value(0)));
  EXPECT_EQ(first.key(), "zeta");  // first-use order

  tensorflow_hub::ImageModuleInfo got;
  ASSERT_TRUE((*spec)->GetAttachedMessage("zeta", &got).value());
  EXPECT_EQ(got.default_image_size().height(), 224);
  EXPECT_EQ(got.default_image_size().width(), 225);
  ASSERT_TRUE((*spec)->GetAttachedMessage("alpha", &got).value());
  EXPECT_EQ(got.default_image_size().width(), 4);

  auto absent = (*spec)->GetAttachedMessage("nope", &got);
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(*absent);
  EXPECT_FALSE((*spec)->GetAttachedMessageBytes("nope").value().has_value());
  auto required = (*spec)->GetAttachedMessage("nope", &got, {}, true);
  ASSERT_FALSE(required.ok());
  EXPECT_EQ(required.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(required.status().message(),
            "No attached message for key 'nope' in graph version [] of Hub Module");
}

TEST(CreateModuleSpecTest, NoAttachmentsNoCollection) {
  auto spec = CreateModuleSpec(DoubleFn);
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ((*spec)->saved_model().meta_graphs(0).collection_def().count("hub_module_attachments"),
            0u);
}

TEST(CreateModuleSpecTest, SparseSignature) {
  auto spec = CreateModuleSpec([](ModuleFnContext& ctx) {
    const Scope& s = ctx.scope();
    Output indices =
        ops::Placeholder(s.WithOpName("indices"), DataType::kInt64, {.shape = Shape({-1, 2})});
    Output values =
        ops::Placeholder(s.WithOpName("values"), DataType::kFloat, {.shape = Shape({-1})});
    Output shape = ops::Const(s.WithOpName("shape"), std::vector<int64_t>{-1, 5});
    Output free_shape =
        ops::Placeholder(s.WithOpName("free_shape"), DataType::kInt64, {.shape = Shape({3})});
    ctx.AddSignature("", {{"sp", SparseOutput{indices, values, shape}}},
                     {{"default", values}, {"free", SparseOutput{indices, values, free_shape}}});
    return s.status();
  });
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  const auto& sig = (*spec)->saved_model().meta_graphs(0).signature_def().at("default");
  const tensorflow::TensorInfo& sp = sig.inputs().at("sp");
  EXPECT_EQ(sp.coo_sparse().values_tensor_name(), "values:0");
  EXPECT_EQ(sp.coo_sparse().indices_tensor_name(), "indices:0");
  EXPECT_EQ(sp.coo_sparse().dense_shape_tensor_name(), "shape:0");
  EXPECT_EQ(sp.dtype(), tensorflow::DT_FLOAT);
  auto inputs = (*spec)->GetInputInfoDict();
  ASSERT_TRUE(inputs.ok());
  EXPECT_TRUE(inputs->at("sp").is_sparse);
  EXPECT_EQ(inputs->at("sp").shape, Shape({-1, 5}));
  auto outputs = (*spec)->GetOutputInfoDict();
  ASSERT_TRUE(outputs.ok());
  EXPECT_TRUE(outputs->at("free").is_sparse);
  EXPECT_EQ(outputs->at("free").shape, Shape({-1, -1, -1}));  // only the rank is known
  EXPECT_FALSE(outputs->at("default").is_sparse);
}

TEST(CreateModuleSpecTest, LaterSignatureWithSameNameWins) {
  auto spec = CreateModuleSpec([](ModuleFnContext& ctx) {
    const Scope& s = ctx.scope();
    Output x = ops::Placeholder(s.WithOpName("x"), DataType::kFloat);
    Output y = ops::Placeholder(s.WithOpName("y"), DataType::kInt32);
    ctx.AddSignature("", x, x);
    ctx.AddSignature("default", y, y);
    return s.status();
  });
  ASSERT_TRUE(spec.ok());
  auto inputs = (*spec)->GetInputInfoDict();
  ASSERT_TRUE(inputs.ok());
  EXPECT_EQ(inputs->at("default").dtype, DataType::kInt32);
}

}  // namespace
}  // namespace tf1hub::hub
