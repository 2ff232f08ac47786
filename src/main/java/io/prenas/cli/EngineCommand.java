package io.prenas.cli;

import io.prenas.supernet.EngineInfo;
import io.prenas.supernet.MklCpuDispatch;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code engine}: starts the compute engine and prints what it runs on. Starting it unpacks the native library into
 * {@code DJL_CACHE_DIR}; the container build runs this so that the image ships the unpacked library.
 */
@Command(name = "engine", mixinStandardHelpOptions = true,
    description = "Start the compute engine and print its name, version and devices.")
final class EngineCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    EngineInfo info = EngineInfo.current();
    PrintWriter out = spec.commandLine().getOut();
    out.println("engine:  " + info.engine() + " " + info.version());
    out.println("default: " + info.defaultDevice());
    out.println("gpus:    " + info.gpus());
    out.println("devices: " + String.join(", ", info.devices()));
    out.println("mkl:     " + MklCpuDispatch.state());
    out.flush();
  }
}
