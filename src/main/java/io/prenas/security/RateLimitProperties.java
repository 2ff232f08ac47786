package io.prenas.security;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code prenas.rate-limit.*}: how many writes (every method but GET, HEAD and OPTIONS) one client may send. A client
 * is its API key, or its address when it sent none (then the key filter refuses it anyway, but only after this).
 * Reads are not limited: {@code models/best} is meant to be asked often, and reads write nothing.
 *
 * @param enabled whether writes are limited at all
 * @param writesPerMinute the sustained rate a client's bucket refills at
 * @param burst how many writes a client may send at once after a quiet spell (the bucket's size)
 */
@Validated
@ConfigurationProperties("prenas.rate-limit")
record RateLimitProperties(@DefaultValue("true") boolean enabled, @DefaultValue("120") @Positive int writesPerMinute,
    @DefaultValue("30") @Positive int burst) {}
