package io.prenas.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A one-method TorchScript module written in memory and loaded into libtorch: how this code reaches a libtorch
 * operation that DJL 0.36 has no call for (a bfloat16 cast on the autograd path, {@link MixedPrecision}; AdamW's
 * update, {@link AdamW}; the norms of many arrays, {@link ForeachNorm}; attention's gather, scatter-add and
 * {@code baddbmm}, {@code io.prenas.vit.engine.AttentionCore}). A module's forward called through
 * {@code IValueUtils.forward(module, inputs, true)} is recorded by autograd like any other operation. No file ships
 * with the jar and nothing native is built: the archive is what {@code torch.jit.save} writes, at its minimum content.
 * Modules live for the process, in one manager of their own.
 */
public final class TorchScriptModule {

  /** libtorch's {@code c10::ScalarType} codes, as TorchScript source writes dtypes: float32. */
  public static final int TORCH_FLOAT32 = 6;
  /** The same code for bfloat16. */
  public static final int TORCH_BFLOAT16 = 15;

  /** Owner of every loaded module; created with the first one. */
  private static final NDManager MODULES = NDManager.newBaseManager();

  private TorchScriptModule() {}

  /**
   * Loads the module {@code __torch__.<name>} whose forward is {@code forward} (TorchScript source: the signature
   * line(s) after {@code def forward(self: __torch__.<name>,} and the indented body).
   */
  public static PtSymbolBlock load(String name, String forward) {
    try {
      return JniUtils.loadModule((PtNDManager) MODULES, new ByteArrayInputStream(archive(name, forward)), true,
          false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Appends {@code arrays} to {@code inputs} as one {@code List[Tensor]} argument
   * (DJL groups arrays named {@code x[]}).
   */
  static void addList(NDList inputs, String name, List<NDArray> arrays) {
    for (NDArray a : arrays) {
      a.setName(name + "[]"); // callers pass handles made for the call, never an array's lasting handle
      inputs.add(a);
    }
  }

  /**
   * The archive: the module object pickled as an instance of {@code __torch__.<name>} with its one attribute
   * {@code training}, no constants, and the class's source.
   */
  static byte[] archive(String name, String forward) throws IOException {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    data.write(new byte[] {(byte) 0x80, 2}); // PROTO 2
    data.write(("c__torch__\n" + name + "\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL __torch__.<name>
    data.write(new byte[] {')', (byte) 0x81, '}', '(', 'X', 8, 0, 0, 0}); // (), NEWOBJ, {, MARK, "training"
    data.write("training".getBytes(StandardCharsets.US_ASCII));
    data.write(new byte[] {(byte) 0x88, 'u', 'b', '.'}); // True, SETITEMS, BUILD, STOP
    String code = String.join("\n",
        "class " + name + "(Module):",
        "  __parameters__ = []",
        "  __buffers__ = []",
        "  training : bool",
        "  def forward(self: __torch__." + name + ",",
        forward,
        "");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      String root = name.toLowerCase(java.util.Locale.ROOT) + "/";
      stored(zip, root + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
      stored(zip, root + "data.pkl", data.toByteArray());
      stored(zip, root + "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // the empty tuple
      stored(zip, root + "code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  /** TorchScript reads records uncompressed. */
  private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(content.length);
    e.setCompressedSize(content.length);
    CRC32 crc = new CRC32();
    crc.update(content);
    e.setCrc(crc.getValue());
    zip.putNextEntry(e);
    zip.write(content);
    zip.closeEntry();
  }
}
