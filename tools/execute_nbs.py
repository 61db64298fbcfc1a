"""Execute notebooks in place and save their outputs: the outputs are the documentation site (nbdev-docs renders them).

Run from the repository root:  python tools/execute_nbs.py nbs/scoring/02_evaluation.ipynb [more notebooks] [--flags slow]

Unlike `nbdev-test --save`, this runs with IN_TEST unset, so notebooks take their full-size branches (the documented runs);
cells flagged with a test flag (`#| slow`, `#| cuda`) are skipped unless named in --flags, and then keep their saved outputs.
Execution stops at the first error and leaves the notebook untouched. With --fill, only cells without saved outputs (new cells) get
the new outputs; the others keep theirs.
"""
import os, re, time
from pathlib import Path
from typing import Annotated
from fastcore.nbio import read_nb, write_nb
from fastcore.script import call_parse
from execnb.shell import CaptureShell
from icde_nb.core import UsageError, comma_list

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

# fastcore's call_parse runs main when this file is run (python tools/execute_nbs.py ...), not when it is imported
@call_parse
def main(notebooks:Annotated[str, 'the notebooks to execute (.ipynb), in turn', {'nargs': '+'}],
         flags:Annotated[str, f"test flags whose cells run too, space-separated, any of {list(FLAGS)} (e.g. \"slow\")"]='',
         fill:bool=False,   # run every cell but write outputs only into cells that have none (new cells)
        ):
    "Execute notebooks in place and save their outputs: the outputs are the documentation site (nbdev-docs renders them)."
    run_flags = comma_list(flags, 'flags', choices=FLAGS, sep=' ')
    for nb in notebooks:
        if not Path(nb).is_file(): raise UsageError(f'notebooks: no notebook at {nb}')
    for nb in notebooks: execute(Path(nb), run_flags, fill)
