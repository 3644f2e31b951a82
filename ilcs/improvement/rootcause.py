"""Root causes: five whys and a fishbone (cause-and-effect) diagram, as plain data.

**Five whys**: start from the problem and ask "why?" until the answer is a cause the team can
act on (usually about five times, sometimes fewer). **Fishbone**: the effect at the head and
possible causes on six bones, the "6M" categories named in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ilcs.errors import DataError, Problem

#: The 6M categories of a fishbone: (traditional name, what it means in an office).
CATEGORIES: tuple[tuple[str, str], ...] = (
    ("People", "manpower: skills, training, staffing, cover for absence"),
    ("Methods", "procedures, rules and the order work is done in"),
    ("Machines", "equipment and systems: phones, IT systems, the ticket tool"),
    ("Materials", "information, forms and data the work depends on"),
    ("Measurement", "how performance is measured and reported"),
    ("Environment", "mother nature: workload peaks, the office, the time of year"),
)
CATEGORY_NAMES = tuple(name for name, _ in CATEGORIES)


@dataclass
class FiveWhys:
    """A problem, the chain of answers to "why?", and the action on the root cause."""

    problem: str
    whys: list[str] = field(default_factory=list)
    action: str = ""

    @property
    def root_cause(self) -> str:
        return self.whys[-1] if self.whys else ""

    def problems(self) -> list[Problem]:
        """What is missing, in words (an empty list when the chain is complete)."""
        found = []
        if not self.problem.strip():
            found.append(Problem("say what the problem is", column="problem"))
        if not self.whys:
            found.append(Problem("answer 'why?' at least once", column="whys"))
        for i, answer in enumerate(self.whys, start=1):
            if not answer.strip():
                found.append(Problem(f"why number {i} has no answer", column="whys"))
        if len(self.whys) > 7:
            found.append(Problem(f"{len(self.whys)} whys: stop at the first cause you can act on "
                                 "(usually about five)", column="whys"))
        if not self.action.strip():
            found.append(Problem("say what will be done about the root cause", column="action"))
        return found

    def steps(self) -> list[tuple[str, str]]:
        """(question, answer) pairs read as a chain: each "why?" asks about the answer before."""
        return [(f"Why {i}: " + ("why does this happen?" if i == 1 else "why is that?"), answer)
                for i, answer in enumerate(self.whys, start=1)]


@dataclass
class Fishbone:
    """A cause-and-effect diagram: the effect and the possible causes on each 6M bone."""

    effect: str
    causes: dict[str, list[str]] = field(default_factory=lambda: {c: [] for c in CATEGORY_NAMES})

    def add(self, category: str, cause: str) -> None:
        """Put a possible cause on a bone (one of CATEGORY_NAMES, any case)."""
        match = [c for c in CATEGORY_NAMES if c.lower() == category.strip().lower()]
        if not match:
            raise DataError(Problem(f"'{category}' is not a fishbone category: use one of "
                                    f"{', '.join(CATEGORY_NAMES)}", column="category"))
        if not cause.strip():
            raise DataError(Problem("the cause is blank", column="cause"))
        self.causes.setdefault(match[0], []).append(cause.strip())

    def rows(self) -> list[tuple[str, str]]:
        """(category, cause) for every cause, bones in the 6M order."""
        return [(c, cause) for c in CATEGORY_NAMES for cause in self.causes.get(c, [])]
