package io.prenas.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks the API key of every request before Spring MVC sees it, and caps the size of request bodies that are read
 * into memory (JSON and YAML).
 *
 * <p>Every method other than GET, HEAD and OPTIONS needs a {@code write} key, on every path: deciding by method and
 * not by a list of endpoints means an endpoint added later cannot be left open by mistake. Reads under
 * {@code /api/} need a key only when {@code prenas.security.read-access=key}; {@code /actuator/prometheus} only when
 * {@code prenas.security.protect-metrics=true}. OPTIONS stays open: CORS preflights carry no credentials.
 *
 * <p>Bodies other than the supernet upload (octet-stream or multipart, which stream to disk under their own limit)
 * are read here up to the cap, so an oversized, chunked or lying-Content-Length body is answered 413 before a
 * parser buffers it.
 */
public final class ApiKeyFilter extends OncePerRequestFilter {

  /** Request attribute holding the name of the key a request was authenticated with. */
  public static final String KEY_NAME_ATTRIBUTE = "io.prenas.security.keyName";
  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
  private static final String CHALLENGE = "Bearer realm=\"prenas\"";
  private static final Pattern REPEATED_SLASHES = Pattern.compile("/{2,}");
  /** How much of an oversized body is read and dropped before its 413 (see {@link #drained}). */
  private static final long DRAIN_LIMIT = 64L << 20;

  private final ApiKeys keys;
  private final boolean enabled;
  private final boolean readNeedsKey;
  private final boolean protectMetrics;
  private final long maxBodyBytes;

  public ApiKeyFilter(ApiKeys keys, boolean enabled, boolean readNeedsKey, boolean protectMetrics,
      long maxBodyBytes) {
    this.keys = keys;
    this.enabled = enabled;
    this.readNeedsKey = readNeedsKey;
    this.protectMetrics = protectMetrics;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String method = request.getMethod().toUpperCase(Locale.ROOT);
    boolean safe = SAFE.contains(method);
    ApiKeys.Scope needed = safe ? (readProtected(path(request)) ? ApiKeys.Scope.READ : null) : ApiKeys.Scope.WRITE;
    if (enabled && needed != null) {
      Optional<String> presented = presentedKey(request);
      if (presented.isEmpty()) {
        unauthorized(response, request, CHALLENGE, "an API key is required: send 'Authorization: Bearer <key>' or "
            + "'X-API-Key: <key>'");
        return;
      }
      Optional<ApiKeys.Entry> key = keys.match(presented.get());
      if (key.isEmpty()) {
        unauthorized(response, request, CHALLENGE + ", error=\"invalid_token\"", "the API key is not valid");
        return;
      }
      if (!key.get().scope().allows(needed)) {
        Problems.write(response, request, 403, "Forbidden", "the API key '" + key.get().name() + "' has scope "
            + key.get().scope().configName() + "; this request needs " + needed.configName(), "Authorization");
        return;
      }
      request.setAttribute(KEY_NAME_ATTRIBUTE, key.get().name());
    }
    if (!safe && !streamedUpload(request)) {
      byte[] body = readCapped(request);
      if (body == null) {
        if (!drained(request)) {
          response.setHeader(HttpHeaders.CONNECTION, "close");
        }
        Problems.write(response, request, 413, "Request body too large", "the request body is larger than "
            + maxBodyBytes + " bytes (prenas.api.max-body-size)", "body");
        return;
      }
      chain.doFilter(new CachedBody(request, body), response);
      return;
    }
    chain.doFilter(request, response);
  }

  private boolean readProtected(String path) {
    if (path.startsWith("/api/") || path.equals("/api")) {
      return readNeedsKey;
    }
    return protectMetrics && (path.equals("/actuator/prometheus") || path.startsWith("/actuator/prometheus/"));
  }

  /** The decoded, normalised path (the servlet container's view, not the raw URI), with repeated slashes merged. */
  private static String path(HttpServletRequest request) {
    String p = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    return REPEATED_SLASHES.matcher(p).replaceAll("/");
  }

  static Optional<String> presentedKey(HttpServletRequest request) {
    return ApiKeys.presented(request.getHeader("X-API-Key"), request.getHeader(HttpHeaders.AUTHORIZATION));
  }

  private static void unauthorized(HttpServletResponse response, HttpServletRequest request, String challenge,
      String detail) throws IOException {
    response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge);
    Problems.write(response, request, 401, "Unauthorized", detail, "Authorization");
  }

  private static boolean streamedUpload(HttpServletRequest request) {
    String type = request.getContentType();
    if (type == null) {
      return false;
    }
    try {
      MediaType m = MediaType.parseMediaType(type);
      return MediaType.APPLICATION_OCTET_STREAM.equalsTypeAndSubtype(m)
          || MediaType.MULTIPART_FORM_DATA.equalsTypeAndSubtype(m);
    } catch (RuntimeException e) {
      return false; // an unparsable type is refused later by Spring MVC (415)
    }
  }

  /** The body, or {@code null} when it is larger than the cap (read no further than one byte past it). */
  private byte[] readCapped(HttpServletRequest request) throws IOException {
    if (request.getContentLengthLong() > maxBodyBytes) {
      return null;
    }
    // not closed: an oversized body's rest is still to be drained (a closed servlet stream reads no more)
    InputStream in = request.getInputStream();
    byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
    return body.length > maxBodyBytes ? null : body;
  }

  /**
   * Reads and drops what is left of an oversized body, up to {@link #DRAIN_LIMIT}; false when more is left. An HTTP
   * client sends the whole body before it reads the answer; a body left unread in the socket makes the close after the
   * 413 a reset, and a reset makes the client's kernel drop the 413 unread (the test suite saw this under load). Past
   * the limit the connection is closed anyway and such a client may see only the reset.
   */
  private static boolean drained(HttpServletRequest request) throws IOException {
    if (request.getContentLengthLong() > DRAIN_LIMIT) {
      return false;
    }
    long left = DRAIN_LIMIT;
    byte[] buffer = new byte[1 << 16];
    InputStream in = request.getInputStream();
    for (int n; (n = in.read(buffer)) >= 0; ) {
      left -= n;
      if (left < 0) {
        return false;
      }
    }
    return true;
  }

  /** The request with its body already read into memory. */
  private static final class CachedBody extends HttpServletRequestWrapper {

    private final byte[] body;

    CachedBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("the body is already in memory");
        }

        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      String enc = getCharacterEncoding();
      Charset cs = enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc);
      return new BufferedReader(new InputStreamReader(getInputStream(), cs));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
