package io.prenas.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The read rules a listener without the servlet filters asks ({@link ReadAccess}), against the filters' own. */
class ReadAccessTest {

  private static final ApiKeys KEYS = ApiKeys.of(
      new ApiKeys.Entry("reader", ApiKeys.Scope.READ, ApiKeys.sha256("read-key")),
      new ApiKeys.Entry("writer", ApiKeys.Scope.WRITE, ApiKeys.sha256("write-key")));

  @Test
  void openReadsPassWhateverKeyTheyCarry() {
    ReadAccess open = new ReadAccess(KEYS, false, List.of());
    assertThat(open.answerable(null, null, null)).isTrue();
    assertThat(open.answerable("not-a-key", null, null)).isTrue();
    assertThat(open.answerable(null, null, "https://ui.example")).as("no CORS configured").isTrue();
  }

  @Test
  void keyedReadsPassOnlyWithAKeyThatReads() {
    ReadAccess keyed = new ReadAccess(KEYS, true, List.of());
    assertThat(keyed.answerable(null, null, null)).isFalse();
    assertThat(keyed.answerable("not-a-key", null, null)).isFalse();
    assertThat(keyed.answerable("read-key", null, null)).isTrue();
    assertThat(keyed.answerable(" write-key ", null, null)).isTrue();
    assertThat(keyed.answerable(null, "Bearer read-key", null)).isTrue();
    assertThat(keyed.answerable(null, "bearer read-key", null)).isTrue();
    assertThat(keyed.answerable(null, "Basic cmVhZC1rZXk=", null)).isFalse();
    assertThat(keyed.answerable("", "Bearer ", null)).isFalse();
  }

  @Test
  void aCrossOriginReadGoesToTheCorsFilterWhenOriginsAreConfigured() {
    ReadAccess cors = new ReadAccess(KEYS, false, List.of("https://ui.example"));
    assertThat(cors.answerable(null, null, "https://ui.example")).isFalse();
    assertThat(cors.answerable(null, null, null)).isTrue();
  }
}
