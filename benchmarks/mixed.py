"""Imputation on mixed tables (#34; `icde_nb.tabular.mixed_imputation`, notebook tabular/06_mixed_imputation): the in-context model on
DataFrames of numbers and levels against the mixed mixture by EM, MissForest and KNN on a one-hot design, and mean/mode, on the sixteen
offline tables of tabular/05_mixed_tables, MCAR / MAR / MNAR at 30%, several seeds.

Run: python benchmarks/mixed.py [--tables all] [--seeds 10] [--first-seed 0] [--workers 2] [--json nbs/results/mixed.json]
     python benchmarks/mixed.py --tables penguins,salaries --methods 'in-context (ours);mean / mode' --seeds 2
     python benchmarks/mixed.py --methods 'in-context (ours)' --json nbs/results/mixed.json --merge   (re-run some methods into a file)
Needs the optional extra: pip install -e ".[tables]". Prints the mean of each score per method and mechanism; the JSON holds every
instance's scores.
"""
import json as jsonlib, shlex, sys, time
from pathlib import Path
from typing import Annotated
import numpy as np
from fastcore.script import call_parse
from icde_nb.core import Table, UsageError, check_choice, comma_list, write_json
from icde_nb.tabular.mixed_tables import MIXED_TABLES
from icde_nb.tabular.mixed_imputation import MIXED_METHODS, run_mixed

SCORES = ('nll', 'energy', 'crps', 'cov90', 'rmse', 'logloss', 'accuracy', 'brier', 'ece', 'joint_energy', 'seconds')

@call_parse
def main(tables:Annotated[str, f"comma-separated, any of {list(MIXED_TABLES)}, or 'all'"]='all',
         methods:Annotated[str, f"semicolon-separated (names hold commas), any of {list(MIXED_METHODS)}, or 'all'"]='all',
         patterns:str='mcar,mar,mnar', # comma-separated mechanisms
         rate:float=0.3,       # share of the observed entries hidden
         seeds:int=10,         # seeds (masks) per table and mechanism
         first_seed:int=0,     # seeds first-seed .. first-seed + seeds - 1
         max_rows:int=500,     # rows kept of each table at most
         workers:int=2,        # worker processes, one instance each at a time
         json:str=None,        # write every instance's scores to this file
         merge:bool=False,     # put these methods' scores into the instances of an existing --json file (re-running some methods)
        ):
    "Imputation on mixed tables: every method on every instance, scored as numbers and as levels."
    tables = tuple(MIXED_TABLES) if tables == 'all' else tuple(comma_list(tables, 'tables', choices=MIXED_TABLES))
    methods = tuple(MIXED_METHODS) if methods == 'all' else tuple(comma_list(methods, 'methods', choices=MIXED_METHODS, sep=';'))
    patterns = tuple(comma_list(patterns, 'patterns'))
    for p in patterns: check_choice('patterns', p, ('mcar', 'mar', 'mnar'))
    if merge and not (json and Path(json).is_file()): raise UsageError(f'--merge: there is no {json} to merge into')
    t = time.perf_counter()
    results = run_mixed(tables, patterns, (rate,), seeds, methods, max_rows, workers, progress=False, first_seed=first_seed)
    print(f'{len(results)} instances in {(time.perf_counter() - t) / 60:.1f} min on {workers} worker(s)\n')
    for p in patterns:
        rows = []
        for m in methods:
            s = [r['scores'][m] for r in results if r['pattern'] == p and 'error' not in r['scores'][m]]
            rows.append([m, *[f"{np.mean([x[k] for x in s if x.get(k) is not None]):.3f}" if any(x.get(k) is not None for x in s) else ''
                              for k in SCORES]])
        print(Table(['method', *SCORES], rows, f'{p.upper()} {rate:.0%}: mean over {len(tables)} tables and {seeds} seeds').markdown(), '\n')
    if json and merge:                                                            # replace these methods' scores, instance by instance
        old = jsonlib.loads(Path(json).read_text())
        new = {(r['table'], r['pattern'], r['rate'], r['seed']): r['scores'] for r in results}
        for r in old['results']: r['scores'].update(new.get((r['table'], r['pattern'], r['rate'], r['seed']), {}))
        write_json(json, old, old['command'] + ' && ' + shlex.join(['python', *sys.argv])); return
    if json: write_json(json, dict(minutes=(time.perf_counter() - t) / 60, results=results))
