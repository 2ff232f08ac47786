package io.prenas.vit.engine;

import static io.prenas.supernet.TorchScriptModule.TORCH_BFLOAT16;
import static io.prenas.supernet.TorchScriptModule.TORCH_FLOAT32;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import io.prenas.supernet.TorchScriptModule;

/**
 * Attention between the qkv and proj products, as one TorchScript call: heads split, {@code s QK^T} plus the
 * relative-position key scores, softmax, {@code AV} plus the relative-position value mix, heads joined. The relative
 * terms go through the stacked table and the coefficient rows of {@link RelativePosition2D.Lookup}: the key scores are
 * {@code gather(Q S^T, rows) K}, the value mix {@code scatter_add(A K^T, rows) S}, four small products and two
 * index passes over (tokens x (2 side + 2)) arrays per layer.
 *
 * <p>Why TorchScript: {@code gather}, {@code scatter_add} and {@code baddbmm} (the logits and the value mix added
 * inside the product, with the scale as its factor) have no DJL 0.36 call. Written with DJL's calls, the same terms
 * took per-grid-line products, transposed copies, concatenations and zero-filled slice gradients: in a profile of the
 * gradient pass (Tiny, 8 images) the relative terms cost about as much as attention's two products; with this call
 * the whole pass takes 0.88x as long (median of eight pairs in one JVM, docs/bench/selector.md, "sixth stop").
 *
 * <p>Precision follows the projected array: float32 in, float32 throughout; bfloat16 in (BF16), the two attention
 * products in bfloat16 and the relative terms, softmax and sums in float32 from float32 copies, as before this call.
 * The scale {@code s = 64^-0.5 = 1/8} is a power of two, so scaling the product, the table or q gives the same bits.
 */
final class AttentionCore {

  private static final int HEAD_DIM = Attention.HEAD_DIM;
  private static final String SCALE = Double.toString(1.0 / Math.sqrt(HEAD_DIM));

  private static final PtSymbolBlock MODULE = TorchScriptModule.load("AttentionCore", String.join("\n",
      "    projected: Tensor, kV: Tensor, kH: Tensor, vV: Tensor, vH: Tensor, rows: Tensor, basis: Tensor) -> Tensor:",
      "    b = projected.size(0)",
      "    n = projected.size(1)",
      "    heads = projected.size(2) // " + 3 * HEAD_DIM,
      "    bh = b * heads",
      // [q; k; v] row blocks of the qkv product, each split into heads: (3, B, h, N, 64)
      "    qkv = torch.permute(torch.reshape(projected, [b, n, 3, heads, " + HEAD_DIM + "]), [2, 0, 3, 1, 4])",
      "    parts = torch.unbind(qkv, 0)",
      "    q = torch.reshape(parts[0], [bh, n, " + HEAD_DIM + "])",
      "    k = torch.reshape(parts[1], [bh, n, " + HEAD_DIM + "])",
      "    v = torch.reshape(parts[2], [bh, n, " + HEAD_DIM + "])",
      // the stacked tables S = [T_v; T_h; T_v[0] + T_h[0]; 0], the keys' scaled by s
      "    zero = torch.zeros_like(torch.narrow(kV, 0, 0, 1))",
      "    clsK = torch.add(torch.narrow(kV, 0, 0, 1), torch.narrow(kH, 0, 0, 1))",
      "    tk = torch.mul(torch.cat([kV, kH, clsK, zero], 0), " + SCALE + ")",
      "    clsV = torch.add(torch.narrow(vV, 0, 0, 1), torch.narrow(vH, 0, 0, 1))",
      "    tv = torch.cat([vV, vH, clsV, zero], 0)",
      "    idx = torch.expand(torch.unsqueeze(rows, 0), [bh, n, rows.size(1)])",
      // the relative terms in float32 (torch.to returns q itself when it already is)
      "    coeff = torch.gather(torch.matmul(torch.to(q, " + TORCH_FLOAT32 + "), torch.t(tk)), 2, idx)",
      "    bf16 = projected.dtype == " + TORCH_BFLOAT16,
      "    if bf16:",
      "      dot = torch.to(torch.bmm(q, torch.transpose(k, 1, 2)), " + TORCH_FLOAT32 + ")",
      "      logits = torch.add(torch.matmul(coeff, basis), dot, alpha=" + SCALE + ")",
      "    else:",
      "      logits = torch.baddbmm(torch.matmul(coeff, basis), q, torch.transpose(k, 1, 2), beta=1, alpha=" + SCALE
          + ")",
      "    attn = torch.softmax(logits, -1)",
      "    sums = torch.matmul(attn, torch.t(basis))",
      "    weights = torch.scatter_add(sums.new_zeros([bh, n, tv.size(0)]), 2, idx, sums)",
      "    mix = torch.matmul(weights, tv)",
      "    if bf16:",
      "      av = torch.to(torch.bmm(torch.to(attn, " + TORCH_BFLOAT16 + "), v), " + TORCH_FLOAT32 + ")",
      "      mixed = torch.add(mix, av)",
      "    else:",
      "      mixed = torch.baddbmm(mix, attn, v)",
      "    heads4 = torch.reshape(mixed, [b, heads, n, " + HEAD_DIM + "])",
      "    return torch.reshape(torch.transpose(heads4, 1, 2), [b, n, heads * " + HEAD_DIM + "])"));

  private AttentionCore() {}

  /**
   * {@code projected} (B, N, 3 * 64h), the qkv product in the compute type, to the heads joined (B, N, 64h) in
   * float32, in projected's manager; the tables are the layer's four relative-position tables, float32.
   */
  static NDArray apply(NDArray projected, AttentionWeights w, RelativePosition2D.Lookup lookup) {
    NDList in = new NDList(projected, w.relKTableV(), w.relKTableH(), w.relVTableV(), w.relVTableH(),
        lookup.coefficientRows(), lookup.keyBasis());
    NDArray out = IValueUtils.forward(MODULE, in, true).singletonOrThrow();
    out.attach(projected.getManager());
    return out;
  }
}
