package io.prenas.cnn.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.cnn.space.CnnArchitecture;
import io.prenas.cnn.space.CnnArchitectureJson;
import io.prenas.cnn.space.CnnFixtures;
import io.prenas.cnn.space.CnnSpace;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The cnn-micro-a parity fixtures, read once, and the fixture README's tolerances. */
final class CnnMicroA {

  static final CnnSpace SPACE = CnnFixtures.microASpace();
  static final double LOGITS_ABS = 1e-5;
  static final double STATS_REL = 1e-5;

  private CnnMicroA() {}

  static Map<String, Tensor> tensors(String file) {
    try {
      return Safetensors.read(CnnFixtures.microA(file)).tensors();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The six subnets of {@code subnets.json} (0 = min, 5 = max). */
  static List<CnnArchitecture> subnets() {
    List<CnnArchitecture> out = new ArrayList<>();
    for (JsonNode s : CnnFixtures.json(CnnFixtures.microA("subnets.json")).get("subnets")) {
      out.add(CnnArchitectureJson.read(s.get("arch")));
    }
    return out;
  }

  static Tensor batch(int resolution) {
    return tensors("batch" + resolution + ".safetensors").get("x");
  }

  static Tensor labels(int resolution) {
    return tensors("batch" + resolution + ".safetensors").get("y");
  }

  /** {@code x.0, x.1, x.2} of {@code recal<r>.safetensors}, in order. */
  static List<Tensor> recalibrationBatches(int resolution) {
    Map<String, Tensor> t = tensors("recal" + resolution + ".safetensors");
    List<Tensor> out = new ArrayList<>();
    for (int k = 0; t.containsKey("x." + k); k++) {
      out.add(t.get("x." + k));
    }
    return out;
  }

  static double maxAbsDiff(Tensor a, Tensor b) {
    float[] x = a.toFloats();
    float[] y = b.toFloats();
    if (x.length != y.length) {
      throw new AssertionError("sizes differ: " + x.length + " vs " + y.length);
    }
    double m = 0;
    for (int i = 0; i < x.length; i++) {
      m = Math.max(m, Math.abs((double) x[i] - y[i]));
    }
    return m;
  }

  static double maxAbs(Tensor a) {
    double m = 0;
    for (float v : a.toFloats()) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
