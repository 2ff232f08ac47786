package io.prenas.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A data set's fingerprint: SHA-256 over the names and sizes of the files an evaluation reads (IDX: the image and
 * label files of {@code train} and {@code t10k}; ImageFolder: every image file of the class folders, in
 * {@code train/} and the validation folder when split). Each file contributes the UTF-8 line
 * {@code <name>\t<size in bytes>\n}, where the name is its path relative to the data set's folder with {@code /}
 * between parts; lines are sorted by their UTF-8 bytes (Python: {@code sorted()} of the names as {@code str}) and
 * hashed in that order. Relative names keep it the same on every machine holding the same files; contents are not
 * read, so it is cheap on a million files, and a file changed in place at the same size goes unnoticed.
 *
 * @param sha256 lower-case hex
 * @param files the number of files covered
 */
public record DatasetFingerprint(String sha256, int files) {

  /** The fingerprint of {@code files}, all under {@code root}. */
  public static DatasetFingerprint of(Path root, List<Path> files) throws IOException {
    Path base = root.toAbsolutePath().normalize();
    List<byte[]> lines = new ArrayList<>(files.size());
    for (Path f : files) {
      Path abs = f.toAbsolutePath().normalize();
      if (!abs.startsWith(base)) {
        throw new IllegalArgumentException(f + " is not under " + root);
      }
      List<String> parts = new ArrayList<>();
      base.relativize(abs).forEach(p -> parts.add(p.toString()));
      lines.add((String.join("/", parts) + "\t" + Files.size(abs) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    lines.sort(Arrays::compareUnsigned);
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (byte[] line : lines) {
      sha.update(line);
    }
    return new DatasetFingerprint(HexFormat.of().formatHex(sha.digest()), files.size());
  }
}
