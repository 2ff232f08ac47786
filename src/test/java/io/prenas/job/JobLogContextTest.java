package io.prenas.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** A job's log context names it while it runs and gives the worker thread its MDC back afterwards. */
class JobLogContextTest {

  @AfterEach
  void clear() {
    MDC.clear();
  }

  @Test
  void namesTheJobWhileOpenAndRestoresTheThreadsContext() {
    MDC.put("outer", "kept");
    UUID id = UUID.randomUUID();
    try (JobLogContext ignored = JobLogContext.open(id)) {
      JobLogContext.type(JobType.TRAINING);
      JobLogContext.phase("training");
      assertThat(MDC.getCopyOfContextMap()).containsEntry("jobId", id.toString())
          .containsEntry("jobType", "training").containsEntry("jobPhase", "training").containsEntry("outer", "kept");
      JobLogContext.phase("evaluation");
      assertThat(MDC.get("jobPhase")).isEqualTo("evaluation");
    }
    assertThat(MDC.getCopyOfContextMap()).isEqualTo(Map.of("outer", "kept"));
  }

  @Test
  void leavesNothingBehindOnAThreadThatHadNoContext() {
    try (JobLogContext ignored = JobLogContext.open(UUID.randomUUID())) {
      JobLogContext.type(JobType.SELECTION);
    }
    assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
  }
}
