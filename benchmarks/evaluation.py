"""Wall time of a full evaluation: 100 test episodes, every metric (WD, MMD, 3 KLs, NLL gap, calibration), the model
and every baseline and reference, with the per-episode work spread over the CPU's cores.

Run: python benchmarks/evaluation.py [--episodes 100] [--workers N]
"""
import os, time
from fastcore.script import call_parse
from icde_nb.density.pretrained import resolve_model
from icde_nb.scoring.evaluation import evaluate, test_episodes, metrics_table
from icde_nb.scoring.baselines import baselines

# fastcore's call_parse runs main when this file is run (python benchmarks/evaluation.py ...), not when it is imported
@call_parse
def main(episodes:int=100, # test episodes of the default setting
         workers:int=None, # worker processes (default: CPU count)
        ):
    "Wall time of a full evaluation: every metric, the model and every baseline and reference, spread over the CPU's cores."
    model, ep = resolve_model('default'), test_episodes('default', episodes)
    t = time.perf_counter()
    ev = evaluate({'mdn': model, **baselines(workers)}, ep, workers=workers, progress=False)
    dt = time.perf_counter() - t
    print(metrics_table(ev).markdown())
    print(f"\n{episodes} episodes x {len(ev.methods)} methods x every metric: {dt:.1f} s wall time "
          f"({workers or os.cpu_count()} worker processes)")
