"""Big tables (#35 goals 1 and 2; notebook tabular/00_estimators, "Large tables"): time and peak memory of `InContextImputer` fit +
transform against rows on one thread, each size in a fresh process (generated tables: a mixture of four correlated clusters, 30% of entries
missing at random); and what reading at most `max_refine` rows loses against refining on all of them (NLL of the hidden entries).

Run: OMP_NUM_THREADS=1 python benchmarks/big_tables.py --rows 1000,10000,100000,1000000 --columns 20 --json nbs/results/big_tables.json
     OMP_NUM_THREADS=1 python benchmarks/big_tables.py --quality --json nbs/results/big_tables_quality.json
The first prints seconds and peak memory (MB) per size and the seconds per 10^5 rows; the second the NLL per hidden entry of the default
(max_refine=20,000, 3 passes), of the slow path (max_refine=None) and of the default without its passes on ggplot2's diamonds (all 53,940 rows, its 7 numeric columns) and on a generated
table of 200,000 rows, with the relative difference.
"""
import json as jsonlib, os, resource, subprocess, sys, time
from typing import Annotated
import numpy as np
from fastcore.script import call_parse
from icde_nb.core import UsageError, comma_list, write_json


def generated(n:int, D:int, seed:int=0, rate:float=0.3)->tuple:
    "A table of n rows x D columns from four correlated Gaussian clusters, and the same table with `rate` of its entries missing (MCAR)."
    rng = np.random.RandomState(seed)
    means, loadings = 2 * rng.randn(4, D), rng.randn(4, D, 3) / np.sqrt(3)
    z = rng.randint(4, size=n)
    X = means[z] + np.einsum('ndr,nr->nd', loadings[z], rng.randn(n, 3)) + 0.3 * rng.randn(n, D)
    return X, np.where(rng.rand(n, D) < rate, np.nan, X)


def one_size(n:int, D:int)->dict:
    "Fit + transform of one generated table in this process: seconds and the process's peak memory."
    from icde_nb.tabular.estimators import InContextImputer
    _, Xm = generated(n, D)
    t = time.perf_counter(); imp = InContextImputer(random_state=0, progress=False).fit(Xm); fit = time.perf_counter() - t
    t = time.perf_counter(); out = imp.transform(Xm); tr = time.perf_counter() - t
    assert not np.isnan(out).any()
    return dict(rows=n, columns=D, fit_s=fit, transform_s=tr, peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def hidden_nll(X:np.ndarray, Xm:np.ndarray, **kw)->tuple:
    "NLL per hidden entry of X given the observed ones under InContextImputer(**kw) fitted on Xm, and the seconds of the fit."
    import torch
    from icde_nb.tabular.estimators import InContextImputer
    t = time.perf_counter(); imp = InContextImputer(random_state=0, progress=False, **kw).fit(Xm); s = time.perf_counter() - t
    lp = imp.conditional(Xm).log_prob(torch.as_tensor(X))
    return float(-lp.sum() / np.isnan(Xm).sum()), s


def quality_rows()->list:
    "The default against the slow path on diamonds (all rows, 30% hidden) and a generated table of 200,000 rows x 20 columns."
    from icde_nb.tabular.tables import load_table
    rows = []
    X = load_table('ggplot2/diamonds').to_numpy()
    X = (X - X.mean(0)) / X.std(0)
    Xm = np.where(np.random.RandomState(0).rand(*X.shape) < 0.3, np.nan, X)
    for name, (A, Am) in {'diamonds (53,940 x 7)': (X, Xm), 'generated (200,000 x 20)': generated(200_000, 20)}.items():
        (fast, tf), (slow, ts), (bare, _) = hidden_nll(A, Am), hidden_nll(A, Am, max_refine=None), hidden_nll(A, Am, passes=0)
        rows.append(dict(table=name, nll_default=fast, nll_all_rows=slow, nll_no_passes=bare, relative=(fast - slow) / abs(slow),
                         relative_no_passes=(bare - slow) / abs(slow), fit_s_default=tf, fit_s_all_rows=ts))
        print(f"{name}: NLL per hidden entry {fast:.4f} (max_refine=20,000, fit {tf:.1f} s) against {slow:.4f} (all rows, fit {ts:.1f} s): "
              f"{100 * (fast - slow) / abs(slow):+.2f}% (without the passes over all rows {100 * (bare - slow) / abs(slow):+.2f}%)", flush=True)
    return rows


@call_parse
def main(rows:Annotated[str, "comma-separated table sizes"]='1000,10000,100000,1000000',
         columns:int=20,      # columns of the generated tables
         quality:bool=False,  # compare the default with refining on all rows, instead of timing
         one:int=0,           # (internal) time one size in this process and print its JSON line
         json:str=None,       # write the results to this file
        ):
    "Time and memory of fit + transform against rows, or the quality of the bounded fit."
    if one: print(jsonlib.dumps(one_size(one, columns))); return
    if columns < 1: raise UsageError(f"--columns must be >= 1, got {columns}")
    if quality:
        res = dict(quality=quality_rows())
    else:
        sizes, res = comma_list(rows, 'rows', int), dict(sizes=[])
        for n in sizes:
            p = subprocess.run([sys.executable, __file__, '--one', str(n), '--columns', str(columns)], capture_output=True, text=True,
                               env={**os.environ, 'OMP_NUM_THREADS': '1'})
            if p.returncode: raise SystemExit(f"{n} rows failed:\n{p.stderr[-2000:]}")
            r = jsonlib.loads(p.stdout.strip().splitlines()[-1]); res['sizes'].append(r)
            tot = r['fit_s'] + r['transform_s']
            print(f"{n:>9,} x {columns}: fit {r['fit_s']:7.2f} s, transform {r['transform_s']:7.2f} s, total {tot:7.2f} s "
                  f"({1e5 * tot / n:.2f} s per 10^5 rows), peak {r['peak_mb']:,.0f} MB", flush=True)
    if json: write_json(json, res)
