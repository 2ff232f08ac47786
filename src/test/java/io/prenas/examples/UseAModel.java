package io.prenas.examples;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * "Use a model" (README): downloads the best model of a space under a parameter budget as ONNX, preprocesses an
 * image exactly as the model's card says, runs it in ONNX Runtime and prints the top-5 labels with their
 * probabilities. Needs only the JDK, ONNX Runtime ({@code com.microsoft.onnxruntime:onnxruntime}) and Jackson.
 *
 * <pre>java UseAModel http://localhost:8080 demo-fmnist 700000 shoe.png</pre>
 */
public final class UseAModel {

  private UseAModel() {}

  public static void main(String[] args) throws Exception {
    run(args[0], args[1], Long.parseLong(args[2]), Path.of(args[3]), System.out);
  }

  /** Prints one line per label, best first: {@code <label>\t<probability>}. */
  public static void run(String server, String space, long maxParams, Path image, PrintStream out)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    JsonNode best = new ObjectMapper().readTree(
        get(http, server + "/api/v1/models/best?space=" + space + "&maxParams=" + maxParams));
    byte[] onnx = get(http, server + best.get("onnxUrl").asText());
    JsonNode card = best.get("card");
    JsonNode pre = card.get("preprocessing");
    float[] pixels = preprocess(ImageIO.read(image.toFile()), pre);
    JsonNode input = pre.get("input"); // [C, H, W]
    long[] shape = {1, input.get(0).asLong(), input.get(1).asLong(), input.get(2).asLong()};

    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(onnx);
        OnnxTensor batch = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), shape);
        OrtSession.Result result = session.run(Map.of("pixels", batch))) {
      float[] logits = ((float[][]) result.get("logits").orElseThrow().getValue())[0];
      double[] p = softmax(logits);
      List<String> labels = new ObjectMapper().convertValue(card.get("labels"),
          new ObjectMapper().getTypeFactory().constructCollectionType(List.class, String.class));
      IntStream.range(0, p.length).boxed().sorted(Comparator.comparingDouble(i -> -p[i])).limit(5)
          .forEach(i -> out.printf(Locale.ROOT, "%s\t%.6f%n", i < labels.size() ? labels.get(i) : "#" + i, p[i]));
    }
  }

  /**
   * The card's preprocessing: resize (stretch to size x size, or the shorter side to size), centre crop, values
   * scaled to the value range, normalised with mean and std, laid out as [C, H, W] in the card's channel order.
   * Java2D's bilinear and bicubic filters are close to, not equal to, Pillow's on a real resize; an image already
   * at the model's size goes through unchanged.
   */
  static float[] preprocess(BufferedImage image, JsonNode pre) {
    JsonNode resize = pre.get("resize");
    if (resize != null && !resize.isNull()) {
      int size = resize.get("size").asInt();
      int w = image.getWidth();
      int h = image.getHeight();
      if (resize.get("rule").asText().equals("stretch")) {
        image = scaled(image, size, size, pre);
      } else if (w <= h) { // shorter-side
        image = scaled(image, size, (int) ((long) size * h / w), pre);
      } else {
        image = scaled(image, (int) ((long) size * w / h), size, pre);
      }
    }
    JsonNode crop = pre.get("crop");
    if (crop != null && !crop.isNull()) {
      int size = crop.get("size").asInt();
      int top = (int) Math.rint((image.getHeight() - size) / 2.0);
      int left = (int) Math.rint((image.getWidth() - size) / 2.0);
      image = image.getSubimage(left, top, size, size);
    }
    int channels = pre.get("input").get(0).asInt();
    boolean gray = pre.get("channelOrder").asText().equals("L");
    double lo = pre.get("valueRange").get(0).asDouble();
    double hi = pre.get("valueRange").get(1).asDouble();
    int h = image.getHeight();
    int w = image.getWidth();
    float[] out = new float[channels * h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = image.getRGB(x, y);
        int[] v = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
        for (int c = 0; c < channels; c++) {
          // Pillow's "L": 0.299 R + 0.587 G + 0.114 B, rounded
          double raw = gray ? Math.floor((v[0] * 299 + v[1] * 587 + v[2] * 114 + 500) / 1000.0) : v[c];
          double scaled = lo + (hi - lo) * raw / 255.0;
          out[(c * h + y) * w + x] = (float) ((scaled - pre.get("mean").get(c).asDouble())
              / pre.get("std").get(c).asDouble());
        }
      }
    }
    return out;
  }

  private static BufferedImage scaled(BufferedImage image, int w, int h, JsonNode pre) {
    if (image.getWidth() == w && image.getHeight() == h) {
      return image;
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, pre.get("interpolation").asText().equals("bicubic")
        ? RenderingHints.VALUE_INTERPOLATION_BICUBIC : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  private static double[] softmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    double[] p = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp(logits[i] - max);
      sum += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= sum;
    }
    return p;
  }

  private static byte[] get(HttpClient http, String url) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IOException(url + " answered " + r.statusCode() + ": " + new String(r.body()));
    }
    return r.body();
  }
}
