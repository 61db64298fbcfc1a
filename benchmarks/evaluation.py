"""Wall time of a full evaluation: 100 test episodes, every metric (WD, MMD, 3 KLs, NLL gap, calibration), the model
and every baseline and reference, with the per-episode work spread over the CPU's cores.

Run: python benchmarks/evaluation.py [--episodes 100] [--workers N]
"""
import argparse, os, time
from icde_nb.density.model import load_pretrained
from icde_nb.scoring.evaluation import evaluate, test_episodes, metrics_table
from icde_nb.scoring.baselines import baselines

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--episodes', type=int, default=100); ap.add_argument('--workers', type=int, default=None)
    a = ap.parse_args()
    model, ep = load_pretrained(), test_episodes('default', a.episodes)
    t = time.perf_counter()
    ev = evaluate({'mdn': model, **baselines(a.workers)}, ep, workers=a.workers, progress=False)
    dt = time.perf_counter() - t
    print(metrics_table(ev).markdown())
    print(f"\n{a.episodes} episodes x {len(ev.methods)} methods x every metric: {dt:.1f} s wall time "
          f"({a.workers or os.cpu_count()} worker processes)")
