#!/usr/bin/env python3
"""Make committed notebooks clean: outputs only where nbval compares them.

Keeps the outputs of cells marked `# NBVAL_CHECK_OUTPUT` (nbval compares against them) and
drops every other output, execution count and saved widget state, so that nothing
machine-specific (paths, timestamps, widget ids) is committed.

    python scripts/clean_notebooks.py notebooks/*.ipynb notebooks/apps/*.ipynb
    python scripts/clean_notebooks.py --check notebooks   # exit 1 if any notebook is not clean
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat


def clean(nb: nbformat.NotebookNode) -> bool:
    """Clean in place; return True if anything changed."""
    changed = False
    if "widgets" in nb.metadata:
        del nb.metadata["widgets"]
        changed = True
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        keep = "NBVAL_CHECK_OUTPUT" in cell.source
        if not keep and (cell.outputs or cell.execution_count is not None):
            cell.outputs, cell.execution_count = [], None
            changed = True
        for out in cell.outputs:
            if out.get("output_type") == "error":
                raise SystemExit("a notebook has an error output: fix it before committing")
        for key in ("execution", "collapsed", "scrolled"):
            if key in cell.metadata:
                del cell.metadata[key]
                changed = True
    return changed


def notebooks(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for p in map(Path, paths):
        found += sorted(p.rglob("*.ipynb")) if p.is_dir() else [p]
    return [f for f in found if ".ipynb_checkpoints" not in f.parts]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--check", action="store_true", help="report, do not write")
    args = parser.parse_args()
    dirty = []
    for path in notebooks(args.paths):
        nb = nbformat.read(path, as_version=4)
        if clean(nb):
            dirty.append(path)
            if not args.check:
                nbformat.write(nb, path)
    for path in dirty:
        print(("not clean: " if args.check else "cleaned: ") + str(path))
    return 1 if (args.check and dirty) else 0


if __name__ == "__main__":
    sys.exit(main())
