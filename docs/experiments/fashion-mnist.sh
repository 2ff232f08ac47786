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
JAR=$OUT/prenas.jar
mkdir -p "$OUT"
cp target/prenas.jar "$JAR"   # a copy, so a rebuild cannot pull the jar from under a running job
source docs/experiments/fmnist-recipe.sh   # SPACE, DATA, the allocator, run, select_bins, train_picks, eval_picks

for rank in score params random; do
  select_bins "$OUT/picks-$rank.json" --top 1 --rank-by $rank
done

train_eval() { # name picks sampler
  train_picks "$1" "$2" "$3"
  eval_picks "$1" "$2" ""
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
select_bins "$OUT/all-candidates.json" --top 1000 > /dev/null
run eval --space $SPACE --weights "$OUT/preferred-redundant/supernet.safetensors" --preferred "$OUT/all-candidates.json" \
  --data $DATA --limit 2000 --batch 500 --threads 1 --out "$OUT/all-candidates.results.json" > /dev/null 2>&1
run proxy-quality --scores "$OUT/all-candidates.json" --results "$OUT/all-candidates.results.json"
