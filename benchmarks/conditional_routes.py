"""Two routes to p(x_missing | x_observed, context), measured side by side (issue #10):
(a) analytic: the network predicts the joint mixture from the context once, and each row's conditional is the exact
    Gaussian-mixture conditional of it (what `TransformerMDN.conditional` does);
(b) tokens: each row enters as a query token carrying its observed coordinates (the dissertation's partial masks,
    [x*m, m, ctx_mean, ctx_std]) and the head's mixture for that token, marginalised to the row's missing coordinates, is
    the conditional. The shipped network was trained on fully masked queries only, so route (b) starts from its weights and
    is fine-tuned on partially observed query tokens (loss: the NLL of each token's missing coordinates) for --steps steps.

Run: python benchmarks/conditional_routes.py [--steps 3000] [--episodes 40] [--threads 1] [--out results/route_b.pt]
Prints, per cell (D x Nc x context missing rate, the reconstruction benchmark's protocol, episodes 40..40+E of each cell), the
conditional NLL gap of route (a) without refinement (network only), route (a) with the default refinement, and route (b), and
the time per episode of each.
"""
import copy, time
from statistics import mean
from dataclasses import replace
from pathlib import Path
import torch
from fastcore.script import call_parse
from icde_nb.core import fmt_pm, mean_se, UsageError, check_out_path, write_json
from icde_nb.distributions import select_episodes
from icde_nb.density.dataset import GENERAL, sample_episodes
from icde_nb.density.conditional import MixtureConditional
from icde_nb.density.masking import normalise
from icde_nb.density.pretrained import resolve_model, save_model
from icde_nb.loop import LoopConfig, train
from icde_nb.tabular.reconstruction import cell_data
from icde_nb.missingness import query_rows

def token_params(model, context, rows):
    "Route (b)'s head parameters (normalised units), one token per row: (B*Nr, ...), and the context mean and std (B, 1, D)."
    B, Nr, D = rows.shape
    seen = ~torch.isnan(rows)
    tk = model.tokenise(context, query=torch.nan_to_num(rows), query_mask=seen)
    p = model.head.marginal({k: v.flatten(0, 1) for k, v in model(tk).items()}, D)      # (B*Nr, ...)
    return p, tk.mean, tk.std

def missing_marginal(q, rows, x):
    """log q(x_m) under per-row mixtures q (batch (B*Nr,)): the marginal at each row's missing entries, (B, Nr).

    Conditioning q on the row's observed entries would count them twice (the token already saw them); the marginal on the
    missing entries is MixtureConditional's `log_observed` of the rows with the roles swapped (observed hidden, missing shown)."""
    B, Nr, D = rows.shape
    swapped = torch.where(torch.isnan(rows), x, torch.tensor(float('nan'))).reshape(B * Nr, 1, D)
    return MixtureConditional(q, swapped).log_observed.reshape(B, Nr)

def token_log_prob(model, context, rows, x):
    "Route (b): log q(x_m | x_o, C) in raw units, one query token per row, (B, Nr)."
    B, Nr, D = rows.shape
    p, mean, std = token_params(model, context, rows)
    rep = lambda t: t.expand(B, Nr, D).reshape(B * Nr, 1, D)
    return missing_marginal(model.head.distribution(p, rep(mean), rep(std)), rows, x).float()

def token_loss(model, batch):
    "Fine-tuning loss of route (b): mean NLL (normalised units) of each query token's missing coordinates."
    context, query, rows = batch
    p, mean, std = token_params(model, context, rows)
    nll = -missing_marginal(model.head.distribution(p), rows, normalise(query, mean, std)).mean().float()
    return nll, nll

# fastcore's call_parse runs main when this file is run (python benchmarks/conditional_routes.py ...), not when it is imported
@call_parse
def main(steps:int=3000,  # fine-tuning steps of route (b) from the general checkpoint
         episodes:int=40, # test episodes per cell (episodes 40 .. 40 + episodes of each cell)
         threads:int=1,   # torch threads
         out:str='results/route_b.pt', # where to save route (b)'s fine-tuned checkpoint
         load:str=None,   # evaluate this fine-tuned checkpoint instead of training one
         json:str=None,   # write the per-cell results here (the notebook reads nbs/results/conditional_routes.json)
        ):
    "Two routes to p(x_missing | x_observed, context), side by side: the exact conditional of the predicted joint, and query tokens."
    if load and not Path(load).is_file(): raise UsageError(f'--load: no checkpoint at {load}')
    if not load: check_out_path(out)
    torch.set_num_threads(threads)
    base = resolve_model('general')
    prior = replace(GENERAL, dim_min=2)                                                  # rows need one observed and one missing entry

    def sample(gen):
        nc = int(torch.randint(16, 513, (1,), generator=gen))
        ep = sample_episodes(prior, 32, nc, 64, gen)
        return ep.context, ep.query, query_rows(ep.query, gen)

    if load: tok = resolve_model(load)
    else:
        t = time.perf_counter()
        tok, hist = train(lambda: copy.deepcopy(base), token_loss, sample, LoopConfig(steps=steps, lr=3e-4, warmup=100, val_every=0, seed=1),
                          out=None, progress=False)
        print(f'route (b): fine-tuned {steps} steps from the general checkpoint in {(time.perf_counter() - t) / 60:.1f} min; '
              f'loss {mean(hist["train_loss"][:100]):.3f} (first 100 steps) -> {mean(hist["train_loss"][-100:]):.3f} (last 100)', flush=True)
        save_model(tok, out)
    tok.eval()
    E, table = episodes, {}
    for D in (2, 4, 8):
        for Nc in (32, 128, 512):
            for rate in (0., 0.3):
                ep, ctx, rows = cell_data(D, Nc, rate, 40 + E)
                sl = slice(40, 40 + E)
                ep_mix, ctx, rows, x = select_episodes(ep.mixture, sl), ctx[sl], rows[sl], ep.query[sl]
                truth = MixtureConditional(ep_mix, rows).log_prob(x)
                res = {}
                for name, f in (('(a) network only', lambda: base.conditional(ctx, rows, refine=0, select_from=0).log_prob(x)),
                                ('(a) default refinement', lambda: base.conditional(ctx, rows).log_prob(x)),
                                ('(b) tokens', lambda: token_log_prob(tok, ctx, rows, x))):
                    t = time.perf_counter()
                    with torch.no_grad(): lp = f()
                    res[name] = ((truth - lp).mean(1), (time.perf_counter() - t) / E * 1e3)
                d = res['(b) tokens'][0] - res['(a) network only'][0]
                table[f'D={D} Nc={Nc} miss={rate:.0%}'] = {n: [*(float(v) for v in mean_se(g.numpy())), ms] for n, (g, ms) in res.items()}
                print(f'D={D} Nc={Nc} missing={rate:.0%}: ' + '; '.join(f'{n} {fmt_pm(g)} ({ms:.0f} ms/episode)' for n, (g, ms) in res.items())
                      + f'; (b) - (a) network only: {fmt_pm(d)}', flush=True)
    if json: write_json(json, dict(steps=steps, episodes=E, cells=table))
