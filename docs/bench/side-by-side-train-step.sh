#!/usr/bin/env bash
# Train step side by side (docs/bench/train-step.md): the reference PreNAS in fp32, ours in fp32 and ours in bf16,
# alternated, R rounds at T threads, in the configuration the README, Dockerfile and chart recommend (jemalloc with
# page decay off). The reference is set up outside the repository by ../shared/peer/setup.sh into $PEER.
#
#   PEER=/scratch/peer PEER_SCRIPTS=../shared/peer docs/bench/side-by-side-train-step.sh target/prenas.jar out 1 2
set -u
JAR=$1; OUTDIR=$2; T=${3:-1}; R=${4:-2}
PEER=${PEER:?PEER must name the folder setup.sh prepared}
PEER_SCRIPTS=${PEER_SCRIPTS:?PEER_SCRIPTS must name the folder with ref_train_step.py}
mkdir -p "$OUTDIR"
for r in $(seq 1 $R); do
  echo "$(date +%T) round $r ref T=$T load: $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUTDIR/log
  OPENBLAS_NUM_THREADS=$T OMP_NUM_THREADS=$T /usr/bin/time -f "%e s %M KB" /usr/bin/python3 "$PEER_SCRIPTS/ref_train_step.py" "$PEER/PreNAS" 6 --threads $T > $OUTDIR/ref-$T-$r.json 2> $OUTDIR/ref-$T-$r.err
  # fp32-mklvendor: fp32 with MKL's own vendor check (its generic kernels on a CPU that is not Intel's), for the
  # before/after of the MKL CPU-dispatch shim (README "MKL on AMD CPUs")
  for v in fp32 fp32-mklvendor bf16; do
    p=${v%%-*}; extra=; [ "$v" = fp32-mklvendor ] && extra=-Dprenas.mkl.cpu-dispatch=vendor
    echo "$(date +%T) round $r ours-$v T=$T load: $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUTDIR/log
    LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1,lg_extent_max_active_fit:10 \
      /usr/bin/time -f "%e s %M KB" java -Xmx1g -Xmn64m $extra -jar $JAR bench train-step --space autoformer-tiny \
      --batch 8 --steps 5 --threads $T --precision $p --out $OUTDIR/ours-$v-$T-$r.json > $OUTDIR/ours-$v-$T-$r.out 2>&1
  done
done
echo "$(date +%T) end load: $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUTDIR/log
# Ratios: python3 docs/bench/train_step_ratios.py $OUTDIR $T
