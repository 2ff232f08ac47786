package io.prenas.vit.engine;

import io.prenas.supernet.MicroA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import io.prenas.vit.space.Complexity;
import io.prenas.vit.space.VitArchitecture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Standalone export of each micro-a subnet: file contents checked without DJL, then reloaded as a plain ViT. */
class SubnetExportTest {

  private static VitSupernet supernet;

  @BeforeAll
  static void loadBoostedWeights() {
    // Boosted weights: non-zero biases and non-unit LayerNorms, so any mis-sliced 1-D tensor shows in the logits.
    supernet = VitSupernet.fromTensors(MicroA.SPACE, SupernetParityTest.boostedWeights(), "cpu");
  }

  @AfterAll
  static void close() {
    supernet.close();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5})
  void exportHoldsExactlyTheSubnetParameters(int index, @TempDir Path dir) throws Exception {
    VitArchitecture arch = MicroA.subnets().get(index);
    Path weights = dir.resolve("subnet.safetensors");
    Path config = dir.resolve("subnet.json");
    SubnetExporter.Exported exported = SubnetExporter.export(supernet, arch, weights, config);

    // Read back with the plain-Java reader only.
    Safetensors.Contents contents = Safetensors.read(weights);
    List<String> names = new ArrayList<>(contents.tensors().keySet());
    assertThat(names).containsExactlyElementsOf(expectedNames(arch.depth()));
    long total = 0;
    for (Map.Entry<String, Tensor> e : contents.tensors().entrySet()) {
      assertThat(e.getValue().shape()).as(e.getKey()).containsExactly(expectedShape(e.getKey(), arch));
      total += e.getValue().numel();
    }
    long referenceCount = MicroA.json("subnets.json").get("subnets").get(index).get("params").asLong();
    assertThat(total).isEqualTo(closedFormCount(arch)).isEqualTo(referenceCount)
        .isEqualTo(Complexity.params(arch, MicroA.SPACE.model())).isEqualTo(exported.parameterCount());
    assertThat(names).hasSize(4 + 16 * arch.depth() + 4).hasSize(exported.tensorCount());
    assertThat(contents.metadata()).containsEntry("format", "prenas-vit-subnet/1")
        .containsEntry("num_params", Long.toString(referenceCount));

    JsonNode json = new ObjectMapper().readTree(config.toFile());
    assertThat(json.get("weights").asText()).isEqualTo("subnet.safetensors");
    assertThat(json.get("num_params").asLong()).isEqualTo(referenceCount);
    assertThat(MicroA.architecture(json.get("architecture"))).isEqualTo(arch);
    assertThat(json.get("model").get("IMAGE_SIZE").asInt()).isEqualTo(64);

    // qkv rows de-interleaved: exported row j of block [t] is supernet row 3j + t, columns [:E].
    float[] superQkv = SupernetParityTest.boostedWeights().get("blocks.0.attn.qkv.weight").toFloats();
    float[] subQkv = contents.tensors().get("blocks.0.attn.qkv.weight").toFloats();
    int e = arch.embedDim();
    int q = arch.qkDim(0);
    for (int t = 0; t < 3; t++) {
      for (int j = 0; j < q; j += 17) {
        for (int c = 0; c < e; c += 5) {
          assertThat(subQkv[(t * q + j) * e + c]).isEqualTo(superQkv[(3 * j + t) * 128 + c]);
        }
      }
    }

    // The plain model computes what the supernet slice computes.
    try (VitModel model = VitModel.load(weights, "cpu")) {
      assertThat(model.architecture()).isEqualTo(arch);
      assertThat(model.parameterCount()).isEqualTo(referenceCount);
      float[] plain = model.logits(MicroA.images()).toFloats();
      float[] sliced = supernet.logits(arch, MicroA.images()).toFloats();
      double d = MicroA.maxAbsDiff(plain, sliced);
      System.out.printf("subnet %d: %d tensors, %d params, |plain - slice| = %.3g%n", index, names.size(), total, d);
      assertThat(d).isLessThanOrEqualTo(1e-6);
      double ref = MicroA.maxAbsDiff(plain, MicroA.tensors("logits_boost.safetensors").get("logits." + index)
          .toFloats());
      assertThat(ref).isLessThanOrEqualTo(5e-6);
    }
  }

  /** Reference state_dict names, blocks 0..depth-1, in state_dict order. */
  private static List<String> expectedNames(int depth) {
    List<String> names = new ArrayList<>(List.of("pos_embed", "cls_token", "patch_embed_super.proj.weight",
        "patch_embed_super.proj.bias"));
    for (int i = 0; i < depth; i++) {
      for (String s : List.of("attn.qkv.weight", "attn.qkv.bias", "attn.rel_pos_embed_k.embeddings_table_v",
          "attn.rel_pos_embed_k.embeddings_table_h", "attn.rel_pos_embed_v.embeddings_table_v",
          "attn.rel_pos_embed_v.embeddings_table_h", "attn.proj.weight", "attn.proj.bias",
          "attn_layer_norm.weight", "attn_layer_norm.bias", "ffn_layer_norm.weight", "ffn_layer_norm.bias",
          "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias")) {
        names.add("blocks." + i + "." + s);
      }
    }
    names.addAll(List.of("norm.weight", "norm.bias", "head.weight", "head.bias"));
    return names;
  }

  private static long[] expectedShape(String key, VitArchitecture a) {
    long e = a.embedDim();
    int layer = key.startsWith("blocks.") ? Integer.parseInt(key.split("\\.")[1]) : -1;
    long q = layer < 0 ? 0 : 64L * a.heads(layer);
    long f = layer < 0 ? 0 : (long) (e * a.mlpRatio(layer));
    String k = layer < 0 ? key : key.substring(key.indexOf('.', 7) + 1);
    return switch (k) {
      case "pos_embed" -> new long[] {1, 17, e};
      case "cls_token" -> new long[] {1, 1, e};
      case "patch_embed_super.proj.weight" -> new long[] {e, 3, 16, 16};
      case "attn.qkv.weight" -> new long[] {3 * q, e};
      case "attn.qkv.bias" -> new long[] {3 * q};
      case "attn.proj.weight" -> new long[] {e, q};
      case "fc1.weight" -> new long[] {f, e};
      case "fc1.bias" -> new long[] {f};
      case "fc2.weight" -> new long[] {e, f};
      case "head.weight" -> new long[] {10, e};
      case "head.bias" -> new long[] {10};
      default -> k.contains("embeddings_table") ? new long[] {30, 64} : new long[] {e};
    };
  }

  /** The fixture README's closed form (L = 16, C = 10). */
  private static long closedFormCount(VitArchitecture a) {
    long e = a.embedDim();
    long p = 769 * e + 18 * e + 2 * e + 10 * e + 10;
    for (int i = 0; i < a.depth(); i++) {
      long q = 64L * a.heads(i);
      long f = (long) (e * a.mlpRatio(i));
      p += 6 * e + 4 * q * e + 3 * q + 2 * f * e + f + 7680;
    }
    return p;
  }
}
