package io.prenas.cnn.space;

import java.util.ArrayList;
import java.util.List;

/** Every architecture of a small CNN space, by brute force (the check for what the space computes in closed form). */
public final class CnnEnumeration {

  private CnnEnumeration() {}

  public static List<CnnArchitecture> all(CnnSpace space) {
    List<List<StageConfig>> stageLists = new ArrayList<>();
    stageLists.add(List.of());
    for (StageChoices stage : space.stages()) {
      List<List<StageConfig>> extended = new ArrayList<>();
      for (List<StageConfig> prefix : stageLists) {
        for (StageConfig option : stageOptions(stage)) {
          List<StageConfig> next = new ArrayList<>(prefix);
          next.add(option);
          extended.add(next);
        }
      }
      stageLists = extended;
    }
    List<CnnArchitecture> all = new ArrayList<>();
    for (int r : space.resolutions()) {
      for (int stem : space.stem().widths()) {
        for (List<StageConfig> stages : stageLists) {
          for (int head : space.headWidths()) {
            all.add(new CnnArchitecture(r, stem, stages, head));
          }
        }
      }
    }
    return all;
  }

  private static List<StageConfig> stageOptions(StageChoices stage) {
    List<StageConfig> options = new ArrayList<>();
    for (int w : stage.widths()) {
      for (int d : stage.depths()) {
        for (List<Integer> kernels : kernelSequences(stage.kernels(), d)) {
          options.add(new StageConfig(w, d, kernels));
        }
      }
    }
    return options;
  }

  private static List<List<Integer>> kernelSequences(List<Integer> kernels, int length) {
    List<List<Integer>> sequences = new ArrayList<>();
    sequences.add(List.of());
    for (int j = 0; j < length; j++) {
      List<List<Integer>> longer = new ArrayList<>();
      for (List<Integer> prefix : sequences) {
        for (int k : kernels) {
          List<Integer> next = new ArrayList<>(prefix);
          next.add(k);
          longer.add(next);
        }
      }
      sequences = longer;
    }
    return sequences;
  }
}
