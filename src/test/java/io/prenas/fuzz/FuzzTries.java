package io.prenas.fuzz;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * The number of tries of every fuzz property: the {@code tries} written on the property (sized so that all of them
 * together stay well under a minute on two cores), or {@code -Dprenas.fuzz.tries=N} for a longer run
 * ({@code ./mvnw test -Dtest='*FuzzTest' -Dprenas.fuzz.tries=100000}).
 */
public final class FuzzTries implements AroundPropertyHook {

  public static final String PROPERTY = "prenas.fuzz.tries";

  @Override
  public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
    Integer tries = Integer.getInteger(PROPERTY);
    if (tries != null && tries > 0) {
      context.attributes().setTries(tries);
    }
    return property.execute();
  }
}
