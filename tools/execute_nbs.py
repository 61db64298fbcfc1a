"""Execute notebooks in place and save their outputs: the outputs are the documentation site (nbdev-docs renders them).

Run from the repository root:  python tools/execute_nbs.py nbs/scoring/02_evaluation.ipynb [more notebooks] [--flags slow]

Unlike `nbdev-test --save`, this runs with IN_TEST unset, so notebooks take their full-size branches (the documented runs);
cells flagged with a test flag (`#| slow`, `#| cuda`) are skipped unless named in --flags, and then keep their saved outputs.
Execution stops at the first error and leaves the notebook untouched. With --fill, only cells without saved outputs (new cells) get
the new outputs; the others keep theirs.
"""
import argparse, os, re, time
from pathlib import Path
from fastcore.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

FLAGS = ('slow', 'cuda')

def flagged(cell, run_flags)->bool:
    "True for a code cell carrying a test flag that is not being run."
    if cell.cell_type != 'code': return False
    for line in cell.source.splitlines():
        m = re.match(r'\s*#\|\s*(\w+)\s*$', line)
        if m and m.group(1) in FLAGS and m.group(1) not in run_flags: return True
    return False

def execute(path:Path, run_flags=(), fill:bool=False):
    os.environ.pop('IN_TEST', None)
    nb = read_nb(path)
    saved = {c.id: c.get('outputs') for c in nb.cells if c.cell_type == 'code' and c.get('outputs')} if fill else {}
    shell = CaptureShell(path, mpl_format='png')                  # 1x PNGs: the notebooks stay small
    t = time.time()
    cwd = os.getcwd(); os.chdir(path.parent)
    try: shell.run_all(nb, exc_stop=True, preproc=lambda c: flagged(c, run_flags))
    finally: os.chdir(cwd)
    for c in nb.cells:                                            # --fill: cells that had outputs keep them
        if c.get('id') in saved: c['outputs'] = saved[c.id]
    write_nb(nb, path)
    print(f'{path}: executed in {time.time() - t:.0f} s')

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('notebooks', nargs='+'); ap.add_argument('--flags', default='', help='test flags to run, e.g. "slow"')
    ap.add_argument('--fill', action='store_true', help='run every cell but write outputs only into cells that have none (new cells)')
    a = ap.parse_args()
    for nb in a.notebooks: execute(Path(nb), a.flags.split(), a.fill)
