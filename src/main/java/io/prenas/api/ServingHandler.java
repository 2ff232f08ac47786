package io.prenas.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One connection of the serving port. Answers a successful budget lookup and a whole download of a remembered weights
 * file itself, with what the API port's fast paths ({@link BestModelFastPath}, {@link WeightsFastPath}) answer; gives
 * every other read to a {@link ServingForwarder} that relays it to the API port and its answer back; refuses writes.
 *
 * <p>Answers leave in the order the requests came (HTTP/1.1 pipelining): while a forwarded answer is on its way, the
 * requests behind it wait here, and the connection reads no more until it is through.
 */
final class ServingHandler extends ChannelInboundHandlerAdapter {

  private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
  private static final int MAX_INITIAL_LINE = ServingListener.MAX_INITIAL_LINE;

  private final ServingContext shared;
  /** Requests (and their bodies) that came while an answer was being forwarded. */
  private final ArrayDeque<Object> waiting = new ArrayDeque<>();
  private ServingForwarder forwarder;
  /** The current request's body parts still to come: forwarded when {@link #forwardingBody}, else dropped. */
  private boolean inBody;
  private boolean forwardingBody;
  /** A forwarded request whose answer is not through yet. */
  private boolean exchangeOpen;
  /** Requests this connection has made, the current one included. */
  private long requests;
  /** The current request's answer closes the connection: requests pipelined behind it are dropped. */
  private boolean closing;
  private long startedNanos;

  ServingHandler(ServingContext shared) {
    this.shared = shared;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (exchangeOpen && !(inBody && msg instanceof HttpContent)) {
      waiting.add(msg);
      ctx.channel().config().setAutoRead(false);
      return;
    }
    handle(ctx, msg);
  }

  private void handle(ChannelHandlerContext ctx, Object msg) {
    if (closing && !(inBody && msg instanceof HttpContent)) {
      ReferenceCountUtil.release(msg); // pipelined behind an answer that closes the connection: not answered
      return;
    }
    if (msg instanceof HttpRequest request) {
      inBody = !(msg instanceof LastHttpContent);
      forwardingBody = false;
      try {
        request(ctx, request);
      } finally {
        if (!forwardingBody) {
          ReferenceCountUtil.release(msg);
        }
      }
    } else if (msg instanceof HttpContent content) {
      inBody = !(msg instanceof LastHttpContent);
      if (forwardingBody) {
        forwarder.send(content);
      } else {
        content.release();
      }
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  private void request(ChannelHandlerContext ctx, HttpRequest request) {
    startedNanos = System.nanoTime();
    if (request.decoderResult().isFailure()) {
      malformed(ctx, request, request.decoderResult().cause());
      return;
    }
    boolean keepAlive = shared.keepAlive(request, ++requests);
    closing = !keepAlive;
    if (!READS.contains(request.method())) {
      shared.answer(ctx, request, ServingProblems.notARead(request), keepAlive, "other", startedNanos);
      return;
    }
    if (request.method() == HttpMethod.GET && shared.access().answerable(request.headers().get("X-API-Key"),
        request.headers().get(HttpHeaderNames.AUTHORIZATION), request.headers().get(HttpHeaderNames.ORIGIN))
        && answerFast(ctx, request, keepAlive)) {
      return;
    }
    forward(ctx, request, keepAlive);
  }

  /** The lookup's or the download's own answer, when it has one (else false and nothing written). */
  private boolean answerFast(ChannelHandlerContext ctx, HttpRequest request, boolean keepAlive) {
    String uri = request.uri();
    int q = uri.indexOf('?');
    String path = shared.pathInApi(q < 0 ? uri : uri.substring(0, q));
    if (path == null) {
      return false; // not under the API's context path: the API port says what it is
    }
    if (path.equals(BestModelFastPath.PATH)) {
      byte[] json = lookup(request, q < 0 ? "" : uri.substring(q + 1));
      if (json == null) {
        return false;
      }
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
          Unpooled.wrappedBuffer(json));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json").setInt(
          HttpHeaderNames.CONTENT_LENGTH, json.length);
      shared.answer(ctx, request, response, keepAlive, BestModelFastPath.PATH, startedNanos);
      return true;
    }
    if (path.startsWith("/api/v1/models/") && request.headers().get(HttpHeaderNames.RANGE) == null
        && request.headers().get(HttpHeaderNames.IF_NONE_MATCH) == null) {
      WeightsFiles.WeightsFile w = WeightsFastPath.remembered(shared.files(), path,
          q < 0 ? null : uri.substring(q + 1));
      return w != null && download(ctx, request, w, keepAlive);
    }
    return false;
  }

  private byte[] lookup(HttpRequest request, String query) {
    Map<String, List<String>> parameters;
    try {
      // As Tomcat reads a query: ';' is an ordinary character, and every parameter counts (a request line is at
      // most 8 KB, so at most about 4,000 of them); a repeat far down the line is still a repeat.
      parameters = new QueryStringDecoder(query, StandardCharsets.UTF_8, false, MAX_INITIAL_LINE, true).parameters();
    } catch (IllegalArgumentException e) {
      return null; // a malformed escape: the API port says what it makes of it
    }
    return shared.lookups().answer(name -> {
      List<String> values = parameters.get(name);
      return values == null ? null : values.toArray(String[]::new);
    }, request.headers().get(HttpHeaderNames.ACCEPT));
  }

  /** Sends the file with sendfile(2) where the transport has it; false (nothing sent) when it cannot be opened. */
  private boolean download(ChannelHandlerContext ctx, HttpRequest request, WeightsFiles.WeightsFile w,
      boolean keepAlive) {
    FileChannel file;
    long size;
    try {
      file = FileChannel.open(w.file().file(), StandardOpenOption.READ);
      size = file.size();
    } catch (IOException e) {
      return false; // gone or unreadable: the API port answers (and logs) it
    }
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    w.headers().forEach((name, values) -> response.headers().add(name, values));
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, size);
    shared.headers(request, response, keepAlive);
    cork(ctx, true);
    ctx.write(response);
    ctx.write(new DefaultFileRegion(file, 0, size));
    ChannelFuture written = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    written.addListener(f -> cork(ctx, false));
    shared.finish(written, keepAlive, WeightsFastPath.PATTERN, 200, startedNanos);
    return true;
  }

  /**
   * TCP_CORK around a download (epoll only), as nginx's {@code tcp_nopush}: the headers leave in the file's first
   * segment instead of a small one of their own, which the client would wake up for separately. With 4-8 clients
   * on two cores, the uncorked headers cost a fifth of the download rate (server and client CPU per download both
   * 1.3x nginx's); uncorking sends what is held at once.
   */
  private static void cork(ChannelHandlerContext ctx, boolean on) {
    if (ctx.channel() instanceof EpollSocketChannel epoll && epoll.isOpen()) {
      try {
        epoll.config().setTcpCork(on);
      } catch (ChannelException e) {
        ServingContext.connectionError(e); // closed meanwhile
      }
    }
  }

  private void forward(ChannelHandlerContext ctx, HttpRequest request, boolean keepAlive) {
    if (!keepAlive) {
      HttpUtil.setKeepAlive(request, false); // the forwarder closes the connection after the answer
    }
    if (forwarder == null) {
      forwarder = new ServingForwarder(ctx, shared, () -> exchangeDone(ctx));
    }
    exchangeOpen = true;
    forwardingBody = true;
    forwarder.send(request);
  }

  /** The forwarded answer is through: the waiting requests are next. */
  private void exchangeDone(ChannelHandlerContext ctx) {
    exchangeOpen = false;
    while (!exchangeOpen && !waiting.isEmpty()) {
      handle(ctx, waiting.poll());
    }
    if (!exchangeOpen && ctx.channel().isActive()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void malformed(ChannelHandlerContext ctx, HttpRequest request, Throwable cause) {
    HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
        : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
        : cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
        : HttpResponseStatus.BAD_REQUEST;
    // The decoder cannot go on after a failure: answer, then close.
    shared.answer(ctx, request, ServingProblems.malformed(request, status, cause), false, "other", startedNanos);
    waiting.forEach(ReferenceCountUtil::release);
    waiting.clear();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      if (!exchangeOpen) { // a forwarded request may take long on the API port (an ONNX file made at first download)
        ctx.close();
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    waiting.forEach(ReferenceCountUtil::release);
    waiting.clear();
    if (forwarder != null) {
      forwarder.close();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (forwarder != null) {
      forwarder.clientWritable(ctx.channel().isWritable());
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ServingContext.connectionError(cause);
    ctx.close();
  }
}
