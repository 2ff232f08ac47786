package io.prenas.catalog;

import io.prenas.space.SearchSpace;
import io.prenas.space.SupernetSize;
import jakarta.validation.constraints.Positive;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code prenas.spaces.limits.*}: the largest space a registration accepts. A space beyond them would be refused by
 * no later check: its supernet would be built by the first job and exhaust the worker's memory. The defaults are
 * generous for real spaces (AutoFormer-Base: depth 16, width 2,560, 80 M supernet parameters, about 10^13
 * architectures, 224 px; BigNAS-MobileNetV2: depth 26, about 2.4·10^12 architectures).
 *
 * @param maxDepth blocks of the supernet
 * @param maxWidth widest tensor dimension of a block
 * @param maxSupernetParameters trainable scalars of the supernet
 * @param maxImageSize input side in pixels
 * @param maxArchitectures number of distinct architectures
 */
@Validated
@ConfigurationProperties("prenas.spaces.limits")
public record SpaceLimits(
    @DefaultValue("64") @Positive int maxDepth,
    @DefaultValue("16384") @Positive int maxWidth,
    @DefaultValue("2000000000") @Positive long maxSupernetParameters,
    @DefaultValue("1024") @Positive int maxImageSize,
    @DefaultValue("1e24") @Positive BigDecimal maxArchitectures) {

  /**
   * Checks a parsed space against every bound, the cheap ones first (the architecture count of a space of absurd
   * depth is itself expensive to compute).
   *
   * @throws SpaceLimitException naming the bound and both numbers
   */
  public void check(SearchSpace space) {
    SupernetSize size = space.supernetSize();
    bound("max-depth", "supernet depth", size.depth(), maxDepth);
    bound("max-width", "supernet width", size.width(), maxWidth);
    bound("max-image-size", "image size", space.imageSize(), maxImageSize);
    if (size.parameters() > maxSupernetParameters) {
      throw new SpaceLimitException("max-supernet-parameters", String.format(Locale.ROOT,
          "the supernet has %.0f parameters, above the limit of %d", size.parameters(), maxSupernetParameters));
    }
    BigInteger count = space.architectureCount();
    if (new BigDecimal(count).compareTo(maxArchitectures) > 0) {
      throw new SpaceLimitException("max-architectures", "the space has " + count
          + " architectures, above the limit of " + maxArchitectures.toPlainString());
    }
  }

  private static void bound(String property, String what, long value, long limit) {
    if (value > limit) {
      throw new SpaceLimitException(property, what + " " + value + " is above the limit of " + limit);
    }
  }
}
