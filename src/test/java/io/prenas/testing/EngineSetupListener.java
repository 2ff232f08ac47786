package io.prenas.testing;

import io.prenas.supernet.MklCpuDispatch;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Sets up the engine's native side once per test JVM, before any test starts libtorch, as {@code Main} does for the
 * jar: so the tests compute with the MKL kernels the server uses ({@link MklCpuDispatch}), and the parity fixtures
 * are checked against them. Registered in {@code META-INF/services}.
 */
public class EngineSetupListener implements LauncherSessionListener {

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    MklCpuDispatch.install();
  }
}
