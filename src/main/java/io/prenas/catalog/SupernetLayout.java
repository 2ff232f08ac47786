package io.prenas.catalog;

import io.prenas.space.SearchSpace;
import io.prenas.tensorio.DType;
import io.prenas.tensorio.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The check of an uploaded safetensors file against the tensor names and shapes of a space's supernet in the
 * reference layout ({@code Vision_TransformerSuper} state_dict, spec 2.2). Only the header is read.
 */
public final class SupernetLayout {

  private static final Set<DType> FLOATS = Set.of(DType.F32, DType.F16, DType.BF16, DType.F64);

  private final Map<String, long[]> shapes;

  private SupernetLayout(Map<String, long[]> shapes) {
    this.shapes = shapes;
  }

  /** The reference layout of a space's supernet (the engine's own layout, so uploads and loading agree). */
  public static SupernetLayout of(SearchSpace space) {
    return new SupernetLayout(io.prenas.supernet.SupernetLayout.shapes(space));
  }

  /** Expected tensor names in state_dict order, with their shapes (copies). */
  public Map<String, long[]> shapes() {
    Map<String, long[]> copy = new LinkedHashMap<>();
    shapes.forEach((k, v) -> copy.put(k, v.clone()));
    return copy;
  }

  /**
   * Checks the tensors of a file: every expected name present with its exact shape and a floating-point dtype, and no
   * other tensor.
   *
   * @throws SupernetLayoutException naming the first tensor at fault
   */
  public void check(Map<String, Tensor> tensors) {
    for (Map.Entry<String, long[]> want : shapes.entrySet()) {
      Tensor got = tensors.get(want.getKey());
      if (got == null) {
        throw new SupernetLayoutException(want.getKey(), "missing (expected shape " + Arrays.toString(want.getValue())
            + "; " + tensors.size() + " tensors in the file, " + shapes.size() + " expected)");
      }
      if (!Arrays.equals(got.shape(), want.getValue())) {
        throw new SupernetLayoutException(want.getKey(), "has shape " + Arrays.toString(got.shape()) + ", expected "
            + Arrays.toString(want.getValue()));
      }
      if (!FLOATS.contains(got.dtype())) {
        throw new SupernetLayoutException(want.getKey(), "has dtype " + got.dtype() + ", expected a floating type");
      }
    }
    for (String name : tensors.keySet()) {
      if (!shapes.containsKey(name)) {
        throw new SupernetLayoutException(name, "is not a tensor of this space's supernet");
      }
    }
  }

  /** A supernet file does not match its space; {@link #tensor()} names the tensor. */
  public static final class SupernetLayoutException extends IllegalArgumentException {
    private final String tensor;

    SupernetLayoutException(String tensor, String message) {
      super("tensor '" + tensor + "' " + message);
      this.tensor = tensor;
    }

    public String tensor() {
      return tensor;
    }
  }
}
