package io.prenas.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The write-rate limit: a burst, then the sustained rate, per client; reads pass; a 429 says when to retry. */
class WriteRateLimitFilterTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final AtomicLong nanos = new AtomicLong();
  private final WriteRateLimitFilter filter = new WriteRateLimitFilter(new WriteRateLimiter(60, 5, nanos::get));

  private MockHttpServletResponse send(String method, String key) throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest(method, "/api/v1/jobs");
    request.setRemoteAddr("192.0.2.7");
    if (key != null) {
      request.setAttribute(ApiKeyFilter.KEY_NAME_ATTRIBUTE, key);
    }
    MockHttpServletResponse response = new MockHttpServletResponse();
    filter.doFilter(request, response, new MockFilterChain());
    return response;
  }

  @Test
  void aClientGetsItsBurstThenTheSustainedRate() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(send("POST", "ci").getStatus()).as("write " + i).isEqualTo(200);
    }
    MockHttpServletResponse refused = send("POST", "ci");
    assertThat(refused.getStatus()).isEqualTo(429);
    assertThat(refused.getHeader("Retry-After")).isEqualTo("1"); // 60 a minute: one token a second
    assertThat(refused.getContentType()).startsWith("application/problem+json");
    JsonNode problem = JSON.readTree(refused.getContentAsString());
    assertThat(problem.path("status").asInt()).isEqualTo(429);
    assertThat(problem.path("detail").asText()).contains("prenas.rate-limit");

    nanos.addAndGet(1_000_000_000L); // one second: one more token
    assertThat(send("POST", "ci").getStatus()).isEqualTo(200);
    assertThat(send("POST", "ci").getStatus()).isEqualTo(429);
    nanos.addAndGet(60_000_000_000L); // a minute: the bucket is full again, not fuller
    for (int i = 0; i < 5; i++) {
      assertThat(send("DELETE", "ci").getStatus()).isEqualTo(200);
    }
    assertThat(send("PUT", "ci").getStatus()).isEqualTo(429);
  }

  @Test
  void readsAreNotLimitedAndClientsHaveTheirOwnBuckets() throws Exception {
    for (int i = 0; i < 5; i++) {
      send("POST", "a");
    }
    assertThat(send("POST", "a").getStatus()).isEqualTo(429);
    assertThat(send("GET", "a").getStatus()).isEqualTo(200);
    assertThat(send("HEAD", "a").getStatus()).isEqualTo(200);
    assertThat(send("POST", "b").getStatus()).isEqualTo(200);
    assertThat(send("POST", null).getStatus()).as("no key: the client is its address").isEqualTo(200);
  }

  @Test
  void idleFullBucketsAreDroppedPastTheClientBound() {
    WriteRateLimiter limiter = new WriteRateLimiter(60, 5, nanos::get);
    for (int i = 0; i <= WriteRateLimiter.MAX_CLIENTS; i++) {
      limiter.acquire("client-" + i);
    }
    nanos.addAndGet(10_000_000_000L); // every bucket refilled
    assertThat(limiter.acquire("one-more")).isZero();
    assertThat(limiter.clients()).isLessThanOrEqualTo(2);
  }
}
