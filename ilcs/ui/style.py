"""How the apps look: one stylesheet, a page frame with a heading, and a large-type option.

Large type is for a classroom projector: bigger text and controls, thicker focus outlines.
The stylesheet travels inside the page (an HTML widget holding a <style> element), so the
apps look the same in Voila and in JupyterLab, with nothing fetched from the internet.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the widget library is imported inside the functions that need it
    import ipywidgets

    from ilcs.ui.view import AppPage

APP_CLASS = "ilcs-app"
LARGE_TYPE_CLASS = "ilcs-large-type"
LARGE_TYPE_LABEL = "Large type (projector)"

APP_CSS = """
.ilcs-app { max-width: 1200px; color: #111111; }
.ilcs-app h1 { font-size: 1.9em; margin: 0.2em 0 0.4em 0; line-height: 1.2; color: #111111; }
.ilcs-app h2 { font-size: 1.4em; margin: 0.5em 0 0.3em 0; line-height: 1.25; color: #111111; }
.ilcs-app .widget-html-content { line-height: 1.45; }
.ilcs-app a { color: #0b4f9c; text-decoration: underline; }
.ilcs-app a:visited { color: #5a2a82; }
.ilcs-app :focus-visible { outline: 3px solid #0b4f9c !important; outline-offset: 2px; }
.ilcs-app .widget-label, .ilcs-app .widget-readout { color: #111111; }
.ilcs-app .ilcs-muted { color: #3d3d3d; }
.ilcs-app .ilcs-card { border: 1px solid #6b6b6b; border-radius: 6px; padding: 0.5em 1em;
  margin: 0.5em 0; background: #ffffff; }
.ilcs-app .ilcs-answer { border-left: 6px solid #1b5e20; padding: 0.3em 0.8em; margin: 0.5em 0;
  background: #f3f8f3; }
.ilcs-app .ilcs-wrap.widget-checkbox, .ilcs-app .ilcs-wrap.jupyter-widget-checkbox {
  height: auto; max-width: calc(100% - 4px); }
.ilcs-app .ilcs-wrap .widget-label-basic, .ilcs-app .ilcs-wrap .jupyter-widget-label-basic {
  white-space: normal; overflow: visible; text-overflow: clip; line-height: 1.4;
  display: flex; align-items: flex-start; min-width: 0; max-width: 100%; }
.ilcs-app .ilcs-wrap .widget-label-basic span, .ilcs-app .ilcs-wrap .jupyter-widget-label-basic span {
  white-space: normal; overflow-wrap: anywhere; min-width: 0; }
.ilcs-large-type { font-size: 24px;
  --jp-widgets-font-size: 22px; --jp-widgets-inline-height: 46px;
  --jp-widgets-inline-label-width: 11em; --jp-widgets-inline-width: 40em;
  --jp-ui-font-size1: 22px; --jp-content-font-size1: 22px; }
.ilcs-large-type .widget-html-content, .ilcs-large-type .widget-label,
.ilcs-large-type button, .ilcs-large-type select { font-size: 22px; }
.ilcs-large-type :focus-visible { outline-width: 5px !important; }
.ilcs-large-type input[type="checkbox"] { transform: scale(1.6); margin: 0 0.6em 0 0.3em; }
"""


# ipywidgets gives every tab the same width and cuts a longer title off: a tab of ilcs is as
# wide as its title.
TABS_CLASS = "ilcs-tabs"
TABS_CSS = """
.ilcs-tabs > .lm-TabBar .lm-TabBar-tab { flex: 0 0 auto !important; max-width: none !important; }
.ilcs-tabs > .lm-TabBar .lm-TabBar-tabLabel { overflow: visible !important; }
"""


def readable_tabs(tabs: ipywidgets.Tab) -> ipywidgets.HTML:
    """Mark `tabs` so no title is cut off; returns the (invisible) style widget to show with
    it (inside an app page the stylesheet already has it)."""
    import ipywidgets as w

    tabs.add_class(TABS_CLASS)
    box = w.HTML(f"<style>{TABS_CSS}</style>")
    box.layout.margin = "0"
    return box


def stylesheet() -> ipywidgets.HTML:
    """An (invisible) HTML widget carrying the apps' stylesheet."""
    import ipywidgets as w

    box = w.HTML(f"<style>{APP_CSS}{TABS_CSS}</style>")
    box.layout.margin = "0"
    return box


def heading_html(title: str, level: int = 1, subtitle: str | None = None) -> str:
    """A heading (and optional one-line subtitle) as escaped HTML."""
    text = f"<h{level}>{html.escape(title)}</h{level}>"
    if subtitle:
        text += f'<p class="ilcs-muted">{html.escape(subtitle)}</p>'
    return text


def set_large_type(page: ipywidgets.Widget, on: bool) -> None:
    """Switch the page between normal and large (projector) type."""
    if on:
        page.add_class(LARGE_TYPE_CLASS)
    else:
        page.remove_class(LARGE_TYPE_CLASS)


def app_page(
    body: ipywidgets.Widget,
    title: str,
    *,
    name: str,
    subtitle: str | None = None,
    large_type: bool = False,
) -> AppPage:
    """Frame an app: stylesheet, a page heading, a large-type switch, then the app itself
    (`ilcs.ui.view.AppPage`; a view frames itself with `view.app(name)`)."""
    from ilcs.ui.view import AppPage

    return AppPage(body, title, name=name, subtitle=subtitle, large_type=large_type)


def framed_app(name: str, body: ipywidgets.Widget, *, large_type: bool = False) -> AppPage:
    """`app_page` with the title the app registry gives the app called `name`."""
    from ilcs.apps import get_app

    return app_page(body, get_app(name).title, name=name, large_type=large_type)
