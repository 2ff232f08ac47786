package io.prenas.supernet;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * Device names at the package boundary ({@code "cpu"}, {@code "gpu"}, {@code "gpu1"}; null or blank = the
 * engine's default device), so that callers outside the engine never handle DJL types.
 */
public final class Devices {

  private Devices() {}

  public static Device parse(String name) {
    if (name == null || name.isBlank()) {
      return Engine.getInstance().defaultDevice();
    }
    try {
      return Device.fromName(name.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown device '" + name + "' (use cpu, gpu or gpu<N>)", e);
    }
  }
}
