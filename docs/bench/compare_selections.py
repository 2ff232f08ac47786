"""Compares preferred files of two selections of the same space and bins, pair by pair (A B A B ...): per bin,
whether the top pick is the same, the overlap of the top five, Spearman's rank correlation over the candidates both
built, the largest relative score difference of a candidate, and A's gap between its first and second pick.

The candidate set itself can differ: a candidate is one representative per isomer group, placed by the per-layer
scores (spec 4.3), so a near tie between two layers' scores can place a group's representative differently.

    python3 docs/bench/compare_selections.py fp32.json bf16.json [fp32-2.json bf16-2.json ...]
"""
import json
import sys


def key(arch):
    return json.dumps({k: arch[k] for k in ('layer_num', 'mlp_ratio', 'num_heads', 'embed_dim')}, sort_keys=True)


print('| files | bin | candidates | built by one only | same top pick | top-5 overlap | Spearman | largest relative '
      'score difference | first-to-second gap of A |')
print('|---|---|---:|---:|---|---:|---:|---:|---:|')
same_top = total = 0
for fa, fb in zip(sys.argv[1::2], sys.argv[2::2]):
    a, b = json.load(open(fa)), json.load(open(fb))
    for binkey in a:
        la = [key(x) for x in a[binkey]]
        lb = [key(x) for x in b.get(binkey, [])]
        score_a = {key(x): x['score'] for x in a[binkey]}
        score_b = {key(x): x['score'] for x in b.get(binkey, [])}
        common = [k for k in la if k in score_b]
        rank_a = {k: i for i, k in enumerate(sorted(common, key=la.index))}
        rank_b = {k: i for i, k in enumerate(sorted(common, key=lb.index))}
        n = len(common)
        d2 = sum((rank_a[k] - rank_b[k]) ** 2 for k in common)
        rho = 1 - 6 * d2 / (n * (n * n - 1)) if n > 2 else float('nan')
        rel = max((abs(score_a[k] - score_b[k]) / abs(score_a[k]) for k in common), default=float('nan'))
        gap = (a[binkey][0]['score'] - a[binkey][1]['score']) / a[binkey][0]['score'] if len(la) > 1 else float('nan')
        top = bool(lb) and la[0] == lb[0]
        same_top += top
        total += 1
        print(f'| {fa} {fb} | {binkey} | {len(la)} | {len(la) - n} | {"yes" if top else "**no**"} '
              f'| {len(set(la[:5]) & set(lb[:5]))} | {rho:.6f} | {rel:.1e} | {gap:.1e} |')
print()
print(f'same top pick in {same_top} of {total} bins')
