package io.prenas.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.prenas.space.ModelFamilies;
import io.prenas.space.SearchSpace;
import io.prenas.space.SearchSpaces;
import io.prenas.space.SpaceException;
import io.prenas.space.SpaceLoader;
import io.prenas.storage.ArtifactKind;
import io.prenas.storage.ArtifactStore;
import io.prenas.storage.ArtifactTooLargeException;
import io.prenas.storage.StoredArtifact;
import io.prenas.supernet.SupernetFactory;
import io.prenas.supernet.WeightsException;
import io.prenas.tensorio.Safetensors;
import io.prenas.tensorio.SafetensorsException;
import io.prenas.tensorio.Tensor;
import io.prenas.tensorio.pth.PthException;
import io.prenas.tensorio.pth.PthReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The search spaces of the server: the built-in ones (from the jar) and the custom ones registered over HTTP (YAML in
 * the {@code spaces} table), plus the supernet weights imported for a space.
 */
@Service
public class SpaceCatalog {

  /** Space names: a letter or digit, then letters, digits, '.', '_' or '-'; at most 64 characters. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final SpaceRecordRepository rows;
  private final SpaceLimits limits;
  private final ArtifactStore artifacts;
  private final long maxUploadBytes;
  /**
   * Parsed spaces with their summaries, by name. A space never changes once built in or registered (names are not
   * reused: spaces are not deleted), so a request neither parses its YAML again nor recounts its architectures.
   */
  private final Map<String, Described> described = new ConcurrentHashMap<>();

  private record Described(SearchSpace space, ObjectNode summary) {
    static Described of(SearchSpace space) {
      return new Described(space, space.describe());
    }
  }

  SpaceCatalog(SpaceRecordRepository rows, ArtifactStore artifacts, UploadProperties upload, SpaceLimits limits) {
    this.rows = rows;
    this.limits = limits;
    this.artifacts = artifacts;
    this.maxUploadBytes = upload.maxSize().toBytes();
  }

  /** Built-in spaces first (in size order), then registered spaces by name. */
  @Transactional(readOnly = true)
  public List<SpaceInfo> list() {
    List<SpaceInfo> out = new ArrayList<>();
    Map<String, SpaceRecord> stored = new java.util.HashMap<>();
    rows.findAllByOrderByNameAsc().forEach(r -> stored.put(r.name(), r));
    for (String name : SearchSpaces.builtInNames()) {
      out.add(info(name, stored.get(name)));
    }
    for (SpaceRecord r : rows.findAllByOrderByNameAsc()) {
      if (!r.builtIn()) {
        out.add(info(r.name(), r));
      }
    }
    return out;
  }

  @Transactional(readOnly = true)
  public Optional<SpaceInfo> find(String name) {
    if (name == null) {
      return Optional.empty();
    }
    Optional<SpaceRecord> row = rows.findById(name);
    if (SearchSpaces.isBuiltIn(name)) {
      return Optional.of(info(name, row.orElse(null)));
    }
    return row.map(r -> info(name, r));
  }

  /** The space of a name, or {@link SpaceNotFoundException}. */
  public SpaceInfo get(String name) {
    return find(name).orElseThrow(() -> new SpaceNotFoundException(name));
  }

  /** True when a built-in or registered space has this name. */
  public boolean exists(String name) {
    return name != null && (SearchSpaces.isBuiltIn(name) || rows.existsById(name));
  }

  /**
   * Registers a custom space.
   *
   * @throws SpaceException for an invalid name ({@code key() = "name"}) or YAML (the key names the YAML field)
   * @throws CatalogConflictException when the name is taken
   */
  @Transactional
  public SpaceInfo register(String name, String yaml) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new SpaceException("name", "must match " + NAME.pattern() + ", got " + (name == null ? "nothing" : "'"
          + name + "'"));
    }
    if (yaml == null || yaml.isBlank()) {
      throw new SpaceException("yaml", "the space YAML is empty");
    }
    SearchSpace space = SpaceLoader.parse(name, yaml); // throws SpaceException naming the YAML key
    limits.check(space); // before anything is stored or computed over the space
    if (SearchSpaces.isBuiltIn(name) || rows.existsById(name)) {
      throw new CatalogConflictException("name", "a space named '" + name + "' already exists");
    }
    SpaceRecord row = rows.saveAndFlush(new SpaceRecord(name, false, yaml));
    Described d = Described.of(space); // cached on first read, after the row is committed
    return new SpaceInfo(name, false, d.space(), d.summary(), yaml, null, null, row.createdAt());
  }

  /**
   * Imports supernet weights for a space: the upload is stored (atomically, content-addressed) only if its header
   * matches the space's supernet layout ({@link SupernetFactory#checkLayout}).
   *
   * @throws WeightsException naming the tensor at fault
   * @throws SafetensorsException when the file is not valid safetensors
   */
  @Transactional
  public SpaceInfo importSupernet(String name, InputStream upload) throws IOException {
    SpaceInfo info = get(name);
    InputStream in = new BufferedInputStream(upload);
    in.mark(16);
    byte[] head = in.readNBytes(16);
    in.reset();
    StoredArtifact stored = PthReader.isPth(head)
        ? storeConverted(info.space(), in)
        : artifacts.store(in, ArtifactKind.SUPERNET_WEIGHTS, maxUploadBytes, file -> checkUpload(info.space(), file));
    SpaceRecord row = rows.findById(name).orElseGet(() -> new SpaceRecord(name, true, null));
    row.supernetImported(stored.sha256());
    rows.save(row);
    return info(name, row);
  }

  private static void checkUpload(SearchSpace space, Path file) throws IOException {
    try {
      checkLayout(space, Safetensors.read(file).tensors());
    } catch (SafetensorsException e) {
      // The message starts with the temporary file's path; the client only needs to know it is its upload.
      throw new SafetensorsException(e.getMessage().replace(file.toString(), "the upload"));
    }
  }

  /** The one layout check of imported weights, whichever file format they came in. */
  private static void checkLayout(SearchSpace space, Map<String, Tensor> tensors) throws WeightsException {
    ModelFamilies.port(space, SupernetFactory.class).checkLayout(space, tensors);
  }

  /**
   * A PyTorch checkpoint (told from safetensors by its first bytes) is read into memory from a temporary copy,
   * checked against the space, and stored as safetensors, the one weights format the engine reads. Nothing is
   * stored when the checkpoint is refused.
   *
   * @throws PthException naming what is wrong with the checkpoint (a forbidden global, a truncated file, ...)
   */
  private StoredArtifact storeConverted(SearchSpace space, InputStream pth) throws IOException {
    Path checkpoint = Files.createTempFile("prenas-upload-", ".pth");
    Path converted = Files.createTempFile("prenas-upload-", ".safetensors");
    try {
      try (OutputStream out = Files.newOutputStream(checkpoint)) {
        copyAtMost(pth, out, maxUploadBytes);
      }
      Map<String, Tensor> tensors;
      try {
        tensors = PthReader.read(checkpoint, null).tensors();
      } catch (PthException e) {
        throw new PthException(e.getMessage().replace(checkpoint.toString(), "the upload"));
      }
      checkLayout(space, tensors);
      try (OutputStream out = Files.newOutputStream(converted)) {
        // No provenance metadata: the same weights from any checkpoint layout give one artifact.
        Safetensors.writeTo(out, tensors, Map.of("format", "pt"));
      }
      return artifacts.store(converted, ArtifactKind.SUPERNET_WEIGHTS);
    } finally {
      Files.deleteIfExists(checkpoint);
      Files.deleteIfExists(converted);
    }
  }

  private static void copyAtMost(InputStream in, OutputStream out, long maxBytes) throws IOException {
    byte[] buf = new byte[1 << 16];
    long total = 0;
    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
      total += n;
      if (total > maxBytes) {
        throw new ArtifactTooLargeException(maxBytes);
      }
      out.write(buf, 0, n);
    }
  }

  /** The parsed space of a name. */
  public SearchSpace space(String name) {
    return get(name).space();
  }

  public long maxUploadBytes() {
    return maxUploadBytes;
  }

  private SpaceInfo info(String name, SpaceRecord row) {
    if (SearchSpaces.isBuiltIn(name)) {
      Described d = described.computeIfAbsent(name, n -> Described.of(SearchSpaces.builtIn(n)));
      return new SpaceInfo(name, true, d.space(), d.summary(), null, row == null ? null : row.supernetSha256(),
          row == null ? null : row.supernetImportedAt(), null);
    }
    Described d = described.computeIfAbsent(name, n -> Described.of(SpaceLoader.parse(n, row.yaml())));
    return new SpaceInfo(name, false, d.space(), d.summary(), row.yaml(), row.supernetSha256(),
        row.supernetImportedAt(), row.createdAt());
  }
}
