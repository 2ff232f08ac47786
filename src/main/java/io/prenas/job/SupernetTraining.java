package io.prenas.job;

import io.prenas.catalog.PreferredTables;
import io.prenas.catalog.SpaceInfo;
import io.prenas.storage.ArtifactKind;
import io.prenas.storage.ArtifactStore;
import io.prenas.storage.StoredArtifact;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The training step of a training or pipeline job, re-entrant: it resumes from the checkpoint recorded on the job's
 * row when there is one; each checkpoint the trainer reports is stored as a {@code CHECKPOINT} artifact and recorded
 * on the row at once (the one it replaces is dropped unless another job has the same bytes); the trained supernet is
 * stored as a {@code SUPERNET_WEIGHTS} artifact and recorded on the row.
 */
@Component
class SupernetTraining {

  private final ArtifactStore artifacts;

  SupernetTraining(ArtifactStore artifacts) {
    this.artifacts = artifacts;
  }

  /**
   * Trains and stores the trained supernet.
   *
   * @param initial weights to start from when there is no checkpoint to resume, or {@code null} for a seeded init
   * @throws JobCancelledException when the job was cancelled (its checkpoint is stored first)
   */
  StoredArtifact train(JobRecord job, TrainingOptions o, SpaceInfo space, PreferredTables.Table set, Path initial,
      TrainingEngine trainer, JobProgress progress, JobWorkFolder work) throws Exception {
    Path data = o.data().requireFolder(job.type());
    Path resume = resumeFrom(job, progress);
    String[] latestCheckpoint = {job.checkpointSha256()};
    TrainingEngine.TrainingOutcome out = trainer.train(new TrainingEngine.TrainingCommand(space.space(),
        set.architectures(), data, o.epochs(), o.batchSize(), o.sampler(), o.seed(), initial, resume,
        work.resolve("training"), o.learningRate(), o.warmupEpochs(), o.distill(), o.precision()), progress,
        checkpoint -> {
          StoredArtifact a = artifacts.store(checkpoint.file(), ArtifactKind.CHECKPOINT);
          if (!a.sha256().equals(checkpoint.sha256())) {
            throw new IllegalStateException("checkpoint at step " + checkpoint.step() + " changed before it was "
                + "stored (" + checkpoint.sha256() + " written, " + a.sha256() + " stored)");
          }
          String previous = latestCheckpoint[0];
          progress.checkpoint(a.sha256());
          latestCheckpoint[0] = a.sha256();
          progress.log("checkpoint stored as artifact " + a.sha256());
          if (previous != null && !previous.equals(a.sha256())) {
            // The row now names the new one; the old one can only be needed by another job with the same bytes.
            artifacts.deleteCheckpointIfUnused(previous);
          }
        });
    progress.metrics(out.metrics());
    if (out.cancelled()) {
      throw new JobCancelledException();
    }
    StoredArtifact weights = artifacts.store(out.supernetWeights(), ArtifactKind.SUPERNET_WEIGHTS);
    progress.linkSupernet(weights.sha256());
    progress.log("trained " + out.globalStep() + " steps (" + out.skippedSteps() + " skipped); supernet stored as "
        + weights.sha256());
    return weights;
  }

  /** The job's checkpoint to resume from (a worker died, or a retry), if it is still in the store. */
  private Path resumeFrom(JobRecord job, JobProgress progress) {
    if (job.checkpointSha256() == null) {
      return null;
    }
    Optional<StoredArtifact> checkpoint = artifacts.find(job.checkpointSha256());
    if (checkpoint.isPresent()) {
      progress.log("resuming from checkpoint " + job.checkpointSha256());
      return checkpoint.get().file();
    }
    progress.log("checkpoint " + job.checkpointSha256() + " is missing from the store; training starts over");
    return null;
  }
}
