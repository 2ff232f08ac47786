package io.prenas.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** README's "Use a model" shows the Java program that the tests run, character for character. */
class UseAModelReadmeTest {

  @Test
  void theReadmeShowsTheProgramTheTestsRun() throws Exception {
    String program = Files.readString(Path.of("src/test/java/io/prenas/examples/UseAModel.java"));
    String readme = Files.readString(Path.of("README.md"));
    assertThat(readme).contains("```java\n" + program + "```\n");
  }
}
