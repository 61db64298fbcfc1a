"""The flow head's speed (issue #12: the posterior study's time is mostly flows under reverse KL, and their evaluation draws):
zuko's NSF against `FlowHead` (the same spline with its bins' softmax written out, `posterior/02_model`), on the same weights,
measured side by side on one CPU thread, alternating, median of repeats.

Run: python benchmarks/flow_speed.py [--tasks gaussian-16d,mixture-means-64d] [--repeats 9]
Prints per task: milliseconds of a reverse-KL training step (64 data sets of 64 points, 16 draws each: forward, draws, their
density, backward) and of an evaluation batch (256 data sets, 100 draws and their density, no gradients; as the evaluation did
before, in one call, and as it does now, in chunks: `chunked_sample`, `chunked_log_prob`), and the ratios.
"""
import time
from typing import Annotated
import numpy as np, torch, zuko
from fastcore.script import call_parse
from icde_nb.core import UsageError, comma_list
from icde_nb.posterior.model import PosteriorEstimator, posterior_loss
from icde_nb.distributions import chunked_sample, chunked_log_prob
from icde_nb.posterior.registry import TASKS, load_task

def zuko_copy(m):
    "The same estimator with zuko's NSF as its flow (same weights)."
    c = PosteriorEstimator(m.task, m.encoder_name, 'flow', m.d)
    nsf = zuko.flows.NSF(m.task.theta_dim, context=m.d, transforms=3, hidden_features=(64, 64), passes=2)
    nsf.load_state_dict(m.head.flow.state_dict()); c.load_state_dict(m.state_dict()); c.head.flow = nsf
    return c

# fastcore's call_parse runs main when this file is run (python benchmarks/flow_speed.py ...), not when it is imported
@call_parse
def main(tasks:Annotated[str, f"comma-separated, any of {list(TASKS)} (or 'module:function')"]='gaussian-16d,mixture-means-64d',
         repeats:int=9,   # timings of each piece of work; the median is reported
        ):
    "The flow head's speed: zuko's NSF against `FlowHead` on the same weights, a reverse-KL training step and an evaluation batch."
    loaded = {}
    for name in comma_list(tasks, 'tasks'):
        try: loaded[name] = load_task(name)
        except ValueError as e: raise UsageError(f'--tasks: {e}') from None
    torch.set_num_threads(1)
    for name, task in loaded.items():
        torch.manual_seed(0)
        ours = PosteriorEstimator(task, 'transformer', 'flow'); models = {'zuko NSF': zuko_copy(ours), 'FlowHead': ours}
        theta, data = task.sample(64, 64, torch.Generator().manual_seed(0))
        _, evald = task.sample(256, 64, torch.Generator().manual_seed(1))
        def step(m):
            l = posterior_loss(m, theta, data, 'reverse', 16); m.zero_grad(); l.backward()
        def evaluation(m):
            with torch.no_grad(): q = m(evald); q.log_prob(q.sample((100,)))
        def chunked(m):
            with torch.no_grad(): q = m(evald); chunked_log_prob(q, chunked_sample(q, 100))
        work = [('zuko NSF', 'step', step), ('FlowHead', 'step', step), ('zuko NSF', 'eval', evaluation),
                ('FlowHead', 'eval', evaluation), ('FlowHead', 'chunked', chunked)]
        t = {(k, w): [] for k, w, _ in work}
        for _ in range(repeats):
            for k, w, f in work:                                                  # alternating: the same machine state for all
                t0 = time.perf_counter(); f(models[k]); t[k, w].append(time.perf_counter() - t0)
        med = {key: 1e3 * float(np.median(v)) for key, v in t.items()}
        print(f"{name:18s} reverse-KL step    zuko NSF {med['zuko NSF', 'step']:8.1f} ms   FlowHead {med['FlowHead', 'step']:8.1f} ms   "
              f"ratio {med['zuko NSF', 'step'] / med['FlowHead', 'step']:.2f}x")
        print(f"{name:18s} evaluation batch   zuko NSF {med['zuko NSF', 'eval']:8.1f} ms   FlowHead {med['FlowHead', 'eval']:8.1f} ms   "
              f"FlowHead chunked {med['FlowHead', 'chunked']:8.1f} ms   ratio {med['zuko NSF', 'eval'] / med['FlowHead', 'chunked']:.2f}x", flush=True)
