package io.prenas.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code prenas.dashboard.*}: JobRunr's dashboard on a worker ({@link RoleEnvironmentPostProcessor} decides whether
 * it runs at all).
 *
 * @param port its own HTTP port
 * @param address the address it binds: loopback by default, so that switching it on opens nothing to the network;
 *     any other address (e.g. {@code 0.0.0.0} in a container whose port is published) makes it ask for a write
 *     API key
 */
@ConfigurationProperties("prenas.dashboard")
record DashboardProperties(@DefaultValue("8000") int port, @DefaultValue("127.0.0.1") String address) {}
