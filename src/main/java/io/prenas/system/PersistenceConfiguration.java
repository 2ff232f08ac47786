package io.prenas.system;

import org.springframework.boot.autoconfigure.domain.EntityScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/**
 * Entities and repositories live in their feature packages ({@code catalog}, {@code job}, {@code storage}), not under
 * the application class's package, so they are scanned from the base package.
 */
@Configuration(proxyBeanMethods = false)
@EntityScan(basePackages = {"io.prenas.catalog", "io.prenas.job", "io.prenas.storage"})
@EnableJpaRepositories(basePackages = {"io.prenas.catalog", "io.prenas.job", "io.prenas.storage"})
class PersistenceConfiguration {}
