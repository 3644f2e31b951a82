"""The assessment core stays light: no widget, notebook or plotting library at import."""

from __future__ import annotations

import subprocess
import sys

CORE = ("questions", "marking", "data_tasks", "store", "schema", "packs", "profile")


def test_core_modules_do_not_import_view_libraries():
    code = (
        "import sys\n"
        + "".join(f"import ilcs.assessment.{m}\n" for m in CORE)
        + "bad = [m for m in ('ipywidgets', 'IPython', 'matplotlib') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == ""


def test_trainee_side_modules_never_mention_the_assessor_loader():
    """The quiz and profile views (the trainee's kernel) do not call load_keys."""
    import inspect

    from ilcs.widgets import profile, quiz

    for module in (quiz, profile):
        assert "load_keys" not in inspect.getsource(module)
