package io.prenas.cnn.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.space.ResourceRange;
import io.prenas.space.SearchSpaces;
import io.prenas.space.SpaceException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The rest of what the pipeline asks of a CNN space: sampling, groups, resizing and the summary. */
class CnnSpaceTest {

  @Test
  void uniformSamplesStayInTheSpaceAndReachEveryChoice() {
    CnnSpace space = CnnFixtures.microASpace();
    SplittableRandom random = new SplittableRandom(7);
    Set<String> ids = new HashSet<>();
    Map<Integer, Integer> resolutions = new HashMap<>();
    Set<Integer> lastStageDepths = new HashSet<>();
    Set<Integer> lastLayerKernels = new HashSet<>();
    int draws = 4000;
    for (int i = 0; i < draws; i++) {
      CnnArchitecture a = space.sample(random);
      space.validate(a);
      ids.add(a.id());
      resolutions.merge(a.resolution(), 1, Integer::sum);
      StageConfig last = a.stage(2);
      lastStageDepths.add(last.depth());
      if (last.depth() == 3) {
        lastLayerKernels.add(last.kernel(2));
      }
    }
    assertThat(lastStageDepths).containsExactlyInAnyOrder(1, 2, 3);
    assertThat(lastLayerKernels).containsExactlyInAnyOrder(3, 5);
    // Uniform per choice: each of the two resolutions about half of the draws (5 sigma is about 160).
    assertThat(resolutions.get(32)).isBetween(draws / 2 - 160, draws / 2 + 160);
    assertThat(ids.size()).isGreaterThan(2000);
    assertThat(space.sample(new SplittableRandom(3))).isEqualTo(space.sample(new SplittableRandom(3)));
  }

  @Test
  void samplingGroupsAreResolutionAndTotalDepth() {
    CnnSpace space = CnnFixtures.bignas();
    CnnArchitecture max = space.maxArchitecture();
    assertThat(space.samplingGroup(max)).isEqualTo(List.of(320, 2 + 3 + 3 + 4 + 6 + 6 + 2));
    assertThat(space.samplingGroup(space.minArchitecture())).isEqualTo(List.of(192, 1 + 2 + 2 + 2 + 2 + 2 + 1));
    // Kernels and widths do not change the group.
    CnnArchitecture narrower = new CnnArchitecture(320, 32, max.stages(), 1280);
    assertThat(space.samplingGroup(narrower)).isEqualTo(space.samplingGroup(max));
  }

  @Test
  void withImageSizeKeepsOneResolutionAndTheParams() {
    CnnSpace space = CnnFixtures.bignas();
    CnnSpace at224 = space.withImageSize(224);
    assertThat(at224.resolutions()).containsExactly(224);
    assertThat(at224.imageSize()).isEqualTo(224);
    assertThat(at224.maxArchitecture().resolution()).isEqualTo(224);
    assertThat(at224.params(at224.maxArchitecture())).isEqualTo(space.params(space.maxArchitecture()));
    ResourceRange range = at224.resourceRange();
    assertThat(range.minFlops()).isEqualTo(at224.flops(at224.minArchitecture()));
    assertThat(range.maxFlops()).isEqualTo(at224.flops(at224.maxArchitecture()));
  }

  @Test
  void describeGivesTheNeutralFieldsAndTheChoices() {
    CnnSpace space = CnnFixtures.bignas();
    JsonNode d = space.describe();
    ResourceRange range = space.resourceRange();
    assertThat(d.get("name").asText()).isEqualTo("bignas-mbv2");
    assertThat(d.get("family").asText()).isEqualTo("cnn");
    assertThat(d.get("architectures").bigIntegerValue()).isEqualTo(space.architectureCount());
    assertThat(d.get("params").get("min").longValue()).isEqualTo(range.minParams());
    assertThat(d.get("params").get("max").longValue()).isEqualTo(range.maxParams());
    assertThat(d.get("flops").get("min").isIntegralNumber()).isTrue();
    assertThat(d.get("flops").get("max").longValue()).isEqualTo((long) range.maxFlops());
    assertThat(d.get("choices").get("stages")).hasSize(7);
    assertThat(d.get("choices").get("stages").get(5).get("width").toString()).isEqualTo("[192,200,208,216]");
    assertThat(d.get("model").get("activation").asText()).isEqualTo("swish");
    assertThat(d.get("max_architecture").asText()).isEqualTo(space.maxArchitecture().id());
    assertThat(space.describeText())
        .contains("family:         cnn")
        .contains("resolution:     192, 224, 256, 288, 320")
        .contains("  stages.4: MBConv6, width 112, 120, 128; depth 2, 3, 4, 5, 6; kernel 3, 5; stride 1")
        .contains("architectures:  " + space.architectureCount())
        .contains("params:         " + range.minParams() + " .. " + range.maxParams());
  }

  @Test
  void aViTArchitectureIsRefused() {
    CnnSpace space = CnnFixtures.bignas();
    var vit = SearchSpaces.builtIn("autoformer-tiny").maxArchitecture();
    assertThatThrownBy(() -> space.validate(vit)).isInstanceOf(SpaceException.class)
        .hasMessageContaining("not a CNN architecture");
    assertThat(space.contains(vit)).isFalse();
    assertThatThrownBy(() -> CnnSpace.of(SearchSpaces.builtIn("autoformer-tiny")))
        .hasMessageContaining("not a CNN space");
  }
}
