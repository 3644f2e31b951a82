"""Committed notebooks carry outputs only where nbval compares them, and never an error."""

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("clean_notebooks", ROOT / "scripts" / "clean_notebooks.py")
clean_notebooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(clean_notebooks)

NOTEBOOKS = clean_notebooks.notebooks([str(ROOT / "notebooks")])


def test_there_are_notebooks():
    names = {p.name for p in NOTEBOOKS}
    assert {"00_start_here.ipynb", "04_quality_standards.ipynb"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_clean(path):
    nb = nbformat.read(path, as_version=4)
    assert not clean_notebooks.clean(nb), (
        f"{path.name} has outputs, widget state or execution counts outside NBVAL_CHECK_OUTPUT "
        "cells: run `python scripts/clean_notebooks.py notebooks`")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_cells_are_thin(path):
    """Notebooks call the package; logic lives in ilcs (DESIGN: 1-3 calls per cell)."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        lines = [ln for ln in cell.source.splitlines() if ln.strip() and not ln.startswith("#")]
        assert len(lines) <= 8, f"{path.name}: a code cell of {len(lines)} lines:\n{cell.source}"
        assert not any(ln.lstrip().startswith(("def ", "class ", "for ", "while "))
                       for ln in lines), f"{path.name}: logic in a cell:\n{cell.source}"
