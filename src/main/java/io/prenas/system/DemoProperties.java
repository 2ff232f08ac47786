package io.prenas.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code prenas.demo.*}: the out-of-the-box demo ({@link DemoSeeder}).
 *
 * @param enabled false (env {@code PRENAS_DEMO_ENABLED=false}) turns it off
 * @param dataDir where the Debian package's Fashion-MNIST files may be; blank: always the small copy in the jar
 * @param epochs pipeline epochs; 0 (or less): 2 on the full set, 15 on the small copy
 */
@ConfigurationProperties("prenas.demo")
record DemoProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("/usr/share/datasets/fashion-mnist") String dataDir,
    @DefaultValue("0") int epochs) {}
