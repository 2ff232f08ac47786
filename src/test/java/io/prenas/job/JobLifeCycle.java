package io.prenas.job;

/** A job's start and end as {@link JobRunner} reports them to {@link RunningJobs}, for tests outside this package. */
public final class JobLifeCycle {

  private JobLifeCycle() {}

  public static void start(RunningJobs jobs) {
    jobs.started();
  }

  public static void end(RunningJobs jobs) {
    jobs.ended();
  }
}
