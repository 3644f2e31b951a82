"""Item statistics for trainers: how hard each question was and how well it separated
candidates who know the unit from those who do not.

- **facility**: the share of candidates who answered the question correctly (0..1; low =
  hard);
- **discrimination**: the point-biserial correlation between getting this question right
  (1/0) and the candidate's score on all the *other* questions (-1..1; near 0 or negative
  means the question does not tell strong from weak candidates and needs a look);
- **most common wrong answers**: the wrong responses given most often, with counts.

Frame: answers with candidate_id, question_id, status, response (written answers awaiting
the assessor are left out; a partly correct answer counts as not correct).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

COLUMNS = ("question_id", "answered", "facility", "discrimination", "common_wrong")
MIN_FOR_DISCRIMINATION = 3


def _response_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return str(value)


def point_biserial(item: np.ndarray, rest: np.ndarray) -> float:
    """Pearson correlation of a 0/1 item score with the rest score; NaN when either does
    not vary or there are too few candidates."""
    if len(item) < MIN_FOR_DISCRIMINATION:
        return math.nan
    if np.std(item) == 0 or np.std(rest) == 0:
        return math.nan
    return float(np.corrcoef(item, rest)[0, 1])


def item_statistics(answers: pd.DataFrame, *, top_wrong: int = 3) -> pd.DataFrame:
    """One row per question: answered, facility, discrimination, common_wrong."""
    marked = answers.loc[answers["status"] != "awaiting_assessor"]
    if not len(marked):
        return pd.DataFrame(columns=list(COLUMNS))
    marked = marked.drop_duplicates(["candidate_id", "question_id"], keep="last")
    right = marked.assign(right=(marked["status"] == "correct").astype(float))
    grid = right.pivot(index="candidate_id", columns="question_id", values="right")
    totals = grid.sum(axis=1, skipna=True)
    rows = []
    for qid in sorted(grid.columns):
        col = grid[qid].dropna()
        item = col.to_numpy()
        rest = (totals.loc[col.index] - col).to_numpy()
        wrong = right.loc[(right["question_id"] == qid) & (right["right"] == 0), "response"]
        wrong_text = wrong.map(_response_text)
        counts = wrong_text.value_counts()
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[:top_wrong]
        rows.append({
            "question_id": qid,
            "answered": int(len(col)),
            "facility": float(item.mean()),
            "discrimination": point_biserial(item, rest),
            "common_wrong": "; ".join(f"{r} ×{n}" for r, n in ranked),
        })
    return pd.DataFrame(rows, columns=list(COLUMNS))


def flag_items(stats: pd.DataFrame, *, easy: float = 0.9, hard: float = 0.2,
               weak: float = 0.2) -> pd.DataFrame:
    """The same table with a plain-words `note` for items a trainer should look at."""
    notes = []
    for f, d in zip(stats["facility"], stats["discrimination"]):
        says = []
        if f >= easy:
            says.append("very easy")
        if f <= hard:
            says.append("very hard")
        if not math.isnan(d) and d < weak:
            says.append("does not separate strong from weak candidates")
        notes.append("; ".join(says))
    return stats.assign(note=notes)
