"""The one list of apps a trainer or assessor opens in the browser (served by Voila).

A new app appears in the gallery, in `ilcs present`'s kernel pool, in the browser tests and in
the app benchmark by adding one `App(...)` entry to `APPS` (and its thin notebook in
`notebooks/apps/`). Nothing here imports ipywidgets: the list is plain data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ilcs.errors import NotFoundError
from ilcs.paths import apps_dir


@dataclass(frozen=True)
class App:
    """One app: a notebook in notebooks/apps/ whose only job is to show one `build_*()` view.

    - name: short id, also the notebook's file name without `.ipynb`.
    - title / description: what the gallery shows (UK English, for a trainer).
    - audience: who it is for ("trainer" or "assessor").
    - preheat: keep one kernel warmed up with the app already run, so it opens fast in class.
    - ready_selector: CSS selector of the app's key widget (the browser tests and the
      benchmark wait for it); default `.ilcs-app-<name>`, which `style.app_page` sets.
    """

    name: str
    title: str
    description: str
    audience: str = "trainer"
    preheat: bool = False
    ready_selector: str = ""

    @property
    def key_selector(self) -> str:
        return self.ready_selector or f".ilcs-app-{self.name}"

    @property
    def notebook(self) -> str:
        """The notebook's file name, relative to notebooks/apps/ (and to the gallery page)."""
        return f"{self.name}.ipynb"

    @property
    def path(self) -> Path:
        return apps_dir() / self.notebook


GALLERY = App(
    name="gallery",
    title="App gallery",
    description="The home page: every app, with a link to open it.",
    preheat=True,
)

APPS: tuple[App, ...] = (
    GALLERY,
    App(
        name="sla_dashboard",
        title="Service standards dashboard",
        description=(
            "How well each team met its agreed service standards, month by month. Move the "
            "target slider to see what share of past requests a new target would have met, "
            "and list the requests that missed their standard."
        ),
        preheat=True,
    ),
    App(
        name="class_quiz",
        title="Class quiz (practice questions)",
        description=(
            "Pick an assessment criterion and step through its practice questions on the "
            "projector. Reveal each answer, with its explanation, when the class is ready."
        ),
        preheat=True,
    ),
    App(
        name="complaints_explorer",
        title="Complaints explorer",
        description=(
            "How promptly complaints were acknowledged and answered against the complaints "
            "procedure, team by team; the most common categories (Pareto), escalations, "
            "reopenings and open complaints by age. Small groups are shown as \"fewer "
            "than 5\" and no names are shown."
        ),
    ),
    App(
        name="survey_explorer",
        title="Survey explorer",
        description=(
            "The internal customer satisfaction survey, wave by wave: scores by statement and "
            "team, every answer to one statement, the change between waves in words, and the "
            "comments by theme. Groups of fewer than 5 respondents are never shown."
        ),
        preheat=True,
    ),
    App(
        name="self_assessment",
        title="Team self-assessment: the 18 practices",
        description=(
            "A team rates itself, one person at a time and anonymously, on the 18 practices "
            "of good internal customer service. Once at least 5 have answered: a chart, the "
            "three weakest practices and a draft action plan with owners and dates."
        ),
        preheat=True,
    ),
    App(
        name="review",
        title="Assessor review",
        description=(
            "For assessors and IQAs: the cohort against every criterion, marking written "
            "answers, decisions with feedback and action points, sign-off and IQA sampling."
        ),
        audience="assessor",
        ready_selector=".widget-tab",
    ),
    App(
        name="improvement_board",
        title="Improvement board",
        description=(
            "Continuous improvement on the sample organisation: a week-by-week control chart "
            "for any team and measure, with its signals in words; before and after a change; "
            "and a Pareto chart of what complaints are about. Each chart can be saved as SVG."
        ),
        preheat=True,
    ),
)


def get_app(name: str) -> App:
    """The registered app called `name` (KeyError naming the known apps otherwise)."""
    for app in APPS:
        if app.name == name:
            return app
    known = ", ".join(a.name for a in APPS)
    raise NotFoundError(f"No app called {name!r}; the apps are: {known}")


def gallery_apps() -> tuple[App, ...]:
    """The apps the gallery links to: every app except the gallery itself."""
    return tuple(a for a in APPS if a.name != GALLERY.name)


def kernel_pools_config() -> dict[str, dict[str, int]]:
    """Voila's per-notebook kernel pools: one warm kernel for each preheated app, none elsewhere."""
    pools: dict[str, dict[str, int]] = {"default": {"pool_size": 0}}
    for app in APPS:
        pools[app.notebook] = {"pool_size": 1 if app.preheat else 0}
    return pools
