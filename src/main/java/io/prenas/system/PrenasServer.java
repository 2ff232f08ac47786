package io.prenas.system;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring Boot application: the HTTP API and the job workers ({@code prenas.role}). Settings are bound to the
 * {@code @ConfigurationProperties} records next to the code that uses them ({@code *Properties}).
 */
@SpringBootApplication(scanBasePackages = "io.prenas")
@ConfigurationPropertiesScan("io.prenas")
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
