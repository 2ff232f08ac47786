package io.prenas.system;

import io.prenas.job.JobProgress;
import io.prenas.job.SelectionEngine;

/** The selection port over an engine process per call ({@code prenas.worker.isolation=process}). */
final class IsolatedSelectionEngine implements SelectionEngine {

  private final EngineProcessRunner runner;

  IsolatedSelectionEngine(EngineProcessRunner runner) {
    this.runner = runner;
  }

  @Override
  public Outcome select(Command command, JobProgress progress) throws Exception {
    SelectorEngineAdapter.settings(command); // the bins are checked here, before a process is started for them
    return EngineMessages.outcome(command.space(), runner.call("select", command.space(),
        EngineMessages.selection(command), progress, null));
  }
}
