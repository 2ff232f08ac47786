package io.prenas.vit.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.prenas.testing.SharedFiles;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlockScoresTest {

  @Test
  void microAKeysAreMatchedByWidthAndValue() {
    JsonNode file = SpaceFixtures.readJson(SharedFiles.microA("block_scores.json"));
    BlockScores e128 = SpaceFixtures.microABlockScores(128);
    BlockScores e96 = SpaceFixtures.microABlockScores(96);
    for (int i = 0; i < 4; i++) {
      assertThat(e128.heads(2)[i]).isEqualTo(file.get("head_scores").get("128,2").get(i).doubleValue());
      assertThat(e128.mlp(4.0)[i]).isEqualTo(file.get("mlp_scores").get("128,4.0").get(i).doubleValue());
      assertThat(e96.mlp(4.0)[i]).isEqualTo(file.get("mlp_scores").get("96,4.0").get(i).doubleValue());
    }
  }

  @Test
  void integerWrittenRatiosMatchTheirDoubleValue() {
    // supernet-T.yaml writes the ratio 4 as an int, so the reference's key is "240,4" (spec G7).
    BlockScores scores = BlockScores.fromKeyed(240, Map.of("240,4", new double[] {1, 2}),
        Map.of("240,4", new double[] {3, 4}, "192,4", new double[] {9, 9}));
    assertThat(scores.mlp(4.0)).containsExactly(3, 4);
    assertThat(scores.heads(4)).containsExactly(1, 2);
  }

  @Test
  void missingOrMalformedKeysAreReported() {
    BlockScores scores = BlockScores.fromKeyed(240, Map.of(), Map.of("240,4", new double[] {1}));
    assertThatThrownBy(() -> scores.mlp(3.5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mlp ratio 3.5 at embed dim 240");
    assertThatThrownBy(() -> BlockScores.fromKeyed(240, Map.of("240-4", new double[1]), Map.of()))
        .hasMessageContaining("\"E,choice\"");
  }

  @Test
  void returnedArraysAreCopies() {
    BlockScores scores = BlockScores.fromKeyed(1, Map.of("1,2", new double[] {5}), Map.of());
    scores.heads(2)[0] = 0;
    assertThat(scores.heads(2)).containsExactly(5);
  }
}
