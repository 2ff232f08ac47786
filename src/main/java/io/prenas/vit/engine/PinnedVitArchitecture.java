package io.prenas.vit.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.prenas.supernet.Autograd;
import io.prenas.supernet.ForwardMode;
import io.prenas.supernet.GradMode;
import io.prenas.supernet.ParameterSet;
import io.prenas.supernet.PinnedArchitecture;
import io.prenas.supernet.Release;
import io.prenas.vit.space.VitArchitecture;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A ViT architecture's slices of the supernet as leaf arrays ({@link PinnedArchitecture}): the tensors a
 * {@link VitModel} of that architecture would hold (standalone names, qkv rows regrouped), run by the same
 * {@link VitForward} as the supernet.
 */
final class PinnedVitArchitecture implements PinnedArchitecture {

  private final VitSupernet supernet;
  private final VitArchitecture arch;
  private final Map<String, NDArray> leaves = new LinkedHashMap<>();

  PinnedVitArchitecture(VitSupernet supernet, VitArchitecture arch, NDManager owner) {
    this.supernet = supernet;
    this.arch = arch;
    try (GradMode ignored = GradMode.disabled(); NDManager views = owner.newSubManager()) {
      for (Map.Entry<String, NDArray> e : SubnetSlicer.slice(supernet.parameters(), arch, views).byKey()
          .entrySet()) {
        NDArray leaf = e.getValue().duplicate(); // a dense copy: a slice's clone does not keep the supernet's strides
        leaf.attach(owner);
        leaf.setRequiresGradient(true);
        leaves.put(e.getKey(), leaf);
      }
    }
  }

  @Override
  public Collection<NDArray> leaves() {
    return leaves.values();
  }

  @Override
  public NDArray forward(NDArray images, ForwardMode mode) {
    NDManager step = images.getManager();
    VitWeights w = VitWeights.fromKeys(key -> ParameterSet.whole(leaves.get(key), step), arch.numHeads());
    return VitForward.logits(w, images, supernet.positions(), mode, supernet.space().supernet().depth());
  }

  /**
   * Back-propagates {@code sum_k <slice_k, g_k>} with {@code g_k} the leaves' gradients: its gradient with respect to
   * slice k is {@code 1 * g_k}, exactly g_k, which the slices' own backward (the same views and regrouping as a
   * supernet pass) puts in place.
   */
  @Override
  public void gradientsToSupernet() {
    ParameterSet params = supernet.parameters();
    try (NDManager step = params.manager().newSubManager()) {
      Autograd.backward(params.arrays().values(), () -> {
        NDArray total = null;
        for (Map.Entry<String, NDArray> e : SubnetSlicer.slice(params, arch, step).byKey().entrySet()) {
          NDArray grad = Autograd.gradient(leaves.get(e.getKey()), step);
          NDArray weighted = Release.after(e.getValue().mul(grad), grad);
          NDArray term = Release.after(weighted.sum(), weighted);
          total = total == null ? term : Release.after(total.add(term), total, term);
        }
        return total;
      });
    }
  }
}
