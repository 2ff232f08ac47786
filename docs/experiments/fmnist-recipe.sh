# The Fashion-MNIST experiment's recipe (docs/results.md), sourced by docs/experiments/fashion-mnist.sh and
# docs/bench/bf16-accuracy.sh so that both select, train and evaluate the same way; each adds only its own options.
# Expects JAR (the jar to run) and OUT (the output folder); EPOCHS defaults to 5, DATA to Debian's Fashion-MNIST.
DATA=${DATA:-/usr/share/datasets/fashion-mnist}
SPACE=docs/spaces/fmnist-vit.yaml
export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
export MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1,lg_extent_max_active_fit:10   # jemalloc page decay off (README, "jemalloc")
run() { java -Xmx2g -jar "$JAR" "$@"; }

select_bins() { # out.json [select options: --top, --rank-by, ...]
  local out=$1; shift
  run select --space $SPACE --data-free --batch-size 64 --micro-batch 64 --seed 0 --bin-by params \
    --min 0.1 --max 0.7 --interval 0.15 --out "$out" "$@"
}

train_picks() { # name picks sampler [train options: --precision, ...]; picks: the X of $OUT/picks-X.json
  local name=$1 picks=$2 sampler=$3; shift 3
  run train --space $SPACE --preferred "$OUT/picks-$picks.json" --data "$DATA" --epochs "${EPOCHS:-5}" --batch 128 \
    --sampler "$sampler" --seed 0 --lr 2e-3 --warmup-epochs 0.5 --threads 1 --checkpoint-every 1000 \
    --out "$OUT/$name" "$@" > "$OUT/$name.train.log" 2>&1
}

eval_picks() { # name picks tag [eval options]: $OUT/name/results<tag>.json, the table in $OUT/name.eval<tag>.txt
  local name=$1 picks=$2 tag=$3; shift 3
  run eval --space $SPACE --weights "$OUT/$name/supernet.safetensors" --preferred "$OUT/picks-$picks.json" \
    --data "$DATA" --batch 256 --threads 1 --out "$OUT/$name/results$tag.json" "$@" \
    > "$OUT/$name.eval$tag.txt" 2> "$OUT/$name.eval$tag.log"
}
