"""Who is an internal customer? The sorting activity of criterion 1.1, as data.

Most organisations call **internal customers** the colleagues, teams and departments who
rely on your work, and **external customers** the people outside who buy, use, rent or pay
for what the organisation offers. Some organisations take a **wider view** and also count
suppliers, partners, stakeholders and shareholders as internal customers, because they work
closely with the organisation and depend on it.
"""

from __future__ import annotations

from dataclasses import dataclass

INTERNAL = "Internal customer"
EXTERNAL = "External customer"
WIDER = "Internal only in the wider view"
CHOICES = (INTERNAL, EXTERNAL, WIDER)


@dataclass(frozen=True)
class SortItem:
    who: str
    answer: str
    why: str


ITEMS: tuple[SortItem, ...] = (
    SortItem("A payroll officer who needs your team's overtime figures each month", INTERNAL,
             "A colleague in another department who relies on your work."),
    SortItem("Your own line manager, who needs your weekly report", INTERNAL,
             "Managers are internal customers too: they depend on your work."),
    SortItem("A resident paying for a parking permit", EXTERNAL,
             "A member of the public paying for a service is an external customer."),
    SortItem("A business that buys the organisation's products", EXTERNAL,
             "Buyers from outside the organisation are external customers."),
    SortItem("A new starter in your team who needs a log-in and training", INTERNAL,
             "A colleague in your own team can be your internal customer."),
    SortItem("A supplier who depends on your team's purchase orders", WIDER,
             "Suppliers are outside the organisation, but some organisations count them "
             "as internal customers because they work so closely with it."),
    SortItem("A partner organisation running a joint project with you", WIDER,
             "Partners are counted as internal customers in the wider view."),
    SortItem("A shareholder of the company", WIDER,
             "Shareholders and other stakeholders are internal customers in the wider view."),
)


@dataclass(frozen=True)
class SortResult:
    item: SortItem
    given: str | None
    correct: bool


def check_sort(given: dict[int, str | None]) -> list[SortResult]:
    """Check the trainee's choices (item index -> choice, None = not chosen yet)."""
    return [SortResult(item, given.get(i), given.get(i) == item.answer)
            for i, item in enumerate(ITEMS)]


def score(results: list[SortResult]) -> tuple[int, int]:
    """(right, out of)."""
    return sum(r.correct for r in results), len(results)
