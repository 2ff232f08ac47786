package io.prenas.api;

import io.prenas.system.PrenasServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The server of the tests about limits and bad input ({@link SecurityApiTest}, {@link MalformedRequestsTest}): small
 * upload and body limits, CORS for one origin, and multipart parts written to disk (threshold 0) in a directory of
 * the tests, so that a part left behind is seen. One configuration for all of them, so that Spring's test context
 * cache starts this server once.
 *
 * <p>The body cap (1000 KB) differs from the default (1 MB) so that a test can tell the configured value is the one
 * enforced, and stays over the 1,000,000 bytes of the YAML limit so that a YAML just over that limit reaches the
 * controller.
 */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "prenas.upload.max-size=64KB",
        "prenas.api.max-body-size=1000KB",
        "prenas.cors.allowed-origins=https://ui.example",
    })
abstract class SmallLimitsServer {

  /** {@code prenas.api.max-body-size} of this server, in bytes. */
  static final int MAX_BODY_BYTES = 1000 * 1024;

  static final Path MULTIPART_DIR = multipartDir();

  @DynamicPropertySource
  static void multipart(DynamicPropertyRegistry registry) {
    registry.add("spring.servlet.multipart.location", MULTIPART_DIR::toString);
    registry.add("spring.servlet.multipart.file-size-threshold", () -> "0");
  }

  private static Path multipartDir() {
    try {
      return Files.createTempDirectory("prenas-multipart-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
