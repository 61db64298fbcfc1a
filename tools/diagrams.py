"""Schematic diagrams of in-context density estimation (ICDE): the setup, the Transformer-MDN and its training loop.

Run from the repository root: python tools/diagrams.py  (writes nbs/images/fig1_1.png, fig2_3.png, fig2_4.png, the
figures shown in density/00_dataset, density/04_model and density/08_training). Figure 1.1's "predicted" panels are a schematic: they show an EM fit
to each context, not the network (the network's own predictions are in 90_report).

Standalone: needs only matplotlib and numpy. Every function returns a `matplotlib.figure.Figure` drawn on a
canvas whose data units are 0.1 inch, so the layouts below are in tenths of an inch."""

import numpy as np
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, FancyArrowPatch, Rectangle, Circle
from matplotlib.lines import Line2D

__all__ = ['plot_icde_setup', 'plot_architecture', 'plot_training_pipeline']

# ---------------------------------------------------------------- shared style
CTX, QRY = '#c8384b', '#2f6db5'             # context red, query blue (as in the data panels)
CTX_FC, QRY_FC = '#fbe3e6', '#e2ecf8'       # their soft fills
NET_FC, NET_EC = '#ece8f6', '#5e4f96'       # the network
OUT_FC, OUT_EC = '#e6f3ec', '#2f7d57'       # densities / outputs
LOSS_FC, LOSS_EC = '#fdf0dc', '#b7701c'     # loss / optimiser
GREY_FC, GREY_EC = '#f2f2f2', '#6b6b6b'     # neutral steps
INK, MUTED = '#222222', '#555555'
FS = 9.5                                    # base font size (pt)


def _canvas(w:float=10., # figure width (inches)
            h:float=4.5, # figure height (inches)
           )->tuple:     # (figure, full-figure axes in units of 0.1 inch)
    "A blank figure whose single axes covers it, in units of 0.1 inch."
    fig = plt.figure(figsize=(w, h), dpi=100)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, 10 * w); ax.set_ylim(0, 10 * h); ax.axis('off')
    ax.patch.set_visible(False)
    return fig, ax


def _panel(fig, ax0, x, y, w, h):
    "An axes at canvas position (x, y, w, h), in the 0.1-inch units of `ax0`."
    W, H = ax0.get_xlim()[1], ax0.get_ylim()[1]
    a = fig.add_axes([x / W, y / H, w / W, h / H])
    a.set_xticks([]); a.set_yticks([])
    for s in a.spines.values(): s.set_color('#9a9a9a'); s.set_linewidth(.8)
    return a


def _box(ax, cx, cy, w, h, text='', fc=GREY_FC, ec=GREY_EC, fs=FS, lw=1.3, weight='normal', ls='-',
         color=INK, pad=.35, r=.8, z=2, **kw):
    "A rounded box centred at (cx, cy) with (multi-line) centred text; returns the patch."
    p = FancyBboxPatch((cx - w / 2, cy - h / 2), w, h, boxstyle=f'round,pad={pad},rounding_size={r}',
                       fc=fc, ec=ec, lw=lw, ls=ls, zorder=z)
    ax.add_patch(p)
    if text: ax.text(cx, cy, text, ha='center', va='center', fontsize=fs, color=color, weight=weight,
                     zorder=z + 1, linespacing=1.35, **kw)
    return p


def _arrow(ax, a, b, color='#444444', lw=1.4, rad=0., ls='-', patchA=None, patchB=None, ms=13, z=4, sA=2, sB=2):
    "An arrow from point (or patch) a to point (or patch) b, optionally curved by `rad`."
    p = FancyArrowPatch(a, b, arrowstyle='-|>', mutation_scale=ms, color=color, lw=lw, ls=ls,
                        connectionstyle=f'arc3,rad={rad}', patchA=patchA, patchB=patchB,
                        shrinkA=sA, shrinkB=sB, zorder=z)
    ax.add_patch(p)
    return p


def _poly_arrow(ax, pts, color='#444444', lw=1.3, ls='-', z=4, ms=11):
    "A polyline through `pts` ending in an arrow head."
    pts = np.asarray(pts, float)
    ax.plot(pts[:-1, 0], pts[:-1, 1], color=color, lw=lw, ls=ls, zorder=z, solid_capstyle='butt')
    ax.add_patch(FancyArrowPatch(tuple(pts[-2]), tuple(pts[-1]), arrowstyle='-|>', mutation_scale=ms,
                                 color=color, lw=lw, ls=ls, shrinkA=0, shrinkB=0, zorder=z))


# ---------------------------------------------------------------- toy Gaussian mixtures (numpy)
def _random_gmm(rng, K=None):
    "A random 2-D mixture with diagonal components, like the training prior: (weights, means, stds)."
    K = int(rng.integers(2, 6)) if K is None else K
    for _ in range(200):                                    # keep components apart so the picture reads well
        means = rng.normal(0., 3., (K, 2))
        d = np.linalg.norm(means[:, None] - means[None], axis=-1) + 1e9 * np.eye(K)
        if d.min() > 2.2 and np.abs(means).max() < 5.5: break
    stds = rng.uniform(.35, 1.2, (K, 2))
    w = rng.dirichlet(np.full(K, 4.))
    return w, means, stds


def _sample(rng, g, n):
    "n points from mixture g."
    w, m, s = g
    c = rng.choice(len(w), n, p=w)
    return m[c] + s[c] * rng.standard_normal((n, 2))


def _pdf(g, X):
    "Density of mixture g at points X (..., 2)."
    w, m, s = g
    z = (X[..., None, :] - m) / s                                           # (..., K, 2)
    return (w * np.exp(-.5 * (z ** 2).sum(-1)) / (2 * np.pi * s.prod(-1))).sum(-1)


def _em_fit(x, K, rng, restarts=5, floor=.25):
    "A diagonal-GMM EM fit to the context, best of a few restarts (a stand-in for the network's prediction)."
    fits = [_em_once(x, K, rng, floor=floor) for _ in range(restarts)]
    return max(fits, key=lambda g: np.log(_pdf(g, x) + 1e-300).sum())


def _em_once(x, K, rng, iters=60, floor=.25):
    "One EM run from a k-means++ style start."
    m = x[[int(rng.integers(len(x)))]]
    for _ in range(K - 1):                                                  # k-means++ style start
        d = ((x[:, None] - m[None]) ** 2).sum(-1).min(1)
        m = np.vstack([m, x[int(rng.choice(len(x), p=d / d.sum()))]])
    s, w = np.full((K, 2), x.std(0)), np.full(K, 1 / K)
    for _ in range(iters):
        z = (x[:, None] - m) / s
        lp = np.log(w) - .5 * (z ** 2).sum(-1) - np.log(s).sum(-1)
        r = np.exp(lp - lp.max(1, keepdims=True)); r /= r.sum(1, keepdims=True)
        nk = r.sum(0) + 1e-9
        w, m = nk / nk.sum(), (r.T @ x) / nk[:, None]
        s = np.sqrt((r[..., None] * (x[:, None] - m) ** 2).sum(0) / nk[:, None] + floor ** 2)
    return w, m, s


# ---------------------------------------------------------------- Figure 1.1
def plot_icde_setup(seed:int=0, # seed of the random mixtures and points drawn in the episode panels
                   )->Figure:   # the figure (10 x 4.5 in)
    "Figure 1.1: many episodes, context visible and queries hidden, one shared network returning each density in one pass."
    rng = np.random.default_rng(seed)
    fig, ax = _canvas(10., 4.5)
    fig.text(.5, .975, 'Figure 1.1: the ICDE setup', ha='center', va='top', fontsize=11, weight='bold', color=INK)

    P, xl, xr = 15.5, 3.5, 81.                                   # panel side; x of episode and output panels
    ys = (21.5, 2.2)                                             # bottom of the two rows
    n_ctx, n_q = (40, 90), 25
    boxL, boxR, boxB, boxT = 33., 67., 9., 35.                  # the network box
    for i, (y0, nc) in enumerate(zip(ys, n_ctx)):
        g = _random_gmm(rng, K=int(rng.integers(2, 6)))
        ctx, qry = _sample(rng, g, nc), _sample(rng, g, n_q)
        pts = np.vstack([ctx, qry, g[1] - 1.5 * g[2], g[1] + 1.5 * g[2]])
        mid, half = (pts.max(0) + pts.min(0)) / 2, (pts.max(0) - pts.min(0)).max() / 2 + .6
        lims = [(mid[0] - half, mid[0] + half), (mid[1] - half, mid[1] + half)]
        gx, gy = np.linspace(*lims[0], 90), np.linspace(*lims[1], 90)
        XY = np.stack(np.meshgrid(gx, gy), -1)       # densities are drawn on a sqrt scale: flat components stay visible
        # a deck of cards behind the panel: "many episodes"
        for k in (2, 1):
            ax.add_patch(Rectangle((xl - .9 * k, y0 - .9 * k), P, P, fc='white', ec='#b5b5b5', lw=.8, zorder=1))
        a = _panel(fig, ax, xl, y0, P, P)
        a.contour(gx, gy, np.sqrt(_pdf(g, XY)), levels=5, colors='#9a9a9a', linewidths=.7, alpha=.8)
        a.scatter(*ctx.T, s=16, facecolors='none', edgecolors=CTX, lw=1., zorder=3)
        a.scatter(*qry.T, s=16, marker='x', color=QRY, lw=1., zorder=3)
        a.set_xlim(lims[0]); a.set_ylim(lims[1])
        a.set_title(f'episode {i + 1}:  K = {len(g[0])},  $N_c$ = {nc}', fontsize=FS, pad=3, color=INK)

        b = _panel(fig, ax, xr, y0, P, P)
        q = _em_fit(ctx, len(g[0]), rng)
        b.contourf(gx, gy, np.sqrt(_pdf(q, XY)), levels=7, cmap='Purples', alpha=.9)
        b.contour(gx, gy, np.sqrt(_pdf(g, XY)), levels=5, colors='#7a7a7a', linewidths=.6, alpha=.6)
        b.scatter(*qry.T, s=14, marker='x', color=QRY, lw=.9, zorder=3)
        b.set_xlim(lims[0]); b.set_ylim(lims[1])
        b.set_title(rf'$q_\theta(x \mid \mathrm{{context\ {i + 1}}})$', fontsize=FS + .5, pad=3, color=INK)

        yc = y0 + P / 2
        yb = (boxT + boxB) / 2 + (5.5 if i == 0 else -5.5)
        _arrow(ax, (xl + P + .4, yc), (boxL - .6, yb), color=MUTED, lw=1.5, ms=14)
        _arrow(ax, (boxR + .6, yb), (xr - .4, yc), color=NET_EC, lw=1.5, ms=14)

    ax.text((xl + P + boxL) / 2, 22, 'context\n+ masked\nqueries', ha='center', va='center', fontsize=FS,
            color=MUTED, linespacing=1.3)
    ax.text((boxR + xr) / 2, 22, 'a density\nper episode', ha='center', va='center', fontsize=FS,
            color=NET_EC, linespacing=1.3)

    # the network box
    cx = (boxL + boxR) / 2
    _box(ax, cx, (boxT + boxB) / 2, boxR - boxL, boxT - boxB, fc=NET_FC, ec=NET_EC, lw=1.6, r=1.2)
    ax.text(cx, boxT - 1.6, 'one shared transformer', ha='center', va='center', fontsize=11.5,
            weight='bold', color=NET_EC)
    ax.text(cx, boxT - 4.2, r'same weights $\theta$ for every episode', ha='center', va='center',
            fontsize=FS, color=INK)
    # a strip of tokens: the set the network reads
    sq, gap, n_c, n_qt = 2.1, .45, 6, 3
    x0 = cx - ((n_c + n_qt) * (sq + gap) + 1.2) / 2
    yt = 24.6
    for j in range(n_c + n_qt):
        isq = j >= n_c
        xx = x0 + j * (sq + gap) + (1.2 if isq else 0)
        ax.add_patch(Rectangle((xx, yt), sq, sq, fc='white' if isq else CTX_FC, ec=QRY if isq else CTX,
                               lw=1.1, hatch='////' if isq else None, zorder=3))
    ax.text(cx, yt - 1.6, r'context tokens $[x\odot m,\ m,\ \mu_c,\ \sigma_c]$', ha='center', va='center',
            fontsize=FS, color=CTX)
    ax.text(cx, yt - 3.9, r'query tokens $[0,\ 0,\ \mu_c,\ \sigma_c]$  (x hidden)', ha='center',
            va='center', fontsize=FS, color=QRY)
    ax.text(cx, 16.6, 'amortized: no per-episode fitting', ha='center', va='center', fontsize=FS, color=INK)
    ax.text(cx, 14.2, 'one forward pass gives a K-component mixture', ha='center', va='center',
            fontsize=FS, color=INK)
    ax.text(cx, 11.4, '(optional: a few MAP-EM steps on the context)', ha='center', va='center',
            fontsize=FS, color=MUTED, style='italic')

    handles = [Line2D([], [], ls='', marker='o', mfc='none', mec=CTX, ms=6, label='context (visible)'),
               Line2D([], [], ls='', marker='x', color=QRY, ms=6, label='query (hidden)'),
               Line2D([], [], color='#8a8a8a', lw=1, label='true density'),
               Rectangle((0, 0), 1, 1, fc='#9e8fc8', ec='none', label='predicted density')]
    ax.legend(handles=handles, loc='lower center', bbox_to_anchor=(.5, .005), ncol=2, fontsize=FS,
              frameon=False, handletextpad=.4, columnspacing=1.2, borderaxespad=0)
    return fig


# ---------------------------------------------------------------- Figure 2.3
def _token_matrix(ax, x0, y0, cw=2.0, ch=1.5, n_c=4, n_q=3):
    "The token matrix: context rows [x*m, m, mu_c, sigma_c] and query rows [0, 0, mu_c, sigma_c] (D = 2)."
    heads = [r'$x\odot m$', r'$m$', r'$\mu_c$', r'$\sigma_c$']
    ytop = y0 + (n_c + n_q) * ch
    for gi, hd in enumerate(heads):
        ax.text(x0 + (2 * gi + 1) * cw, ytop + .9, hd, ha='center', va='bottom', fontsize=FS, color=INK)
    for r in range(n_c + n_q):
        isq = r >= n_c
        y = ytop - (r + 1) * ch
        for c in range(8):
            zero = isq and c < 4
            fc = ('#ffffff' if zero else QRY_FC) if isq else CTX_FC
            ax.add_patch(Rectangle((x0 + c * cw, y), cw, ch, fc=fc, ec='white' if not isq else '#c9d7ec',
                                   lw=.8, zorder=2))
            if zero: ax.text(x0 + (c + .5) * cw, y + ch / 2, '0', ha='center', va='center', fontsize=FS - .5,
                             color=QRY, zorder=3)
            elif c < 4 and not isq:
                ax.text(x0 + (c + .5) * cw, y + ch / 2, '$x$' if c < 2 else '1', ha='center', va='center',
                        fontsize=FS - .5, color=CTX, zorder=3)
    for gi in range(1, 4):                                           # group separators
        ax.plot([x0 + 2 * gi * cw] * 2, [y0, ytop], color='#777777', lw=.9, zorder=3)
    ax.add_patch(Rectangle((x0, y0), 8 * cw, (n_c + n_q) * ch, fc='none', ec='#555555', lw=1., zorder=3))
    ax.plot([x0, x0 + 8 * cw], [y0 + n_q * ch] * 2, color='#555555', lw=1., zorder=3)
    ax.text(x0 - .6, y0 + n_q * ch + n_c * ch / 2, 'context', rotation=90, ha='right', va='center',
            fontsize=FS, color=CTX)
    ax.text(x0 - .6, y0 + n_q * ch / 2, 'query', rotation=90, ha='right', va='center', fontsize=FS, color=QRY)
    return ytop


def plot_architecture()->Figure: # the figure (10 x 4.5 in)
    "Figure 2.3: tokens -> embedding -> L masked pre-LN transformer blocks -> MDN head -> density in raw units."
    fig, ax = _canvas(10., 4.5)
    fig.text(.5, .975, 'Figure 2.3: the Transformer-MDN architecture', ha='center', va='top', fontsize=11,
             weight='bold', color=INK)
    yrow = 30.5                                                      # centre line of the top row

    # 1. tokens
    x0 = 3.2
    _token_matrix(ax, x0, 24.6)
    ax.text(x0 + 8., 23.4, r'tokens  $(B,\ N,\ 4D)$', ha='center', va='top', fontsize=FS, color=INK)
    ax.text(x0 + 8., 21.3, r'$N = N_c + N_q$', ha='center', va='top', fontsize=FS, color=MUTED)

    # 2. embedding
    _box(ax, 30.2, yrow, 11.6, 11.5, fc=NET_FC, ec=NET_EC)
    ax.text(30.2, yrow + 3.6, 'linear\nembedding', ha='center', va='center', fontsize=FS, color=INK, zorder=5,
            linespacing=1.2)
    ax.text(30.2, yrow - .1, '+ segment\nembedding', ha='center', va='center', fontsize=FS, color=INK, zorder=5,
            linespacing=1.2)
    ax.text(30.2, yrow - 4.0, r'$(B,\ N,\ d_{model})$', ha='center', va='center', fontsize=FS, color=MUTED,
            zorder=5)
    _arrow(ax, (x0 + 16.3, yrow), (23.6, yrow), sA=1, sB=1)

    # 3. L x transformer block
    bl, br, bb, bt = 42.5, 97., 20.5, 40.
    _arrow(ax, (36.6, yrow), (bl - .3, yrow), sA=1, sB=1)
    _box(ax, (bl + br) / 2, (bb + bt) / 2, br - bl, bt - bb, fc='#f7f5fc', ec=NET_EC, lw=1.5, r=1.)
    ax.text(bl + .6, bt - .3, r'$L\,\times$ pre-LayerNorm transformer block', ha='left', va='top',
            fontsize=FS + .5, weight='bold', color=NET_EC)
    ax.text((bl + br) / 2, bb + .5, 'no positional encoding: the context is a set', ha='center',
            va='bottom', fontsize=FS, style='italic', color=MUTED)
    hy = 5.                                                          # element height
    els = [('LN', 47.5, 4.6, GREY_FC, GREY_EC), ('masked\nself-attention', 57.5, 11.5, NET_FC, NET_EC),
           ('+', 67.5, 0, None, None), ('LN', 73.5, 4.6, GREY_FC, GREY_EC),
           ('MLP\n(GELU)', 82.5, 7.6, NET_FC, NET_EC), ('+', 91.5, 0, None, None)]
    xs_in = []
    for t, cx, w, fc, ec in els:
        if t == '+':
            ax.add_patch(Circle((cx, yrow), 1.15, fc='white', ec='#444444', lw=1.2, zorder=4))
            ax.text(cx, yrow - .05, '+', ha='center', va='center', fontsize=FS + 2, zorder=5)
            xs_in.append((cx - 1.15, cx + 1.15))
        else:
            _box(ax, cx, yrow, w, hy, t, fc=fc, ec=ec, pad=.2, r=.5, z=4)
            xs_in.append((cx - w / 2 - .2, cx + w / 2 + .2))
    ax.plot([bl - .3, xs_in[0][0]], [yrow, yrow], color='#444444', lw=1.3, zorder=3)
    for (l0, r0), (l1, r1) in zip(xs_in[:-1], xs_in[1:]):
        _arrow(ax, (r0, yrow), (l1, yrow), sA=0, sB=0, ms=10, lw=1.2)
    _arrow(ax, (xs_in[-1][1], yrow), (br - .6, yrow), sA=0, sB=0, ms=10, lw=1.2)
    # residual connections: over the attention, under the MLP
    _poly_arrow(ax, [(44.3, yrow), (44.3, yrow + 5.2), (67.5, yrow + 5.2), (67.5, yrow + 1.15)], color='#777777')
    _poly_arrow(ax, [(69.6, yrow), (69.6, yrow - 5.2), (91.5, yrow - 5.2), (91.5, yrow - 1.15)], color='#777777')
    ax.text(56., yrow + 5.6, 'residual', ha='center', va='bottom', fontsize=FS, color=MUTED)
    ax.text(80.5, yrow - 5.6, 'residual', ha='center', va='top', fontsize=FS, color=MUTED)

    # 4. bottom row, right to left
    yb = 9.0
    fln = _box(ax, 90.5, yb, 11.5, 8.4, 'final\nLayerNorm', fc=GREY_FC, ec=GREY_EC)
    ax.text(93.8, (bb + yb + 4.6) / 2, r'query tokens only  $(B,\ N_q,\ d_{model})$', ha='right', va='center',
            fontsize=FS, color=MUTED)
    _arrow(ax, (95.5, bb - .4), (95.5, yb + 4.6), sA=0, sB=0)
    mdn = _box(ax, 71.0, yb, 17.5, 11.5, fc=OUT_FC, ec=OUT_EC)
    ax.text(71.0, yb + 3.7, 'MDN head', ha='center', va='center', fontsize=FS, weight='bold', color=OUT_EC, zorder=5)
    ax.text(71.0, yb + .6, r'$\pi_k$ = softmax(logits)', ha='center', va='center', fontsize=FS, zorder=5)
    ax.text(71.0, yb - 2.3, r'$\mu_k$,  $\sigma_k\in[\sigma_{min},\sigma_{max}]$', ha='center', va='center',
            fontsize=FS, zorder=5)
    ax.text(71.0, yb - 4.7, '(normalised units)', ha='center', va='center', fontsize=FS,
            color=MUTED, zorder=5)
    _arrow(ax, (90.5, yb), (71.0, yb), patchA=fln, patchB=mdn)
    den = _box(ax, 50.5, yb, 15., 11.5, fc=GREY_FC, ec=GREY_EC)
    ax.text(50.5, yb + 3.7, 'denormalise', ha='center', va='center', fontsize=FS, weight='bold', color=INK, zorder=5)
    ax.text(50.5, yb + .4, r'$x = \sigma_c\,\tilde{x} + \mu_c$', ha='center', va='center', fontsize=FS + .5, zorder=5)
    ax.text(50.5, yb - 3.2, '(Jacobian\nincluded)', ha='center', va='center', fontsize=FS, color=MUTED,
            zorder=5, linespacing=1.2)
    _arrow(ax, (71.0, yb), (50.5, yb), patchA=mdn, patchB=den)
    out = _box(ax, 30.5, yb, 15.5, 11.5, fc=OUT_FC, ec=OUT_EC, lw=2.)
    ax.text(30.5, yb + 3.3, r'$p(x \mid \mathrm{context})$', ha='center', va='center', fontsize=FS + 1.5,
            color=OUT_EC, zorder=5)
    ax.text(30.5, yb - 1.7, 'K-component\nmixture, raw units', ha='center', va='center', fontsize=FS, zorder=5,
            linespacing=1.25)
    _arrow(ax, (50.5, yb), (30.5, yb), patchA=den, patchB=out)

    # 5. inset: the attention mask
    n_c, n_q = 5, 3
    N = n_c + n_q
    M = np.zeros((N, N), bool)
    M[:, :n_c] = True
    M[np.arange(N), np.arange(N)] = True
    s = 1.15
    mx, my = 7.5, 1.8
    img = np.ones((N, N, 3))
    for i in range(N):
        for j in range(N):
            if M[i, j]: img[i, j] = np.array([.85, .35, .42]) if j < n_c else np.array([.30, .50, .78])
    ax.imshow(img, extent=(mx, mx + N * s, my, my + N * s), interpolation='nearest', zorder=3)
    for k in range(N + 1):
        ax.plot([mx + k * s] * 2, [my, my + N * s], color='#cccccc', lw=.5, zorder=4)
        ax.plot([mx, mx + N * s], [my + k * s] * 2, color='#cccccc', lw=.5, zorder=4)
    ax.add_patch(Rectangle((mx, my), N * s, N * s, fc='none', ec='#555555', lw=1., zorder=5))
    ax.plot([mx + n_c * s] * 2, [my, my + N * s], color='#555555', lw=.9, zorder=5)
    ax.plot([mx, mx + N * s], [my + n_q * s] * 2, color='#555555', lw=.9, zorder=5)
    ax.text(mx + N * s / 2, my + N * s + .5, 'attention mask\n(row attends to column)', ha='center',
            va='bottom', fontsize=FS, color=INK, linespacing=1.2)
    ax.text(mx - .5, my + n_q * s + n_c * s / 2, 'ctx', ha='right', va='center', fontsize=FS, color=CTX)
    ax.text(mx - .5, my + n_q * s / 2, 'qry', ha='right', va='center', fontsize=FS, color=QRY)
    ax.set_xlim(0, 100); ax.set_ylim(0, 45); ax.set_aspect('auto')
    return fig


# ---------------------------------------------------------------- Figure 2.4
def plot_training_pipeline()->Figure: # the figure (10 x 4.5 in)
    "Figure 2.4: the training loop on fresh episodes, with validation, early stopping and EM tuning on the side."
    fig, ax = _canvas(10., 4.5)
    fig.text(.5, .975, 'Figure 2.4: the training pipeline', ha='center', va='top', fontsize=11, weight='bold',
             color=INK)
    cx, cy, rx, ry = 28., 21., 19.5, 14.                             # the loop's ellipse
    pos = {k: (cx + rx * np.cos(np.radians(a)), cy + ry * np.sin(np.radians(a)))
           for k, a in dict(sample=144, tokens=66, model=0, loss=-66, adamw=-144).items()}
    B = {}
    B['sample'] = _box(ax, *pos['sample'], 18.6, 7.6, fc=CTX_FC, ec=CTX)
    ax.text(pos['sample'][0], pos['sample'][1] + 2.3, 'sample a batch', ha='center', va='center', fontsize=FS,
            weight='bold', zorder=5)
    ax.text(pos['sample'][0], pos['sample'][1] - 1.2, '$B$ = 64 episodes, $N_q$ = 256\n'
            r'$N_c\sim\mathcal{U}\{16,\ldots,256\}$', ha='center', va='center', fontsize=FS, zorder=5,
            linespacing=1.3)
    B['tokens'] = _box(ax, *pos['tokens'], 17., 6.2, 'normalise by the context\n'
                       r'($\mu_c,\ \sigma_c$)  $\to$  tokens', fc=GREY_FC, ec=GREY_EC)
    B['model'] = _box(ax, *pos['model'], 13.5, 6.2, 'Transformer-MDN\n'
                      r'$q_\theta(x \mid \mathrm{context})$', fc=NET_FC, ec=NET_EC, lw=1.6)
    B['loss'] = _box(ax, *pos['loss'], 17.5, 6.2, r'loss = NLL(queries)'
                     '\n' r'$-\ \lambda\,$mean $\log\sigma$,  $\lambda = 10^{-3}$', fc=LOSS_FC, ec=LOSS_EC)
    B['adamw'] = _box(ax, *pos['adamw'], 16.5, 9.0, fc=LOSS_FC, ec=LOSS_EC)
    ax.text(pos['adamw'][0], pos['adamw'][1] + 3.0, 'AdamW step', ha='center', va='center', fontsize=FS,
            weight='bold', zorder=5)
    ax.text(pos['adamw'][0], pos['adamw'][1] - 1.2, r'lr $10^{-3}$, wd $10^{-4}$'
            '\nwarm-up + cosine\ngrad-norm clip 1', ha='center', va='center', fontsize=FS, zorder=5,
            linespacing=1.3)
    order = ['sample', 'tokens', 'model', 'loss', 'adamw', 'sample']
    for a, b in zip(order[:-1], order[1:]):
        _arrow(ax, pos[a], pos[b], patchA=B[a], patchB=B[b], rad=-.22, lw=1.6, ms=15, color='#555555')
    # the prior in the middle, feeding the sampler
    pr = _box(ax, cx + 2.5, cy - .5, 12., 5.6, 'GMM prior\n$K\\in\\{2,\\ldots,5\\}$', fc='white', ec=CTX,
              ls='--', lw=1.3)
    _arrow(ax, (cx + 2.5, cy - .5), pos['sample'], patchA=pr, patchB=B['sample'], color=CTX, lw=1.4)
    ax.text(cx + 2.5, cy - 6.5, 'fresh episodes\nevery step', ha='center', va='center', fontsize=FS,
            style='italic', color=CTX, linespacing=1.2)

    # side branch: validation -> early stopping -> EM tuning -> shipped checkpoint
    vx, vw = 81.5, 30.
    V = _box(ax, vx, 36.2, vw, 6.4, fc=OUT_FC, ec=OUT_EC)
    ax.text(vx, 37.9, 'validate on fixed held-out episodes', ha='center', va='center', fontsize=FS,
            weight='bold', zorder=5)
    ax.text(vx, 34.6, r'NLL gap $\approx$ KL(true $\|$ $q_\theta$) at $N_c$ = 16, 64, 256', ha='center',
            va='center', fontsize=FS, zorder=5)
    E = _box(ax, vx, 25.6, vw, 6.2, 'early stopping on the gap (patience)\nkeep the best checkpoint', fc=OUT_FC, ec=OUT_EC)
    T = _box(ax, vx, 14.8, vw, 6.2, 'after training: tune EM refinement\n(steps, strength) on validation',
             fc=GREY_FC, ec=GREY_EC)
    S = _box(ax, vx, 4.6, vw - 6, 5.2, 'shipped checkpoint', fc='white', ec=OUT_EC, lw=2., weight='bold',
             color=OUT_EC)
    for (a, ya), (b, yb_) in (((V, 36.2), (E, 25.6)), ((E, 25.6), (T, 14.8)), ((T, 14.8), (S, 4.6))):
        _arrow(ax, (vx, ya), (vx, yb_), patchA=a, patchB=b)
    _arrow(ax, pos['model'], (vx - vw / 2, 36.2), patchA=B['model'], patchB=V, rad=-.25, ls='--', lw=1.4,
           color=OUT_EC)
    ax.text(60.8, 27.8, 'every 250\nsteps', ha='center', va='center', fontsize=FS, color=OUT_EC, linespacing=1.2)
    return fig


if __name__ == '__main__':
    from pathlib import Path
    import matplotlib
    matplotlib.use('Agg')
    out = Path(__file__).resolve().parent.parent / 'nbs' / 'images'
    out.mkdir(exist_ok=True)
    for name, f in (('fig1_1', plot_icde_setup), ('fig2_3', plot_architecture), ('fig2_4', plot_training_pipeline)):
        fig = f(); fig.savefig(out / f'{name}.png', dpi=100); plt.close(fig)
        print(f'wrote {out / name}.png')
