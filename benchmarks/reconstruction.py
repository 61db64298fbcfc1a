"""Data reconstruction: conditional densities p(x_missing | x_observed, context) of the reconstruction model against classical
routes fitted to the same (incomplete) context, on full-covariance GMM episodes (issue #10's protocol).

Run: python benchmarks/reconstruction.py [--checkpoint general] [--episodes 200] [--dims 2,4,8] [--sizes 32,128,512]
                                          [--rates 0,0.3] [--workers 2] [--out results/reconstruction]
Cells: D x Nc x context missing rate (MCAR). Query rows (64 per episode) miss about half their entries (at least one observed,
one missing). Prints, per cell, mean +- s.e. over episodes of: the conditional NLL gap
mean_rows[log p_true(x_m | x_o) - log q(x_m | x_o)] (an estimate of the expected conditional KL, nats per row), the RMSE of the
conditional mean (in units of each column's true spread), and the coverage of central 50% / 90% intervals of each missing entry.
"""
import argparse, time, warnings
import numpy as np, torch
from sklearn.experimental import enable_iterative_imputer  # noqa: F401  (registers IterativeImputer)
from sklearn.impute import IterativeImputer, KNNImputer
from icde_nb.core import parallel_map, fmt_pm, mean_se, Table, select_episodes
from icde_nb.dataset import GMMPrior, EpisodicGMM
from icde_nb.conditional import MixtureConditional
from icde_nb.baselines import fit_gmm_missing, fit_em_bic
from icde_nb.model import load_pretrained, load_model

NAN = float('nan')
MODEL, NETWORK = 'reconstruction model (default refinement)', 'reconstruction model, network only'
DEV = 40   # episodes 0-39 of each cell were used to choose the refinement's large-context settings

def mcar(x, rate, g):
    "Hide each entry with probability `rate`, keeping two observed entries per column."
    miss = torch.rand(x.shape, generator=g) < rate
    miss[:, :2] = False
    return torch.where(miss, torch.tensor(NAN), x)

def query_rows(x, g):
    "Hide about half of each row's entries, at least one observed and one missing."
    B, N, D = x.shape
    miss = torch.rand(B, N, D, generator=g) < 0.5
    keep = torch.randint(0, D, (B, N), generator=g); drop = (keep + torch.randint(1, D, (B, N), generator=g)) % D
    miss.scatter_(2, keep[..., None], False); miss.scatter_(2, drop[..., None], True)
    return torch.where(miss, torch.tensor(NAN), x)

def gmm_bic(x):
    "scikit-learn's full-covariance GaussianMixture, K by BIC over 1..6 (at most N - 1), on complete (N, D) points."
    return fit_em_bic(x, k_max=min(6, len(x) - 1), covariance_type='full')

def scores(cond, true_cond, x, spread):
    "Per episode (B,): conditional NLL gap, RMSE of the conditional mean (per true spread), coverage of central 50% / 90% intervals."
    miss = torch.isnan(cond.rows)                                                       # (B, Nr, D)
    n = miss.sum((1, 2)).clamp_min(1)
    gap = (true_cond.log_prob(x) - cond.log_prob(x)).mean(1)
    err = torch.where(miss, (cond.mean - x) / spread, 0.)
    F = cond.cdf(x)
    inside = lambda h: torch.where(miss, ((F - .5).abs() <= h).float(), 0.).sum((1, 2)) / n
    return dict(gap=gap, rmse=(err.pow(2).sum((1, 2)) / n).sqrt(), cov50=inside(.25), cov90=inside(.45))

def point_scores(fill, x, rows, spread):
    "RMSE of a point imputation (per true spread), per episode."
    miss = torch.isnan(rows)
    err = torch.where(miss, (fill - x) / spread, 0.)
    return dict(rmse=(err.pow(2).sum((-1, -2)) / miss.sum((-1, -2)).clamp_min(1)).sqrt().reshape(-1))

def episode_job(args):
    "Fit every classical route to one episode's context and score it (runs in a worker process)."
    ctx, rows, x, true, spread = args
    c = ctx.double().numpy(); complete = c[~np.isnan(c).any(1)]
    out = {}
    tc = MixtureConditional(true, rows[None])
    D = c.shape[1]
    filled = np.where(np.isnan(c), np.nanmean(c, 0), c)
    fits = {'GMM-BIC, complete rows': lambda: gmm_bic(complete if len(complete) >= D + 2 else filled),  # too few complete rows: mean-imputed
            'GMM-BIC after IterativeImputer': lambda: gmm_bic(IterativeImputer(random_state=0, max_iter=10).fit_transform(c)),
            'Gaussian, EM with missing data': lambda: fit_gmm_missing(ctx, k_max=1),
            'GMM, EM with missing data (K by BIC)': lambda: fit_gmm_missing(ctx)}
    for name, f in fits.items():
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            out[name] = {k: v.item() for k, v in scores(MixtureConditional(f(), rows[None]), tc, x[None], spread).items()}
    r = rows.double().numpy()
    knn = KNNImputer(n_neighbors=5).fit(c)
    out['KNN imputation'] = {k: v.item() for k, v in point_scores(torch.as_tensor(knn.transform(r), dtype=torch.float32), x, rows, spread).items()}
    out['mean imputation'] = {k: v.item() for k, v in point_scores(torch.where(torch.isnan(rows), torch.nanmean(ctx, 0), rows), x, rows, spread).items()}
    return out

def cell_data(D, Nc, rate, episodes):
    "One cell's episodes (full-covariance GMMs, K 1..5), its MCAR context and its query rows: the same for every run."
    ep = EpisodicGMM(GMMPrior(dim=D, k_min=1, k_max=5, full_cov=True), episodes, Nc, 64, split='test', seed=0).episodes()
    g = torch.Generator().manual_seed(1000 * D + Nc + int(100 * rate))
    return ep, mcar(ep.context, rate, g), query_rows(ep.query, g)

def classical_cell(D, Nc, rate, episodes, workers, cache):
    "Every classical route's per-episode scores on one cell, from `cache` if an earlier run computed them (they do not depend on the model)."
    from pathlib import Path
    import pickle
    f = Path(cache) / f'classical_D{D}_Nc{Nc}_miss{int(100 * rate)}_E{episodes}.pkl'
    if f.exists(): return pickle.loads(f.read_bytes())
    ep, ctx, rows = cell_data(D, Nc, rate, episodes)
    spread = ep.mixture.stddev[:, None]
    jobs = [(ctx[i], rows[i], ep.query[i], select_episodes(ep.mixture, i), spread[i]) for i in range(episodes)]
    classical = parallel_map(episode_job, jobs, workers, f'D={D} Nc={Nc} rate={rate}', progress=False)
    out = {name: {k: np.array([c[name][k] for c in classical]) for k in classical[0][name]} for name in classical[0]}
    f.parent.mkdir(parents=True, exist_ok=True); f.write_bytes(pickle.dumps(out))
    return out

def speed(model, repeats=5):
    "Seconds for one table's conditionals (512 rows, Nc = 512, D = 8) by each route on one CPU thread, measured side by side."
    from threadpoolctl import threadpool_limits
    torch.set_num_threads(1)
    ep, ctx0, _ = cell_data(8, 512, 0., 1)
    g = torch.Generator().manual_seed(7)
    rows = query_rows(EpisodicGMM(GMMPrior(dim=8, k_min=1, k_max=5, full_cov=True), 1, 512, 512, split='test', seed=0).episodes().query, g)
    out = {}
    for rate in (0., 0.3):
        ctx = mcar(ctx0, rate, g)
        def classical():
            c = ctx[0].double().numpy(); complete = c[~np.isnan(c).any(1)]
            return MixtureConditional(gmm_bic(complete), rows).mean
        routes = {'GaussianMixture-BIC (complete rows) + exact conditioning': classical,
                  'model, network only (refine=0)': lambda: model.conditional(ctx, rows, refine=0).mean,
                  'model, default refinement': lambda: model.conditional(ctx, rows).mean}
        with threadpool_limits(1), warnings.catch_warnings():
            warnings.simplefilter('ignore')
            for name, f in routes.items():
                f(); ts = []
                for _ in range(repeats):
                    t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
                out[(rate, name)] = float(np.median(ts))
    return out

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--checkpoint', default='general'); ap.add_argument('--episodes', type=int, default=200)
    ap.add_argument('--dims', default='2,4,8'); ap.add_argument('--sizes', default='32,128,512'); ap.add_argument('--rates', default='0,0.3')
    ap.add_argument('--workers', type=int, default=2); ap.add_argument('--out', default='results/reconstruction')
    ap.add_argument('--json', default='results/reconstruction/summary.json', help='where the per-cell means and s.e. go (the notebook reads nbs/results/)')
    ap.add_argument('--speed', action='store_true', help='only time one table (512 rows, Nc = 512, D = 8) by each route on one thread')
    ap.add_argument('--classical-only', action='store_true', help='only fill the cache of classical scores (slow part; reused by later runs)')
    a = ap.parse_args()
    if a.speed:
        model = load_pretrained(a.checkpoint) if a.checkpoint in ('general', 'default') else load_model(a.checkpoint)
        t = speed(model); base = 'GaussianMixture-BIC (complete rows) + exact conditioning'
        for rate in (0., 0.3):
            print(f'context missing {rate:.0%}: ' + '; '.join(f'{n} {t[(rate, n)] * 1e3:.1f} ms ({t[(rate, base)] / t[(rate, n)]:.1f}x)' for r, n in t if r == rate))
        raise SystemExit
    if a.classical_only:
        for D in a.dims.split(','):
            for n in a.sizes.split(','):
                for r in a.rates.split(','):
                    t = time.perf_counter(); classical_cell(int(D), int(n), float(r), a.episodes, a.workers, a.out)
                    print(f'D={D} Nc={n} missing={r}: classical routes cached ({time.perf_counter() - t:.0f} s)', flush=True)
        raise SystemExit
    model = load_pretrained(a.checkpoint) if a.checkpoint in ('general', 'default') else load_model(a.checkpoint)
    cells = [(int(d), int(n), float(r)) for d in a.dims.split(',') for n in a.sizes.split(',') for r in a.rates.split(',')]
    results = {}
    for D, Nc, rate in cells:
        ep, ctx, rows = cell_data(D, Nc, rate, a.episodes)
        spread = ep.mixture.stddev[:, None]                                              # (B, 1, D) each column's true spread
        truth = MixtureConditional(ep.mixture, rows)
        t = time.perf_counter()
        ours = {k: v.numpy() for k, v in scores(model.conditional(ctx, rows), truth, ep.query, spread).items()}
        t_ours = (time.perf_counter() - t) / a.episodes
        net = {k: v.numpy() for k, v in scores(model.conditional(ctx, rows, refine=0, select_from=0), truth, ep.query, spread).items()}
        methods = {MODEL: ours, NETWORK: net, **classical_cell(D, Nc, rate, a.episodes, a.workers, a.out)}
        results[(D, Nc, rate)] = methods
        best = min((m for m in methods if m not in (MODEL, NETWORK) and 'gap' in methods[m]), key=lambda m: methods[m]['gap'].mean())
        d = ours['gap'] - methods[best]['gap']
        print(f"D={D} Nc={Nc} missing={rate:.0%}: model gap {fmt_pm(ours['gap'])} vs best classical ({best}) {fmt_pm(methods[best]['gap'])}; "
              f"paired difference {fmt_pm(d)}{f' (episodes {DEV}+ only: {fmt_pm(d[DEV:])})' if len(d) > DEV + 1 else ''} -> {'model better' if d.mean() < 0 else 'classical better'} "
              f"({t_ours * 1e3:.1f} ms/episode)", flush=True)
    import json
    summary = {f'D={D} Nc={Nc} miss={rate:.0%}': {m: {k: [float(x) for x in mean_se(v)] for k, v in r.items()}
                                                   for m, r in results[(D, Nc, rate)].items()} for D, Nc, rate in cells}
    from pathlib import Path
    Path(a.json).parent.mkdir(parents=True, exist_ok=True)
    Path(a.json).write_text(json.dumps(dict(episodes=a.episodes, checkpoint=a.checkpoint, cells=summary), indent=1))
    metric_names = dict(gap='conditional NLL gap (nats per row)', rmse='RMSE of the imputation (per true spread)', cov50='coverage of central 50%', cov90='coverage of central 90%')
    for key, title in metric_names.items():
        names = [m for m in results[cells[0]] if key in results[cells[0]][m]]
        rows_ = [[m] + [fmt_pm(results[c][m][key]) if m in results[c] else '' for c in cells] for m in names]
        tab = Table(['method', *[f'D={c[0]} Nc={c[1]} miss={c[2]:.0%}' for c in cells]], rows_, f'{title}, mean ± s.e. over {a.episodes} episodes per cell')
        tab.save(Path(a.out) / key); print('\n' + tab.markdown())
