"""The gallery (home page of `ilcs present`): every registered app with a link to open it."""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets

from ilcs.apps import App, gallery_apps
from ilcs.ui.view import AppPage, View

TITLE = "Customer service to internal customers: class apps"
SUBTITLE = "NVQ unit A/601/2550"
AUDIENCE_LABELS = {"trainer": "For trainers", "assessor": "For assessors"}


def app_card_html(app: App) -> str:
    """One app as a list item: its title as a link (relative, so it works under Voila and in
    JupyterLab alike), who it is for, and what it does."""
    audience = AUDIENCE_LABELS.get(app.audience, app.audience)
    return (
        f'<li class="ilcs-card">'
        f'<h2><a href="{html.escape(app.notebook)}">{html.escape(app.title)}</a></h2>'
        f'<p class="ilcs-muted">{html.escape(audience)}</p>'
        f"<p>{html.escape(app.description)}</p>"
        f"</li>"
    )


def gallery_html(apps: Sequence[App]) -> str:
    """The list of apps as HTML (an explicit message when there are none)."""
    if not apps:
        return "<p>No apps are registered yet.</p>"
    cards = "".join(app_card_html(a) for a in apps)
    return (
        '<nav aria-label="Apps"><ul style="list-style:none;padding-left:0;margin:0">'
        f"{cards}</ul></nav>"
    )


class Gallery(View):
    """The list of apps, each with a link to open it."""

    def __init__(self, apps: Sequence[App] | None = None) -> None:
        super().__init__()
        self.apps = gallery_apps() if apps is None else tuple(apps)
        self.intro = widgets.HTML(
            "<p>Choose an app to open it in this tab. Each app starts in a few seconds; use the "
            "browser's Back button to return here. Nothing here needs the internet.</p>"
        )
        self.listing = widgets.HTML()
        self.listing.add_class("ilcs-gallery-list")
        self.children = [self.intro, self.listing]
        self.render()

    def render(self) -> None:
        self.listing.value = gallery_html(self.apps)


def build_gallery(apps: Sequence[App] | None = None, large_type: bool = False) -> AppPage:
    """The gallery page. `apps` defaults to every registered app except the gallery itself."""
    return Gallery(apps).app("gallery", title=TITLE, subtitle=SUBTITLE, large_type=large_type)
