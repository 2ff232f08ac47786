package io.prenas.system;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import io.prenas.security.ApiKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jobrunr.dashboard.JobRunrApiHandler;
import org.jobrunr.dashboard.JobRunrSseHandler;
import org.jobrunr.dashboard.JobRunrStaticFileHandler;
import org.jobrunr.dashboard.server.HttpExchangeHandler;
import org.jobrunr.dashboard.server.http.RedirectHttpHandler;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.ThreadSafeStorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * JobRunr's dashboard, served on an address we choose. JobRunr's own dashboard server binds every interface (it has
 * a port setting but no address) and can only be protected by one fixed user and password, so it stays off
 * ({@link RoleEnvironmentPostProcessor}) and its handlers — the same pages, API and event stream — are served here
 * instead: on {@code prenas.dashboard.address}, and, unless that is a loopback address, only to requests that carry
 * a write API key ({@link DashboardKeyCheck}).
 */
final class DashboardServer implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);

  private final StorageProvider storage;
  private final JsonMapper json;
  private final InetSocketAddress address;
  private final DashboardKeyCheck keyCheck;
  private final List<HttpExchangeHandler> handlers = new ArrayList<>();
  private HttpServer server;
  private ExecutorService executor;

  /** {@code keys} null: no key is asked for (loopback, or security switched off). */
  DashboardServer(StorageProvider storage, JsonMapper json, InetSocketAddress address, ApiKeys keys) {
    this.storage = new ThreadSafeStorageProvider(storage);
    this.json = json;
    this.address = address;
    this.keyCheck = keys == null ? null : new DashboardKeyCheck(keys);
  }

  /** Whether a dashboard bound to {@code address} must ask for a key: anything but loopback is reachable. */
  static boolean needsKey(InetAddress address) {
    return !address.isLoopbackAddress();
  }

  @Override
  public synchronized void start() {
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("the JobRunr dashboard cannot listen on " + address
          + " (prenas.dashboard.address, prenas.dashboard.port)", e);
    }
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    register(new RedirectHttpHandler("/", "/dashboard"));
    register(new JobRunrStaticFileHandler());
    // false: the dashboard sends no anonymous usage data to JobRunr's servers.
    register(new JobRunrApiHandler(storage, json, false));
    register(new JobRunrSseHandler(storage, json));
    server.start();
    LOG.info("JobRunr dashboard at http://{}:{}/dashboard ({})", address.getHostString(),
        server.getAddress().getPort(), keyCheck == null ? "no key asked: loopback only or security off"
            : "a write API key is asked for");
  }

  private void register(HttpExchangeHandler handler) {
    HttpContext context = server.createContext(handler.getContextPath(), handler);
    if (keyCheck != null) {
      context.setAuthenticator(keyCheck);
    }
    handlers.add(handler);
  }

  @Override
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    handlers.forEach(DashboardServer::closeQuietly);
    handlers.clear();
    server.stop(0);
    executor.shutdownNow();
    server = null;
  }

  private static void closeQuietly(HttpExchangeHandler handler) {
    try {
      handler.close();
    } catch (RuntimeException e) {
      LOG.warn("closing a dashboard handler failed", e);
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return server != null;
  }

  /** The port it listens on (the configured one, or the one the system chose for port 0). */
  synchronized int port() {
    return server.getAddress().getPort();
  }
}
