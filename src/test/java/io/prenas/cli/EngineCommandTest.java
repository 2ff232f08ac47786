package io.prenas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EngineCommandTest {

  @Test
  void printsTheStartedEngineAndItsDevices() {
    CliRun run = CliRun.of("engine");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("engine:  PyTorch 2.7.1")
        .containsPattern("default: (cpu|gpu)\\(\\d*\\)")
        .containsPattern("gpus:    \\d+")
        .contains("cpu()");
  }
}
