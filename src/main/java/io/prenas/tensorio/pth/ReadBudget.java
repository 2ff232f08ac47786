package io.prenas.tensorio.pth;

/**
 * How many bytes a read may decode in all (storage bytes and float32 output), so that a small file that declares
 * huge storages, views one storage many times or inflates like a zip bomb fails early instead of exhausting memory.
 */
final class ReadBudget {

  private final String source;
  private final long limit;
  private long used;

  ReadBudget(String source, long limit) {
    this.source = source;
    this.limit = limit;
  }

  void take(long bytes, String what) throws PthException {
    if (bytes < 0 || bytes > limit - used) {
      throw new PthException(source + ": " + what + " needs " + bytes + " bytes, beyond the limit of " + limit
          + " bytes decoded from this file (" + used + " used); a genuine checkpoint stays far below it");
    }
    used += bytes;
  }
}
