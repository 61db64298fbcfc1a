"""Repeated values, scored fairly (#34 goal 2; `icde_nb.tabular.masses`, notebook tabular/07_masses): held-out log-likelihood of complete
rows on the ten tables of tabular/01_tables, each discrete entry scored by the probability of its cell (Monte-Carlo over the cell for the
methods that give densities), random halves.

Run: python benchmarks/masses.py [--tables all] [--seeds 3] [--workers 1] [--json nbs/results/masses.json]
     python benchmarks/masses.py --methods 'Unmasking Trees' --json nbs/results/masses.json --merge   (add a method to a file)
Unmasking Trees needs its venv (bash tools/utrees_venv.sh). Prints the mean log P(cell) per held-out row of each table and method.
"""
import json as jsonlib, shlex, sys, time
from pathlib import Path
from typing import Annotated
from fastcore.script import call_parse
from icde_nb.core import UsageError, comma_list, write_json
from icde_nb.tabular.tables import TABLES
from icde_nb.tabular.masses import MASS_METHODS, run_masses, masses_table

@call_parse
def main(tables:Annotated[str, f"comma-separated, any of {list(TABLES)}, or 'all'"]='all',
         methods:Annotated[str, f"semicolon-separated, any of {list(MASS_METHODS)}, or 'all'"]='all',
         seeds:int=3,          # random halves per table
         samples:int=32,       # uniform draws per row in its cell
         max_rows:int=1000,    # rows kept of each table at most
         workers:int=1,        # worker processes, one instance each at a time
         json:str=None,        # write every instance's scores to this file
         merge:bool=False,     # put these methods' scores into the instances of an existing --json file
        ):
    "Held-out log P(cell) per row: every method on every table and random half."
    tables = tuple(TABLES) if tables == 'all' else tuple(comma_list(tables, 'tables', choices=TABLES))
    methods = tuple(MASS_METHODS) if methods == 'all' else tuple(comma_list(methods, 'methods', choices=MASS_METHODS, sep=';'))
    if merge and not (json and Path(json).is_file()): raise UsageError(f'--merge: there is no {json} to merge into')
    t = time.perf_counter()
    results = run_masses(tables, seeds, methods, samples, max_rows, workers, progress=False)
    print(f'{len(results)} instances in {(time.perf_counter() - t) / 60:.1f} min on {workers} worker(s)\n')
    print(masses_table(results, f'mean log P(cell) per held-out row, {seeds} random halves').markdown())
    if json and merge:
        old = jsonlib.loads(Path(json).read_text())
        new = {(r['table'], r['seed']): r for r in results}
        for r in old['results']:
            n = new.get((r['table'], r['seed']))
            if n: r['scores'].update(n['scores']); r.setdefault('zero', {}).update(n['zero'])
        write_json(json, old, old['command'] + ' && ' + shlex.join(['python', *sys.argv])); return
    if json: write_json(json, dict(minutes=(time.perf_counter() - t) / 60, results=results))
