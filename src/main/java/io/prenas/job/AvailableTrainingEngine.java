package io.prenas.job;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** The {@link TrainingEngine} of this build, or a failed job saying there is none. */
@Component
class AvailableTrainingEngine {

  private final ObjectProvider<TrainingEngine> engine;

  AvailableTrainingEngine(ObjectProvider<TrainingEngine> engine) {
    this.engine = engine;
  }

  TrainingEngine get() {
    TrainingEngine e = engine.getIfAvailable();
    if (e == null) {
      throw new JobFailedException(TrainingEngine.UNAVAILABLE);
    }
    return e;
  }
}
