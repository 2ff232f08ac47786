package io.prenas.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

  @Test
  void keysMatchByHashWithTheirScope() {
    String w = ApiKeys.newKey();
    String r = ApiKeys.newKey();
    ApiKeys keys = ApiKeys.parse(" " + ApiKeys.entry("ci", ApiKeys.Scope.WRITE, w) + " , "
        + ApiKeys.entry("dash", ApiKeys.Scope.READ, r).toUpperCase().replace("DASH:READ", "dash:read") + ",");
    assertThat(keys.names()).containsExactly("ci", "dash");
    assertThat(keys.match(w)).hasValueSatisfying(e -> assertThat(e.scope()).isEqualTo(ApiKeys.Scope.WRITE));
    assertThat(keys.match(r)).hasValueSatisfying(e -> assertThat(e.name()).isEqualTo("dash"));
    assertThat(keys.match(w + "x")).isEmpty();
    assertThat(keys.match("")).isEmpty();
    assertThat(keys.match(null)).isEmpty();
    // The configuration holds hashes: presenting the hash itself is not presenting the key.
    assertThat(keys.match(ApiKeys.sha256Hex(w))).isEmpty();
    assertThat(ApiKeys.Scope.WRITE.allows(ApiKeys.Scope.READ)).isTrue();
    assertThat(ApiKeys.Scope.READ.allows(ApiKeys.Scope.WRITE)).isFalse();
  }

  @Test
  void freshKeysAreRandomAndLong() {
    String a = ApiKeys.newKey();
    assertThat(a).startsWith("pn_").hasSize(46).isNotEqualTo(ApiKeys.newKey());
    assertThat(ApiKeys.sha256Hex("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void badEntriesAreRefusedWithoutEchoingWhatMightBeAKey() {
    assertThat(ApiKeys.parse("").isEmpty()).isTrue();
    assertThat(ApiKeys.parse(null).isEmpty()).isTrue();
    String secret = "pn_rawSecretKeyPastedByMistake";
    assertThatThrownBy(() -> ApiKeys.parse(secret)).hasMessageNotContaining(secret).hasMessageContaining("entry 1");
    assertThatThrownBy(() -> ApiKeys.parse("ci:write:" + secret)).hasMessageNotContaining(secret)
        .hasMessageContaining("SHA-256");
    String hash = ApiKeys.sha256Hex("k");
    assertThatThrownBy(() -> ApiKeys.parse("ci:admin:" + hash)).hasMessageContaining("scope");
    assertThatThrownBy(() -> ApiKeys.parse("a b:read:" + hash)).hasMessageContaining("name");
    assertThatThrownBy(() -> ApiKeys.parse("ci:read:" + hash + ",ci:write:" + hash)).hasMessageContaining("twice");
  }
}
