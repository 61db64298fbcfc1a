"""Data reconstruction: conditional densities p(x_missing | x_observed, context) of the reconstruction model against classical
routes fitted to the same (incomplete) context, on full-covariance GMM episodes (issue #10's protocol; `icde_nb.tabular.reconstruction`).

Run: python benchmarks/reconstruction.py [--checkpoint general] [--episodes 200] [--dims 2,4,8] [--sizes 32,128,512]
                                          [--rates 0,0.3] [--workers 2] [--out results/reconstruction] [--json PATH]
     python benchmarks/reconstruction.py --speed [--json PATH]     # one table (512 rows, Nc = 512, D = 8), one thread, side by side
     python benchmarks/reconstruction.py --classical-only ...      # only fill the cache of classical scores (the slow part)
     python benchmarks/reconstruction.py --dissertation [--json PATH]  # the general model on the dissertation's 2-D task
     python benchmarks/reconstruction.py --tune-select --episodes 120     # choose Refinement.select_steps on validation episodes
     python benchmarks/reconstruction.py --tune-classical --episodes 120  # Refinement.select_classical 0 against 6, the same episodes
     python benchmarks/reconstruction.py --tune-predictive --episodes 120 # Refinement.predictive off against on, the same episodes
The notebook's tables: --json nbs/results/reconstruction.json (and --speed --json nbs/results/reconstruction_speed.json).
Cells: D x Nc x context missing rate (MCAR). Query rows (64 per episode) miss about half their entries (at least one observed,
one missing). Prints, per cell, the conditional NLL gap mean_rows[log p_true(x_m | x_o) - log q(x_m | x_o)] (an estimate of the
expected conditional KL, nats per row) of the model and of the best classical route, and their paired difference; then tables of
the gap, the RMSE of the conditional mean (per true spread) and the coverage of central 50% / 90% intervals of each missing entry.
Classical scores do not depend on the model: they are cached under --out and reused.
"""
import argparse, json, time
from pathlib import Path
from icde_nb.core import fmt_pm
from icde_nb.density.model import load_pretrained, load_model
from icde_nb.tabular.reconstruction import (MODEL, NETWORK, METRICS, classical_cell, cell_data, reconstruction_benchmark, benchmark_summary,
                                    best_classical, benchmark_table, time_one_table, speed_table)

DEV = 120  # episodes 0-119 of the Nc = 512 cells (0-39 of the Nc = 128 ones) chose the refinement's large-context settings

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--checkpoint', default='general'); ap.add_argument('--episodes', type=int, default=200)
    ap.add_argument('--dims', default='2,4,8'); ap.add_argument('--sizes', default='32,128,512'); ap.add_argument('--rates', default='0,0.3')
    ap.add_argument('--workers', type=int, default=2); ap.add_argument('--out', default='results/reconstruction')
    ap.add_argument('--json', default=None, help='write the per-cell means and s.e. (or, with --speed, the timings) to this file')
    ap.add_argument('--speed', action='store_true', help='only time one table (512 rows, Nc = 512, D = 8) by each route on one thread')
    ap.add_argument('--classical-only', action='store_true', help='only fill the cache of classical scores')
    ap.add_argument('--dissertation', action='store_true', help="only the dissertation's task (D = 2, fully hidden queries, its prior) at Nc 16/64/256")
    ap.add_argument('--tune-select', action='store_true', help='EM steps per count of the component selection (select_steps), on validation episodes')
    ap.add_argument('--tune-classical', action='store_true', help='the selection with and without the classical fits as candidates (select_classical 0 / 6), on validation episodes')
    ap.add_argument('--tune-predictive', action='store_true', help='the selection with and without posterior-predictive covariances (Refinement.predictive), on validation episodes')
    a = ap.parse_args()
    dims, sizes, rates = ([int(v) for v in a.dims.split(',')], [int(v) for v in a.sizes.split(',')], [float(v) for v in a.rates.split(',')])
    if a.classical_only:
        for D in dims:
            for n in sizes:
                for r in rates:
                    t = time.perf_counter(); classical_cell(D, n, r, a.episodes, a.workers, a.out)
                    print(f'D={D} Nc={n} missing={r:.0%}: classical routes cached ({time.perf_counter() - t:.0f} s)', flush=True)
        raise SystemExit
    model = load_pretrained(a.checkpoint) if a.checkpoint in ('general', 'default') else load_model(a.checkpoint)
    if a.dissertation:
        from icde_nb.scoring.evaluation import by_context_size, size_table
        from icde_nb.scoring.baselines import baselines, LABELS
        evs = by_context_size({'general': model, 'mdn': load_pretrained('default'), **baselines(a.workers)}, (16, 64, 256), a.episodes,
                              workers=a.workers, progress=False)
        tab = size_table(evs, LABELS | {'general': 'general model (any D, missing entries)', 'mdn': 'default model (2-D only)'}, model='general')
        print(tab.markdown())
        if a.json: Path(a.json).parent.mkdir(parents=True, exist_ok=True); Path(a.json).write_text(json.dumps(dict(header=tab.header, rows=tab.rows, title=tab.title), indent=1))
        raise SystemExit
    if a.tune_select or a.tune_classical or a.tune_predictive:   # validation episodes of the cells where the selection runs (Nc = 512)
        import torch
        from dataclasses import replace
        from icde_nb.density.conditional import MixtureConditional
        from icde_nb.tabular.reconstruction import conditional_scores
        torch.set_num_threads(1); base = model.refinement
        for D in (4, 8):
            for r in rates:
                ep, ctx, rows = cell_data(D, 512, r, a.episodes, split="valid")
                truth, spread, gaps = MixtureConditional(ep.mixture, rows), ep.mixture.stddev[:, None], {}
                grid = ([dict(select_steps=n, select_classical=0) for n in (10, 20, 30, 50)] if a.tune_select else
                        [dict(predictive=b) for b in (False, True)] if a.tune_predictive else
                        [dict(select_steps=20, select_classical=c) for c in (0, 6)])
                for i, kw in enumerate(grid):
                    model.refinement = replace(base, **kw); t = time.perf_counter()
                    gaps[i] = conditional_scores(model.conditional(ctx, rows), truth, ep.query, spread)['gap']
                    d = gaps[i] - gaps[0]
                    print(f'D={D} Nc=512 missing={r:.0%} {kw}: gap {fmt_pm(gaps[i].numpy())}, '
                          f'paired against {grid[0]}: {d.mean():+.4f} ± {d.std() / len(d) ** .5:.4f} ({time.perf_counter() - t:.0f} s)', flush=True)
        raise SystemExit
    if a.speed:
        times = time_one_table(model)
        print(speed_table(times).markdown())
        if a.json: Path(a.json).parent.mkdir(parents=True, exist_ok=True); Path(a.json).write_text(json.dumps({f'{r}|{n}': v for (r, n), v in times.items()}, indent=1))
        raise SystemExit
    results = reconstruction_benchmark(model, dims, sizes, rates, a.episodes, a.workers, a.out, progress=False)
    summary = benchmark_summary(results)
    for ((D, Nc, rate), methods), cell in zip(results.items(), summary.values()):
        ours, best = methods[MODEL]['gap'], best_classical(cell)
        d = ours - methods[best]['gap']
        held = f' (episodes {DEV}+ only: {fmt_pm(d[DEV:])})' if len(d) > DEV + 1 else ''
        print(f"D={D} Nc={Nc} missing={rate:.0%}: model {fmt_pm(ours)}, network only {fmt_pm(methods[NETWORK]['gap'])}, best classical "
              f"({best}) {fmt_pm(methods[best]['gap'])}; paired difference {fmt_pm(d)}{held} -> {'model' if d.mean() < 0 else 'classical'} better")
    for key in METRICS:
        tab = benchmark_table(summary, key, a.episodes); tab.save(Path(a.out) / key); print('\n' + tab.markdown())
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        Path(a.json).write_text(json.dumps(dict(episodes=a.episodes, checkpoint=a.checkpoint, cells=summary), indent=1))
