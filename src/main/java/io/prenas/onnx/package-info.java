/**
 * ONNX export, family-neutral and pure (no DJL, no Spring): {@link io.prenas.onnx.OnnxExport}, the port a model family
 * implements to write one of its standalone models as an ONNX file, with the graph contract every family keeps (input
 * {@code pixels}, output {@code logits}, a dynamic batch axis, opset {@value io.prenas.onnx.OnnxExport#OPSET}); and
 * {@link io.prenas.onnx.OnnxGraph}, the builder a family's graph is written with (tensors to initializers, constants,
 * nodes with attributes, typed inputs and outputs, the model file); and {@link io.prenas.onnx.StandaloneTensors}, the
 * check that a standalone file holds exactly the tensors of its family's layout.
 *
 * <p>The protobuf messages are the ONNX IR's, generated at build time by protoc from
 * {@code src/main/proto/onnx_model.proto} into {@code io.prenas.onnx.proto}; they are serialised by protobuf-java.
 */
package io.prenas.onnx;
