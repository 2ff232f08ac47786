package io.prenas.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.prenas.security.ReadAccess;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * The serving port ({@code prenas.serving.port}, 8081 unless set): the two reads a client makes at volume, the budget
 * lookup and the weight download, answered on Netty event-loop threads instead of Tomcat's.
 *
 * <p>Why a second port: at 1,000 lookups/s on two cores, Tomcat's own work per request (its poller thread, the hand-off
 * to a worker thread and back, the servlet filters) was five times the lookup's and made the tail latency; a download
 * of a 0.9 MB file took 1.5x nginx's time on the same file. Here one thread reads a request, answers it and writes the
 * answer (a file by sendfile(2)) without a hand-off, as nginx does. The API port stays as it was, for everything.
 *
 * <p>What it answers itself is what the API port's fast paths answer, from the same code ({@link BestModelFastPath},
 * {@link WeightsFastPath}), when the read rules let the request through unchanged ({@link ReadAccess}). Every other
 * read goes to the API port through a {@link ServingForwarder} and comes back as the API port answers it; writes get
 * 405. Starts after the API port (it needs its port number) and stops before it.
 */
final class ServingListener implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(ServingListener.class);
  /**
   * Right after the phase of Spring Boot's web server start and stop ({@code WebServerStartStopLifecycle}:
   * {@code DEFAULT_PHASE - 2048}): started after the API port, stopped before it.
   */
  private static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048 + 1;
  static final int MAX_INITIAL_LINE = 8 * 1024;
  private static final int MAX_HEADERS = 8 * 1024; // as Tomcat's max-http-request-header-size
  private static final int MAX_CHUNK = 64 * 1024;

  private final ServingProperties properties;
  private final WebServerApplicationContext web;
  private final BestModelFastPath lookups;
  private final WeightsFiles files;
  private final ReadAccess access;
  private final MeterRegistry meters;
  private final InetAddress apiBindAddress;
  private EventLoopGroup loops;
  private Channel server;
  private volatile int port = -1;

  ServingListener(ServingProperties properties, WebServerApplicationContext web, InetAddress apiBindAddress,
      BestModelFastPath lookups, WeightsFiles files, ReadAccess access, MeterRegistry meters) {
    this.apiBindAddress = apiBindAddress;
    this.properties = properties;
    this.web = web;
    this.lookups = lookups;
    this.files = files;
    this.access = access;
    this.meters = meters;
  }

  /** The port it listens on (the one taken when configured 0), or -1 while stopped. */
  int port() {
    return port;
  }

  @Override
  public synchronized void start() {
    if (server != null) {
      return;
    }
    boolean epoll = Epoll.isAvailable();
    Class<? extends SocketChannel> socketChannel = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    ServingContext shared = new ServingContext(lookups, files, access, apiAddress(), contextPath(), socketChannel,
        meters, properties::keepsAliveAfter);
    DefaultThreadFactory threads = new DefaultThreadFactory("serving", true);
    loops = epoll ? new EpollEventLoopGroup(properties.eventLoopCount(), threads)
        : new NioEventLoopGroup(properties.eventLoopCount(), threads);
    long idle = properties.idleTimeout().toMillis();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(loops)
        .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(
                new IdleStateHandler(true, 0, 0, idle, TimeUnit.MILLISECONDS),
                new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADERS, MAX_CHUNK),
                new HttpServerExpectContinueHandler(),
                new ServingHandler(shared));
          }
        });
    InetSocketAddress address = properties.address() == null || properties.address().isBlank()
        ? new InetSocketAddress(properties.port()) : new InetSocketAddress(properties.address(), properties.port());
    try {
      server = bootstrap.bind(address).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      loops = null;
      throw new IllegalStateException("the serving port cannot listen on " + address + " (prenas.serving.port, "
          + "-1 turns it off): " + e.getMessage(), e);
    }
    port = ((InetSocketAddress) server.localAddress()).getPort();
    LOG.info("Serving port {}: budget lookups and weight downloads ({} event loops, {}); other reads forwarded to "
        + "{}", port, properties.eventLoopCount(), epoll ? "epoll" : "NIO", shared.api());
  }

  /** The API port's address: loopback, unless {@code server.address} binds it to one address (then that one). */
  private InetSocketAddress apiAddress() {
    int apiPort = web.getWebServer().getPort();
    InetAddress host = apiBindAddress == null || apiBindAddress.isAnyLocalAddress()
        ? InetAddress.getLoopbackAddress() : apiBindAddress;
    return new InetSocketAddress(host, apiPort);
  }

  /**
   * The API's context path ({@code server.servlet.context-path}) as the servlet container applies it: "" or "/name".
   * The serving port answers the lookup and downloads under it, as the API port does.
   */
  private String contextPath() {
    return web instanceof ServletWebServerApplicationContext servlet && servlet.getServletContext() != null
        ? servlet.getServletContext().getContextPath() : "";
  }

  @Override
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    server.close().syncUninterruptibly();
    // Answers on their way get a moment to finish; open keep-alive connections are then closed.
    loops.shutdownGracefully(100, 5_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    server = null;
    loops = null;
    port = -1;
  }

  @Override
  public synchronized boolean isRunning() {
    return server != null;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
