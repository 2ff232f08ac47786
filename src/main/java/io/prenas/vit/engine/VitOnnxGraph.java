package io.prenas.vit.engine;

import static io.prenas.onnx.OnnxGraph.floatAttr;
import static io.prenas.onnx.OnnxGraph.intAttr;
import static io.prenas.onnx.OnnxGraph.intsAttr;
import static io.prenas.vit.engine.SupernetLayout.*;

import io.prenas.onnx.OnnxExport;
import io.prenas.onnx.OnnxGraph;
import io.prenas.onnx.OnnxGraph.Dim;
import io.prenas.onnx.proto.ModelProto;
import io.prenas.tensorio.Tensor;
import io.prenas.vit.space.ModelSettings;
import io.prenas.vit.space.VitArchitecture;
import java.util.Map;

/**
 * The ONNX graph of a standalone ViT: the same function as {@link VitForward} in evaluation mode, node for node, on
 * the standalone tensors ({@link SupernetLayout#subnetShapes}, qkv rows already [q; k; v]) as initializers.
 *
 * <p>Tokens travel as a 2-D {@code (N * tokens, E)} matrix between blocks, so every linear layer is one
 * {@code Gemm} with {@code transB = 1} on the PyTorch-layout weight, and LayerNormalization (opset 17) normalises the
 * last axis. Attention follows the reference ({@code AttentionSuper}): {@code softmax((Q K^T + Q . R_k) / 8)},
 * {@code A V + sum_j A_ij R_v[i, j]}. The relative-position embeddings {@code R} (tokens x tokens x 64) are built in
 * the graph from the two 64-wide tables of the standalone file rather than stored: gathered by grid line (a
 * side x side index), broadcast over the grid and bordered by the cls row and column (table row 0 of both), exactly
 * the reference's {@code T_v[iv] + T_h[ih]}. Stored dense they would be {@code 2 * tokens^2 * 64} floats per block
 * (20 MB per block at 224 px), far more than the model; built from their sources, runtimes fold them once at load.
 * GELU is the exact erf form ({@code x/2 (1 + erf(x / sqrt 2))}, PyTorch's default), written with {@code Erf}
 * because the {@code Gelu} operator needs opset 20. Pooling is the mean over the patch tokens (not the cls token)
 * after the final norm, as the reference's {@code gp} mode.
 */
final class VitOnnxGraph {

  private static final int HEAD_DIM = Attention.HEAD_DIM;
  private static final float SCALE = (float) (1.0 / Math.sqrt(HEAD_DIM));
  private static final float SQRT_HALF = (float) (1.0 / Math.sqrt(2.0));

  private final OnnxGraph g;
  private final VitArchitecture arch;
  private final ModelSettings model;
  private final long embed;
  private final int side;
  private final long patches;
  private final long tokens;
  private final RelativePosition2D positions;

  private VitOnnxGraph(VitArchitecture arch, ModelSettings model) {
    this.g = new OnnxGraph("prenas-vit-" + arch.id());
    this.arch = arch;
    this.model = model;
    this.embed = arch.embedDim();
    this.side = model.gridSide();
    this.patches = model.numPatches();
    this.tokens = patches + 1;
    this.positions = new RelativePosition2D(side, model.maxRelativePosition());
  }

  /**
   * The model of one architecture from its standalone tensors (already checked against
   * {@link SupernetLayout#subnetShapes}), with {@code metadata} as its {@code metadata_props}.
   */
  static ModelProto build(VitArchitecture arch, ModelSettings model, Map<String, Tensor> tensors,
      Map<String, String> metadata) {
    VitOnnxGraph b = new VitOnnxGraph(arch, model);
    tensors.forEach(b.g::initializer);
    String logits = b.logits();
    b.g.floatOutput(logits, Dim.symbolic(OnnxExport.BATCH), Dim.of(model.numClasses()));
    return b.g.model("prenas-server", "PreNAS standalone ViT " + arch.id() + ": " + OnnxExport.INPUT
        + " float32 [N, " + model.inChans() + ", " + model.imageSize() + ", " + model.imageSize() + "] -> "
        + OnnxExport.OUTPUT + " float32 [N, " + model.numClasses() + "] (eval mode)", metadata);
  }

  private String logits() {
    int size = model.imageSize();
    String pixels = g.floatInput(OnnxExport.INPUT, Dim.symbolic(OnnxExport.BATCH), Dim.of(model.inChans()),
        Dim.of(size), Dim.of(size));
    String x = embeddings(pixels);
    for (int i = 0; i < arch.depth(); i++) {
      x = block(i, x);
    }
    String normed = layerNorm("norm", x, NORM_WEIGHT, NORM_BIAS);
    String batched = g.node("Reshape", "norm/tokens", new String[] {normed, g.longs(-1, tokens, embed)});
    String patchTokens = g.node("Slice", "pool/patch_tokens", new String[] {batched, g.longs(1), g.longs(tokens),
        g.longs(1)});
    String pooled = g.node("ReduceMean", "pool/mean", patchTokens, intsAttr("axes", 1), intAttr("keepdims", 0));
    return g.node("Gemm", OnnxExport.OUTPUT, new String[] {pooled, HEAD_WEIGHT, HEAD_BIAS}, intAttr("transB", 1));
  }

  /** Patch convolution, cls token, absolute positions: pixels (N, C, H, W) to tokens (N * tokens, E). */
  private String embeddings(String pixels) {
    long p = model.patchSize();
    String conv = g.node("Conv", "patch_embed/conv", new String[] {pixels, PATCH_WEIGHT, PATCH_BIAS},
        intsAttr("kernel_shape", p, p), intsAttr("strides", p, p));
    // (N, E, side, side) -> (N, side*side, E): patches in row-major order, as flatten(2).transpose(1, 2)
    String flat = g.node("Reshape", "patch_embed/flat", new String[] {conv, g.longs(0, embed, patches)});
    String patchTokens = g.node("Transpose", "patch_embed/tokens", flat, intsAttr("perm", 0, 2, 1));
    String batch = g.node("Shape", "batch_size", pixels, intAttr("start", 0), intAttr("end", 1));
    String clsShape = g.node("Concat", "cls/shape", new String[] {batch, g.longs(1, embed)}, intAttr("axis", 0));
    String cls = g.node("Expand", "cls/batch", new String[] {CLS_TOKEN, clsShape});
    String all = g.node("Concat", "embed/tokens", new String[] {cls, patchTokens}, intAttr("axis", 1));
    String positioned = g.node("Add", "embed/positions", new String[] {all, POS_EMBED});
    return g.node("Reshape", "embed/out", new String[] {positioned, g.longs(-1, embed)});
  }

  /** {@code x + attn(LN1 x)}, then {@code + mlp(LN2 x)}; drop-path is the identity in evaluation mode. */
  private String block(int i, String x) {
    String p = "blocks." + i + "/";
    String normed1 = layerNorm(p + "ln1", x, blockKey(i, LN1_WEIGHT), blockKey(i, LN1_BIAS));
    String attended = attention(i, p + "attn/", normed1);
    String mid = g.node("Add", p + "residual1", new String[] {x, attended});
    String normed2 = layerNorm(p + "ln2", mid, blockKey(i, LN2_WEIGHT), blockKey(i, LN2_BIAS));
    String hidden = linear(p + "fc1", normed2, blockKey(i, FC1_WEIGHT), blockKey(i, FC1_BIAS));
    String activated = gelu(p + "gelu", hidden);
    String out = linear(p + "fc2", activated, blockKey(i, FC2_WEIGHT), blockKey(i, FC2_BIAS));
    return g.node("Add", p + "residual2", new String[] {mid, out});
  }

  /** Multi-head attention with relative positions for keys and values (see the class comment). */
  private String attention(int i, String p, String x) {
    long heads = arch.heads(i);
    long width = heads * HEAD_DIM;
    String qkv = linear(p + "qkv", x, blockKey(i, QKV_WEIGHT), blockKey(i, QKV_BIAS));
    // rows [q; k; v], each split into heads of 64: (N*T, 3q) -> (3, N, h, T, 64)
    String split = g.node("Reshape", p + "qkv/split", new String[] {qkv, g.longs(-1, tokens, 3, heads, HEAD_DIM)});
    String stacked = g.node("Transpose", p + "qkv/heads", split, intsAttr("perm", 2, 0, 3, 1, 4));
    String q = g.node("Gather", p + "q", new String[] {stacked, g.longScalar(0)}, intAttr("axis", 0));
    String k = g.node("Gather", p + "k", new String[] {stacked, g.longScalar(1)}, intAttr("axis", 0));
    String v = g.node("Gather", p + "v", new String[] {stacked, g.longScalar(2)}, intAttr("axis", 0));

    String kT = g.node("Transpose", p + "k/t", k, intsAttr("perm", 0, 1, 3, 2));
    String dot = g.node("MatMul", p + "qk", new String[] {q, kT});
    String relK = relativeEmbedding(p + "rel_k", blockKey(i, REL_K_TABLE_V), blockKey(i, REL_K_TABLE_H));
    // q_i . R_k[i, j]: per query token i, (N*h, 64) x (64, T)
    String qByToken = g.node("Transpose", p + "q/by_token", q, intsAttr("perm", 2, 0, 1, 3));
    String qRows = g.node("Reshape", p + "q/rows", new String[] {qByToken, g.longs(tokens, -1, HEAD_DIM)});
    String relKT = g.node("Transpose", p + "rel_k/t", relK, intsAttr("perm", 0, 2, 1));
    String relScores = g.node("MatMul", p + "rel_k/scores", new String[] {qRows, relKT});
    String relScores4 = g.node("Reshape", p + "rel_k/split",
        new String[] {relScores, g.longs(tokens, -1, heads, tokens)});
    String relLogits = g.node("Transpose", p + "rel_k/logits", relScores4, intsAttr("perm", 1, 2, 0, 3));
    String logits = g.node("Add", p + "logits", new String[] {dot, relLogits});
    String scaled = g.node("Mul", p + "scaled", new String[] {logits, g.floatScalar(SCALE)});
    String attn = g.node("Softmax", p + "softmax", scaled, intAttr("axis", -1));

    String av = g.node("MatMul", p + "av", new String[] {attn, v});
    String relV = relativeEmbedding(p + "rel_v", blockKey(i, REL_V_TABLE_V), blockKey(i, REL_V_TABLE_H));
    // sum_j A_ij R_v[i, j]: per query token i, (N*h, T) x (T, 64)
    String attnByToken = g.node("Transpose", p + "attn/by_token", attn, intsAttr("perm", 2, 0, 1, 3));
    String attnRows = g.node("Reshape", p + "attn/rows", new String[] {attnByToken, g.longs(tokens, -1, tokens)});
    String mix = g.node("MatMul", p + "rel_v/mix", new String[] {attnRows, relV});
    String mix4 = g.node("Reshape", p + "rel_v/split", new String[] {mix, g.longs(tokens, -1, heads, HEAD_DIM)});
    String relOut = g.node("Transpose", p + "rel_v/out", mix4, intsAttr("perm", 1, 2, 0, 3));
    String perHead = g.node("Add", p + "heads", new String[] {av, relOut});
    String merged = g.node("Transpose", p + "heads/t", perHead, intsAttr("perm", 0, 2, 1, 3));
    String concat = g.node("Reshape", p + "heads/concat", new String[] {merged, g.longs(-1, width)});
    return linear(p + "proj", concat, blockKey(i, PROJ_WEIGHT), blockKey(i, PROJ_BIAS));
  }

  /**
   * {@code R[i, j] = T_v[iv(i, j)] + T_h[ih(i, j)]}, (T, T, 64): for patch tokens (ri, ci), (rj, cj) the vertical
   * table's row of the line pair (ri, rj) plus the horizontal table's row of (ci, cj); row 0 of both wherever the cls
   * token is one of the pair ({@link RelativePosition2D}).
   */
  private String relativeEmbedding(String p, String tableV, String tableH) {
    long s = side;
    String lines = g.constant("rel_line_index", Tensor.ofLongs(new long[] {s, s}, positions.lineIndex()));
    String byRow = g.node("Gather", p + "/by_row", new String[] {tableV, lines}, intAttr("axis", 0));
    String byColumn = g.node("Gather", p + "/by_column", new String[] {tableH, lines}, intAttr("axis", 0));
    String rows = g.node("Unsqueeze", p + "/rows", new String[] {byRow, g.longs(1, 3)}); // (s, 1, s, 1, 64)
    String columns = g.node("Unsqueeze", p + "/columns", new String[] {byColumn, g.longs(0, 2)}); // (1, s, 1, s, 64)
    String grid = g.node("Add", p + "/grid", new String[] {rows, columns}); // (ri, ci, rj, cj, 64)
    String patchPairs = g.node("Reshape", p + "/patch_pairs", new String[] {grid, g.longs(patches, patches,
        HEAD_DIM)});
    String v0 = g.node("Gather", p + "/v0", new String[] {tableV, g.longScalar(0)}, intAttr("axis", 0));
    String h0 = g.node("Gather", p + "/h0", new String[] {tableH, g.longScalar(0)}, intAttr("axis", 0));
    String cls = g.node("Add", p + "/cls", new String[] {v0, h0});
    String clsColumn = g.node("Expand", p + "/cls_column", new String[] {cls, g.longs(patches, 1, HEAD_DIM)});
    String patchRows = g.node("Concat", p + "/patch_rows", new String[] {clsColumn, patchPairs}, intAttr("axis", 1));
    String clsRow = g.node("Expand", p + "/cls_row", new String[] {cls, g.longs(1, tokens, HEAD_DIM)});
    return g.node("Concat", p, new String[] {clsRow, patchRows}, intAttr("axis", 0));
  }

  private String layerNorm(String name, String x, String weight, String bias) {
    return g.node("LayerNormalization", name, new String[] {x, weight, bias}, intAttr("axis", -1),
        floatAttr("epsilon", EncoderBlock.LAYER_NORM_EPS));
  }

  /** {@code x W^T + b} on (rows, in) with W in PyTorch's (out, in) layout. */
  private String linear(String name, String x, String weight, String bias) {
    return g.node("Gemm", name, new String[] {x, weight, bias}, intAttr("transB", 1));
  }

  /** PyTorch's exact GELU, in its own order of operations: {@code (x * 0.5) * (1 + erf(x * sqrt(1/2)))}. */
  private String gelu(String name, String x) {
    String scaled = g.node("Mul", name + "/scaled", new String[] {x, g.floatScalar(SQRT_HALF)});
    String erf = g.node("Erf", name + "/erf", scaled);
    String onePlus = g.node("Add", name + "/one_plus", new String[] {erf, g.floatScalar(1f)});
    String half = g.node("Mul", name + "/half", new String[] {x, g.floatScalar(0.5f)});
    return g.node("Mul", name, new String[] {half, onePlus});
  }
}
