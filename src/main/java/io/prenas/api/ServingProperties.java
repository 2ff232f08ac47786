package io.prenas.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The serving port ({@link ServingListener}): the budget lookup and whole-file weight downloads without Tomcat, every
 * other read forwarded to the API port.
 *
 * @param port the port; 0 takes any free one (tests), -1 turns the serving port off
 * @param address the address to bind; all interfaces when unset, as the API port
 * @param eventLoops threads that accept, read and answer; 0: one per core
 * @param idleTimeout a connection with nothing to read or write for this long is closed
 * @param maxKeepAliveRequests the answer to a connection's request number this many closes it, as nginx's
 *     {@code keepalive_requests} and the API port's {@code server.tomcat.max-keep-alive-requests} (1,000 as both):
 *     long-lived clients reconnect now and then, so that a balancer in front of several servers spreads them again;
 *     1 answers every request with a close; -1 (or 0) sets no limit
 */
@Validated
@ConfigurationProperties("prenas.serving")
record ServingProperties(
    @DefaultValue("8081") @Min(-1) @Max(65535) int port,
    String address,
    @DefaultValue("0") @Min(0) @Max(256) int eventLoops,
    @DefaultValue("60s") Duration idleTimeout,
    @DefaultValue("1000") @Min(-1) int maxKeepAliveRequests) {

  boolean enabled() {
    return port >= 0;
  }

  /** Whether the answer to a connection's request number {@code n} (from 1) may leave the connection open. */
  boolean keepsAliveAfter(long n) {
    return maxKeepAliveRequests <= 0 || n < maxKeepAliveRequests;
  }

  int eventLoopCount() {
    return eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
  }
}
