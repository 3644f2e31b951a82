"""The 18 practices of good internal customer service, and a team's self-assessment of them.

Each member of a team rates how well the team does each practice, from 1 (not at all) to 5
(every time). The toolkit then shows the average rating of each practice, the three weakest
and a draft action plan (an action, an owner and a date for each), and compares teams. A
team with fewer than `MIN_GROUP` ratings is never shown on its own ("fewer than 5"), so no
one's ratings can be picked out.

A self-assessment file is a CSV with one row per person: `team`, then `p01` ... `p18`
(blank = not rated). It is written through a temporary file renamed into place, so a
half-written file is never left behind, and can be attached to outcome-7 evidence.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ilcs.errors import DataError, Problem

MIN_GROUP = 5
FEWER_THAN = f"fewer than {MIN_GROUP}"
RATING_MIN, RATING_MAX = 1, 5
RATING_WORDS = {1: "not at all", 2: "rarely", 3: "sometimes", 4: "usually", 5: "every time"}


@dataclass(frozen=True)
class Practice:
    number: int
    name: str  # a short name for tables and charts
    text: str  # the practice, in plain words
    action: str  # a first step a team could take to do it better

    @property
    def column(self) -> str:
        return f"p{self.number:02d}"


PRACTICES: tuple[Practice, ...] = (
    Practice(1, "Everyone is a customer",
             "We treat every colleague who relies on our work as a customer, as HR does.",
             "Agree as a team who relies on our work and list them as our internal customers."),
    Practice(2, "Respect",
             "We show respect to every person and every department we deal with.",
             "Agree the behaviours we expect of each other and review them at team meetings."),
    Practice(3, "Communication schedule",
             "We agree with each customer how often and when we will be in touch.",
             "Ask each main customer how often they want updates, and write it down."),
    Practice(4, "Several ways to reach us",
             "Customers can reach us face to face, by email, by phone or through a manager.",
             "Publish every way to reach the team, with the hours each one is staffed."),
    Practice(5, "Know the structure",
             "We know how the organisation is structured and have a chart of who does what.",
             "Draw or update a chart of who does what, and share it with customers."),
    Practice(6, "Clear roles",
             "Everyone understands their own role and responsibilities.",
             "Write a one-line description of each role and check it with each person."),
    Practice(7, "Open both ways",
             "We are open with customers and they with us, managers included.",
             "Share the team's figures and plans with customers each month."),
    Practice(8, "Service is rewarded",
             "Good service and good work are noticed and rewarded.",
             "Thank good service in public at each team meeting."),
    Practice(9, "Solution-finding attitude",
             "We stay positive and look for solutions, not blame.",
             "Start each problem discussion with 'what can we do?'."),
    Practice(10, "Feedback acted on",
             "We ask customers for feedback and act on what they say.",
             "Ask three customers a month for feedback and report back what changed."),
    Practice(11, "Clear standards",
             "We set clear expectations and service standards with our customers.",
             "Agree written service standards and timescales with each main customer."),
    Practice(12, "Expectations repeated",
             "We remind customers and ourselves of those expectations often.",
             "Put the standards on the intranet page and in every acknowledgement."),
    Practice(13, "Prompt replies",
             "We answer colleagues' emails promptly, at least saying we have received them.",
             "Acknowledge every email within one working day, even before it is answered."),
    Practice(14, "Quick resolution",
             "We resolve problems quickly and well.",
             "Review the slowest requests each month and remove one cause of delay."),
    Practice(15, "Progress shared",
             "We keep customers informed of progress on their work.",
             "Send a short progress update at each stage of longer pieces of work."),
    Practice(16, "Know our customers",
             "We know our customers personally: when they are free and how they like to work.",
             "Keep a short note of each main customer's preferences and availability."),
    Practice(17, "Regular training",
             "We have customer service training often.",
             "Book a customer service refresher for the team this quarter."),
    Practice(18, "Cross-training",
             "Staff are trained in each other's roles so absences are covered.",
             "Pair each person with a colleague to learn one of their tasks."),
)

COLUMNS = tuple(p.column for p in PRACTICES)
BY_NUMBER = {p.number: p for p in PRACTICES}


def practices_table() -> pd.DataFrame:
    """The 18 practices as a table: number, name, text."""
    return pd.DataFrame([(p.number, p.name, p.text) for p in PRACTICES],
                        columns=["number", "name", "text"])


def _rating(value: object) -> int | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    if text == "" or text.lower() == "nan":
        return None
    number = float(text)  # ValueError for words
    if number != int(number) or not RATING_MIN <= number <= RATING_MAX:
        raise ValueError(text)
    return int(number)


def read_ratings(table: pd.DataFrame, file: str = "self-assessment") -> pd.DataFrame:
    """Check a wide ratings table (team, p01..p18) and return it typed (Int64 ratings).

    Every problem is listed at once, naming the file, the spreadsheet row (header = row 1)
    and the column. A row with no ratings at all is a problem (an empty form).
    """
    problems: list[Problem] = []
    renamed = {c: str(c).strip().lower() for c in table.columns}
    table = table.rename(columns=renamed)
    for column in ("team", *COLUMNS):
        if column not in table.columns:
            problems.append(Problem("the column is missing", file=file, column=column))
    if problems:
        raise DataError(problems)
    if table.empty:
        raise DataError(Problem("there are no ratings in the file", file=file))
    out = pd.DataFrame({"team": table["team"].astype("string").str.strip()})
    invalid: set[int] = set()
    for column in COLUMNS:
        values: list[int | None] = []
        for i, raw in enumerate(table[column].tolist()):
            try:
                values.append(_rating(raw))
            except ValueError:
                invalid.add(i)
                problems.append(Problem(f"a rating must be a whole number from {RATING_MIN} "
                                        f"to {RATING_MAX} or blank, found {str(raw).strip()!r}",
                                        file=file, row=i + 2, column=column))
                values.append(None)
        out[column] = pd.array(values, dtype="Int64")
    for i, team in enumerate(out["team"].tolist()):
        if team is pd.NA or not str(team):
            problems.append(Problem("the team is required", file=file, row=i + 2,
                                    column="team"))
    empty = out[list(COLUMNS)].isna().all(axis=1)
    for i in map(int, np.flatnonzero(empty.to_numpy())):
        if i in invalid:  # its ratings are wrong, not missing: already named
            continue
        problems.append(Problem("this row rates no practice", file=file, row=int(i) + 2))
    if problems:
        raise DataError(problems)
    return out.reset_index(drop=True)


def practice_summary(ratings: pd.DataFrame) -> pd.DataFrame:
    """Per practice: number, name, ratings (how many rated it), mean (1-5), strong (rated 4
    or 5) and pct_strong. Mean and % are NaN when fewer than MIN_GROUP people rated it."""
    rows = []
    for p in PRACTICES:
        values = ratings[p.column].dropna().astype(int)
        n = int(len(values))
        enough = n >= MIN_GROUP
        strong = int((values >= 4).sum())
        rows.append({"number": p.number, "name": p.name, "ratings": n,
                     "mean": float(values.mean()) if enough else np.nan,
                     "strong": strong if enough else np.nan,
                     "pct_strong": strong / n * 100 if enough else np.nan})
    return pd.DataFrame(rows)


def respondents(ratings: pd.DataFrame) -> int:
    return int(len(ratings))


def weakest(summary: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The `n` practices with the lowest mean rating (lower number first on a tie).

    A practice everyone rated 5 is never called weak, so there may be fewer than `n`.
    """
    rated = summary[summary["mean"].notna()]
    if rated.empty:
        raise DataError(Problem(f"no practice has ratings from at least {MIN_GROUP} people "
                                "yet, so none can be called weakest"))
    rated = rated[rated["mean"] < RATING_MAX]
    if rated.empty:
        raise DataError(Problem("everyone rated every practice they rated 5 (every time): "
                                "no practice stands out as weak"))
    return rated.sort_values(["mean", "number"], kind="mergesort").head(n).reset_index(
        drop=True)


def action_plan(weak: pd.DataFrame, owners: Mapping[int, str] | None = None,
                start: dt.date | None = None, weeks_apart: int = 4) -> pd.DataFrame:
    """A draft action plan for the weakest practices: action, owner, review date.

    Dates are 4, 8, 12 ... weeks after `start` (today by default), written day first. An
    owner not given is "to agree at the team meeting".
    """
    owners = owners or {}
    start = start or dt.date.today()
    rows = []
    for i, number in enumerate(weak["number"].astype(int).tolist(), start=1):
        p = BY_NUMBER[number]
        due = start + dt.timedelta(weeks=weeks_apart * i)
        owner = (owners.get(number) or "").strip() or "to agree at the team meeting"
        rows.append({"number": number, "practice": p.name, "action": p.action,
                     "owner": owner, "by": due.strftime("%d/%m/%Y")})
    return pd.DataFrame(rows, columns=["number", "practice", "action", "owner", "by"])


def compare_teams(ratings: pd.DataFrame) -> pd.DataFrame:
    """Mean rating of each practice per team (columns: number, name, one per team).

    A team with fewer than MIN_GROUP people is not shown: its column reads "fewer than 5".
    """
    table = practices_table()[["number", "name"]].copy()
    for team, part in ratings.groupby("team", sort=True):
        if len(part) < MIN_GROUP:
            table[str(team)] = FEWER_THAN
            continue
        table[str(team)] = [float(part[p.column].dropna().astype(int).mean())
                            if part[p.column].notna().any() else np.nan for p in PRACTICES]
    return table


def team_sizes(ratings: pd.DataFrame) -> pd.DataFrame:
    """Per team: how many took part, "fewer than 5" when under MIN_GROUP."""
    sizes = ratings.groupby("team", sort=True).size()
    return pd.DataFrame({"team": sizes.index.astype(str),
                         "people": [str(n) if n >= MIN_GROUP else FEWER_THAN
                                    for n in sizes.tolist()]})


def ratings_frame(team: str, answers: Sequence[Mapping[int, int | None]]) -> pd.DataFrame:
    """Ratings given as {practice number: rating} per person, as a ratings table."""
    rows = [{"team": team, **{p.column: a.get(p.number) for p in PRACTICES}} for a in answers]
    return read_ratings(pd.DataFrame(rows, columns=["team", *COLUMNS]))


def save_ratings(ratings: pd.DataFrame, path: str | Path) -> tuple[Path, str]:
    """Write the ratings as CSV through the safe writer (a temporary file renamed into place;
    a team name that would start a formula is neutralised).

    Returns the path and the SHA-256 of the file (to cite it as evidence).
    """
    from ilcs.io.write import write_csv

    path = write_csv(ratings[["team", *COLUMNS]], Path(path), lineterminator="\n",
                     date_format=None)
    return path, hashlib.sha256(path.read_bytes()).hexdigest()


def load_ratings(path: str | Path) -> pd.DataFrame:
    """Read and check a self-assessment file written by `save_ratings` (or by hand)."""
    from ilcs.io.table import read_table

    path = Path(path)
    raw = read_table(path)
    return read_ratings(raw, file=path.name)


def example_ratings() -> pd.DataFrame:
    """A made-up class exercise: three teams of the sample organisation rated themselves.

    Payroll Services (7 people) and IT Service Desk (9) are large enough to be shown;
    Purchasing (3) is not. The ratings are fixed numbers (seeded), the same on every run.
    """
    rng = np.random.default_rng(2550)
    # Each team has its own strengths: a base level per practice, plus a little spread.
    bases = {
        "Payroll Services": [4, 4, 2, 3, 4, 4, 3, 3, 4, 3, 4, 3, 2, 3, 2, 4, 3, 3],
        "IT Service Desk": [4, 4, 3, 5, 3, 4, 3, 2, 4, 3, 4, 2, 4, 4, 3, 2, 3, 2],
        "Purchasing": [3, 4, 3, 3, 3, 4, 3, 3, 3, 2, 3, 3, 3, 3, 2, 3, 3, 2],
    }
    sizes = {"Payroll Services": 7, "IT Service Desk": 9, "Purchasing": 3}
    rows = []
    for team, base in bases.items():
        for _person in range(sizes[team]):
            noise = rng.integers(-1, 2, len(base))
            values = np.clip(np.array(base) + noise, RATING_MIN, RATING_MAX)
            rows.append({"team": team, **{c: int(v) for c, v in zip(COLUMNS, values)}})
    return read_ratings(pd.DataFrame(rows), file="example")


def load_folder(folder: str | Path) -> pd.DataFrame:
    """Every self-assessment file (*.csv) in a folder, checked and put together (for
    comparing teams). Every problem in every file is listed at once."""
    folder = Path(folder)
    files = sorted(folder.glob("*.csv")) if folder.is_dir() else []
    if not files:
        raise DataError(Problem("no saved self-assessments yet", file=str(folder)))
    frames: list[pd.DataFrame] = []
    problems: list[Problem] = []
    for path in files:
        try:
            frames.append(load_ratings(path))
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    return pd.concat(frames, ignore_index=True)
