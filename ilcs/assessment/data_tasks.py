"""Data tasks: questions whose answer is computed from a dataset by a topic's core.

Their keys are never written down: the assessor's marking and the figure a trainee sees in
the notebook come from the same function, so they cannot disagree.

Each topic package (`ilcs/<topic>/`) that has data tasks names them in its own `tasks.py` as
`TASKS: dict[str, Callable]`. This registry finds every such module by itself, so adding a
topic or a task edits nothing here. A task is called as `function(data_dir, **params)` where
`data_dir` is the folder of the sample data (`ilcs.paths.sample_dir()`) unless another folder
is given, and returns a number (numeric answer) or an option id (single_choice answer). The
topics' modules are imported only when a task is first looked up.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import ilcs
from ilcs.errors import DataError, Problem
from ilcs.paths import sample_dir

TaskFunction = Callable[..., Any]


def topic_task_modules() -> list[str]:
    """The `ilcs.<topic>.tasks` modules that exist, in name order."""
    names = []
    for info in pkgutil.iter_modules(ilcs.__path__):
        if info.ispkg and importlib.util.find_spec(f"ilcs.{info.name}.tasks") is not None:
            names.append(f"ilcs.{info.name}.tasks")
    return sorted(names)


@cache
def registry() -> dict[str, TaskFunction]:
    """Every data task of every topic: name -> function. Two topics may not share a name."""
    found: dict[str, TaskFunction] = {}
    owner: dict[str, str] = {}
    for module_name in topic_task_modules():
        module = importlib.import_module(module_name)
        for name, func in getattr(module, "TASKS", {}).items():
            if name in found:
                raise DataError(Problem(f"data task {name!r} is defined twice: in {owner[name]} "
                                        f"and in {module_name}"))
            found[name] = func
            owner[name] = module_name
    return found


def resolve(task: str) -> TaskFunction:
    """The function registered for `task`."""
    func = registry().get(task)
    if func is None:
        raise DataError(Problem(f"data task {task!r} is not defined in any topic's tasks.py "
                                "(ilcs/<topic>/tasks.py, TASKS)"))
    return func


def compute(task: str, params: Mapping[str, Any] | None = None,
            data_dir: str | Path | None = None) -> float | str:
    """The answer of a data task, computed on the sample data (or on `data_dir`)."""
    func = resolve(task)
    folder = Path(data_dir) if data_dir is not None else sample_dir()
    result = func(folder, **dict(params or {}))
    if isinstance(result, bool):
        raise DataError(Problem(f"data task {task!r} returned a yes/no, not a number or option"))
    if isinstance(result, (int, float)):
        return float(result)
    if isinstance(result, str):
        return result
    try:  # numpy scalars
        return float(result)
    except (TypeError, ValueError):
        raise DataError(Problem(
            f"data task {task!r} returned {type(result).__name__}, not a number or option id"
        )) from None
