"""The trainee's quiz widget in a real browser: a practice question gives feedback in words,
an assessed one is saved with none, both answers reach the store the moment they are given
and come back when the page is opened again, by mouse and by keyboard, with no serious
accessibility problem and nothing fetched from outside this computer.

The quiz is served by Voila from a folder holding one notebook that calls `show_questions`,
exactly as an outcome notebook does."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from ilcs.assessment.questions import load_bank
from ilcs.assessment.store import AnswerStore
from ilcs.paths import apps_dir
from ilcs.present import (
    app_url,
    free_port,
    start_server,
    wait_until_listening,
)
from tests.browser.test_apps_browser import axe_violations
from tests.support.processes import end_process_tree


def _first(bank, mode: str):
    return next(q for q in bank.questions if q.mode == mode and q.type == "single_choice")


@pytest.fixture(scope="module")
def quiz(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    from ilcs.assessment.forms import form_order
    from ilcs.assessment.profile import save_profile

    bank = load_bank()
    practice, first_form = _first(bank, "practice"), _first(bank, "assessed")
    folder = tmp_path_factory.mktemp("quiz-app")
    shutil.copy(apps_dir() / "gallery.ipynb", folder)  # the server expects a home page
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from ilcs.assessment.views.quiz import show_questions\n"
        f"show_questions(ids={[practice.id, first_form.id]!r})")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, folder / "quiz.ipynb")
    home = tmp_path_factory.mktemp("trainee-home")
    port = free_port()
    with pytest.MonkeyPatch.context() as env:  # the trainee's own data folder
        env.setenv("ILCS_HOME", str(home))
        env.delenv("ILCS_DATABASE_URL", raising=False)
        with AnswerStore.open(f"sqlite:///{home / 'answers.sqlite'}") as store:
            profile = save_profile("Browser Test", "NVQ-0001", "North College", store=store)
        # the learner sees the parallel form of the item assigned to them
        group = first_form.group
        assessed = bank.get(form_order(profile.candidate_id, group,
                                       [q.id for q in bank.forms(group)])[0])
        proc = start_server(port, preheat=False, apps_dir=folder,
                            log_file=home / "voila.log")
    try:
        wait_until_listening(port, proc)
        yield {"port": port, "home": home, "practice": practice, "assessed": assessed}
    finally:
        end_process_tree(proc)


def _open(page, port: int):
    page.goto(app_url(port, "quiz.ipynb"))
    page.locator(".ilcs-quiz").first.wait_for(state="visible")
    assert page.locator(".jp-OutputArea-error").count() == 0


def _option(page, question, option_id: str):
    """An option by its text: the learner sees options shuffled, labelled A), B)..."""
    import re

    text = next(o.text for o in question.options if o.id == option_id)
    return page.get_by_role("radio", name=re.compile(r"^[A-Z]\) " + re.escape(text) + "$"))


def test_trainee_answers_by_mouse_and_keyboard_and_nothing_is_lost(
        watched_page, quiz: dict, axe_js: Path) -> None:
    page, _watch = watched_page
    practice, assessed = quiz["practice"], quiz["assessed"]
    _open(page, quiz["port"])
    assert axe_violations(page, axe_js) == []

    # Practice: a wrong option first, then the right one; feedback in words, not colour.
    wrong = next(o.id for o in practice.options if o.id != practice.key)
    _option(page, practice, wrong).check()
    page.get_by_role("button", name="Check my answer").click()
    page.get_by_text("✘ Not yet right").first.wait_for(state="visible")
    _option(page, practice, practice.key).check()
    check = page.get_by_role("button", name="Check my answer")
    check.focus()
    page.keyboard.press("Enter")  # the keyboard works as well as the mouse
    page.get_by_text("✔ Correct").first.wait_for(state="visible")

    # Assessed: saved, with no right/wrong shown.
    _option(page, assessed, assessed.options[0].id).check()
    page.get_by_role("button", name="Save answer").click()
    page.get_by_text("your assessor will mark it").first.wait_for(state="visible")
    quiz_text = page.locator(".ilcs-quiz").first.inner_text()
    assert quiz_text.count("✔ Correct") == 1 and quiz_text.count("✘ Not yet right") <= 1

    # Both answers are in the trainee's store (outside the notebook) ...
    with AnswerStore.open(f"sqlite:///{quiz['home'] / 'answers.sqlite'}") as store:
        latest = {a.question_id: a.response for a in store.all_latest_answers()}
    assert latest == {practice.id: practice.key, assessed.id: assessed.options[0].id}

    # ... and come back when the page is opened again (a new kernel, as after a restart).
    _open(page, quiz["port"])
    _option(page, practice, practice.key).wait_for(state="visible")
    assert _option(page, practice, practice.key).is_checked()
    assert _option(page, assessed, assessed.options[0].id).is_checked()
