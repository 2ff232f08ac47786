package io.prenas.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class SecurityConfigurationTest {

  @Test
  void withoutConfiguredKeysAWriteKeyIsGeneratedAndLoggedOnce(CapturedOutput output) {
    ApiKeys keys = new SecurityConfiguration().apiKeys(properties(true, ""));
    Matcher m = Pattern.compile("Using generated API key .*: (pn_[A-Za-z0-9_-]+)").matcher(output.getAll());
    assertThat(m.find()).as(output.getAll()).isTrue();
    String key = m.group(1);
    assertThat(keys.match(key)).hasValueSatisfying(e -> assertThat(e.scope()).isEqualTo(ApiKeys.Scope.WRITE));
    assertThat(m.find()).isFalse();
    // Another start, another key.
    assertThat(new SecurityConfiguration().apiKeys(properties(true, "")).match(key)).isEmpty();
  }

  @Test
  void configuredKeysAreNeverLoggedOnlyTheirNames(CapturedOutput output) {
    String key = ApiKeys.newKey();
    String entry = ApiKeys.entry("deploy", ApiKeys.Scope.WRITE, key);
    ApiKeys keys = new SecurityConfiguration().apiKeys(properties(true, entry));
    assertThat(keys.match(key)).isPresent();
    assertThat(output.getAll()).contains("deploy").doesNotContain(key).doesNotContain(ApiKeys.sha256Hex(key))
        .doesNotContain("generated");
  }

  @Test
  void disabledSecurityGeneratesNothingAndWarns(CapturedOutput output) {
    assertThat(new SecurityConfiguration().apiKeys(properties(false, "")).isEmpty()).isTrue();
    assertThat(output.getAll()).contains("prenas.security.enabled=false").doesNotContain("generated API key");
  }

  private static SecurityProperties properties(boolean enabled, String apiKeys) {
    return new SecurityProperties(enabled, apiKeys, "open", false);
  }
}
