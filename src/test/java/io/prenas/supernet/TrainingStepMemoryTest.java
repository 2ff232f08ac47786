package io.prenas.supernet;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.prenas.space.Architecture;
import io.prenas.tensorio.Tensor;
import io.prenas.vit.engine.VitSupernet;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Training steps leave no arrays behind in the long-lived managers, and AdamW follows torch's update rule. */
class TrainingStepMemoryTest {

  @Test
  void trainingStepsKeepTheManagedArrayCountFlat() {
    try (VitSupernet net = VitSupernet.initialize(MicroA.SPACE, 2, "cpu");
        AdamW adamW = new AdamW(net.parameters().manager(), 0.05, net.noWeightDecay())) {
      ParameterSet params = net.parameters();
      Architecture arch = MicroA.SPACE.maxArchitecture();
      List<Integer> counts = new ArrayList<>();
      List<Double> losses = new ArrayList<>();
      for (int s = 0; s < 6; s++) {
        ForwardMode mode = ForwardMode.training(0.1, s);
        try (NDManager step = params.manager().newSubManager()) {
          NDArray x = NdConvert.toNd(step, MicroA.images());
          NDArray y = NdConvert.labelsToNd(step, MicroA.labels());
          Autograd.Pass pass = Autograd.backward(params.arrays().values(),
              () -> Losses.crossEntropy(net.forward(arch, x, mode), y, 0.1));
          losses.add((double) pass.loss().getFloat());
          adamW.step(params.arrays(), 1e-3, step);
        }
        counts.add(params.manager().getManagedArrays().size());
      }
      // After the first step created the AdamW moments, nothing accumulates.
      assertThat(counts.subList(1, counts.size())).containsOnly(counts.get(1));
      assertThat(losses.get(5)).isLessThan(losses.get(0)); // it learns the fixed batch
    }
  }

  /**
   * Arrays made from Java data (batch, targets, drop-path masks, relative-position indices) are libtorch memory
   * ({@link HostArrays}): a step leaves no direct buffer waiting for the garbage collector. DJL's own create left one
   * per array, 4.8 MB a step for a Tiny batch, and native memory grew until the next collection.
   */
  @Test
  void trainingStepsLeaveNoDirectBuffersForTheGarbageCollector() {
    BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
    Tensor images = MicroA.images();
    int classes = MicroA.SPACE.numClasses();
    long batch = images.shape()[0];
    float[] targets = new float[Math.toIntExact(batch * classes)];
    for (int i = 0; i < batch; i++) {
      targets[i * classes + i % classes] = 1f;
    }
    var settings = new TrainingSession.Settings(0.05, 0.1, 1.0, "cpu");
    try (TrainingSession session = TrainingSession.open(MicroA.SPACE, null, null, 0, 3, settings)) {
      Architecture arch = MicroA.SPACE.maxArchitecture();
      session.step(arch, images.toFloats(), images.shape(), targets, 1e-3, 0); // staging buffer made here
      // The count is JVM-wide: buffers other tests dropped (Netty's, for one) would be freed during the steps by any
      // collection and make the count fall. Collect them before taking the baseline.
      settleDirectBuffers(direct);
      long buffers = direct.getCount();
      long bytes = direct.getMemoryUsed();
      for (int s = 1; s < 6; s++) {
        session.step(arch, images.toFloats(), images.shape(), targets, 1e-3, s);
        session.evaluate(arch, images.toFloats(), images.shape(), MicroA.labels().toLongs());
      }
      // At most the baseline, not equal to it: a buffer another test still held at the baseline (a pool of a
      // server shutting down) can be freed by a collection during the steps and make the count fall; a step that
      // dropped a buffer of its own would make it rise by one per step.
      assertThat(direct.getCount()).isLessThanOrEqualTo(buffers);
      assertThat(direct.getMemoryUsed()).isLessThanOrEqualTo(bytes);
    }
  }

  /** Collects garbage until the direct-buffer count stops changing (the cleaner frees them on its own thread). */
  private static void settleDirectBuffers(BufferPoolMXBean direct) {
    long previous = -1;
    for (int i = 0; i < 50 && direct.getCount() != previous; i++) {
      previous = direct.getCount();
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Test
  void adamWMatchesTorchSemanticsOnTwoSteps() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        AdamW adamW = new AdamW(manager, 0.9, 0.999, 1e-8, 0.05, Set.of("pos_embed"))) {
      NDArray w = manager.create(new float[] {1f, -2f, 0.5f, 3f}, new ai.djl.ndarray.types.Shape(2, 2));
      NDArray b = manager.create(new float[] {0.25f, -0.75f});
      w.setRequiresGradient(true);
      b.setRequiresGradient(true);
      var params = new java.util.LinkedHashMap<String, NDArray>();
      params.put("fc1.weight", w);
      params.put("fc1.bias", b);
      double[] pw = {1, -2, 0.5, 3};
      double[] pb = {0.25, -0.75};
      double[] mw = new double[4], vw = new double[4], mb = new double[2], vb = new double[2];
      double lr = 0.01;
      for (int t = 1; t <= 2; t++) {
        try (NDManager step = manager.newSubManager()) {
          // loss = sum(w^2) + sum(3 b): grads 2w and 3
          Autograd.backward(params.values(), () -> ParameterSet.whole(w, step).square().sum()
              .add(Scalars.mul(ParameterSet.whole(b, step), 3f).sum()));
          adamW.step(params, lr, step);
        }
        for (int i = 0; i < 4; i++) {
          double g = 2 * pw[i];
          pw[i] *= 1 - lr * 0.05; // decoupled decay on the 2-D weight only
          mw[i] = 0.9 * mw[i] + 0.1 * g;
          vw[i] = 0.999 * vw[i] + 0.001 * g * g;
          pw[i] -= lr * (mw[i] / (1 - Math.pow(0.9, t))) / (Math.sqrt(vw[i] / (1 - Math.pow(0.999, t))) + 1e-8);
        }
        for (int i = 0; i < 2; i++) {
          mb[i] = 0.9 * mb[i] + 0.1 * 3;
          vb[i] = 0.999 * vb[i] + 0.001 * 9;
          pb[i] -= lr * (mb[i] / (1 - Math.pow(0.9, t))) / (Math.sqrt(vb[i] / (1 - Math.pow(0.999, t))) + 1e-8);
        }
      }
      Tensor gotW = NdConvert.toTensor(w);
      Tensor gotB = NdConvert.toTensor(b);
      for (int i = 0; i < 4; i++) {
        assertThat((double) gotW.toFloats()[i]).isCloseTo(pw[i], org.assertj.core.data.Offset.offset(1e-6));
      }
      for (int i = 0; i < 2; i++) {
        assertThat((double) gotB.toFloats()[i]).isCloseTo(pb[i], org.assertj.core.data.Offset.offset(1e-6));
      }
      assertThat(adamW.decays("blocks.0.attn.rel_pos_embed_k.embeddings_table_v", w)).isTrue();
      assertThat(adamW.decays("pos_embed", w)).isFalse();
      assertThat(adamW.decays("head.bias", b)).isFalse();
    }
  }
}
