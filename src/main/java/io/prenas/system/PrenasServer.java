package io.prenas.system;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The Spring Boot application: HTTP API and (later) job workers. */
@SpringBootApplication(scanBasePackages = "io.prenas")
public class PrenasServer {

  private static volatile ConfigurableApplicationContext context;

  public static void start(String[] args) {
    context = SpringApplication.run(PrenasServer.class, args);
  }

  /** True once {@link #start} has brought the server up (the CLI must then not exit the JVM). */
  public static boolean isRunning() {
    ConfigurableApplicationContext c = context;
    return c != null && c.isActive();
  }
}
