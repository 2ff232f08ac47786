#!/usr/bin/env python3
"""Ratios of docs/bench/side-by-side-train-step.sh's output: one markdown row per run, then per variant the step
medians' ratios to the reference of the same round and their median.

    python3 docs/bench/train_step_ratios.py OUTDIR T
"""
import glob
import json
import os
import statistics
import sys

outdir, threads = sys.argv[1], sys.argv[2]
rounds = sorted({int(os.path.basename(f).rsplit('-', 1)[1].split('.')[0])
                 for f in glob.glob(f'{outdir}/ref-{threads}-*.json')})
variants = ('fp32', 'fp32-mklvendor', 'bf16')
ratios = {}
print('| threads | round | run | step median ms | forward ms | backward ms | update ms | peak RSS MiB '
      '| step / reference |')
print('|---|---|---|---:|---:|---:|---:|---:|---:|')
for r in rounds:
    try:
        ref = json.load(open(f'{outdir}/ref-{threads}-{r}.json'))
    except (OSError, ValueError):
        continue  # a reference run that failed: no ratio for this round
    ref_ms = ref['median_step_s_excl_first'] * 1000
    print(f"| {threads} | {r} | reference fp32 | {ref_ms:,.0f} | {ref['median_fwd_s'] * 1000:,.0f} | "
          f"{ref['median_bwd_s'] * 1000:,.0f} | {ref['median_opt_s'] * 1000:,.0f} | {ref['peak_rss_mb']:,.0f} | 1.00 |")
    for v in variants:
        f = f'{outdir}/ours-{v}-{threads}-{r}.json'
        if not os.path.exists(f):
            continue
        o = json.load(open(f))
        ms = o['step']['medianMs']
        ratios.setdefault(v, []).append(ms / ref_ms)
        print(f"| {threads} | {r} | ours {v} | {ms:,.0f} | {o['forward']['medianMs']:,.0f} | "
              f"{o['backward']['medianMs']:,.0f} | {o['update']['medianMs']:,.0f} | {o['peakRssKib'] / 1024:,.0f} | "
              f"**{ms / ref_ms:.2f}** |")
print()
for v, rs in ratios.items():
    print(f"{v}: {' '.join(f'{x:.2f}' for x in rs)}; median {statistics.median(rs):.2f} over {len(rs)} rounds")
