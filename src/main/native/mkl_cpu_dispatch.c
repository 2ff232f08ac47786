/*
 * Makes Intel MKL (linked statically into libtorch_cpu.so) choose its kernels by what the CPU can do, not by who made
 * it. MKL asks this function whether the CPU is Intel's; on any other vendor it answers 0 and MKL falls back to
 * generic kernels, even on CPUs with AVX2 and AVX-512 (an AMD EPYC ran our fp32 training step 1.5-2x slower that way).
 * Loaded with RTLD_GLOBAL before libtorch (io.prenas.supernet.MklCpuDispatch), this definition comes first in the
 * symbol lookup, so MKL's calls land here; MKL then still picks the code path from the CPU's feature flags.
 * Build: src/main/native/build.sh (writes src/main/resources/native/linux-x86_64/libprenas_mkl_cpu.so).
 */
int mkl_serv_intel_cpu_true(void) {
  return 1;
}
