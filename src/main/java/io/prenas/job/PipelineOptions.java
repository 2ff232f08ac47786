package io.prenas.job;

/** What a pipeline runs with: its selection and its training share the data, batch size and seed. */
record PipelineOptions(SelectionOptions selection, TrainingOptions training) {

  static PipelineOptions of(JobOptions o, DataPath data) {
    return new PipelineOptions(SelectionOptions.of(o, data), TrainingOptions.of(o, data));
  }

  DataPath data() {
    return training.data();
  }
}
