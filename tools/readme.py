"""Write README.md from nbs/index.ipynb (the home page), as `nbdev-readme` would where Quarto is installed.

Run from the repository root after re-executing the home page:  python tools/readme.py
Markdown cells are copied, shown code cells become ```python blocks, text outputs indented blocks, markdown outputs
(tables) themselves, and figures PNG files in images/ (index_<cell>.png); links to notebooks gain the nbs/ prefix; Quarto's ```{mermaid} blocks become GitHub's ```mermaid.
Hidden cells (#| hide) and the hidden tests at the end are left out.
"""
import base64, json, re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def directives(src:str)->set: return set(re.findall(r'^#\|\s*(\w+)', src, re.M))

def render(nb:dict)->str:
    out = []
    for i, c in enumerate(nb['cells']):
        src = ''.join(c['source']).rstrip()
        if c['cell_type'] == 'markdown':
            src = src.replace('```{mermaid}', '```mermaid')                     # Quarto's diagram block, as GitHub writes it
            out.append(re.sub(r'\]\(((?:\w+/)?\d\d\w*\.ipynb)\)', r'](nbs/\1)', src)); continue
        if 'hide' in directives(src) or not src: continue
        code = '\n'.join(l for l in src.splitlines() if not l.startswith('#|')).strip()
        if code: out.append(f'```python\n{code}\n```')
        for o in c.get('outputs', []):
            d = o.get('data', {})
            if 'image/png' in d:
                p = ROOT / 'images' / f'index_{i}.png'; p.parent.mkdir(exist_ok=True)
                p.write_bytes(base64.b64decode(''.join(d['image/png'])))
                out.append(f'![figure {i} of the home page]({p.relative_to(ROOT).as_posix()})')
            elif 'text/markdown' in d: out.append(''.join(d['text/markdown']).strip())
            elif 'text/plain' in d and o.get('output_type') == 'execute_result':
                out.append('\n'.join('    ' + l for l in ''.join(d['text/plain']).splitlines()))
    return '\n\n'.join(out) + '\n'

if __name__ == '__main__':
    nb = json.loads((ROOT / 'nbs' / 'index.ipynb').read_text())
    (ROOT / 'README.md').write_text(render(nb))
    print('wrote README.md')
