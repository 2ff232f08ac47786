package io.prenas.system;

import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code prenas.role}: {@code api} (HTTP only), {@code worker} (runs jobs) or {@code all} (both). The value is checked
 * and turned into JobRunr's switches before the context starts ({@link RoleEnvironmentPostProcessor}); beans read it
 * from here.
 */
@ConfigurationProperties("prenas")
public record RoleProperties(@DefaultValue("all") String role) {

  public RoleProperties {
    role = role == null ? "all" : role.strip().toLowerCase(Locale.ROOT);
  }

  /** False on role {@code api}: this process runs no jobs. */
  public boolean runsJobs() {
    return !role.equals("api");
  }
}
