package io.prenas.api;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Relays the reads that the serving port does not answer itself to the API port of this process, and their
 * answers back, so that every read answers on the serving port exactly as on the API port: problem details, ranges,
 * conditional requests, the first download of a file, every other endpoint. One connection to the API port per client
 * connection, on the client connection's own event loop (no thread hand-off), opened at its first forwarded request
 * and kept while both sides keep theirs.
 *
 * <p>Flow control both ways: a client that reads slowly stops the reading from the API port; an API port that takes
 * a request body slowly stops the reading from the client.
 */
final class ServingForwarder {

  private static final int API_IDLE_SECONDS = 30;

  private final ChannelHandlerContext client;
  private final ServingContext shared;
  private final Runnable exchangeDone;
  /** Request parts written before the connection to the API port was up. */
  private final List<HttpObject> pending = new ArrayList<>();
  private Channel api;
  private boolean connected;
  private HttpRequest current;
  /** The client's connection stays open after this answer (its request said so). */
  private boolean keepAlive;
  /** The API port's connection stays open after this answer (its answer said so). */
  private boolean apiKeepAlive;
  private boolean answerStarted;

  ServingForwarder(ChannelHandlerContext client, ServingContext shared, Runnable exchangeDone) {
    this.client = client;
    this.shared = shared;
    this.exchangeDone = exchangeDone;
  }

  /** A request or a part of its body; takes ownership of {@code part}. */
  void send(HttpObject part) {
    if (part instanceof HttpRequest request) {
      current = request;
      keepAlive = HttpUtil.isKeepAlive(request);
      answerStarted = false;
      ownConnection(request.headers());
      HttpUtil.setKeepAlive(request, true); // our connection to the API port, kept (HTTP/1.0 says so explicitly)
      if (api != null && connected && !api.isActive()) {
        api = null; // closed by the API port between requests, its close not yet seen here
        connected = false;
      }
      if (api == null) {
        connect();
      }
    }
    if (!connected) {
      pending.add(part);
      return;
    }
    write(part);
  }

  /**
   * Drops the request's hop-by-hop headers: they are about the client's connection, and the connection to the API
   * port is the serving port's (no upgrade to HTTP/2, kept open between requests).
   */
  private static void ownConnection(HttpHeaders headers) {
    for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : value.split(",")) {
        if (!token.isBlank()) {
          headers.remove(token.strip());
        }
      }
    }
    headers.remove(HttpHeaderNames.CONNECTION).remove(HttpHeaderNames.KEEP_ALIVE).remove(HttpHeaderNames.UPGRADE)
        .remove(HttpHeaderNames.PROXY_CONNECTION).remove(HttpHeaderNames.TE).remove("HTTP2-Settings");
  }

  private void write(HttpObject part) {
    api.writeAndFlush(part).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    if (!api.isWritable()) {
      client.channel().config().setAutoRead(false); // resumed by the API connection's writability change
    }
  }

  private void connect() {
    ChannelFuture f = new Bootstrap()
        .group(client.channel().eventLoop())
        .channel(shared.socketChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            // Closed after 30 s unused, before the API port's keep-alive timeout (60 s) could close it while a
            // request is on its way.
            ch.pipeline().addLast(new IdleStateHandler(true, 0, 0, API_IDLE_SECONDS, TimeUnit.SECONDS),
                new HttpClientCodec(4096, 64 * 1024, 64 * 1024), new Relay());
          }
        })
        .connect(shared.api());
    api = f.channel();
    f.addListener((ChannelFutureListener) done -> {
      if (done.channel() != api) {
        return; // closed and replaced meanwhile
      }
      if (done.isSuccess()) {
        connected = true;
        pending.forEach(this::write);
        pending.clear();
      } else {
        unreachable();
      }
    });
  }

  /** The API port cannot be reached or closed before answering: 502 for the request, which is through. */
  private void unreachable() {
    pending.forEach(ReferenceCountUtil::release);
    pending.clear();
    api = null;
    connected = false;
    if (current != null && !answerStarted) {
      HttpRequest request = current;
      current = null;
      shared.answer(client, request, ServingProblems.apiUnreachable(request), false, "other", System.nanoTime());
    }
  }

  void clientWritable(boolean writable) {
    if (api != null) {
      api.config().setAutoRead(writable);
    }
  }

  void close() {
    pending.forEach(ReferenceCountUtil::release);
    pending.clear();
    if (api != null) {
      api.close();
    }
  }

  /** The API connection's end: its answer parts to the client, in order, as they come. */
  private final class Relay extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpResponse response) {
        if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
          ReferenceCountUtil.release(msg); // 100 Continue: the serving port's own codec has answered it
          return;
        }
        answerStarted = true;
        apiKeepAlive = HttpUtil.isKeepAlive(response);
        response.headers().remove(HttpHeaderNames.CONNECTION).remove(HttpHeaderNames.KEEP_ALIVE);
        if (current != null) {
          shared.connection(current, response, keepAlive);
        }
      }
      if (current == null) {
        ReferenceCountUtil.release(msg); // nothing was asked (cannot happen with a well-behaved API port)
        return;
      }
      if (msg instanceof LastHttpContent) {
        current = null;
        if (!apiKeepAlive) {
          api = null; // the API port closes it: the next request gets a new one
          connected = false;
          ctx.close();
        }
        ChannelFuture written = client.writeAndFlush(msg);
        if (keepAlive) {
          exchangeDone.run();
        } else {
          written.addListener(ChannelFutureListener.CLOSE);
        }
        return;
      }
      client.write(msg);
      if (!client.channel().isWritable()) {
        ctx.channel().config().setAutoRead(false); // resumed by clientWritable
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      client.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable()) {
        client.channel().config().setAutoRead(true);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (ctx.channel() != api) {
        return;
      }
      if (current != null && answerStarted) {
        client.close(); // the answer was cut off: the client must not take it as whole
        api = null;
        connected = false;
        return;
      }
      unreachable();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof IdleStateEvent && current == null) {
        ctx.close();
        return;
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ServingContext.connectionError(cause);
      ctx.close();
    }
  }
}
