package io.prenas.supernet;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Arrays;
import java.util.List;

/**
 * What the PyTorch engine runs on, as plain values. Reading it starts the engine, which is also how a container
 * build unpacks the native library into {@code DJL_CACHE_DIR} ahead of time (the running container then needs no
 * network and no writable cache).
 *
 * @param engine engine name ({@code PyTorch})
 * @param version engine (libtorch) version
 * @param defaultDevice device used when none is configured ({@code cpu()}, {@code gpu(0)})
 * @param gpus number of visible GPUs
 * @param devices all devices the engine can use
 */
public record EngineInfo(String engine, String version, String defaultDevice, int gpus, List<String> devices) {

  /** Starts the engine if needed and describes it. */
  public static EngineInfo current() {
    Engine engine = Engine.getInstance();
    List<String> devices = Arrays.stream(engine.getDevices()).map(Device::toString).toList();
    return new EngineInfo(engine.getEngineName(), engine.getVersion(), engine.defaultDevice().toString(),
        engine.getGpuCount(), devices);
  }
}
