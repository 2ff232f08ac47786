"""Stalls in one open-loop lookup run of `bench load --latencies` (lookup-beside-nginx.sh's lat-*.tsv), with the JVM
events logged around each: a stall is a run of requests over 8 ms whose planned send times are less than 20 ms apart
(a pause of the server, the client or the machine shows as latencies falling 1 ms per ms of planned time). The JVM
logs must carry the `timenanos` decoration, which is System.nanoTime, the clock of the file's "first planned send":

    JAVA_TOOL_OPTIONS="-Xlog:gc,safepoint:file=LOGDIR/jvm-%p.log:uptime,timenanos" \\
      docs/bench/lookup-beside-nginx.sh JAR OUT 2
    python3 docs/bench/lookup_stalls.py OUT/lat-serving-1.tsv LOGDIR/jvm-*.log

Each stall is printed with its offset into the measured window, its longest latency, and the log lines (file and
text) from 40 ms before it to 5 ms after it: a GC pause of the server or of the client, a safepoint, or nothing (the
machine).
"""
import os
import re
import sys

SLOW_US = 8000
GAP_NS = 20_000_000


def read_latencies(path):
    """(monotonic ns of the first planned send or None, [(planned us, latency us)]) of one lat-*.tsv; also
    lookup_tails.py's reader."""
    base, rows = None, []
    for line in open(path):
        if line.startswith('# first planned send at monotonic clock'):
            base = int(line.split()[-2])
        elif line[:1].isdigit():
            planned_us, latency_us = line.split('\t')[:2]
            rows.append((int(planned_us), int(latency_us)))
    return base, rows


def stalls(base, rows):
    found = []  # [start ns, end ns, longest ms]
    for planned_us, latency_us in rows:
        if latency_us <= SLOW_US:
            continue
        start = base + planned_us * 1000
        end = start + latency_us * 1000
        if found and start - found[-1][1] <= GAP_NS:
            found[-1][1] = max(found[-1][1], end)
            found[-1][2] = max(found[-1][2], latency_us / 1000)
        else:
            found.append([start, end, latency_us / 1000])
    return found


def events(paths):
    out = []
    for path in paths:
        for line in open(path):
            m = re.search(r'\[(\d{9,})ns\]', line)
            if m:
                out.append((int(m.group(1)), os.path.basename(path), line.strip()))
    return out


def main():
    base, rows = read_latencies(sys.argv[1])
    if base is None:
        sys.exit(sys.argv[1] + ': no "first planned send" line (an older bench load?)')
    logged = events(sys.argv[2:])
    for start, end, longest in stalls(base, rows):
        near = [f'{name}: {text}' for t, name, text in logged if start - 40e6 <= t <= end + 5e6]
        print('stall at %+.3f s, longest %.1f ms' % ((start - base) / 1e9, longest))
        for n in near or ['(no JVM event)']:
            print('    ' + n)


if __name__ == '__main__':
    main()
