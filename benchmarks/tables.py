"""Imputation on real tables (issue #11's protocol; `icde_nb.tabular.imputation`, notebook tabular/02_imputation): the in-context model against the
imputation and density libraries, on offline real tables, MCAR / MAR / MNAR at 30% and an MCAR sweep, several seeds.

Run: python benchmarks/tables.py --all                  # every table of tabular/02_imputation: nbs/results/tables{,_out,_sweep}.json
     python benchmarks/tables.py [--tables all] [--seeds 10] [--max-rows 500] [--workers 2] [--json nbs/results/tables.json]
     python benchmarks/tables.py --setting out [...]     # out-of-sample: learn from half the incomplete rows, impute the other half
     python benchmarks/tables.py --sweep [...]           # MCAR at 10 / 30 / 50 / 70%
     python benchmarks/tables.py --speed                 # seconds per table, every method side by side on one thread: nbs/results/tables_speed.json
     python benchmarks/tables.py --orders 8 --seeds 5 --json nbs/results/tables_orders.json   # ours against ours averaged over 8 column orders
     python benchmarks/tables.py --max-columns 0 --wide checkpoints/wide.pt --tables all_wide --json nbs/results/tables_wide.json
                                                         # #33: every column of the ten tables and the six WIDE_TABLES, the wide model
                                                         # beside the methods, the shrunk Gaussian and the MFA (WIDE_METHODS)
Needs the optional extras: pip install -e ".[tables]" (pip install -e ".[bench]" adds miceforest with lightgbm<4.7; without it that
method is reported as failed). Prints the average-rank table per mechanism; the JSON holds every instance's scores (the notebook reads it).
"""
import json as jsonlib, shlex, sys, time
from pathlib import Path
from typing import Annotated
from fastcore.script import call_parse
from icde_nb.core import UsageError, check_choice, comma_list, write_json
from icde_nb.tabular.tables import TABLES, WIDE_TABLES
from icde_nb.tabular.imputation import METHODS, WIDE_METHODS, impute_in_context, run_benchmark, summarise, rank_table, time_methods

SETTINGS = ('in', 'out')   # 'in': impute the table itself; 'out': learn from half the rows, impute the other half

# fastcore's call_parse runs main when this file is run (python benchmarks/tables.py ...), not when it is imported
@call_parse
def main(tables:Annotated[str, f"comma-separated, any of {list(TABLES) + list(WIDE_TABLES)}, or 'all' (the ten), or 'all_wide' (all sixteen)"]='all',
         methods:Annotated[str, f"semicolon-separated (names hold commas), any of {list(METHODS) + list(WIDE_METHODS)}, or 'all'"]='all',
         seeds:int=10,         # seeds (row subsets and masks) per table and cell
         max_rows:int=500,     # rows kept of each table at most
         first_seed:int=0,     # seeds first-seed .. first-seed + seeds - 1 (to add seeds to an earlier run)
         workers:int=2,        # worker processes, one instance each at a time
         json:str=None,        # write every instance's scores to this file
         sweep:bool=False,     # MCAR only, at rates 0.1, 0.3, 0.5 and 0.7 (or --rates)
         rates:str=None,       # comma-separated missing rates, e.g. 0.1,0.5,0.7 (default: 0.3; with --sweep 0.1,0.3,0.5,0.7)
         setting:Annotated[str, f"one of {list(SETTINGS)}: 'in' imputes the table itself; 'out' learns from half the rows and imputes the other half"]='in',
         merge:bool=False,     # put these methods' scores into the matching instances of an existing --json file (re-running some methods)
         all:bool=False,       # run the four parts of tabular/02_imputation in turn and write their JSON files
         speed:bool=False,     # time every method on every table (MCAR 30%, seed 0) on one thread, side by side
         orders:int=1,         # also ours averaged over this many column orders (InContextImputer(orders=...)); alone, only the two of ours run
         max_columns:int=8,    # first numeric columns kept of each table (0: all of them)
         wide:str=None,        # also the wide model from this checkpoint (or shipped name), as 'in-context, wide', with WIDE_METHODS
         classical:int=0,      # also ours with GMM candidates (InContextImputer(classical=...)); alone, only the two of ours run
        ):
    "Imputation on real tables: the in-context model against the imputation and density libraries, MCAR / MAR / MNAR, several seeds."
    check_choice('setting', setting, SETTINGS)
    known = TABLES | WIDE_TABLES
    tables = (tuple(TABLES) if tables == 'all' else tuple(known) if tables == 'all_wide' else tuple(comma_list(tables, 'tables', choices=known)))
    if max_columns < 0: raise UsageError(f"--max-columns must be >= 0 (0: all), got {max_columns}")
    cols = max_columns or None
    if wide is not None:                                                          # the wide model (#33) beside the others, and WIDE_METHODS
        from functools import partial
        if wide != 'wide' and not Path(wide).is_file(): raise UsageError(f"--wide: no checkpoint {wide} (a .pt file, or the shipped 'wide')")
        METHODS['in-context, wide'] = partial(impute_in_context, model=wide)
        METHODS.update(WIDE_METHODS)
    rates = comma_list(rates, 'rates', float)
    if merge and json and not Path(json).is_file(): raise UsageError(f'--merge: there is no {json} to merge into')
    if all:
        import subprocess
        for extra, out in [([], 'tables'), (['--setting', 'out'], 'tables_out'), (['--sweep'], 'tables_sweep'), (['--speed'], 'tables_speed')]:
            subprocess.run([sys.executable, __file__, '--seeds', str(seeds), '--max-rows', str(max_rows), '--workers', str(workers),
                            *extra, '--json', f'nbs/results/{out}.json'], check=True)
        return
    if orders > 1:                                                                # ours averaged over column orders (tabular/00_estimators), beside ours
        from functools import partial
        METHODS[f'in-context (ours), {orders} column orders'] = partial(impute_in_context, orders=orders)
        if methods == 'all': methods = f'in-context (ours);in-context (ours), {orders} column orders'
    if classical:                                                                 # ours with the classical candidates (tabular/00_estimators), beside ours
        from functools import partial
        METHODS[f'in-context (ours), classical={classical}'] = partial(impute_in_context, classical=classical)
        if methods == 'all': methods = f'in-context (ours);in-context (ours), classical={classical}'
    methods = tuple(METHODS) if methods == 'all' else tuple(comma_list(methods, 'methods', choices=METHODS | WIDE_METHODS, sep=';'))
    if speed:
        import numpy as np
        t = time.perf_counter()
        times = time_methods(tables, methods, max_rows=max_rows, max_columns=cols, progress=False)
        med = {m: float(np.median([times[tb][m] for tb in tables])) for m in methods}
        print(f'seconds per table, one thread, median over {len(tables)} tables (ratio to the first method):')
        for m in sorted(methods, key=med.get): print(f'  {m:22s} {med[m]:8.3f}  {med[m] / med[methods[0]]:6.1f}x')
        if json: write_json(json, dict(minutes=(time.perf_counter() - t) / 60, seconds=times))
        return
    patterns, rates = (('mcar',), tuple(rates) or (0.1, 0.3, 0.5, 0.7)) if sweep else (('mcar', 'mar', 'mnar'), tuple(rates) or (0.3,))
    t = time.perf_counter()
    results = run_benchmark(tables, patterns, rates, seeds, methods, max_rows, setting, workers, progress=False, first_seed=first_seed,
                            max_columns=cols)
    print(f'{len(results)} instances in {(time.perf_counter() - t) / 60:.1f} min on {workers} worker(s)\n')
    for cell, summary in summarise(results).items():
        print(rank_table(summary, f'{cell}: average rank over {len(summary)} tables (1 = best)').markdown(), '\n')
    if json and merge:                                                            # replace these methods' scores, instance by instance
        old = jsonlib.loads(Path(json).read_text())
        key = lambda r: (r['table'], r['pattern'], r['rate'], r['seed'], r.get('setting', 'in'))
        new = {key(r): r['scores'] for r in results}                              # the instances re-run; the others keep their scores
        if extra := set(new) - {key(r) for r in old['results']}: raise UsageError(f'--merge: {len(extra)} instances (e.g. {min(extra)}) are not in {json}')
        for r in old['results']: r['scores'].update(new.get(key(r), {}))
        write_json(json, old, old['command'] + ' && ' + shlex.join(['python', *sys.argv])); return
    if json: write_json(json, dict(minutes=(time.perf_counter() - t) / 60, results=results))
