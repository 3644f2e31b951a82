"""The cohort matrix: every candidate against every criterion, one status per cell.

A cell is the latest assessor decision (met / not yet met) when there is one; otherwise
"awaiting marking" when the candidate has any evidence for the criterion (answers or
evidence records), and "no evidence" when they have none.

Frames:
- candidates: candidate_id, name, centre, assessor (extra columns are kept)
- proposals: candidate_id, criterion_id, proposal (from `decisions.propose_decisions`)
- decisions: candidate_id, criterion_id, outcome, decided_at (every decision ever made;
  the latest per candidate and criterion counts)
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd

from ilcs.assessment.decisions import (
    AWAITING_MARKING,
    LABELS,
    MET,
    NO_EVIDENCE,
    NOT_YET_MET,
    STATUSES,
)
from ilcs.assessment.identity import person_key


def latest_decisions(decisions: pd.DataFrame) -> pd.DataFrame:
    """The latest decision per candidate and criterion (ties: the one listed last)."""
    if not len(decisions):
        return decisions.copy()
    order = decisions.assign(_at=pd.to_datetime(decisions["decided_at"], utc=True),
                             _n=range(len(decisions)))
    order = order.sort_values(["_at", "_n"], kind="stable")
    last = order.drop_duplicates(["candidate_id", "criterion_id"], keep="last")
    return last.drop(columns=["_at", "_n"]).reset_index(drop=True)


def cohort_matrix(
    candidate_ids: Sequence[str],
    criteria: Sequence[str],
    proposals: pd.DataFrame,
    decisions: pd.DataFrame,
) -> pd.DataFrame:
    """Candidate x criterion statuses (met, not_yet_met, awaiting_marking, no_evidence).

    Rows follow `candidate_ids`, columns follow `criteria`; pairs outside them are ignored.
    """
    index = pd.MultiIndex.from_product([list(candidate_ids), list(criteria)],
                                       names=["candidate_id", "criterion_id"])
    cells = pd.Series(NO_EVIDENCE, index=index, dtype=object)
    if len(proposals):
        seen = pd.MultiIndex.from_arrays([proposals["candidate_id"].astype(str),
                                          proposals["criterion_id"].astype(str)])
        cells[index.isin(seen)] = AWAITING_MARKING
    latest = latest_decisions(decisions)
    if len(latest):
        dec = pd.Series(latest["outcome"].to_numpy(), index=pd.MultiIndex.from_arrays(
            [latest["candidate_id"].astype(str), latest["criterion_id"].astype(str)]))
        dec = dec[dec.index.isin(index)]
        cells.loc[dec.index] = dec.to_numpy()
    matrix = cells.unstack("criterion_id").reindex(index=list(candidate_ids),
                                                   columns=list(criteria))
    matrix.columns.name = "criterion_id"
    return matrix


def status_counts(matrix: pd.DataFrame) -> pd.DataFrame:
    """How many candidates are in each status, per criterion (criterion x status)."""
    counts = {c: matrix[c].value_counts().reindex(STATUSES, fill_value=0) for c in matrix}
    table = pd.DataFrame(counts).T.reindex(columns=STATUSES).fillna(0).astype(int)
    table.index.name = "criterion_id"
    return table


def candidate_progress(matrix: pd.DataFrame) -> pd.DataFrame:
    """Per candidate: criteria met, not yet met, awaiting marking, no evidence."""
    table = pd.DataFrame({s: (matrix == s).sum(axis=1) for s in STATUSES})
    table.index.name = "candidate_id"
    return table


def filter_candidates(
    candidates: pd.DataFrame,
    matrix: pd.DataFrame,
    *,
    assessor: str | None = None,
    centre: str | None = None,
    status: str | None = None,
    criterion: str | None = None,
) -> list[str]:
    """Candidate ids matching every filter given.

    `status` keeps candidates with at least one criterion in that status (or, with
    `criterion`, in that status for that criterion).
    """
    keep = candidates
    if assessor:
        keep = keep.loc[keep["assessor"].map(person_key) == person_key(assessor)]
    if centre:
        keep = keep.loc[keep["centre"] == centre]
    ids = [c for c in keep["candidate_id"].astype(str) if c in matrix.index]
    if status:
        sub = matrix.loc[ids]
        hit = (sub[criterion] == status) if criterion else (sub == status).any(axis=1)
        ids = list(sub.index[hit])
    return ids


# Short words for the cells, so a row of 18 criteria fits a screen; the caption gives the key.
CELL_LABELS = {MET: "✔ Met", NOT_YET_MET: "✘ Not yet", AWAITING_MARKING: "… To mark",
               NO_EVIDENCE: "○ None"}

_CELL_STYLE = {
    MET: "background:#e8f5e9",
    NOT_YET_MET: "background:#fdecea",
    AWAITING_MARKING: "background:#fff8e1",
    NO_EVIDENCE: "background:#ffffff",
}


FLAG = "⚑"


def matrix_html(
    matrix: pd.DataFrame,
    candidates: pd.DataFrame | None = None,
    *,
    caption: str = "Cohort matrix: each candidate against each criterion",
    flagged: set[tuple[str, str]] | None = None,
) -> str:
    """The matrix as one accessible HTML table: every cell says its status in words and a
    symbol (colour only repeats it); row and column headers are marked up as such.

    `flagged` (candidate, criterion) cells have new evidence since their decision: the cell
    adds "⚑ new" until the assessor decides again."""
    names: dict[str, str] = {}
    if candidates is not None and len(candidates):
        numbers = candidates["candidate_number"].fillna("").astype(str) \
            if "candidate_number" in candidates else pd.Series("", index=candidates.index)
        named = candidates.get("name", candidates["candidate_id"]).fillna("").astype(str)
        names = {cid: " ".join(x for x in (num.strip(), nm.strip()) if x)
                 for cid, num, nm in zip(candidates["candidate_id"].astype(str), numbers,
                                         named)}
    esc = html.escape
    head = "".join(f'<th scope="col">{esc(str(c))}</th>' for c in matrix.columns)
    key = " · ".join(f"{esc(CELL_LABELS[k])} = {esc(LABELS[k].split(' ', 1)[1].lower())}"
                     for k in STATUSES) + f" · {FLAG} new = new evidence since the decision"
    parts = [
        '<div style="overflow-x:auto;max-width:100%">'
        '<table class="ilcs-matrix" style="border-collapse:collapse;font-size:0.85em">',
        f"<caption>{esc(caption)}<br><small>Key: {key}</small></caption>",
        f'<thead><tr><th scope="col">Candidate</th>{head}</tr></thead><tbody>',
    ]
    cell_tpl = {k: f'<td style="{_CELL_STYLE[k]};border:1px solid #999;padding:2px 4px;'
                   f'white-space:nowrap">{esc(CELL_LABELS[k])}</td>' for k in STATUSES}
    flag_tpl = {k: t.replace("</td>", f" <strong>{FLAG} new</strong></td>")
                for k, t in cell_tpl.items()}
    flagged = flagged or set()
    columns = [str(c) for c in matrix.columns]
    for cid, row in zip(matrix.index, matrix.to_numpy()):
        label = esc(names.get(cid) or str(cid))  # "NVQ-0042 Ada Jones", not the internal id
        if flagged and any((cid, c) in flagged for c in columns):
            cells = "".join((flag_tpl if (cid, c) in flagged else cell_tpl).get(
                v, f"<td>{esc(str(v))}</td>") for c, v in zip(columns, row))
        else:
            cells = "".join(cell_tpl.get(v, f"<td>{esc(str(v))}</td>") for v in row)
        parts.append(f'<tr><th scope="row" style="text-align:left;white-space:nowrap;'
                     f'padding-right:6px">{label}</th>{cells}</tr>')
    parts.append("</tbody></table></div>")
    return "".join(parts)
