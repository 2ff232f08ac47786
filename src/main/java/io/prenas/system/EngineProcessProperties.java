package io.prenas.system;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code prenas.worker.child.*}: the engine process of a job, where {@code prenas.worker.isolation} is
 * {@code process} (the default on role {@code all}).
 *
 * @param heap its Java heap ({@code -Xmx}); unset: a quarter of the machine's or container's memory, as the JVM's own
 *     default
 * @param nativeMemory the memory it may map beyond its heap, mostly the engine's tensors; unset: the worker's memory
 *     budget ({@code prenas.worker.memory-budget}, the same figure admission checks jobs against)
 * @param addressSpaceReserve address space the JVM and libtorch reserve without using it (code cache, class space,
 *     thread stacks, the shared libraries, malloc arenas): the process's address space (RLIMIT_AS) is limited to
 *     heap + native memory + this reserve. 0 turns the limit off (then only the kernel stops a runaway job)
 * @param youngGeneration the heap's young generation ({@code -Xmn}, at most half the heap): a training step makes a
 *     few MB of short-lived Java objects, and with the JVM's own sizing the young generation grows towards 60% of the
 *     heap, touching new pages for minutes, so resident memory rose for 150 steps before it levelled; a fixed small
 *     one is resident after the first few steps and reused (docs/bench/train-step.md, RSS over 200 steps)
 * @param cancelGrace how long a cancelled job's engine process may take to stop by itself (a training writes its
 *     checkpoint first) before it is terminated, and killed 5 s after that
 */
@ConfigurationProperties("prenas.worker.child")
public record EngineProcessProperties(DataSize heap, DataSize nativeMemory,
    @DefaultValue("3GB") DataSize addressSpaceReserve,
    @DefaultValue("30s") Duration cancelGrace,
    @DefaultValue("64MB") DataSize youngGeneration) {}
