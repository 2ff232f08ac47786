#!/usr/bin/env bash
# The PreNAS experiment on Fashion-MNIST (docs/results.md): selector picks trained with the balanced sampler,
# against the same picks trained with the redundant (whole-space) sampler, and against the largest and random
# architecture per bin. Same seed, steps and recipe everywhere. Two runs at a time with one compute thread each.
#
#   apt-get install dataset-fashion-mnist libjemalloc2 && ./mvnw -q package -DskipTests
#   docs/experiments/fashion-mnist.sh [out-dir] [epochs]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-target/fmnist}
EPOCHS=${2:-5}
DATA=/usr/share/datasets/fashion-mnist
SPACE=docs/spaces/fmnist-vit.yaml
JAR=$OUT/prenas.jar
mkdir -p "$OUT"
cp target/prenas.jar "$JAR"   # a copy, so a rebuild cannot pull the jar from under a running job
export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
export MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1,lg_extent_max_active_fit:10   # jemalloc page decay off (README, "jemalloc")
run() { java -Xmx2g -jar "$JAR" "$@"; }

for rank in score params random; do
  run select --space $SPACE --data-free --batch-size 64 --micro-batch 64 --seed 0 --bin-by params \
    --min 0.1 --max 0.7 --interval 0.15 --top 1 --rank-by $rank --out "$OUT/picks-$rank.json"
done

train_eval() { # name picks sampler
  run train --space $SPACE --preferred "$OUT/picks-$2.json" --data $DATA --epochs "$EPOCHS" --batch 128 \
    --sampler "$3" --seed 0 --lr 2e-3 --warmup-epochs 0.5 --threads 1 --checkpoint-every 1000 \
    --out "$OUT/$1" > "$OUT/$1.train.log" 2>&1
  run eval --space $SPACE --weights "$OUT/$1/supernet.safetensors" --preferred "$OUT/picks-$2.json" \
    --data $DATA --batch 256 --threads 1 --out "$OUT/$1/results.json" > "$OUT/$1.eval.txt" 2>"$OUT/$1.eval.log"
}

train_eval preferred-balanced score balanced &
train_eval preferred-redundant score redundant &
wait
train_eval largest-balanced params balanced &
train_eval random-balanced random balanced &
wait
for r in preferred-balanced preferred-redundant largest-balanced random-balanced; do
  echo "== $r"; cat "$OUT/$r.eval.txt"
done

# Proxy quality (paper Appendix A): every isomer representative of the bins, scored by the selector and measured on
# the supernet trained with the redundant sampler (it trained every architecture of the space), on 2,000 test images.
run select --space $SPACE --data-free --batch-size 64 --micro-batch 64 --seed 0 --bin-by params \
  --min 0.1 --max 0.7 --interval 0.15 --top 1000 --out "$OUT/all-candidates.json" > /dev/null
run eval --space $SPACE --weights "$OUT/preferred-redundant/supernet.safetensors" --preferred "$OUT/all-candidates.json" \
  --data $DATA --limit 2000 --batch 500 --threads 1 --out "$OUT/all-candidates.results.json" > /dev/null 2>&1
run proxy-quality --scores "$OUT/all-candidates.json" --results "$OUT/all-candidates.results.json"
