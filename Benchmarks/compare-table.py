#!/usr/bin/env python3
"""Turn run-engines.sh raw results into a Sluice-vs-peers ratio table.

usage: compare-table.py RESULTS [--engine sluice] [--metric cpu|wall]
  RESULTS  results.tsv written by shared/bench/run-engines.sh (or the OUT_DIR holding it)

Each cell is Sluice's median time divided by the peer's median time for that script
(below 1.00x: Sluice is faster). The geomean row leaves out `empty` (startup only) and `globals`
(not comparable on node, where top-level vars are module locals).
"""
import csv, math, os, statistics, sys

def main(argv):
    args = [a for a in argv[1:]]
    engine, metric = "sluice", "cpu"
    if "--engine" in args:
        i = args.index("--engine"); engine = args[i + 1]; del args[i:i + 2]
    if "--metric" in args:
        i = args.index("--metric"); metric = args[i + 1]; del args[i:i + 2]
    if len(args) != 1 or metric not in ("cpu", "wall"):
        print(__doc__.strip(), file=sys.stderr); return 2
    path = args[0]
    if os.path.isdir(path):
        path = os.path.join(path, "results.tsv")
    col = "cpu_s" if metric == "cpu" else "wall_s"
    times, benches, engines = {}, [], []
    with open(path) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row.get("rc", "0") != "0":
                continue
            b, e = row["bench"], row["engine"]
            if b not in benches: benches.append(b)
            if e not in engines: engines.append(e)
            times.setdefault((b, e), []).append(float(row[col]))
    if engine not in engines:
        print("no results for engine %r (engines: %s)" % (engine, ", ".join(engines)), file=sys.stderr); return 2
    peers = [e for e in engines if e != engine]
    med = {k: statistics.median(v) for k, v in times.items()}
    print("### %s %s time relative to each peer (median; below 1.00x = %s faster)" % (engine, metric.upper(), engine))
    print()
    print("| benchmark | %s (s) | " % engine + " | ".join("vs " + p for p in peers) + " |")
    print("|---|---:|" + "---:|" * len(peers))
    logs = {p: [] for p in peers}
    for b in benches:
        mine = med.get((b, engine))
        cells = []
        for p in peers:
            theirs = med.get((b, p))
            if mine is None or theirs is None or theirs <= 0:
                cells.append("-"); continue
            r = mine / theirs
            cells.append("%.2fx" % r)
            if b not in ("empty", "globals") and r > 0:
                logs[p].append(math.log(r))
        print("| %s | %s | %s |" % (b, "-" if mine is None else "%.3f" % mine, " | ".join(cells)))
    gm = ["%.2fx (%d)" % (math.exp(sum(l) / len(l)), len(l)) if l else "-" for l in (logs[p] for p in peers)]
    print("| **geomean** (excl. empty, globals) | | " + " | ".join(gm) + " |")
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv))
