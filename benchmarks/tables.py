"""Imputation on real tables (issue #11's protocol; `icde_nb.tabular.imputation`, notebook tabular/02_imputation): the in-context model against the
imputation and density libraries, on offline real tables, MCAR / MAR / MNAR at 30% and an MCAR sweep, several seeds.

Run: python benchmarks/tables.py --all                  # every table of tabular/02_imputation: nbs/results/tables{,_out,_sweep}.json
     python benchmarks/tables.py [--tables all] [--seeds 10] [--max-rows 500] [--workers 2] [--json nbs/results/tables.json]
     python benchmarks/tables.py --setting out [...]     # out-of-sample: learn from half the incomplete rows, impute the other half
     python benchmarks/tables.py --sweep [...]           # MCAR at 10 / 30 / 50 / 70%
     python benchmarks/tables.py --speed                 # seconds per table, every method side by side on one thread: nbs/results/tables_speed.json
     python benchmarks/tables.py --orders 8 --seeds 5 --json nbs/results/tables_orders.json   # ours against ours averaged over 8 column orders
Needs the optional extras: pip install -e ".[tables]" (pip install -e ".[bench]" adds miceforest with lightgbm<4.7; without it that
method is reported as failed). Prints the average-rank table per mechanism; the JSON holds every instance's scores (the notebook reads it).
"""
import argparse, json, shlex, sys, time
from pathlib import Path
from icde_nb.tabular.tables import TABLES
from icde_nb.tabular.imputation import METHODS, run_benchmark, summarise, rank_table, time_methods

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--tables', default='all', help="comma-separated names from icde_nb.tabular.tables.TABLES, or 'all'")
    ap.add_argument('--methods', default='all', help="semicolon-separated names from icde_nb.tabular.imputation.METHODS, or 'all'")
    ap.add_argument('--seeds', type=int, default=10); ap.add_argument('--max-rows', type=int, default=500)
    ap.add_argument('--first-seed', type=int, default=0, help='seeds first-seed .. first-seed + seeds - 1 (to add seeds to an earlier run)')
    ap.add_argument('--workers', type=int, default=2); ap.add_argument('--json', default=None)
    ap.add_argument('--sweep', action='store_true', help='MCAR only, at rates 0.1, 0.3, 0.5 and 0.7 (or --rates)')
    ap.add_argument('--rates', default=None, help="comma-separated missing rates, e.g. 0.1,0.5,0.7 (default: 0.3; with --sweep 0.1,0.3,0.5,0.7)")
    ap.add_argument('--setting', default='in', help="'in': impute the table itself; 'out': learn from half the rows, impute the other half")
    ap.add_argument('--merge', action='store_true', help="put these methods' scores into the instances of an existing --json file (re-running some methods)")
    ap.add_argument('--all', action='store_true', help='run the four parts of tabular/02_imputation in turn and write their JSON files')
    ap.add_argument('--speed', action='store_true', help='time every method on every table (MCAR 30%%, seed 0) on one thread, side by side')
    ap.add_argument('--orders', type=int, default=1, help="also ours averaged over this many column orders (InContextImputer(orders=...)); alone, only the two of ours run")
    a = ap.parse_args()
    if a.all:
        import subprocess
        for extra, out in [([], 'tables'), (['--setting', 'out'], 'tables_out'), (['--sweep'], 'tables_sweep'), (['--speed'], 'tables_speed')]:
            subprocess.run([sys.executable, __file__, '--seeds', str(a.seeds), '--max-rows', str(a.max_rows), '--workers', str(a.workers),
                            *extra, '--json', f'nbs/results/{out}.json'], check=True)
        raise SystemExit
    tables = tuple(TABLES) if a.tables == 'all' else tuple(a.tables.split(','))
    if a.orders > 1:                                                              # ours averaged over column orders (tabular/00_estimators), beside ours
        from functools import partial
        from icde_nb.tabular.imputation import impute_in_context
        METHODS[f'in-context (ours), {a.orders} column orders'] = partial(impute_in_context, orders=a.orders)
        if a.methods == 'all': a.methods = f'in-context (ours);in-context (ours), {a.orders} column orders'
    methods = tuple(METHODS) if a.methods == 'all' else tuple(a.methods.split(';'))
    if a.speed:
        import numpy as np
        t = time.perf_counter()
        times = time_methods(tables, methods, max_rows=a.max_rows, progress=False)
        med = {m: float(np.median([times[tb][m] for tb in tables])) for m in methods}
        print(f'seconds per table, one thread, median over {len(tables)} tables (ratio to the first method):')
        for m in sorted(methods, key=med.get): print(f'  {m:22s} {med[m]:8.3f}  {med[m] / med[methods[0]]:6.1f}x')
        if a.json:
            Path(a.json).write_text(json.dumps(dict(command=shlex.join(['python', *sys.argv]), minutes=(time.perf_counter() - t) / 60, seconds=times)))
        raise SystemExit
    patterns, rates = (('mcar',), (0.1, 0.3, 0.5, 0.7)) if a.sweep else (('mcar', 'mar', 'mnar'), (0.3,))
    if a.rates: rates = tuple(float(r) for r in a.rates.split(','))
    t = time.perf_counter()
    results = run_benchmark(tables, patterns, rates, a.seeds, methods, a.max_rows, a.setting, a.workers, progress=False, first_seed=a.first_seed)
    print(f'{len(results)} instances in {(time.perf_counter() - t) / 60:.1f} min on {a.workers} worker(s)\n')
    for cell, summary in summarise(results).items():
        print(rank_table(summary, f'{cell}: average rank over {len(summary)} tables (1 = best)').markdown(), '\n')
    if a.json and a.merge:                                                        # replace these methods' scores, instance by instance
        old = json.loads(Path(a.json).read_text())
        new = {(r['table'], r['pattern'], r['rate'], r['seed'], r.get('setting', 'in')): r['scores'] for r in results}
        for r in old['results']: r['scores'].update(new[r['table'], r['pattern'], r['rate'], r['seed'], r.get('setting', 'in')])
        old['command'] += ' && ' + shlex.join(['python', *sys.argv])
        Path(a.json).write_text(json.dumps(old)); raise SystemExit
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        Path(a.json).write_text(json.dumps(dict(command=shlex.join(['python', *sys.argv]), minutes=(time.perf_counter() - t) / 60, results=results)))
