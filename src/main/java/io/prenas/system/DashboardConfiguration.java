package io.prenas.system;

import io.prenas.security.ApiKeys;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The JobRunr dashboard ({@link DashboardServer}) when {@link RoleEnvironmentPostProcessor} switched it on. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = RoleEnvironmentPostProcessor.DASHBOARD_ACTIVE, havingValue = "true")
class DashboardConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(DashboardConfiguration.class);

  @Bean
  DashboardServer dashboardServer(StorageProvider storage, JsonMapper json, DashboardProperties dashboard,
      ApiKeys keys, @Value("${prenas.security.enabled:true}") boolean securityEnabled) {
    InetAddress address = resolve(dashboard.address());
    boolean askKey = securityEnabled && DashboardServer.needsKey(address);
    if (!securityEnabled && DashboardServer.needsKey(address)) {
      LOG.warn("prenas.security.enabled=false: the JobRunr dashboard on {} is open to anyone who reaches it",
          dashboard.address());
    }
    return new DashboardServer(storage, json, new InetSocketAddress(address, dashboard.port()),
        askKey ? keys : null);
  }

  private static InetAddress resolve(String address) {
    try {
      return InetAddress.getByName(address.strip());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("prenas.dashboard.address: '" + address + "' is not an address of this "
          + "host", e);
    }
  }
}
