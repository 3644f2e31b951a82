"""The app views, built in Python and driven by their callbacks: no browser, no server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ilcs.apps import APPS, GALLERY, App, gallery_apps, get_app, kernel_pools_config

BANK_HEADER = 'schema_version: 1\nbank_version: "test.1"\nunit: A/601/2550\n'

QUESTIONS = """
schema_version: 1
questions:
  - id: q4.2-first
    criteria: ["4.2"]
    mode: practice
    type: single_choice
    prompt: "Which is a **service standard**?"
    explanation: "A standard says what will be done and by when."
    options:
      - {id: a, text: "Be nice to colleagues", feedback: "Too vague."}
      - {id: b, text: "Reply to IT requests within 4 working hours", feedback: "Yes."}
    key: b
  - id: q4.2-second
    criteria: ["4.2"]
    mode: practice
    type: numeric
    prompt: "Eight of ten requests met the standard. What percentage is that?"
    explanation: "8 out of 10 is eighty per cent."
    unit: "%"
    tolerance: 0
    key: 80
  - id: q4.2-third
    criteria: ["4.2"]
    mode: practice
    type: ordering
    prompt: "Put the steps of agreeing a standard in order."
    items:
      - {id: x, text: "Ask the internal customer what they need"}
      - {id: y, text: "Write the standard down"}
      - {id: z, text: "Review it after a month"}
    key: [x, y, z]
  - id: q4.2-assessed
    criteria: ["4.2"]
    mode: assessed
    type: single_choice
    prompt: "SECRET assessed prompt"
    options:
      - {id: a, text: "One"}
      - {id: b, text: "Two"}
  - id: q1.1-only
    criteria: ["1.1"]
    mode: practice
    type: single_choice
    prompt: "Who is an internal customer?"
    options:
      - {id: a, text: "A colleague in another team"}
      - {id: b, text: "A member of the public"}
    key: a
"""


@pytest.fixture()
def bank(tmp_path: Path):
    from ilcs.assessment.questions import load_bank

    folder = tmp_path / "questions"
    folder.mkdir()
    (folder / "bank.yaml").write_text(BANK_HEADER, encoding="utf-8")
    (folder / "practice.yaml").write_text(QUESTIONS, encoding="utf-8")
    return load_bank(folder)


def test_registry_names_are_unique_and_every_notebook_exists() -> None:
    names = [a.name for a in APPS]
    assert len(names) == len(set(names))
    for app in APPS:
        assert app.path.is_file(), f"{app.name}: {app.path} is missing"
        nb = json.loads(app.path.read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert 1 <= len(code) <= 3, f"{app.name}: an app notebook is 1-3 code cells"
        assert nb["metadata"].get("title"), f"{app.name}: the page needs a title"


def test_pools_follow_the_registry() -> None:
    pools = kernel_pools_config()
    assert pools["default"] == {"pool_size": 0}
    for app in APPS:
        assert pools[app.notebook] == {"pool_size": 1 if app.preheat else 0}
    assert GALLERY.preheat


def test_get_app_names_the_known_apps_when_unknown() -> None:
    assert get_app("gallery") is GALLERY
    with pytest.raises(KeyError, match="gallery"):
        get_app("no-such-app")


def test_gallery_links_every_app_but_itself() -> None:
    from ilcs.ui.gallery import build_gallery

    page = build_gallery()
    text = _all_html(page)
    for app in gallery_apps():
        assert f'href="{app.notebook}"' in text
        assert app.title in text
    assert 'href="gallery.ipynb"' not in text
    assert "ilcs-app-gallery" in page._dom_classes


def test_gallery_shows_a_new_registry_entry_and_escapes_it() -> None:
    from ilcs.ui.gallery import build_gallery

    extra = App(name="new_app", title="Tea & biscuits <rota>", description="A new one.")
    text = _all_html(build_gallery(apps=[extra]))
    assert 'href="new_app.ipynb"' in text
    assert "Tea &amp; biscuits &lt;rota&gt;" in text
    assert "<rota>" not in text


def test_gallery_without_apps_says_so() -> None:
    from ilcs.ui.gallery import build_gallery

    assert "No apps are registered yet" in _all_html(build_gallery(apps=[]))


def test_large_type_switch_adds_and_removes_the_class() -> None:
    from ilcs.ui.gallery import build_gallery
    from ilcs.ui.style import LARGE_TYPE_CLASS

    page = build_gallery(large_type=False)
    assert LARGE_TYPE_CLASS not in page._dom_classes
    page.large_type_toggle.value = True
    assert LARGE_TYPE_CLASS in page._dom_classes
    page.large_type_toggle.value = False
    assert LARGE_TYPE_CLASS not in page._dom_classes


def test_class_quiz_lists_only_criteria_with_practice_questions(bank) -> None:
    from ilcs.assessment.views.class_quiz import ClassQuiz, build_class_quiz

    page = build_class_quiz(bank=bank)
    c = page.body
    assert isinstance(c, ClassQuiz)
    assert "Class quiz: practice questions" in page.heading.value
    assert "Nothing is saved." in page.heading.value
    values = [value for _label, value in c.criterion_picker.options]
    assert values == ["1.1", "4.2"]  # the unit's order; 4.2's assessed question is not counted
    labels = dict((v, lbl) for lbl, v in c.criterion_picker.options)
    assert "(3 questions)" in labels["4.2"] and "(1 question)" in labels["1.1"]
    assert c.criterion_picker.value == c.criterion == "1.1"  # the first criterion is shown
    assert "question 1 of 1" in c.position.value
    assert "Who is an internal customer?" in c.question.value
    assert "ilcs-large-type" in page._dom_classes  # large type is the default on a projector


def test_class_quiz_steps_and_reveals_on_demand(bank) -> None:
    from ilcs.assessment.views.class_quiz import ClassQuiz

    c = ClassQuiz(criterion="4.2", bank=bank)
    assert "<strong>service standard</strong>" in c.question.value
    assert "Reply to IT requests" in c.question.value  # the options are shown...
    assert c.answer.value == ""  # ...but not the answer
    assert "question 1 of 3" in c.position.value
    assert c.previous_button.disabled and not c.next_button.disabled

    c.reveal_button.click()
    assert "✔ Answer:" in c.answer.value
    assert "b) Reply to IT requests within 4 working hours" in c.answer.value
    assert "what will be done and by when" in c.answer.value
    assert c.reveal_button.description == "Hide answer"
    c.reveal_button.click()
    assert c.answer.value == ""

    c.next_button.click()
    assert "What percentage" in c.question.value and "question 2 of 3" in c.position.value
    c.reveal_button.click()
    assert "80%" in c.answer.value
    c.next_button.click()  # moving on hides the answer again
    assert c.answer.value == ""
    assert c.next_button.disabled and not c.previous_button.disabled
    c.reveal_button.click()
    assert ("Ask the internal customer what they need → Write the standard down → "
            "Review it after a month") in c.answer.value
    c.next_button.click()  # already on the last one: stays there
    assert "question 3 of 3" in c.position.value
    c.previous_button.click()
    assert "question 2 of 3" in c.position.value


def test_class_quiz_never_shows_assessed_questions(bank) -> None:
    from ilcs.assessment.views.class_quiz import ClassQuiz

    c = ClassQuiz(criterion="4.2", bank=bank)
    seen = []
    for _ in range(5):
        seen.append(c.question.value)
        c.next_button.click()
    assert not any("SECRET" in s for s in seen)


def test_changing_criterion_starts_at_its_first_question(bank) -> None:
    from ilcs.assessment.views.class_quiz import ClassQuiz

    c = ClassQuiz(criterion="4.2", bank=bank)
    c.next_button.click()
    c.reveal_button.click()
    c.criterion_picker.value = "1.1"
    assert "Who is an internal customer?" in c.question.value
    assert "question 1 of 1" in c.position.value
    assert c.answer.value == ""
    assert c.previous_button.disabled and c.next_button.disabled


def test_class_quiz_state_is_observable_and_drives_the_page(bank) -> None:
    from ilcs.assessment.views.class_quiz import ClassQuiz
    from ilcs.ui.view import View

    c = ClassQuiz(criterion="4.2", bank=bank)
    assert isinstance(c, View)
    seen = []
    c.observe(lambda change: seen.append(change["new"]), "index")
    c.next_button.click()
    assert seen == [1] and "question 2 of 3" in c.position.value
    c.revealed = True  # what "Reveal answer" does
    assert "80%" in c.answer.value and c.reveal_button.description == "Hide answer"
    c.criterion = "1.1"  # a script picks a criterion: the dropdown follows
    assert c.criterion_picker.value == "1.1" and not c.revealed and c.index == 0
    assert "Who is an internal customer?" in c.question.value and c.answer.value == ""


def test_class_quiz_for_a_criterion_without_practice_questions_says_so(bank) -> None:
    from ilcs.assessment.views.class_quiz import NO_QUESTIONS, ClassQuiz

    c = ClassQuiz(criterion="6.3", bank=bank)
    assert NO_QUESTIONS in c.question.value
    assert c.reveal_button.disabled and c.next_button.disabled


def test_class_quiz_unknown_criterion_is_a_message_not_a_traceback(bank) -> None:
    from ilcs.assessment.views.class_quiz import ClassQuiz, build_class_quiz

    page = build_class_quiz(criterion="9.9", bank=bank)
    text = _all_html(page)
    assert "Problem:" in text and "9.9" in text
    c = ClassQuiz(criterion="9.9", bank=bank)
    assert "Problem:" in c.message.value and "9.9" in c.message.value
    assert c.criterion_picker not in c.children  # the message, not an empty quiz


def test_class_quiz_on_the_committed_bank_builds() -> None:
    from ilcs.assessment.views.class_quiz import build_class_quiz

    page = build_class_quiz()
    assert "ilcs-app-class_quiz" in page._dom_classes


def _all_html(widget) -> str:
    """Every HTML value in a widget tree, joined."""
    parts = []
    value = getattr(widget, "value", None)
    if isinstance(value, str):
        parts.append(value)
    for child in getattr(widget, "children", ()):
        parts.append(_all_html(child))
    return "\n".join(parts)


def test_bank_text_is_escaped_and_read_as_markdown() -> None:
    from ilcs.ui.common import markdown_html as text_html

    assert text_html("One\nline <b>\n\nTwo **bold** and *it*") == (
        "<p>One line &lt;b&gt;</p><p>Two <strong>bold</strong> and <em>it</em></p>"
    )
    assert text_html(None) == ""


def test_culling_spares_warm_kernels_waiting_in_the_pool(monkeypatch) -> None:
    import asyncio

    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    from ilcs.voila.kernels import ClassroomKernelManager

    culled: list[str] = []

    async def record(self, kernel_id: str) -> None:
        culled.append(kernel_id)

    monkeypatch.setattr(AsyncMappingKernelManager, "cull_kernel_if_idle", record)
    manager = ClassroomKernelManager()

    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        warm = loop.create_future()
        warm.set_result({"kernel_id": "warm-1"})
        starting = loop.create_future()  # still starting: not yet a kernel to spare
        manager._pools = {"gallery.ipynb": [warm, starting]}
        await manager.cull_kernel_if_idle("warm-1")
        await manager.cull_kernel_if_idle("viewer-left-1")
        starting.cancel()

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:  # Playwright may own this thread's loop
        pool.submit(asyncio.run, scenario()).result()
    assert culled == ["viewer-left-1"]
    assert ClassroomKernelManager().pooled_kernel_ids() == set()  # no pools: cull as usual


def test_shutdown_of_a_kernel_that_is_already_gone_is_quiet() -> None:
    """Ctrl-C just after a pool kernel was replaced must not end `ilcs present` with an error."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from tornado import web

    from ilcs.voila.kernels import ClassroomKernelManager

    manager = ClassroomKernelManager()

    async def scenario() -> str:
        await manager.shutdown_kernel("no-such-kernel")  # gone already: nothing to do
        manager._check_kernel_id = lambda kernel_id: (_ for _ in ()).throw(  # type: ignore
            web.HTTPError(500, "broken"))
        try:
            await manager.shutdown_kernel("other")
        except web.HTTPError as exc:  # any other error still surfaces
            return str(exc.status_code)
        return "no error"

    with ThreadPoolExecutor(max_workers=1) as pool:  # Playwright may own this thread's loop
        assert pool.submit(asyncio.run, scenario()).result() == "500"
