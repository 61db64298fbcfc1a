"""Exercise the library's GPU path on a CUDA machine and compare it with the CPU path, check by check.

Run: python tools/gpu_check.py [--out gpu_check.json]
Each check runs the same work on 'cpu' and on 'cuda' (training the tiny presets, fp32 and bf16; the shipped models' predict,
refinement and conditionals; the scikit-learn estimators with device='cuda'), reports the largest difference, and never stops
at a failure: every check's traceback is kept. It ends with throughputs (training steps and predictions per second) for the
training notebook's GPU plan. Not a test of the CI: CI has no GPU.
"""
import json, time, traceback
from dataclasses import replace
import numpy as np
import torch
from fastcore.script import call_parse
from icde_nb.core import write_json

R, ONLY = {}, None
def check(name):
    "Run a check, record its result or its traceback, print one line."
    def deco(fn):
        if ONLY and ONLY not in name: return fn
        t = time.perf_counter()
        try: R[name] = dict(ok=True, result=fn())
        except Exception: R[name] = dict(ok=False, error=traceback.format_exc()[-3000:])
        R[name]['seconds'] = round(time.perf_counter() - t, 2)
        print(f"{'PASS' if R[name]['ok'] else 'FAIL'} {name} ({R[name]['seconds']} s): {R[name].get('result', R[name].get('error'))}", flush=True)
        return fn
    return deco

def sync(): torch.cuda.synchronize() if torch.cuda.is_available() else None
def gap(a, b)->float: return float((torch.as_tensor(a).double().cpu() - torch.as_tensor(b).double().cpu()).abs().max())

# fastcore's call_parse runs main when this file is run (python tools/gpu_check.py ...), not when it is imported
@call_parse
def main(out:str='gpu_check.json', # where to write every check's result (as {'command', 'checks'}: nbs/results/gpu_check.json's form)
         dry:bool=False,           # run every check with 'cpu' in place of 'cuda' (to test this script)
         only:str=None,            # run only the checks whose name contains this
        ):
    "Exercise the library's GPU path on a CUDA machine and compare it with the CPU path, check by check."
    global ONLY
    G, ONLY = ('cpu' if dry else 'cuda'), only
    from icde_nb.density.training import PRESETS, fit
    from icde_nb.density.pretrained import resolve_model
    from icde_nb.density.dataset import sample_episodes, GENERAL
    from icde_nb.core import UsageError, resolve_device

    @check('environment')
    def _():
        return dict(torch=torch.__version__, cuda=torch.version.cuda, gpu=torch.cuda.get_device_name(0) if not dry else None,
                    bf16=torch.cuda.is_bf16_supported() if not dry else None, auto=str(resolve_device('auto')))

    @check('device errors')
    def _():
        for bad in ('mps', 'cuda:7', 'tpu'):
            try: resolve_device(bad); return f'{bad} accepted'
            except UsageError: pass
        return 'mps, cuda:7 and tpu refused with UsageError'

    for preset in ('tiny', 'tiny_general'):
        @check(f'train {preset}: cpu vs cuda fp32 vs cuda bf16')
        def _():
            mc, tc = PRESETS[preset]
            h = {d: fit(mc, replace(tc, bf16=bf), device=dev, progress=False)[1]
                 for d, dev, bf in [('cpu', 'cpu', False), ('cuda', G, False), ('cuda-bf16', G, True)]}
            l = {d: np.array(v['train_loss']) for d, v in h.items()}
            assert all(np.isfinite(v).all() for v in l.values())
            return dict(first_loss={d: round(float(v[0]), 5) for d, v in l.items()},
                        max_loss_gap_fp32=float(np.abs(l['cpu'] - l['cuda']).max()),
                        max_loss_gap_bf16=float(np.abs(l['cpu'] - l['cuda-bf16']).max()),
                        val={d: v['val'][-1] for d, v in h.items()})

    g = torch.Generator().manual_seed(0)
    ep2 = sample_episodes(PRESETS['default'][1].prior, 64, 128, 64, g)
    @check('default model predict (refined): cpu vs cuda')
    def _():
        out = {}
        for dev in ('cpu', G):
            m = resolve_model('default', dev)
            q = m.predict(ep2.context)                                  # context on the CPU, model on dev
            out[dev] = q.log_prob(ep2.query.transpose(0, 1).to(dev)).cpu()
        return dict(mean_logp=float(out['cpu'].mean()), max_gap=gap(out['cpu'], out[G]))

    g = torch.Generator().manual_seed(1)
    ep8 = sample_episodes(replace(GENERAL, dim_min=8), 4, 512, 64, g)
    ctx = ep8.context.clone(); ctx[torch.rand(ctx.shape, generator=g) < 0.2] = float('nan')
    rows = ep8.query.clone(); rows[torch.rand(rows.shape, generator=g) < 0.3] = float('nan')
    for name in ('general', 'tabular'):
        @check(f'{name}: predict, conditional (log_prob, mean, sample) with NaNs, cpu vs cuda')
        def _():
            out = {}
            for dev in ('cpu', G):
                m = resolve_model(name, dev)
                q = m.predict(ctx)
                c = m.conditional(ctx, rows)
                torch.manual_seed(0)
                s = c.sample((4,))
                assert s.device.type == dev and torch.isfinite(s).all()
                out[dev] = dict(joint=q.log_prob(ep8.query.transpose(0, 1).to(dev)).cpu(), cond=c.log_prob(ep8.query.to(dev)).cpu(),
                                mean=c.mean.cpu(), kept=bool((s.cpu()[:, ~torch.isnan(rows)] == rows[~torch.isnan(rows)]).all()))
            return dict(mean_cond_logp=float(out['cpu']['cond'].mean()), joint_gap=gap(out['cpu']['joint'], out[G]['joint']),
                        cond_gap=gap(out['cpu']['cond'], out[G]['cond']), mean_gap=gap(out['cpu']['mean'], out[G]['mean']),
                        observed_kept=out[G]['kept'])

    @check('estimators with device="cuda" vs "cpu"')
    def _():
        from icde_nb.tabular.estimators import InContextDensity, InContextImputer
        rng = np.random.default_rng(0)
        X = rng.standard_normal((700, 5)) @ rng.standard_normal((5, 5)); Xm = X.copy(); Xm[rng.random(X.shape) < .25] = np.nan
        out = {}
        for dev in ('cpu', G):
            d = InContextDensity(random_state=0, device=dev).fit(Xm)
            imp = InContextImputer(random_state=0, device=dev).fit(Xm)
            out[dev] = dict(score=d.score_samples(X[:50]), filled=imp.transform(Xm[:50]), draws=imp.conditional(Xm[:50]).sample((3,)).cpu(),
                            sample=d.sample(5, random_state=0))
        assert not np.isnan(out[G]['filled']).any()
        return dict(score_gap=gap(out['cpu']['score'], out[G]['score']), filled_gap=gap(out['cpu']['filled'], out[G]['filled']),
                    draws_finite=bool(torch.isfinite(out[G]['draws']).all()), sample_shape=list(np.shape(out[G]['sample'])))

    @check('throughput: training steps per second, general preset (batch 32 / 128 / 512), cuda fp32 and bf16')
    def _():
        from icde_nb.density.training import mdn_loss
        from icde_nb.loop import make_optimizer
        from icde_nb.density.model import TransformerMDN
        mc, tc = PRESETS['general']
        res = {}
        for bs in ((8,) if dry else (32, 128, 512)):
            for bf in (False, True):
                m = TransformerMDN(mc).to(G); opt, _ = make_optimizer(m, tc)
                gg = torch.Generator().manual_seed(0)
                batches = [sample_episodes(tc.prior, bs, 512, tc.n_query, gg) for _ in range(3)]
                batches = [(b.context.to(G), b.query.to(G)) for b in batches]
                def step(b):
                    with torch.autocast(G, torch.bfloat16, enabled=bf): loss = mdn_loss(m, *b, tc.entropy_weight)[0]
                    opt.zero_grad(); loss.backward(); opt.step()
                for b in batches: step(b)
                sync(); t = time.perf_counter(); n = 10
                for i in range(n): step(batches[i % 3])
                sync(); dt = (time.perf_counter() - t) / n
                res[f'batch {bs}{" bf16" if bf else ""}'] = dict(steps_per_s=round(1 / dt, 1), episodes_per_s=round(bs / dt))
        gg = torch.Generator().manual_seed(0)
        t = time.perf_counter(); [sample_episodes(tc.prior, 512, 512, tc.n_query, gg) for _ in range(1 if dry else 3)]
        res['episode sampling on the CPU, batch 512'] = dict(episodes_per_s=round((1 if dry else 3) * 512 / (time.perf_counter() - t)))
        return res

    @check('throughput: predict, 256 tables of 512 rows, D = 8, network only and refined')
    def _():
        m = resolve_model('general', G)
        gg = torch.Generator().manual_seed(0)
        nt = 8 if dry else 256
        c = sample_episodes(replace(GENERAL, dim_min=8), nt, 512, 1, gg).context
        res = {}
        for refine in (0, None):
            kw = dict(refine=0, select_from=0) if refine == 0 else {}
            m.predict(c, **kw); sync(); t = time.perf_counter(); m.predict(c, **kw); sync()
            res['network only' if refine == 0 else 'refined'] = dict(ms_per_table=round(1e3 * (time.perf_counter() - t) / nt, 3))
        return res

    write_json(out, dict(checks=json.loads(json.dumps(R, default=str))))   # anything not plain JSON as its str
    print(f"\n{sum(v['ok'] for v in R.values())} of {len(R)} checks ran without error; details in {out}")
