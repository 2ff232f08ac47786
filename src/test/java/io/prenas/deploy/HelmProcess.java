package io.prenas.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * helm (the helm-java library) run in a child JVM. Loaded in process, helm's Go runtime keeps the JVM from attaching
 * agents to itself afterwards, and every later Spring test in the same test JVM then fails to start Mockito.
 */
final class HelmProcess {

  private static final String FAILED = "lint-failed=";

  private HelmProcess() {}

  /** {@code helm template} of a chart with one values file; the manifests, or an exception with helm's error. */
  static String template(Path chart, String release, String namespace, Path values) {
    return run("template", chart.toString(), release, namespace, values.toString());
  }

  /** {@code helm lint [--strict]}. */
  static LintResult lint(Path chart, boolean strict) {
    List<String> lines = run("lint", chart.toString(), Boolean.toString(strict)).lines().toList();
    boolean failed = Boolean.parseBoolean(lines.get(0).substring(FAILED.length()));
    return new LintResult(lines.subList(1, lines.size()), failed);
  }

  private static String run(String... args) {
    try {
      Path err = Files.createTempFile("helm", ".err");
      try {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(
            List.of(java, "-cp", System.getProperty("java.class.path"), HelmProcess.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("helm " + args[0] + " did not finish in 120 s");
        }
        if (p.exitValue() != 0) {
          throw new IllegalStateException(Files.readString(err));
        }
        return out;
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The child: {@code template <chart> <release> <namespace> <values>} or {@code lint <chart> <strict>}. */
  public static void main(String[] args) {
    try {
      Helm helm = new Helm(Path.of(args[1]));
      if (args[0].equals("template")) {
        TemplateCommand template = helm.template().withName(args[2]).withNamespace(args[3])
            .withValuesFile(Path.of(args[4]));
        System.out.print(template.call());
      } else {
        LintResult lint = Boolean.parseBoolean(args[2]) ? helm.lint().strict().call() : helm.lint().call();
        System.out.println(FAILED + lint.isFailed());
        lint.getMessages().forEach(System.out::println);
      }
      System.out.flush();
      System.exit(0);
    } catch (RuntimeException e) {
      System.err.println(e.getMessage());
      System.exit(1);
    }
  }
}
