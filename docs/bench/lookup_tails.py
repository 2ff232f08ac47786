"""Tail of each open-loop lookup run of lookup-beside-nginx.sh: p50/p99/p99.9, how many requests took over 2 ms, and
in how many 20 ms windows of planned send time they fall (many windows: the host's scheduling, spread over the run;
few: pauses). Usage: python3 docs/bench/lookup_tails.py OUTDIR"""
import glob
import os
import sys

from lookup_stalls import read_latencies

for path in sorted(glob.glob(os.path.join(sys.argv[1], 'lat-*.tsv'))):
    _, rows = read_latencies(path)
    planned_ms = [planned / 1000 for planned, _ in rows]
    latency_ms = sorted(latency / 1000 for _, latency in rows)
    slow = [planned / 1000 for planned, latency in rows if latency / 1000 > 2.0]
    n = len(latency_ms)
    print('%-22s n=%d p50 %.2f p99 %.2f p99.9 %.2f ms; over 2 ms: %d (%.1f %%) in %d of %d windows of 20 ms' % (
        os.path.basename(path), n, latency_ms[n // 2], latency_ms[int(0.99 * n)], latency_ms[int(0.999 * n)],
        len(slow), 100.0 * len(slow) / n, len({int(t // 20) for t in slow}), int(max(planned_ms) // 20) + 1))
