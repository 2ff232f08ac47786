package io.prenas.system;

import io.prenas.catalog.SpaceCatalog;
import io.prenas.job.JobMemory;
import io.prenas.job.JobsProperties;
import io.prenas.job.SelectionEngine;
import io.prenas.job.TrainingEngine;
import io.prenas.job.WorkerProperties;
import io.prenas.observability.TrainingMetrics;
import io.prenas.storage.StorageProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * The engine ports of this node: in the worker's own JVM ({@link SelectorEngineAdapter}, {@link TrainingEngineAdapter})
 * or in an engine process per call ({@link EngineProcessRunner}), as {@code prenas.worker.isolation} says (default:
 * a process on role {@code all}, where a job that exhausts memory must not take the HTTP server with it; in-process
 * on role {@code worker}).
 */
@Configuration(proxyBeanMethods = false)
class EngineConfiguration {

  @Bean
  SelectionEngine selectionEngine(WorkerProperties worker, RoleProperties role, EngineProperties engine,
      ObjectProvider<EngineProcessRunner> runner) {
    return worker.isolatedProcess(role.role()) ? new IsolatedSelectionEngine(runner.getObject())
        : new SelectorEngineAdapter(engine);
  }

  @Bean
  TrainingEngine trainingEngine(WorkerProperties worker, RoleProperties role, TrainingProperties training,
      EngineProperties engine, TrainingMetrics metrics,
      ObjectProvider<EngineProcessRunner> runner) {
    return worker.isolatedProcess(role.role()) ? new IsolatedTrainingEngine(runner.getObject(), metrics)
        : new TrainingEngineAdapter(training, engine, metrics);
  }

  @Bean
  @Lazy
  EngineProcessRunner engineProcessRunner(EngineProcessProperties child, JobMemory memory, SpaceCatalog spaces,
      StorageProperties storage, JobsProperties jobs, EngineProperties engine, TrainingProperties training) {
    return new EngineProcessRunner(child, memory, spaces, storage, jobs, engine, training);
  }
}
