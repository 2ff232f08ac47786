package io.prenas.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prenas.system.PrenasServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The store with its database rows (same context as the API tests: real embedded PostgreSQL). */
@SpringBootTest(classes = PrenasServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ArtifactStoreTest {

  @Autowired
  ArtifactStore store;

  @Autowired
  ArtifactRepository rows;

  @Test
  void equalContentGivesOneRowAndOneFile() throws Exception {
    byte[] data = ("checkpoint " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    long before = rows.count();
    StoredArtifact a = store.store(new ByteArrayInputStream(data), ArtifactKind.CHECKPOINT, 1000);
    StoredArtifact b = store.store(new ByteArrayInputStream(data), ArtifactKind.SUBNET_WEIGHTS, 1000);
    assertThat(b.sha256()).isEqualTo(a.sha256());
    assertThat(b.kind()).as("the first kind stays").isEqualTo(ArtifactKind.CHECKPOINT);
    assertThat(rows.count()).isEqualTo(before + 1);
    assertThat(rows.findById(a.sha256()).orElseThrow().sizeBytes()).isEqualTo(data.length);
    assertThat(Files.readAllBytes(store.get(a.sha256()).file())).isEqualTo(data);
    assertThat(a.file()).startsWith(store.root());
  }

  @Test
  void aFailedWriteLeavesNeitherRowNorFile() throws Exception {
    long before = rows.count();
    InputStream broken = new SequenceInputStream(new ByteArrayInputStream(new byte[5000]), new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("client went away");
      }
    });
    assertThatThrownBy(() -> store.store(broken, ArtifactKind.SUPERNET_WEIGHTS, 1 << 20))
        .hasMessageContaining("client went away");
    assertThatThrownBy(() -> store.store(new ByteArrayInputStream(new byte[2000]), ArtifactKind.SUPERNET_WEIGHTS,
        1000)).isInstanceOf(ArtifactTooLargeException.class);
    assertThat(rows.count()).isEqualTo(before);
    try (var incoming = Files.list(store.root().resolve(".incoming"))) {
      assertThat(incoming.toList()).isEmpty();
    }
    assertThat(store.find("0".repeat(64))).isEmpty();
    assertThat(store.find("../../etc/passwd")).isEmpty();
  }
}
