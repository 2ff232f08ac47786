package io.prenas.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.prenas.security.ReadAccess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every connection of the serving port shares: the lookup and the remembered files it answers from, the read
 * rules, where the API port is, and the timer {@code prenas.serving.requests} of the answers it makes itself
 * (forwarded ones count in {@code http.server.requests} on the API port).
 */
final class ServingContext {

  static final String TIMER = "prenas.serving.requests";
  private static final Logger LOG = LoggerFactory.getLogger(ServingContext.class);

  private record TimerKey(String uri, int status) {}

  /** The Date header of the current second (formatting it per answer cost more than the lookup). */
  private record DateHeader(long second, String value) {}

  private final BestModelFastPath lookups;
  private final WeightsFiles files;
  private final ReadAccess access;
  private final InetSocketAddress api;
  /** The API's context path ({@code server.servlet.context-path}): "" or "/name". */
  private final String contextPath;
  private final Class<? extends SocketChannel> socketChannel;
  private final MeterRegistry meters;
  private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();
  /** The two timers of nearly every answer, looked up once. */
  private final Timer lookups200;
  private final Timer downloads200;
  /** Whether the answer to a connection's request number n (from 1) may leave it open (the request limit). */
  private final LongPredicate keepsAliveAfter;
  private volatile DateHeader date = new DateHeader(-1, "");

  ServingContext(BestModelFastPath lookups, WeightsFiles files, ReadAccess access, InetSocketAddress api,
      String contextPath, Class<? extends SocketChannel> socketChannel, MeterRegistry meters,
      LongPredicate keepsAliveAfter) {
    this.keepsAliveAfter = keepsAliveAfter;
    this.lookups = lookups;
    this.files = files;
    this.access = access;
    this.api = api;
    this.contextPath = contextPath;
    this.socketChannel = socketChannel;
    this.meters = meters;
    this.lookups200 = timer(new TimerKey(BestModelFastPath.PATH, 200));
    this.downloads200 = timer(new TimerKey(WeightsFastPath.PATTERN, 200));
  }

  BestModelFastPath lookups() {
    return lookups;
  }

  WeightsFiles files() {
    return files;
  }

  ReadAccess access() {
    return access;
  }

  /** Where the API port of this process listens (loopback unless it is bound to one address). */
  InetSocketAddress api() {
    return api;
  }

  /**
   * A request's path (undecoded, without its query) below the API's context path, as the API port's fast paths match
   * it: the path itself when there is no context path, null when the path is not under it. A path the container would
   * still map to the context (an escaped character in the context's name) gets null too: the API port answers it.
   */
  String pathInApi(String path) {
    if (contextPath.isEmpty()) {
      return path;
    }
    boolean under = path.startsWith(contextPath) && path.length() > contextPath.length()
        && path.charAt(contextPath.length()) == '/';
    return under ? path.substring(contextPath.length()) : null;
  }

  Class<? extends SocketChannel> socketChannel() {
    return socketChannel;
  }

  /**
   * Whether the connection stays open after answering its request number {@code n} (from 1): the client asked to keep
   * it, and the connection has not reached {@code prenas.serving.max-keep-alive-requests}.
   */
  boolean keepAlive(HttpRequest request, long n) {
    return HttpUtil.isKeepAlive(request) && keepsAliveAfter.test(n);
  }

  /** Writes a whole answer of the serving port's own, then times it and closes the connection if it must. */
  void answer(ChannelHandlerContext ctx, HttpRequest request, FullHttpResponse response, boolean keepAlive,
      String uri, long startedNanos) {
    headers(request, response, keepAlive);
    finish(ctx.writeAndFlush(response), keepAlive, uri, response.status().code(), startedNanos);
  }

  /** The headers every answer of the serving port's own carries: {@code Date}, and {@code Connection} as needed. */
  void headers(HttpRequest request, HttpResponse response, boolean keepAlive) {
    response.headers().set(HttpHeaderNames.DATE, date());
    connection(request, response, keepAlive);
  }

  /** The {@code Connection} header an answer needs: close, keep-alive for an HTTP/1.0 client, else none. */
  void connection(HttpRequest request, HttpResponse response, boolean keepAlive) {
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (!request.protocolVersion().isKeepAliveDefault()) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE); // an HTTP/1.0 client asked
    }
  }

  /** Once the answer's last byte is written: its time into the timer, and the close it asked for. */
  void finish(ChannelFuture written, boolean keepAlive, String uri, int status, long startedNanos) {
    Timer timer = status != 200 ? timer(new TimerKey(uri, status))
        : uri.equals(BestModelFastPath.PATH) ? lookups200
        : uri.equals(WeightsFastPath.PATTERN) ? downloads200 : timer(new TimerKey(uri, status));
    written.addListener((ChannelFutureListener) f -> {
      timer.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
      if (!keepAlive || !f.isSuccess()) {
        f.channel().close();
      }
    });
  }

  private Timer timer(TimerKey key) {
    return timers.computeIfAbsent(key, k -> Timer.builder(TIMER)
        .description("Answers the serving port made itself (budget lookups, whole-file weight downloads, refusals)")
        .tag("uri", k.uri()).tag("status", Integer.toString(k.status())).register(meters));
  }

  private String date() {
    long now = System.currentTimeMillis();
    DateHeader d = date;
    if (d.second() != now / 1000) {
      d = new DateHeader(now / 1000, DateFormatter.format(new Date(now)));
      date = d;
    }
    return d.value();
  }

  /** A connection failed: a client that went away is normal (debug), anything else is worth a warning. */
  static void connectionError(Throwable cause) {
    if (cause instanceof IOException) {
      LOG.debug("serving connection closed: {}", cause.toString());
    } else {
      LOG.warn("serving connection failed", cause);
    }
  }
}
