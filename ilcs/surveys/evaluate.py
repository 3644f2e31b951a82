"""The evaluation engine: honest figures from survey responses (pure functions).

Rating answers are ordered categories, not measurements: "Agree" is not twice "Disagree".
So an item is never summarised by its mean. Instead, per item:

- the full distribution (how many gave each answer);
- the median answer (the middle answer when all are put in order);
- top-two box: the share giving one of the two most favourable answers ("Agree" or
  "Strongly agree" on a 1-5 scale), with a Wilson 95% interval (the range the share of the
  whole population probably lies in, given how many answered);
- bottom-two box and the net score (top-two minus bottom-two, in percentage points).

Also: the 0-10 recommend score (% scoring 9-10 minus % scoring 0-6) with its interval; an
effort score (% finding it easy minus % finding it difficult); Cronbach's alpha for a scale;
response rates by department and the respondents' mix against the invited mix; and the
change from one wave to the next with a test (Mann-Whitney for the whole distribution, a
two-proportion test for top-two box) and an effect size, in words.

Every table function suppresses groups with fewer than `min_group` respondents (default 5,
`ilcs.surveys.privacy.MIN_GROUP`); pass `min_group=1` only to check the arithmetic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from ilcs.errors import DataError, Problem
from ilcs.surveys.privacy import MIN_GROUP, smaller_groups, suppress
from ilcs.surveys.questionnaire import Item, Questionnaire

ALL = "All respondents"
_NORMAL = NormalDist()
MIX_GAP_POINTS = 5.0  # a department's share of responses this far from its share of invitations


def z_value(confidence: float = 0.95) -> float:
    """The standard normal value for a two-sided interval (1.96 for 95%)."""
    return _NORMAL.inv_cdf(0.5 + confidence / 2)


# ---------------------------------------------------------------- intervals and scores

def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a proportion, as fractions 0-1 ((nan, nan) when n = 0).

    Unlike "p plus or minus 1.96 standard errors", it never goes below 0 or above 1 and
    behaves well for small groups and shares near 0% or 100%.
    """
    if n <= 0:
        return (math.nan, math.nan)
    z = z_value(confidence)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = (z / (1 + z * z / n)) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (max(0.0, centre - half), min(1.0, centre + half))


def values_of(responses: pd.DataFrame, item_id: str) -> np.ndarray:
    """The given (non-missing) answers to an item, as whole numbers."""
    if item_id not in responses:
        raise DataError(Problem(f"there is no column '{item_id}' in the responses"))
    return responses[item_id].dropna().astype("int64").to_numpy()


def turned(values: np.ndarray, item: Item) -> np.ndarray:
    """Codes turned so that higher is always more favourable (reverse-coded items flipped)."""
    values = np.asarray(values, dtype="int64")
    return item.low + item.high - values if item.reverse else values


def top_codes(item: Item, how_many: int = 2) -> list[int]:
    """The `how_many` most favourable codes of an item (5 and 4 on 1-5; 1 and 2 if reversed)."""
    codes = sorted(item.codes(), key=item.favourable, reverse=True)
    return codes[:how_many]


def bottom_codes(item: Item, how_many: int = 2) -> list[int]:
    codes = sorted(item.codes(), key=item.favourable)
    return codes[:how_many]


def median_answer(values: np.ndarray, item: Item) -> tuple[float, str]:
    """The median code and its words ("between Agree and Strongly agree" when it falls
    between two answers)."""
    if len(values) == 0:
        return (math.nan, "-")
    median = float(np.median(values))
    if median.is_integer():
        return (median, item.label(int(median)))
    return (median, f"between {item.label(math.floor(median))} and "
                    f"{item.label(math.ceil(median))}")


@dataclass(frozen=True)
class RecommendScore:
    """The 0-10 recommend score: % promoters (9-10) minus % detractors (0-6), in points."""

    n: int
    promoters: int
    passives: int
    detractors: int
    score: float
    low: float
    high: float


def recommend_score(values: np.ndarray, confidence: float = 0.95) -> RecommendScore:
    """Recommend score with a normal-approximation interval.

    Each answer counts +1 (9-10), 0 (7-8) or -1 (0-6); the score is their average x 100, and
    its standard error is the standard deviation of those +1/0/-1 values / sqrt(n).
    """
    values = np.asarray(values)
    n = len(values)
    promoters = int((values >= 9).sum())
    detractors = int((values <= 6).sum())
    passives = n - promoters - detractors
    if n == 0:
        return RecommendScore(0, 0, 0, 0, math.nan, math.nan, math.nan)
    p_pro, p_det = promoters / n, detractors / n
    score = (p_pro - p_det) * 100
    variance = p_pro + p_det - (p_pro - p_det) ** 2
    half = z_value(confidence) * math.sqrt(max(variance, 0.0) / n) * 100
    return RecommendScore(n, promoters, passives, detractors, score,
                          max(-100.0, score - half), min(100.0, score + half))


def cronbach_alpha(responses: pd.DataFrame, items: list[Item]) -> tuple[float, int]:
    """Cronbach's alpha of items meant to measure one thing, and how many complete
    responses it was computed from (reverse-coded items are turned round first).

    alpha = k / (k - 1) x (1 - sum of the items' variances / variance of the total).
    """
    if len(items) < 2:
        raise DataError(Problem("Cronbach's alpha needs at least two items"))
    table = responses[[i.id for i in items]].dropna()
    n = len(table)
    if n < 2:
        return (math.nan, n)
    matrix = np.column_stack([turned(table[i.id].astype("int64").to_numpy(), i)
                              for i in items]).astype(float)
    k = len(items)
    item_variances = matrix.var(axis=0, ddof=1).sum()
    total_variance = matrix.sum(axis=1).var(ddof=1)
    if total_variance == 0:
        return (math.nan, n)
    return (k / (k - 1) * (1 - item_variances / total_variance), n)


def alpha_words(alpha: float) -> str:
    """A plain reading of alpha (the usual rules of thumb)."""
    if math.isnan(alpha):
        return "cannot be worked out (too few complete answers, or no variation)"
    if alpha >= 0.9:
        return "very high: the items may repeat each other"
    if alpha >= 0.7:
        return "good: the items hang together as one measure"
    if alpha >= 0.6:
        return "borderline: use the items one by one as well"
    return "low: the items do not measure one thing; report them separately"


# ---------------------------------------------------------------- tables per item / group

def _groups(responses: pd.DataFrame, by: str | None, min_group: int = MIN_GROUP
            ) -> list[tuple[str, pd.DataFrame]]:
    """(name, responses) per group of `by`. Groups with fewer than `min_group` respondents
    are never shown on their own: they are pooled into one group, `SMALLER_GROUPS` (shown
    only if the pool itself reaches `min_group`), so no small group can be worked out by
    subtracting the groups shown from the whole."""
    if by is None:
        return [(ALL, responses)]
    sizes = responses.groupby(by, sort=True).size()
    small = set(sizes.index[sizes.to_numpy() < min_group])
    out = [(str(name), part) for name, part in responses.groupby(by, sort=True)
           if name not in small]
    if small:
        out.append((smaller_groups(min_group), responses[responses[by].isin(small)]))
    return out


def distribution(responses: pd.DataFrame, item: Item, *,
                 min_group: int = MIN_GROUP) -> pd.DataFrame:
    """How many gave each answer to `item` (every answer listed, favourable last), with %
    of those who answered. All counts are suppressed when fewer than `min_group` answered."""
    values = values_of(responses, item.id)
    n = len(values)
    codes = sorted(item.codes(), key=item.favourable)
    counts = [int((values == c).sum()) for c in codes]
    table = pd.DataFrame({
        "code": codes,
        "answer": [item.label(c) for c in codes],
        "count": counts,
        "pct": [round(100 * c / n, 1) if n else math.nan for c in counts],
    })
    if n < min_group:
        table = suppress(table.assign(n=n), "n", threshold=min_group,
                         keep=("code", "answer")).drop(columns="n")
    return table


def item_row(values: np.ndarray, item: Item, confidence: float = 0.95) -> dict[str, object]:
    """Every figure of one item for one group (no suppression: see `item_summary`)."""
    n = len(values)
    top = int(np.isin(values, top_codes(item)).sum())
    bottom = int(np.isin(values, bottom_codes(item)).sum())
    low, high = wilson_interval(top, n, confidence)
    median, words = median_answer(values, item)
    pct = (lambda k: 100 * k / n) if n else (lambda k: math.nan)
    return {"item": item.id, "n": n, "median": median, "median_answer": words,
            "top2": top, "top2_pct": pct(top), "top2_low": 100 * low, "top2_high": 100 * high,
            "bottom2": bottom, "bottom2_pct": pct(bottom), "net": pct(top) - pct(bottom)}


def item_summary(responses: pd.DataFrame, questionnaire: Questionnaire, *,
                 by: str | None = None, items: list[str] | None = None,
                 min_group: int = MIN_GROUP) -> pd.DataFrame:
    """Per item (and group of `by`): n answering, median answer, top-two box with its Wilson
    interval, bottom-two box and net score. Rating items unless `items` names others (the
    recommend and effort questions have their own scores). Groups with fewer than `min_group` answers are suppressed."""
    chosen = [questionnaire.item(i) for i in items] if items else \
        [i for i in questionnaire.items if i.kind == "rating"]
    rows = []
    for group, part in _groups(responses, by, min_group):
        for item in chosen:
            row = item_row(values_of(part, item.id), item)
            rows.append({"group": group, "wording": item.wording, **row})
    table = pd.DataFrame(rows)
    table = table.rename(columns={"group": by}) if by else table.drop(columns="group")
    keep = ("item", "wording") + ((by,) if by else ())
    return suppress(table, "n", threshold=min_group, keep=keep)


def recommend_table(responses: pd.DataFrame, questionnaire: Questionnaire, *,
                    by: str | None = None, min_group: int = MIN_GROUP) -> pd.DataFrame:
    """The recommend score (and its interval) per group of `by`."""
    items = questionnaire.of_kind("recommend")
    if not items:
        raise DataError(Problem("this questionnaire has no 0-10 recommend question"))
    rows = []
    for group, part in _groups(responses, by, min_group):
        r = recommend_score(values_of(part, items[0].id))
        rows.append({"group": group, "n": r.n, "promoters": r.promoters,
                     "passives": r.passives, "detractors": r.detractors, "score": r.score,
                     "low": r.low, "high": r.high})
    table = pd.DataFrame(rows)
    table = table.rename(columns={"group": by}) if by else table.drop(columns="group")
    return suppress(table, "n", threshold=min_group, keep=(by,) if by else ())


def effort_row(values: np.ndarray, item: Item) -> dict[str, object]:
    """Effort: % who found it easy minus % who found it difficult (answers either side of
    the middle of the scale), and the median answer."""
    n = len(values)
    middle = (item.low + item.high) / 2
    favourable = turned(values, item)
    easy = int((favourable > middle).sum())
    hard = int((favourable < middle).sum())
    median, words = median_answer(values, item)
    pct = (lambda k: 100 * k / n) if n else (lambda k: math.nan)
    return {"n": n, "median": median, "median_answer": words, "easy": easy,
            "easy_pct": pct(easy), "difficult": hard, "difficult_pct": pct(hard),
            "net_easy": pct(easy) - pct(hard)}


def effort_table(responses: pd.DataFrame, questionnaire: Questionnaire, *,
                 by: str | None = None, min_group: int = MIN_GROUP) -> pd.DataFrame:
    items = questionnaire.of_kind("effort")
    if not items:
        raise DataError(Problem("this questionnaire has no effort question"))
    rows = [{"group": g, **effort_row(values_of(part, items[0].id), items[0])}
            for g, part in _groups(responses, by, min_group)]
    table = pd.DataFrame(rows)
    table = table.rename(columns={"group": by}) if by else table.drop(columns="group")
    return suppress(table, "n", threshold=min_group, keep=(by,) if by else ())


def scale_reliability(responses: pd.DataFrame, questionnaire: Questionnaire, *,
                      min_group: int = MIN_GROUP) -> pd.DataFrame:
    """Cronbach's alpha of each scale the questionnaire names, in words (suppressed when
    fewer than `min_group` responses answered every item of the scale)."""
    rows = []
    for name, members in questionnaire.scales.items():
        alpha, n = cronbach_alpha(responses, [questionnaire.item(m) for m in members])
        rows.append({"scale": name, "items": ", ".join(members), "n": n, "alpha": alpha,
                     "reading": alpha_words(alpha)})
    table = pd.DataFrame(rows, columns=["scale", "items", "n", "alpha", "reading"])
    return suppress(table, "n", threshold=min_group, keep=("scale", "items"))


# ---------------------------------------------------------------- response rates and mix

def response_rates(responses: pd.DataFrame, invitations: pd.DataFrame, *,
                   wave: int | None = None, min_group: int = MIN_GROUP) -> pd.DataFrame:
    """Per department: invited, responses, response rate (with Wilson interval), and the
    department's share of responses against its share of invitations. A gap of 5 points or
    more is flagged: the results then over- or under-weight that department's view."""
    if wave is not None:
        responses = responses[responses["wave"] == wave]
        invitations = invitations[invitations["wave"] == wave]
    invited = invitations.groupby("department")["invited"].sum().astype("int64")
    answered = responses.groupby("department").size()
    unknown = sorted(set(answered.index) - set(invited.index))
    if unknown:
        raise DataError(Problem("responses come from departments with no invitations: "
                                f"{', '.join(map(str, unknown))}", column="department"))
    total_invited, total_answered = int(invited.sum()), int(answered.sum())
    rows = []
    for dept, sent in invited.items():
        k = int(answered.get(dept, 0))
        sent = int(sent)
        low, high = wilson_interval(min(k, sent), sent)
        invited_share = 100 * sent / total_invited
        response_share = 100 * k / total_answered if total_answered else math.nan
        gap = response_share - invited_share
        mix = ("over-represented" if gap >= MIX_GAP_POINTS else
               "under-represented" if gap <= -MIX_GAP_POINTS else "in line")
        rows.append({"department": str(dept), "invited": sent, "responses": k,
                     "rate_pct": 100 * k / sent, "rate_low": 100 * low, "rate_high": 100 * high,
                     "invited_share": invited_share, "response_share": response_share,
                     "gap": gap, "mix": mix})
    table = pd.DataFrame(rows)
    return suppress(table, "responses", threshold=min_group,
                    keep=("department", "invited", "invited_share"))


# ---------------------------------------------------------------- wave-on-wave change

def mann_whitney(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """Mann-Whitney U of `b` against `a` (two-sided, normal approximation with tie and
    continuity corrections): returns (U of b, p-value, chance that a random answer from b is
    higher than one from a, ties counted half)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n_a, n_b = len(a), len(b)
    if n_a == 0 or n_b == 0:
        return (math.nan, math.nan, math.nan)
    ranks = pd.Series(np.concatenate([a, b])).rank(method="average").to_numpy()
    u_b = ranks[n_a:].sum() - n_b * (n_b + 1) / 2
    n = n_a + n_b
    _, ties = np.unique(np.concatenate([a, b]), return_counts=True)
    tie_term = ((ties ** 3 - ties).sum() / (n * (n - 1))) if n > 1 else 0.0
    sigma = math.sqrt(n_a * n_b / 12 * ((n + 1) - tie_term))
    mean = n_a * n_b / 2
    if sigma == 0:
        p = 1.0
    else:
        z = max(abs(u_b - mean) - 0.5, 0.0) / sigma
        p = min(1.0, 2 * (1 - _NORMAL.cdf(z)))
    return (u_b, p, u_b / (n_a * n_b))


def two_proportion_test(k_a: int, n_a: int, k_b: int, n_b: int) -> float:
    """Two-sided p-value of a pooled two-proportion z test (nan if a group is empty)."""
    if n_a == 0 or n_b == 0:
        return math.nan
    pooled = (k_a + k_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    if se == 0:
        return 1.0
    z = abs(k_b / n_b - k_a / n_a) / se
    return 2 * (1 - _NORMAL.cdf(z))


def effect_words(r: float) -> str:
    """Size of a rank-biserial effect (|r| < 0.1 negligible, < 0.3 small, < 0.5 medium)."""
    size = abs(r)
    if math.isnan(size):
        return "unknown"
    return ("negligible" if size < 0.1 else "small" if size < 0.3 else
            "medium" if size < 0.5 else "large")


def p_words(p: float) -> str:
    """What a p-value means, for someone who is not a statistician."""
    if math.isnan(p):
        return "cannot be tested"
    chance = max(1, round(p * 100))
    if p < 0.05:
        return (f"a difference this big would turn up by chance alone about {chance} times "
                "in 100 if nothing had really changed: probably a real change")
    return (f"a difference this big would turn up by chance alone about {min(chance, 100)} "
            "times in 100 even if nothing had changed: it may be just chance")


@dataclass(frozen=True)
class WaveChange:
    """One item (in one group) from wave `a` to wave `b`."""

    item: str
    group: str
    n_a: int
    n_b: int
    top2_a: float
    top2_b: float
    change: float          # top-two box, percentage points
    p_top2: float          # two-proportion test on top-two box
    p: float               # Mann-Whitney on the whole distribution
    superiority: float     # chance a wave-b answer is higher than a wave-a answer
    effect: float          # rank-biserial r = 2 x superiority - 1
    effect_size: str
    wording: str = ""

    def words(self) -> str:
        if min(self.n_a, self.n_b) < MIN_GROUP:
            return f"{self.group}: too few answers to compare (fewer than {MIN_GROUP})."
        direction = ("rose" if self.change > 0 else "fell" if self.change < 0 else
                     "stayed the same")
        return (f"{self.group}: agreement with \"{self.wording or self.item}\" (top two "
                f"answers) {direction} from "
                f"{self.top2_a:.0f}% (of {self.n_a}) to {self.top2_b:.0f}% (of {self.n_b}), "
                f"{self.change:+.0f} points. Across all answers, {p_words(self.p)}. "
                f"A later answer beats an earlier one {100 * self.superiority:.0f}% of the "
                f"time (ties count half): a {self.effect_size} effect.")


def wave_change(responses: pd.DataFrame, item: Item, wave_a: int, wave_b: int,
                group: str = ALL) -> WaveChange:
    a = values_of(responses[responses["wave"] == wave_a], item.id)
    b = values_of(responses[responses["wave"] == wave_b], item.id)
    a_turned, b_turned = turned(a, item), turned(b, item)
    tops = top_codes(item)
    k_a, k_b = int(np.isin(a, tops).sum()), int(np.isin(b, tops).sum())
    pct_a = 100 * k_a / len(a) if len(a) else math.nan
    pct_b = 100 * k_b / len(b) if len(b) else math.nan
    _, p, sup = mann_whitney(a_turned, b_turned)
    effect = 2 * sup - 1 if not math.isnan(sup) else math.nan
    return WaveChange(item=item.id, group=group, n_a=len(a), n_b=len(b), top2_a=pct_a,
                      top2_b=pct_b, change=pct_b - pct_a,
                      p_top2=two_proportion_test(k_a, len(a), k_b, len(b)), p=p,
                      superiority=sup, effect=effect, effect_size=effect_words(effect),
                      wording=item.wording)


def wave_changes(responses: pd.DataFrame, questionnaire: Questionnaire, item_id: str, *,
                 wave_a: int = 1, wave_b: int = 2, by: str | None = "about_team",
                 min_group: int = MIN_GROUP) -> pd.DataFrame:
    """The change of one item from wave a to wave b for every group of `by` (and overall),
    largest fall first; groups with fewer than `min_group` answers in either wave are
    suppressed."""
    item = questionnaire.item(item_id)
    groups = [(ALL, responses)] + (_groups(responses, by, min_group) if by else [])
    rows = []
    for name, part in groups:
        c = wave_change(part, item, wave_a, wave_b, name)
        rows.append({"group": name, "n_a": c.n_a, "n_b": c.n_b, "n": min(c.n_a, c.n_b),
                     "top2_a": c.top2_a, "top2_b": c.top2_b, "change": c.change,
                     "p": c.p, "p_top2": c.p_top2, "effect": c.effect,
                     "effect_size": c.effect_size, "in_words": c.words()})
    table = pd.DataFrame(rows)
    order = [0] + sorted(range(1, len(table)), key=lambda i: table["change"].iloc[i])
    table = table.iloc[order].reset_index(drop=True)
    table = suppress(table, "n", threshold=min_group, keep=("group",))
    too_few = table["n"].astype(str) == f"fewer than {min_group}"
    table.loc[too_few, "in_words"] = [f"{g}: too few answers to compare (fewer than "
                                      f"{min_group} in a wave)." for g in table["group"][too_few]]
    return table.drop(columns="n")


def recommend_limits() -> str:
    """Why the recommend score must be read with care for an internal service."""
    return ("The recommend score was designed for businesses whose customers can take their "
            "custom elsewhere. Colleagues usually cannot choose another payroll or IT team, so "
            "'would you recommend' is a hypothetical question for them: read the score as a "
            "rough sign of goodwill, next to the item scores and comments, and never compare "
            "it with published scores of shops or banks. With small groups its interval is "
            "wide: a change of a few points means nothing on its own.")
