#!/usr/bin/env bash
# Zero-cost selection side by side (docs/bench/selector.md): the reference PreNAS (fp32), then ours with the gradient
# pass in fp32 and in bf16, R rounds at T threads, in the configuration the README, Dockerfile and chart recommend
# (jemalloc with page decay off, -Xmx1g). The reference is set up outside the repository by ../shared/peer/setup.sh
# into $PEER.
#
#   PEER=/scratch/peer PEER_SCRIPTS=../shared/peer docs/bench/side-by-side-select.sh target/prenas.jar out 1 3
set -u
JAR=$1; OUTDIR=$2; T=${3:-1}; R=${4:-3}
PEER=${PEER:?PEER must name the folder setup.sh prepared}
PEER_SCRIPTS=$(cd "${PEER_SCRIPTS:?PEER_SCRIPTS must name the folder with ref_select.py}" && pwd)
mkdir -p "$OUTDIR"; OUTDIR=$(cd "$OUTDIR" && pwd)
for r in $(seq 1 $R); do
  echo "$(date +%T) round $r ref T=$T load: $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUTDIR/log
  (cd "$PEER/PreNAS" && OPENBLAS_NUM_THREADS=$T OMP_NUM_THREADS=$T /usr/bin/time -f "%e s %M KB" \
    -o "$OUTDIR/ref-$T-$r.time" /usr/bin/python3 "$PEER_SCRIPTS/ref_select.py" "$PEER/PreNAS" --threads $T \
    > "$OUTDIR/ref-$T-$r.out" 2>&1)
  for p in fp32 bf16; do
    echo "$(date +%T) round $r ours-$p T=$T load: $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUTDIR/log
    LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1,lg_extent_max_active_fit:10 \
      /usr/bin/time -f "%e s %M KB" -o $OUTDIR/ours-$p-$T-$r.time java -Xmx1g -Dai.djl.pytorch.num_threads=$T \
      -jar $JAR bench select --space autoformer-tiny --batch-size 64 --threads $T --precision $p \
      --out $OUTDIR/ours-$p-$T-$r.json > $OUTDIR/ours-$p-$T-$r.out 2>&1
  done
done
echo "$(date +%T) end load: $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUTDIR/log
# Ratios: python3 docs/bench/select_ratios.py $OUTDIR $T
