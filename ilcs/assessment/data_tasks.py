"""Data tasks: questions whose answer is computed from a dataset by a core function.

Their keys are never written down: the assessor's marking and the figure a trainee sees in
the notebook come from the same function, so they cannot disagree.

To add a task, add ONE line to `TASKS`: a name -> "module:function". The function is called
as `function(data_dir, **params)` where `data_dir` is the folder of the sample data
(`ilcs.paths.sample_dir()`) unless another folder is given, and returns a number (numeric
answer) or an option id (single_choice answer). Modules are imported only when a task is
computed, so this registry costs nothing at import time.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ilcs.errors import DataError, Problem
from ilcs.paths import sample_dir

# name -> "module:function"; one line per task (kept sorted by name).
TASKS: dict[str, str] = {
    "sla_backlog_open": "ilcs.standards:task_backlog_open",
    "sla_breaches": "ilcs.standards:task_breaches",
    "sla_lowest_standard": "ilcs.standards:task_lowest_standard",
    "sla_median_hours": "ilcs.standards:task_median_hours",
    "sla_pct_within": "ilcs.standards:task_pct_within",
    "sla_target_share": "ilcs.standards:task_target_share",
}


def resolve(task: str) -> Any:
    """The function registered for `task` (imported now)."""
    target = TASKS.get(task)
    if target is None:
        raise DataError(Problem(f"data task {task!r} is not registered in "
                                "ilcs.assessment.data_tasks.TASKS"))
    module_name, _, func_name = target.partition(":")
    module = importlib.import_module(module_name)
    func = getattr(module, func_name, None)
    if func is None or not callable(func):
        raise DataError(Problem(f"data task {task!r}: {target} is not a function"))
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
