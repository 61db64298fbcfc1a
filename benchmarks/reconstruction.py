"""Data reconstruction: conditional densities p(x_missing | x_observed, context) of the reconstruction model against classical
routes fitted to the same (incomplete) context, on full-covariance GMM episodes (issue #10's protocol; `icde_nb.tabular.reconstruction`).

Run: python benchmarks/reconstruction.py [--checkpoint general] [--episodes 200] [--dims 2,4,8] [--sizes 32,128,512]
                                          [--rates 0,0.3] [--workers 2] [--out results/reconstruction] [--json PATH]
     python benchmarks/reconstruction.py --speed [--json PATH]     # one table (512 rows, Nc = 512, D = 8), one thread, side by side
     python benchmarks/reconstruction.py --classical-only ...      # only fill the cache of classical scores (the slow part)
     python benchmarks/reconstruction.py --checkpoint checkpoints/wide.pt --classical-from nbs/results/reconstruction.json \
            --json nbs/results/reconstruction_wide.json          # #33 goal 2: only the model is scored; the classical routes' (and the
                                                                 # general model's) means and s.e. come from the earlier run's file
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
import time
from pathlib import Path
from fastcore.script import call_parse
from icde_nb.core import fmt_pm, UsageError, comma_list, write_json
from icde_nb.density.pretrained import resolve_model, shipped_models
from icde_nb.tabular.reconstruction import (MODEL, NETWORK, METRICS, classical_cell, cell_data, reconstruction_benchmark, benchmark_summary,
                                    best_classical, benchmark_table, time_one_table, speed_table)

def _versus_earlier(model, checkpoint, earlier_path, dims, sizes, rates, episodes, json):
    "Score only `model` on each cell; every other method's means and s.e. are read from an earlier run's JSON file (unpaired comparison)."
    import json as jsonlib
    from icde_nb.core import mean_se
    from icde_nb.density.conditional import MixtureConditional
    from icde_nb.tabular.reconstruction import conditional_scores
    from icde_nb.density.refinement import Refinement
    earlier = jsonlib.loads(Path(earlier_path).read_text())
    if earlier['episodes'] != episodes: raise UsageError(f"--classical-from holds {earlier['episodes']} episodes per cell; --episodes is {episodes}")
    name = 'wide model' if type(model).__name__ == 'WideMFA' else Path(checkpoint).stem
    ours = {MODEL: f'{name} (default refinement)', NETWORK: f'{name}, network only'}
    before = {MODEL: f"{earlier['checkpoint']} model (default refinement)", NETWORK: f"{earlier['checkpoint']} model, network only"}
    cells = {}
    for D in dims:
        for n in sizes:
            for r in rates:
                key = f'D={D} Nc={n} miss={r:.0%}'
                ep, ctx, rows = cell_data(D, n, r, episodes)
                truth, spread = MixtureConditional(ep.mixture, rows), ep.mixture.stddev[:, None]
                score = lambda **kw: {k: [float(v) for v in mean_se(a.numpy())]
                                      for k, a in conditional_scores(model.conditional(ctx, rows, **kw), truth, ep.query, spread).items()}
                net = score(refinement=Refinement())                                # the network alone: no step, no selection
                cells[key] = {ours[MODEL]: score(), ours[NETWORK]: net} | {before.get(m, m): v for m, v in earlier['cells'][key].items()}
                best = best_classical(cells[key], (*ours.values(), *before.values()))
                g, b = cells[key][ours[MODEL]]['gap'], cells[key][best]['gap']
                print(f"{key}: {ours[MODEL]} {g[0]:.3f} ± {g[1]:.3f}, best classical ({best}) {b[0]:.3f} ± {b[1]:.3f} -> "
                      f"{'model' if g[0] < b[0] else 'classical'} lower", flush=True)
    for key in METRICS: print('\n' + benchmark_table(cells, key, episodes, (*ours.values(), *before.values())).markdown())
    if json: write_json(json, dict(episodes=episodes, checkpoint=checkpoint, classical_from=earlier_path, ours=list(ours.values()),
                                   earlier_models=list(before.values()), cells=cells))

DEV = 120  # episodes 0-119 of the Nc = 512 cells (0-39 of the Nc = 128 ones) chose the refinement's large-context settings

# fastcore's call_parse runs main when this file is run (python benchmarks/reconstruction.py ...), not when it is imported
@call_parse
def main(checkpoint:str='general', # the model: a shipped one ('general' or 'default') or a checkpoint path
         episodes:int=200,         # test episodes per cell
         dims:str='2,4,8',         # dimensions D of the cells, comma-separated
         sizes:str='32,128,512',   # context sizes Nc of the cells, comma-separated
         rates:str='0,0.3',        # missing rates of the cells' contexts (MCAR), comma-separated
         workers:int=2,            # worker processes for the classical routes
         out:str='results/reconstruction', # folder of the cached classical scores and of the tables
         json:str=None,            # write the per-cell means and s.e. (or, with --speed, the timings) to this file
         speed:bool=False,         # only time one table (512 rows, Nc = 512, D = 8) by each route on one thread
         classical_only:bool=False, # only fill the cache of classical scores
         dissertation:bool=False,  # only the dissertation's task (D = 2, fully hidden queries, its prior) at Nc 16/64/256
         tune_select:bool=False,   # EM steps per count of the component selection (select_steps), on validation episodes
         tune_classical:bool=False, # the selection with and without the classical fits as candidates (select_classical 0 / 6), on validation episodes
         tune_predictive:bool=False, # the selection with and without posterior-predictive covariances (Refinement.predictive), on validation episodes
         classical_from:str=None,  # score only the model; the other methods' means come from this earlier --json file (same episodes and masks)
        ):
    "Conditional densities p(x_missing | x_observed, context) of the reconstruction model against classical routes fitted to the same context."
    dims, sizes, rates = comma_list(dims, 'dims', int), comma_list(sizes, 'sizes', int), comma_list(rates, 'rates', float)
    if checkpoint not in shipped_models() and not Path(checkpoint).is_file():
        raise UsageError(f"--checkpoint: {checkpoint!r} is neither a shipped model {shipped_models()} nor a checkpoint file")
    if classical_only:
        for D in dims:
            for n in sizes:
                for r in rates:
                    t = time.perf_counter(); classical_cell(D, n, r, episodes, workers, out)
                    print(f'D={D} Nc={n} missing={r:.0%}: classical routes cached ({time.perf_counter() - t:.0f} s)', flush=True)
        return
    model = resolve_model(checkpoint)
    if dissertation:
        from icde_nb.scoring.evaluation import by_context_size, size_table
        from icde_nb.scoring.baselines import baselines, LABELS
        evs = by_context_size({'general': model, 'mdn': resolve_model('default'), **baselines(workers)}, (16, 64, 256), episodes,
                              workers=workers, progress=False)
        tab = size_table(evs, LABELS | {'general': 'general model (any D, missing entries)', 'mdn': 'default model (2-D only)'}, model='general')
        print(tab.markdown())
        if json: write_json(json, dict(header=tab.header, rows=tab.rows, title=tab.title))
        return
    if tune_select or tune_classical or tune_predictive:   # validation episodes of the cells where the selection runs (Nc = 512)
        import torch
        from dataclasses import replace
        from icde_nb.density.conditional import MixtureConditional
        from icde_nb.tabular.reconstruction import conditional_scores
        torch.set_num_threads(1); base = model.refinement
        for D in (4, 8):
            for r in rates:
                ep, ctx, rows = cell_data(D, 512, r, episodes, split="valid")
                truth, spread, gaps = MixtureConditional(ep.mixture, rows), ep.mixture.stddev[:, None], {}
                grid = ([dict(select_steps=n, select_classical=0) for n in (10, 20, 30, 50)] if tune_select else
                        [dict(predictive=b) for b in (False, True)] if tune_predictive else
                        [dict(select_steps=20, select_classical=c) for c in (0, 6)])
                for i, kw in enumerate(grid):
                    t = time.perf_counter()
                    gaps[i] = conditional_scores(model.conditional(ctx, rows, refinement=replace(base, **kw)), truth, ep.query, spread)['gap']
                    d = gaps[i] - gaps[0]
                    print(f'D={D} Nc=512 missing={r:.0%} {kw}: gap {fmt_pm(gaps[i].numpy())}, '
                          f'paired against {grid[0]}: {d.mean():+.4f} ± {d.std() / len(d) ** .5:.4f} ({time.perf_counter() - t:.0f} s)', flush=True)
        return
    if speed:
        times = time_one_table(model)
        print(speed_table(times).markdown())
        if json: write_json(json, {f'{r}|{n}': v for (r, n), v in times.items()}, command=False)   # every key a timing (the notebook reads them all)
        return
    if classical_from: return _versus_earlier(model, checkpoint, classical_from, dims, sizes, rates, episodes, json)
    results = reconstruction_benchmark(model, dims, sizes, rates, episodes, workers, out, progress=False)
    summary = benchmark_summary(results)
    for ((D, Nc, rate), methods), cell in zip(results.items(), summary.values()):
        ours, best = methods[MODEL]['gap'], best_classical(cell)
        d = ours - methods[best]['gap']
        held = f' (episodes {DEV}+ only: {fmt_pm(d[DEV:])})' if len(d) > DEV + 1 else ''
        print(f"D={D} Nc={Nc} missing={rate:.0%}: model {fmt_pm(ours)}, network only {fmt_pm(methods[NETWORK]['gap'])}, best classical "
              f"({best}) {fmt_pm(methods[best]['gap'])}; paired difference {fmt_pm(d)}{held} -> {'model' if d.mean() < 0 else 'classical'} better")
    for key in METRICS:
        tab = benchmark_table(summary, key, episodes); tab.save(Path(out) / key); print('\n' + tab.markdown())
    if json: write_json(json, dict(episodes=episodes, checkpoint=checkpoint, cells=summary))
