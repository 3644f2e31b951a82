"""Every registered app in a real browser: it loads with no error banner and no script
error, its key widget appears, a real interaction (mouse and keyboard) changes what is
shown, axe-core finds no serious or critical accessibility problem, and nothing is fetched
from outside this computer. With ILCS_UPDATE_SCREENSHOTS=1 each app is photographed into
docs/screenshots/ (for the README and docs/apps.md)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from ilcs.apps import APPS, App, gallery_apps
from ilcs.paths import PROJECT_DIR
from ilcs.present import app_url

SCREENSHOTS = PROJECT_DIR / "docs" / "screenshots"
SERIOUS = ("serious", "critical")
# Buttons and tab labels of ilcs inside `root` (a selector) whose text is wider than their
# box (cut off with an ellipsis, or hidden): each as its text and the two widths.
TRUNCATED_JS = """(root) => {
  const labels = document.querySelectorAll(
    `${root} button, ${root} .lm-TabBar-tabLabel, ${root} .p-TabBar-tabLabel`);
  return Array.from(labels)
    .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
    .map(e => `${e.textContent.trim()} (${e.scrollWidth} > ${e.clientWidth} px)`);
}"""


def open_app(page, port: int, app: App):
    """Navigate to an app and wait for its key widget; check there is no error banner."""
    page.goto(app_url(port, app.notebook))
    frame = page.locator(app.key_selector).first
    frame.wait_for(state="visible")
    assert page.locator(".jp-OutputArea-error").count() == 0, f"{app.name}: error banner"
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "There was an error" not in body
    return frame


def axe_violations(page, axe_js: Path) -> list[dict]:
    page.add_script_tag(path=str(axe_js))
    result = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["html"][:160] for n in v["nodes"][:3]]}
        for v in result if v["impact"] in SERIOUS
    ]


def photograph(page, app: App) -> None:
    """A PNG of the whole app (the page scrolls inside Voila's container, so the window is
    first made as tall as the app)."""
    page.evaluate("() => { window.scrollTo(0, 0); document.querySelectorAll('*').forEach("
                  "e => { if (e.scrollTop) { e.scrollTop = 0; } }); }")
    height = page.evaluate(
        "() => Math.ceil(document.querySelector('#ilcs-main').getBoundingClientRect().bottom"
        " + window.scrollY) + 24")
    page.set_viewport_size({"width": 1280, "height": max(600, min(int(height), 4000))})
    page.wait_for_timeout(300)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{app.name}.png"), full_page=True)


# --- one real interaction per app ---------------------------------------------------------

def interact_gallery(page, frame, port: int) -> None:
    heading = frame.locator("h1")
    size_before = heading.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    page.get_by_label("Large type (projector)").check()
    page.wait_for_function(
        "() => document.querySelector('.ilcs-app-gallery').classList.contains('ilcs-large-type')")
    size_after = heading.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size_after > size_before * 1.2
    # Every link opens an app that the server knows (relative links work under Voila).
    links = frame.locator("a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert sorted(hrefs) == sorted(a.notebook for a in gallery_apps())
    for i in range(links.count()):
        target = links.nth(i).evaluate("a => a.href")
        assert target.startswith(f"http://127.0.0.1:{port}/voila/render/")
    page.get_by_label("Large type (projector)").uncheck()  # photograph the normal size


def interact_class_quiz(page, frame, port: int) -> None:
    position = frame.locator("[role=status]").first
    first_text = frame.locator(".ilcs-card").inner_text()
    assert "Question 1 of" in first_text
    # Keyboard: focus "Next" and press Enter.
    next_button = page.get_by_role("button", name="Next ▶")
    if next_button.is_enabled():
        next_button.focus()
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => document.querySelector('.ilcs-card h2').textContent.startsWith('Question 2')")
        page.get_by_role("button", name="◀ Previous").click()
        page.wait_for_function(
            "() => document.querySelector('.ilcs-card h2').textContent.startsWith('Question 1')")
    # Mouse: reveal the answer; it is said in words and a symbol, not by colour alone.
    assert frame.locator(".ilcs-answer").count() == 0
    page.get_by_role("button", name="Reveal answer").click()
    answer = frame.locator(".ilcs-answer")
    answer.wait_for(state="visible")
    assert "✔ Answer:" in answer.inner_text()
    # Dropdown: another criterion starts at its first question, answer hidden again.
    select = page.get_by_label("Criterion")
    values = select.evaluate("s => Array.from(s.options).map(o => o.value)")
    assert len(values) >= 2, "the committed bank should have practice questions for 2+ criteria"
    before = position.inner_text()
    select.select_option(index=1)
    page.wait_for_function(
        "before => document.querySelector('.ilcs-app-class_quiz [role=status]').innerText"
        " !== before", arg=before)
    assert frame.locator(".ilcs-answer").count() == 0
    page.get_by_role("button", name="Reveal answer").click()  # answer showing in the photo
    frame.locator(".ilcs-answer").wait_for(state="visible")


def interact_sla_dashboard(page, frame, port: int) -> None:
    slider = frame.locator("[role=slider]").first
    slider.wait_for(state="visible")
    before = frame.inner_text()
    slider.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "before => document.querySelector('.ilcs-app-sla_dashboard').innerText !== before",
        arg=before)


def interact_review(page, frame, port: int) -> None:
    from tests.browser.conftest import DEMO_CANDIDATES

    pages = page.get_by_text(f"of {DEMO_CANDIDATES}", exact=False)
    pages.first.wait_for(state="visible")
    assert page.locator("table").filter(has_text="Candidate").count() >= 1
    page.get_by_label("Assessor", exact=True).select_option(label="A. Khan")
    page.wait_for_function(  # the filter narrows the matrix to that assessor's candidates
        "n => !document.body.innerText.includes(`of ${n}`)", arg=DEMO_CANDIDATES)
    candidate = page.get_by_label("Candidate", exact=True)
    assert not candidate.is_visible()
    page.get_by_role("tab", name="Candidate and marking").click()
    candidate.wait_for(state="visible")
    page.get_by_role("tab", name="Cohort").click()
    candidate.wait_for(state="hidden")
    # Find one candidate by number: the matrix narrows to them, by number and name.
    page.get_by_label("Assessor", exact=True).select_option(label="(all)")
    page.get_by_label("Find a candidate").fill("DEMO0001")
    page.wait_for_function("() => document.body.innerText.includes('Candidates 1–1 of 1')")
    assert frame.locator("table.ilcs-matrix th[scope=row]").inner_text().startswith(
        "DEMO0001 ")
    # Their page opens on criterion 1.1, whose written answer is marked against rubric
    # points shown whole (no label cut off with an ellipsis), beside the exemplars.
    page.get_by_role("tab", name="Candidate and marking").click()
    page.get_by_text("candidate number DEMO0001").first.wait_for(state="visible")
    page.get_by_text("Exemplar that meets the criterion").first.wait_for(state="visible")
    frame.locator(".ilcs-points .ilcs-wrap label span").first.wait_for(state="visible")
    # Measured in one go from the panel (a busy machine may still be redrawing it, and an
    # element taken out of the page in between has no panel to be measured against).
    measured = frame.locator(".ilcs-points").first.evaluate(
        "box => { const els = [...box.querySelectorAll('.ilcs-wrap label span')];"
        " const right = box.getBoundingClientRect().right;"
        " return {n: els.length, cut: els.filter(e => e.scrollWidth > e.clientWidth + 1"
        " || e.getBoundingClientRect().right > right + 1).map(e => e.textContent)}; }")
    assert measured["n"] >= 4
    cut = measured["cut"]  # cut off inside the label, or running out of its column
    assert cut == [], f"marking points cut off: {cut}"
    assert page.get_by_role("button", name="Save mark").is_visible()
    page.get_by_role("tab", name="Cohort").click()
    page.get_by_label("Find a candidate").fill("")


def interact_complaints_explorer(page, frame, port: int) -> None:
    picker = page.get_by_label("Team complained about")
    picker.wait_for(state="visible")
    summary = frame.locator(".ilcs-complaints-summary")
    assert "All teams: 150 complaints" in summary.inner_text()
    picker.focus()  # keyboard: choose the next team with the arrow key
    page.keyboard.press("ArrowDown")
    page.wait_for_function(
        "() => !document.querySelector('.ilcs-complaints-summary').innerText"
        ".includes('All teams: 150')")
    assert "Facilities Helpdesk: 31 complaints" in summary.inner_text()
    assert frame.locator("svg[role=img] title").first.text_content().startswith("Complaints by")


def interact_survey_explorer(page, frame, port: int) -> None:
    text = "() => document.querySelector('.ilcs-app-survey_explorer').innerText"
    assert "Payroll Services: agreement" in frame.inner_text()  # the table by team
    # Mouse: choose a team; its own change between the waves is said in words.
    page.get_by_label("Team", exact=True).select_option(label="Payroll Services")
    page.wait_for_function(
        f"() => ({text})().includes('Scores by statement (Payroll Services, both waves)')")
    assert "fell from 75% (of 44) to 57% (of 44)" in frame.inner_text()
    # Keyboard: move to wave 1 with the arrow key.
    page.get_by_label("Wave", exact=True).focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_function(f"() => ({text})().includes('Payroll Services, wave 1')")
    assert "@" not in frame.inner_text()  # personal details were removed from comments


def interact_self_assessment(page, frame, port: int) -> None:
    app = ".ilcs-app-self_assessment"
    page.get_by_text("(0 so far)").wait_for(state="visible")
    assert frame.locator("svg").count() == 0  # no results before 5 people
    add = page.get_by_role("button", name="Add my ratings (anonymous)")
    for person in range(1, 6):
        page.get_by_label("3. We agree with each customer how often").select_option(
            label="2 - rarely")
        page.get_by_label("1. We treat every colleague").select_option(label="5 - every time")
        if person == 1:  # keyboard: focus the button and press Enter
            add.focus()
            page.keyboard.press("Enter")
        else:
            add.click()
        page.wait_for_function(
            "([sel, n]) => document.querySelector(sel).innerText.includes(n)",
            arg=[app, "1 person has answered" if person == 1 else f"{person} people have"])
    frame.locator("svg[role=img]").first.wait_for(state="visible")
    page.wait_for_function(  # the chart, the table and the plan arrive as separate updates
        "sel => document.querySelector(sel).innerText.includes('Draft action plan')", arg=app)
    text = frame.inner_text()
    assert "The weakest practices (up to three)" in text and "Communication schedule" in text
    page.get_by_label("Owners of the three actions, one per line").fill("Sam Lee")
    page.get_by_label("Owners of the three actions, one per line").press("Tab")
    page.wait_for_function(
        "sel => document.querySelector(sel).innerText.includes('Sam Lee')", arg=app)


def interact_improvement_board(page, frame, port: int) -> None:
    board = ".ilcs-app-improvement_board"
    frame.get_by_text("Finance Operations requests within target rose from",
                      exact=False).wait_for(state="visible")
    # Mouse: another team; the chart and before/after follow.
    page.get_by_label("Team", exact=True).select_option(label="HR Advisory")
    page.wait_for_function(
        "sel => document.querySelector(sel).innerText.includes('HR Advisory: First response')",
        arg=board)
    # Keyboard: the measure list, one step up to the median time, shows the outage week.
    page.get_by_label("Measure", exact=True).focus()
    page.keyboard.press("ArrowUp")
    page.wait_for_function(
        "sel => document.querySelector(sel).innerText.includes("
        "'10/11: a point above the upper limit')", arg=board)
    assert frame.get_by_text("Save this chart as SVG", exact=False).count() >= 2
    # PNG copies are drawn on request, by the kernel (offline), as links to save.
    page.get_by_role("button", name="Make PNG copies of these charts").click()
    frame.get_by_text("Save this chart as PNG", exact=False).first.wait_for(state="visible")
    assert frame.get_by_text("Save this chart as PNG", exact=False).count() == 2


INTERACTIONS: dict[str, Callable] = {
    "gallery": interact_gallery,
    "class_quiz": interact_class_quiz,
    "sla_dashboard": interact_sla_dashboard,
    "review": interact_review,
    "complaints_explorer": interact_complaints_explorer,
    "survey_explorer": interact_survey_explorer,
    "self_assessment": interact_self_assessment,
    "improvement_board": interact_improvement_board,
}


def test_every_app_has_a_browser_interaction() -> None:
    missing = [a.name for a in APPS if a.name not in INTERACTIONS]
    assert missing == [], f"add an interaction for {missing} in {__file__}"


@pytest.mark.parametrize("app", APPS, ids=lambda a: a.name)
def test_app_in_the_browser(watched_page, voila_port: int, axe_js: Path, app: App) -> None:
    page, _watch = watched_page
    frame = open_app(page, voila_port, app)
    assert page.locator("h1, h2").first.is_visible()
    INTERACTIONS[app.name](page, frame, voila_port)
    assert page.evaluate(TRUNCATED_JS, "#ilcs-main") == [], "labels cut off at 1280 px"
    violations = axe_violations(page, axe_js)
    assert violations == [], json.dumps(violations, indent=1)
    if os.environ.get("ILCS_UPDATE_SCREENSHOTS") == "1":
        photograph(page, app)


def test_gallery_link_opens_the_app(watched_page, voila_port: int) -> None:
    page, _watch = watched_page
    frame = open_app(page, voila_port, APPS[0])
    target = gallery_apps()[0]
    frame.get_by_role("link", name=target.title).click()
    page.locator(target.key_selector).first.wait_for(state="visible")
    assert re.search(rf"/voila/render/{re.escape(target.notebook)}$", page.url)


def test_the_page_itself_cannot_run_code_in_its_kernel(
        watched_page, voila_port: int, tmp_path: Path) -> None:
    """What a viewer's browser could try: send an execute_request on the page's own kernel
    connection. Voila accepts only widget messages, so the code never runs."""
    page, _watch = watched_page
    open_app(page, voila_port, APPS[0])
    marker = tmp_path / "ran.txt"
    seen = page.evaluate(
        """async (code) => {
          const config = JSON.parse(document.getElementById('jupyter-config-data').textContent);
          const session = 'viewer-' + Math.random().toString(16).slice(2);
          const ws = new WebSocket(`ws://${location.host}/api/kernels/${config.kernelId}` +
                                   `/channels?session_id=${session}`);
          const seen = [];
          ws.onmessage = (event) => {
            if (typeof event.data === 'string') seen.push(JSON.parse(event.data).header.msg_type);
          };
          await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
          const message = (type, content) => JSON.stringify({
            header: {msg_id: Math.random().toString(16).slice(2), msg_type: type,
                     username: 'viewer', session, date: '', version: '5.3'},
            parent_header: {}, metadata: {}, content, channel: 'shell', buffers: []});
          ws.send(message('execute_request', {code, silent: false, store_history: false,
                  user_expressions: {}, allow_stdin: false, stop_on_error: true}));
          ws.send(message('kernel_info_request', {}));
          await new Promise((resolve) => setTimeout(resolve, 4000));
          ws.close();
          return seen;
        }""",
        f"open({str(marker)!r}, 'w').write('ran')",
    )
    assert "kernel_info_reply" in seen  # the connection works for allowed messages
    assert "execute_reply" not in seen and "execute_result" not in seen
    assert not marker.exists()


def test_the_folder_page_and_errors_are_offline_too(
        watched_page, voila_port: int, axe_js: Path) -> None:
    page, _watch = watched_page
    page.goto(f"http://127.0.0.1:{voila_port}/")
    page.get_by_text("gallery.ipynb").first.wait_for(state="visible")
    violations = axe_violations(page, axe_js)
    assert violations == [], json.dumps(violations, indent=1)
    response = page.goto(f"http://127.0.0.1:{voila_port}/voila/render/no_such_app.ipynb")
    assert response is not None and response.status == 404
