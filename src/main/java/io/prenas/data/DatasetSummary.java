package io.prenas.data;

import java.util.List;
import java.util.Map;

/**
 * A data set as one evaluation saw it ({@link DataSplit#summary}).
 *
 * @param format {@code idx} or {@code image-folder}
 * @param classNames the class names in label order (ImageFolder: the class folders' names; IDX: see
 *     {@link IdxLabelNames})
 * @param images images per split: {@code train} and {@code validation}, or {@code validation} alone when the data
 *     was evaluated whole
 * @param validation where the validation images come from
 * @param fingerprint {@link DatasetFingerprint} of the files read
 * @param fingerprintFiles how many files the fingerprint covers
 * @param nativeSizes whether the images come in their own sizes (photographs), which decides the evaluation
 *     transform ({@link TransformSpec#forSource(boolean)})
 */
public record DatasetSummary(String format, List<String> classNames, Map<String, Long> images, String validation,
    String fingerprint, int fingerprintFiles, boolean nativeSizes) {

  public DatasetSummary {
    classNames = List.copyOf(classNames);
    images = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(images));
  }

  /** The preprocessing the evaluator applied to these images for a model of the given input. */
  public Preprocessing preprocessing(int channels, int size) {
    return TransformSpec.evaluation(channels, size).forSource(nativeSizes).preprocessing();
  }
}
