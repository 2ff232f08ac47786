package io.prenas.supernet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import io.prenas.testing.SharedFiles;
import io.prenas.vit.space.ModelSettings;
import io.prenas.vit.space.SupernetDims;
import io.prenas.vit.space.VitArchitecture;
import io.prenas.vit.space.VitSpace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The micro-a parity fixture ({@code ../shared/fixtures/micro-a}): space, weights, batch and subnets. */
public final class MicroA {

  public static final VitSpace SPACE = new VitSpace("micro-a", new SupernetDims(128, 4, 2, 4.0),
      new ModelSettings(64, 16, 3, 10, 14), List.of(96, 128), List.of(3, 4), List.of(3.5, 4.0), List.of(1, 2),
      Map.of());

  private static final ObjectMapper JSON = new ObjectMapper();

  private MicroA() {}

  public static Map<String, Tensor> tensors(String file) {
    try {
      return Safetensors.read(SharedFiles.microA(file)).tensors();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode json(String file) {
    try {
      return JSON.readTree(SharedFiles.microA(file).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A reference config object ({layer_num, embed_dim[], mlp_ratio[], num_heads[]}) as an architecture. */
  public static VitArchitecture architecture(JsonNode config) {
    List<Double> ratios = new ArrayList<>();
    config.get("mlp_ratio").forEach(n -> ratios.add(n.asDouble()));
    List<Integer> heads = new ArrayList<>();
    config.get("num_heads").forEach(n -> heads.add(n.asInt()));
    return new VitArchitecture(config.get("embed_dim").get(0).asInt(), config.get("layer_num").asInt(), ratios,
        heads);
  }

  /** The six subnets of subnets.json, in file order (0 = min, 5 = max). */
  public static List<VitArchitecture> subnets() {
    List<VitArchitecture> out = new ArrayList<>();
    json("subnets.json").get("subnets").forEach(s -> out.add(architecture(s.get("config"))));
    return out;
  }

  public static Tensor images() {
    return tensors("batch.safetensors").get("x");
  }

  public static Tensor labels() {
    return tensors("batch.safetensors").get("y");
  }

  public static double maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new AssertionError("length " + a.length + " vs " + b.length);
    }
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs((double) a[i] - b[i]));
    }
    return max;
  }

  public static double maxAbs(float[] a) {
    double max = 0;
    for (float v : a) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }

  /** Euclidean norm, summed in double. */
  public static double norm(float[] a) {
    double s = 0;
    for (float v : a) {
      s += v * (double) v;
    }
    return Math.sqrt(s);
  }

  /** Cosine of the angle between two vectors of one length. */
  public static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * (double) b[i];
    }
    return dot / (norm(a) * norm(b));
  }
}
