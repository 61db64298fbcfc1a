"""The width experiment (issue #33, goal 1; `icde_nb.tabular.wide_tables`): conditional densities p(x_missing | x_observed, context)
of the wide model against the classical routes fitted to the same incomplete context, on structured mixtures of the wide prior.

Run: python benchmarks/wide.py [--checkpoint checkpoints/wide.pt] [--episodes 200] [--dims 16,32,64] [--sizes 64,256,1024]
                               [--rates 0,0.3] [--workers 2] [--out results/wide] [--cache nbs/results/wide_classical] [--json PATH]
     python benchmarks/wide.py --classical-only ...   # only fill the cache of classical scores (the slow part; model-free)
     python benchmarks/wide.py --cached-only ...      # only the cells whose classical scores are cached (the others named, skipped)
     python benchmarks/wide.py --tune [--episodes 40]  # the refinement (steps, strength, steps_from, select_from) on valid-split cells;
                                                       # it prints the tools/set_refinement.py command
     python benchmarks/wide.py --speed [--dims 8,32,64] [--json PATH]  # one thread: context to 512 completed rows, against N and the routes
The notebook's tables: --json nbs/results/wide.json.
Cells: D x Nc x context missing rate (MCAR); 64 query rows per episode, each missing about half its entries. Prints, per cell, the
conditional NLL gap (nats per row) of the model and of the best classical route and their paired difference, then the tables of
the gap, the RMSE of the conditional mean (per true spread) and the coverage of central 50% / 90% intervals.
Classical scores do not depend on the model: they are cached as JSON under --cache (one file per cell, kept in the repository) and
reused, so a long run can stop and go on, in a later session too.
"""
import time
from pathlib import Path
from fastcore.script import call_parse
from icde_nb.core import fmt_pm, UsageError, comma_list, write_json
from icde_nb.density.pretrained import resolve_model, shipped_models
from icde_nb.tabular.reconstruction import METRICS, benchmark_summary, best_classical, benchmark_table
from icde_nb.tabular.wide_tables import (WIDE_MODEL, WIDE_NETWORK, wide_classical_cell, wide_cache_path, wide_benchmark, tune_wide_refinement, best_wide_refinement,
                                        time_wide)

# fastcore's call_parse runs main when this file is run (python benchmarks/wide.py ...), not when it is imported
@call_parse
def main(checkpoint:str='checkpoints/wide.pt', # the wide model: a shipped name ('wide') or a checkpoint path
         episodes:int=200,         # test episodes per cell
         dims:str='16,32,64',      # widths D of the cells, comma-separated
         sizes:str='64,256,1024',  # context sizes Nc of the cells, comma-separated
         rates:str='0,0.3',        # missing rates of the cells' contexts (MCAR), comma-separated
         workers:int=2,            # worker processes for the classical routes
         out:str='results/wide',   # folder of the tables (markdown and CSV)
         cache:str='nbs/results/wide_classical', # folder of the cached classical scores (JSON, one file per cell)
         json:str=None,            # write the per-cell means and s.e. to this file
         classical_only:bool=False, # only fill the cache of classical scores
         tune:bool=False,          # only choose the refinement on valid-split cells (D = 8, 16, 64; Nc = 64, 256, 1024; 30% missing)
         speed:bool=False,         # only time the routes on one thread, against the context size, at each of --dims
         cached_only:bool=False,   # score only the cells whose classical routes are in --cache (the others are named and skipped)
        ):
    "Conditional densities of the wide model against classical routes fitted to the same incomplete context, at 16 to 64 columns."
    dims, sizes, rates = comma_list(dims, 'dims', int), comma_list(sizes, 'sizes', int), comma_list(rates, 'rates', float)
    if min(dims) < 2: raise UsageError(f"--dims: every width must be at least 2, got {dims}")
    if classical_only:
        for D in dims:
            for n in sizes:
                for r in rates:
                    t = time.perf_counter(); wide_classical_cell(D, n, r, episodes, workers, cache)
                    print(f'D={D} Nc={n} missing={r:.0%}: classical routes cached ({time.perf_counter() - t:.0f} s)', flush=True)
        return
    if not Path(checkpoint).is_file() and checkpoint not in shipped_models():
        raise UsageError(f"--checkpoint: {checkpoint!r} is neither a shipped model {shipped_models()} nor a checkpoint file")
    model = resolve_model(checkpoint)
    if tune:
        table = tune_wide_refinement(model, episodes=episodes)
        for (k, tau, f, sel), v in table.items():
            print(f'{k} steps, strength {tau:g}, from {f}, select from {sel}: ' + ', '.join(f'{c} {g:.3f}' for c, g in v.items()), flush=True)
        k, tau, f, sel = best_wide_refinement(table)
        print(f'best: {k} steps, strength {tau:g}, from {f}, select from {sel}; set it with: python tools/set_refinement.py CHECKPOINT '
              f'--steps {k} --strength {tau:g} --steps-from {f}' + (f' --select-from {sel} --select-steps 20 --select-classical 6' if sel else ''))
        if json: write_json(json, {f'{k} steps, strength {tau:g}, from {f}, select from {s}': v for (k, tau, f, s), v in table.items()})
        return
    if speed:
        times = {D: time_wide(model, D) for D in dims}
        for D, t in times.items():
            for (route, n), sec in t.items(): print(f'D={D} N={n} {route}: {sec * 1e3:.1f} ms', flush=True)
        if json: write_json(json, {f'{D}|{r}|{n}': v for D, t in times.items() for (r, n), v in t.items()})
        return
    ours = (WIDE_MODEL, WIDE_NETWORK)
    todo = [(D, n, r) for D in dims for n in sizes for r in rates]
    skipped = [c for c in todo if cached_only and not wide_cache_path(cache, *c, episodes).exists()]
    if skipped: print(f'classical routes not cached, cells skipped: {skipped}', flush=True)
    results = {}
    for D, n, r in (c for c in todo if c not in skipped):
        results |= wide_benchmark(model, (D,), (n,), (r,), episodes, workers, cache, progress=False)
    summary = benchmark_summary(results)
    for ((D, Nc, rate), methods), cell in zip(results.items(), summary.values()):
        best = best_classical(cell, ours)
        d = methods[WIDE_MODEL]['gap'] - methods[best]['gap']
        print(f"D={D} Nc={Nc} missing={rate:.0%}: model {fmt_pm(methods[WIDE_MODEL]['gap'])}, network only "
              f"{fmt_pm(methods[WIDE_NETWORK]['gap'])}, best classical ({best}) {fmt_pm(methods[best]['gap'])}; paired difference "
              f"{fmt_pm(d)} -> {'model' if d.mean() < 0 else 'classical'} better", flush=True)
    if json: write_json(json, dict(episodes=episodes, checkpoint=checkpoint, cells=summary, skipped=[list(c) for c in skipped]))
    for key in METRICS:
        tab = benchmark_table(summary, key, episodes, ours); tab.save(Path(out) / key); print('\n' + tab.markdown())
