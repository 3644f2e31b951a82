"""The package's layers: cores stay light, views are the only place for widgets.

- A core module (anything that is not a view, the command line or the Voila server) imports
  no widget, notebook or plotting library, so the command line and a centre's scripts start
  fast and a figure can be tested without a browser.
- The trainee's views never load the assessor's keys.
- SQL lives behind the answer store, and whatever needs the store takes its type.
"""

from __future__ import annotations

import ast
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import ilcs

VIEW_LIBRARIES = ("ipywidgets", "IPython", "matplotlib")


def _is_outside_core(name: str) -> bool:
    parts = name.split(".")
    return (
        "views" in parts
        or parts[1] in {"ui", "voila", "commands", "cli", "present", "__main__"}
    )


def core_modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(ilcs.__path__, "ilcs.")]
    return sorted(n for n in names if not _is_outside_core(n))


def test_the_walk_finds_the_cores_of_every_topic() -> None:
    names = core_modules()
    assert "ilcs.standards.measures" in names and "ilcs.assessment.store" in names
    assert not any(".views" in n for n in names)


def test_core_modules_do_not_import_view_libraries() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        f"bad = [m for m in {VIEW_LIBRARIES!r} if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == ""


def test_trainee_side_modules_never_mention_the_assessor_loader() -> None:
    """The quiz and profile views (the trainee's kernel) do not call load_keys."""
    from ilcs.assessment.views import profile, quiz

    for module in (quiz, profile):
        assert "load_keys" not in inspect.getsource(module)


PACKAGE = Path(__file__).resolve().parents[1] / "ilcs"
# The store: the only modules that may speak SQL (SQLAlchemy) to the database.
STORE_MODULES = {"assessment/store.py", "assessment/schema.py", "assessment/review_tables.py",
                 "assessment/migrations.py"}


def _modules() -> list[tuple[str, ast.Module]]:
    return [(path.relative_to(PACKAGE).as_posix(), ast.parse(path.read_text(encoding="utf-8")))
            for path in sorted(PACKAGE.rglob("*.py"))]


def test_sql_lives_behind_the_store():
    speaking = set()
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                found = [node.module or ""]
            else:
                continue
            if any(m == "sqlalchemy" or m.startswith("sqlalchemy.") for m in found):
                speaking.add(name)
    assert speaking == STORE_MODULES


def test_every_function_that_needs_the_store_takes_the_store_type():
    loose = []
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                params = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
                for arg in params:
                    if arg.arg == "store" and (
                            arg.annotation is None
                            or "AnswerStore" not in ast.unparse(arg.annotation)):
                        loose.append(f"{name}:{node.lineno} {node.name}({arg.arg})")
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) \
                    and node.target.id == "store" \
                    and "AnswerStore" not in ast.unparse(node.annotation):
                loose.append(f"{name}:{node.lineno} store field")
    assert loose == []
