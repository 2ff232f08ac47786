package io.prenas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.prenas.security.ApiKeys;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ApiKeyCommandTest {

  @Test
  void createPrintsAKeyAndTheEntryThatAcceptsIt() {
    CliRun run = CliRun.of("apikey", "create", "--name", "ci", "--scope", "read");
    assertThat(run.exitCode()).as(run.err()).isZero();
    String key = run.out().lines().filter(l -> l.startsWith("key:")).findFirst().orElseThrow().substring(4).strip();
    String entry = run.out().lines().filter(l -> l.startsWith("entry:")).findFirst().orElseThrow().substring(6)
        .strip();
    assertThat(entry).startsWith("ci:read:").doesNotContain(key);
    assertThat(ApiKeys.parse(entry).match(key)).hasValueSatisfying(
        e -> assertThat(e.scope()).isEqualTo(ApiKeys.Scope.READ));
  }

  @Test
  void hashReadsTheKeyFromStandardInput() {
    InputStream stdin = System.in;
    try {
      System.setIn(new ByteArrayInputStream("my-key\n".getBytes(StandardCharsets.UTF_8)));
      CliRun run = CliRun.of("apikey", "hash", "--name", "deploy");
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out().strip()).isEqualTo("deploy:write:" + ApiKeys.sha256Hex("my-key"));
      System.setIn(new ByteArrayInputStream(new byte[0]));
      assertThat(CliRun.of("apikey", "hash", "--name", "deploy").singleErrorLine()).contains("no key");
    } finally {
      System.setIn(stdin);
    }
  }

  @Test
  void badNamesAndScopesAreBadInput() {
    assertThat(CliRun.of("apikey", "create", "--name", "a:b").singleErrorLine()).contains("--name");
    assertThat(CliRun.of("apikey", "create", "--name", "ci", "--scope", "admin").singleErrorLine())
        .contains("--scope");
  }
}
