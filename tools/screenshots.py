"""Screenshots of documentation pages as a reader sees them: each processed notebook (`_proc/`, written by
`nbdev-proc-nbs`) converted to HTML by nbconvert and photographed by headless Chromium at the site's width.
Quarto renders the real site elsewhere; this is the check that runs here (Debian's `chromium` package)."""
import json, shutil, subprocess, tempfile
from pathlib import Path
from fastcore.script import call_parse
from icde_nb.core import UsageError, comma_list

ROOT = Path(__file__).resolve().parents[1]

def _chromium()->str:
    exe = shutil.which('chromium') or shutil.which('chromium-browser') or shutil.which('google-chrome')
    if exe is None: raise UsageError("no Chromium found: apt-get install chromium")
    return exe

def _as_site(nb:dict)->dict:
    "The notebook as the site shows it: Quarto's directive lines gone, `echo: false` cells (show_doc) as their markdown output."
    cells = []
    for c in nb['cells']:
        c['metadata'] = {}                                                         # nbdev's execution timings fail nbformat's schema
        src = ''.join(c['source'])
        if c['cell_type'] == 'code':
            md = next((''.join(o['data']['text/markdown']) for o in c.get('outputs', []) if 'text/markdown' in o.get('data', {})), None)
            if '#| echo: false' in src and md is not None: c = dict(cell_type='markdown', metadata={}, source=md)
            else: c['source'] = '\n'.join(l for l in src.split('\n') if not l.startswith('#|'))
        cells.append(c)
    return dict(nb, cells=cells)

def screenshot(notebook:Path, # a processed notebook (`_proc/...ipynb`)
               out:Path,      # the PNG to write
               width:int,     # the window's width in pixels
               height:int,    # the page's height in pixels (longer pages are cut)
              )->Path:        # `out`
    "One page: the notebook as HTML, photographed."
    with tempfile.TemporaryDirectory() as d:
        page = Path(d) / notebook.name
        page.write_text(json.dumps(_as_site(json.loads(notebook.read_text()))))
        subprocess.run(['jupyter', 'nbconvert', '--to', 'html', '--output-dir', d, str(page)], check=True, capture_output=True)
        html = next(Path(d).glob('*.html'))
        subprocess.run([_chromium(), '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', f'--window-size={width},{height}',
                        f'--screenshot={out}', html.as_uri()], check=True, capture_output=True)
    return out

@call_parse
def main(pages:str,                  # notebooks under nbs/, comma-separated, e.g. 'tabular/03_reconstruction,00_core'
         out:str='/tmp/screenshots', # folder of the PNGs
         width:int=1000,             # pixels: the site's page (its text column is about 800)
         height:int=6000,            # pixels of each page kept
        ):
    "Photograph processed notebooks (run nbdev-proc-nbs first) at the site's width."
    Path(out).mkdir(parents=True, exist_ok=True)
    for page in comma_list(pages, 'pages'):
        nb = ROOT / '_proc' / f'{page}.ipynb'
        if not nb.exists(): raise UsageError(f"--pages: {nb} does not exist; run nbdev-proc-nbs first")
        print(screenshot(nb, Path(out) / f"{page.replace('/', '_')}.png", width, height))
