package io.prenas.vit.engine;

import io.prenas.supernet.MicroA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prenas.space.SpaceException;
import io.prenas.supernet.WeightsException;
import io.prenas.tensorio.Tensor;
import io.prenas.vit.space.VitArchitecture;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Wrong weights are refused with the key at fault; architectures must fit the supernet. */
class WeightsValidationTest {

  @Test
  void missingKeyIsNamed() {
    Map<String, Tensor> w = new LinkedHashMap<>(MicroA.tensors("init.safetensors"));
    w.remove("blocks.2.fc1.bias");
    assertThatThrownBy(() -> VitSupernet.fromTensors(MicroA.SPACE, w, "cpu"))
        .isInstanceOf(WeightsException.class).hasMessageContaining("blocks.2.fc1.bias")
        .hasMessageContaining("missing")
        .satisfies(ex -> assertThat(((WeightsException) ex).key()).isEqualTo("blocks.2.fc1.bias"));
  }

  @Test
  void wrongShapeIsNamed() {
    Map<String, Tensor> w = new LinkedHashMap<>(MicroA.tensors("init.safetensors"));
    w.put("head.weight", Tensor.ofFloats(new long[] {10, 96}, new float[960]));
    assertThatThrownBy(() -> VitSupernet.fromTensors(MicroA.SPACE, w, "cpu"))
        .isInstanceOf(WeightsException.class)
        .hasMessage("tensor 'head.weight': has shape [10, 96], expected [10, 128]");
  }

  @Test
  void unknownKeyIsNamed() {
    Map<String, Tensor> w = new LinkedHashMap<>(MicroA.tensors("init.safetensors"));
    w.put("blocks.4.fc1.bias", Tensor.ofFloats(new long[] {512}, new float[512]));
    assertThatThrownBy(() -> VitSupernet.fromTensors(MicroA.SPACE, w, "cpu"))
        .isInstanceOf(WeightsException.class).hasMessageContaining("blocks.4.fc1.bias")
        .hasMessageContaining("unknown");
  }

  @Test
  void integerTensorIsRefused() {
    Map<String, Tensor> w = new LinkedHashMap<>(MicroA.tensors("init.safetensors"));
    w.put("norm.bias", Tensor.ofLongs(new long[] {128}, new long[128]));
    assertThatThrownBy(() -> VitSupernet.fromTensors(MicroA.SPACE, w, "cpu"))
        .isInstanceOf(WeightsException.class).hasMessageContaining("norm.bias").hasMessageContaining("I64");
  }

  @Test
  void architectureWiderThanTheSupernetIsRefused() {
    try (VitSupernet net = VitSupernet.initialize(MicroA.SPACE, 1, "cpu")) {
      assertThatThrownBy(() -> net.logits(VitArchitecture.uniform(160, 3, 4.0, 2), MicroA.images()))
          .isInstanceOf(SpaceException.class).hasMessageContaining("embed_dim");
      assertThatThrownBy(() -> net.logits(VitArchitecture.uniform(128, 5, 4.0, 2), MicroA.images()))
          .isInstanceOf(SpaceException.class).hasMessageContaining("layer_num");
      assertThatThrownBy(() -> net.logits(VitArchitecture.uniform(128, 3, 4.0, 3), MicroA.images()))
          .isInstanceOf(SpaceException.class).hasMessageContaining("num_heads");
      assertThatThrownBy(() -> net.logits(VitArchitecture.uniform(128, 3, 4.0, 2),
          Tensor.ofFloats(new long[] {1, 3, 32, 32}, new float[3 * 32 * 32])))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1, 3, 32, 32]");
    }
  }
}
