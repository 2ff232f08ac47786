package io.prenas.cnn.selection;

import io.prenas.cnn.space.CnnComplexity;
import io.prenas.cnn.space.CnnSpace;
import io.prenas.cnn.space.StageChoices;
import io.prenas.selector.SnipInputs;
import java.util.List;

/**
 * The stored (max) shapes of a CNN supernet's parameter tensors (spec cnn-space §4), to check weights and gradients
 * before any slice is summed: a file of another space fails with the tensor named, not with an index error.
 */
public final class SupernetShapes {

  /** One layer slot at its max sizes. */
  record Slot(int cinMax, int coutMax, int hidMax, int seMax, int kernelMax) {}

  private final CnnSpace space;
  private final Slot[][] slots;

  private SupernetShapes(CnnSpace space, Slot[][] slots) {
    this.space = space;
    this.slots = slots;
  }

  static SupernetShapes of(CnnSpace space) {
    Slot[][] slots = new Slot[space.stages().size()][];
    int prevMax = last(space.stem().widths());
    for (int s = 0; s < slots.length; s++) {
      StageChoices stage = space.stages().get(s);
      slots[s] = new Slot[stage.maxDepth()];
      for (int j = 0; j < stage.maxDepth(); j++) {
        int cin = j == 0 ? prevMax : stage.maxWidth();
        slots[s][j] = new Slot(cin, stage.maxWidth(), stage.expand() * cin, CnnComplexity.seWidth(cin),
            last(stage.kernels()));
      }
      prevMax = stage.maxWidth();
    }
    return new SupernetShapes(space, slots);
  }

  Slot slot(int s, int j) {
    return slots[s][j];
  }

  /**
   * Every parameter tensor of the supernet (no BN running statistics) with its max shape, in state_dict order: the
   * keys a gradient file holds (spec §4).
   */
  public static java.util.LinkedHashMap<String, long[]> parameterShapes(CnnSpace space) {
    java.util.LinkedHashMap<String, long[]> shapes = new java.util.LinkedHashMap<>();
    of(space).visit((key, shape) -> shapes.put(key, shape.clone()));
    return shapes;
  }

  /** Checks every parameter tensor the score reads, in both weights and gradients. */
  void check(SnipInputs in) {
    visit(in::requireShape);
  }

  private interface Visitor {
    void tensor(String key, long... shape);
  }

  /** Every parameter tensor with its max shape, in state_dict order. */
  private void visit(Visitor in) {
    int c0 = last(space.stem().widths());
    int ks = space.stem().kernel();
    in.tensor("stem.conv.weight", c0, space.model().inChans(), ks, ks);
    bn(in, "stem.bn", c0);
    for (int s = 0; s < slots.length; s++) {
      for (int j = 0; j < slots[s].length; j++) {
        Slot slot = slots[s][j];
        String p = "stages." + s + ".layers." + j + ".";
        if (space.stages().get(s).expand() != 1) {
          in.tensor(p + "expand.conv.weight", slot.hidMax(), slot.cinMax(), 1, 1);
          bn(in, p + "expand.bn", slot.hidMax());
        }
        in.tensor(p + "depthwise.conv.weight", slot.hidMax(), 1, slot.kernelMax(), slot.kernelMax());
        bn(in, p + "depthwise.bn", slot.hidMax());
        if (space.model().se()) {
          in.tensor(p + "se.reduce.weight", slot.seMax(), slot.hidMax(), 1, 1);
          in.tensor(p + "se.reduce.bias", slot.seMax());
          in.tensor(p + "se.expand.weight", slot.hidMax(), slot.seMax(), 1, 1);
          in.tensor(p + "se.expand.bias", slot.hidMax());
        }
        in.tensor(p + "project.conv.weight", slot.coutMax(), slot.hidMax(), 1, 1);
        bn(in, p + "project.bn", slot.coutMax());
      }
    }
    int cL = last(CnnSnipTable.lastWidths(space));
    int h = last(space.headWidths());
    in.tensor("head.conv.weight", h, cL, 1, 1);
    bn(in, "head.bn", h);
    in.tensor("classifier.weight", space.model().numClasses(), h);
    in.tensor("classifier.bias", space.model().numClasses());
  }

  private static void bn(Visitor in, String prefix, int c) {
    in.tensor(prefix + ".weight", c);
    in.tensor(prefix + ".bias", c);
  }

  private static int last(List<Integer> values) {
    return values.get(values.size() - 1);
  }
}
