"""A probe for #34, not a shipped model: fine-tune the shipped wide network on the prior of mixed tables (density/10_mixed_prior) with
`mixed_loss` for a fixed wall time on one thread, and compare, before and after, the loss on held-out prior tables and the log-loss of
hidden levels on eight real mixed tables (MCAR 30%, seeds 100-101). It answers one question: does training on levels move the levels?
Run from the repository root: OMP_NUM_THREADS=1 python tools/mixed_finetune_probe.py [minutes] > logs/mixed_finetune_probe.log
"""
import copy, math, sys, time, warnings
import numpy as np, torch
warnings.filterwarnings('ignore')
from icde_nb.density.pretrained import load_pretrained
from icde_nb.density.mixed_prior import MixedPrior, mixed_tables, hide_tables, mixed_loss
from icde_nb.tabular.mixed_imputation import mixed_instance, mixed_scores, MixedImputation
from icde_nb.tabular.estimators import InContextImputer

torch.set_num_threads(1)
minutes = float(sys.argv[1]) if len(sys.argv) > 1 else 20.
prior = MixedPrior()

def batch(g):
    D = int(torch.randint(4, 25, (1,), generator=g)); N = int(math.exp(math.log(64) + (math.log(256) - math.log(64)) * torch.rand(1, generator=g).item()))
    B = max(1, min(16, 16384 // (N * D)))
    t, d, L = mixed_tables(prior, B, N + 64, g, dim=D)
    return hide_tables(t[:, :N], prior, g), t[:, N:], d, L

val_g = torch.Generator().manual_seed(12345)
val = [batch(val_g) for _ in range(12)]
def val_loss(m):
    with torch.no_grad(): return float(np.mean([mixed_loss(m, *b)[0].item() for b in val]))

def levels(m):
    out = []
    for t in ['penguins', 'salaries', 'credit', 'cps1985', 'survey', 'mpg', 'carseats', 'wage']:
        for seed in (100, 101):
            inst = mixed_instance(t, 'mcar', 0.3, seed)
            imp = InContextImputer(model=m, random_state=seed).fit(inst['holes'])
            disc = [c.name for c in imp.schema_.columns if c.discrete]
            s = mixed_scores(MixedImputation(imp.transform(inst['holes']), {c: imp.column_proba(inst['holes'], c).to_numpy() for c in disc}), inst)
            out.append((s['logloss'], s['accuracy']))
    return np.mean(out, 0).round(4).tolist()

shipped = load_pretrained('wide')
model = copy.deepcopy(shipped).train()
print(f'before: validation loss {val_loss(shipped):.4f}, real levels (log-loss, accuracy) {levels(shipped)}', flush=True)
opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=1e-4)
g, t0, step = torch.Generator().manual_seed(0), time.time(), 0
while time.time() - t0 < minutes * 60:
    loss = mixed_loss(model, *batch(g))[0]
    opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0); opt.step(); step += 1
    if step % 100 == 0: print(f'step {step} ({(time.time() - t0) / 60:.1f} min): train {loss.item():.4f}, validation {val_loss(model.eval()):.4f}', flush=True); model.train()
model.eval()
print(f'after {step} steps ({(time.time() - t0) / 60:.1f} min): validation loss {val_loss(model):.4f}, real levels (log-loss, accuracy) {levels(model)}', flush=True)
