"""The review app for assessors and IQAs: cohort matrix, filters, candidate drill-down,
marking panel (rubric points, feedback, comment bank, met / not yet met, action plan,
sign-off) and the IQA queue.

`ReviewView(store=None, assessor=None, role="assessor")` is the app, written in the one
widget pattern (`ilcs.ui.view.View`, docs/widgets.md): its state (the role, the candidates
the filters leave, the page of the matrix) is typed traitlets, its controls are named
attributes (`view.f_centre`, `view.candidate`, `view.mark_button`, ...), and each button's
message sits on the line beside it. `build_review_app(...)` returns the same view, or the
problem in words when the bank, keys or comment bank cannot be read.

The matrix is one HTML table per page (not a widget per cell), so 500 candidates stay fast;
all figures come from `ilcs.assessment` core functions, and the view reads the store only
through them. Every action records the name typed in "Your name" in the audit trail; on a
JupyterHub it records the logged-in hub user instead.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd
import traitlets

from ilcs.assessment import review
from ilcs.assessment.cohort import filter_candidates, matrix_html, status_counts
from ilcs.assessment.comment_bank import Comment, comments_for, load_comment_bank
from ilcs.assessment.decisions import LABELS, STATUSES
from ilcs.assessment.questions import Bank, Keys, Rubric
from ilcs.assessment.reports import CandidateRecord
from ilcs.assessment.store import AnswerStore
from ilcs.assessment.unit import Unit
from ilcs.errors import ConfigError, DataError, IlcsError, UsageError
from ilcs.hub import actor_name, hub_user
from ilcs.ui.common import status_html
from ilcs.ui.style import APP_CLASS, readable_tabs, stylesheet
from ilcs.ui.view import LABEL_STYLE, ProblemView, View, button, message_line

ALL = "(all)"
PAGE_SIZE = 50
ROLES = ("assessor", "iqa")
CHOOSE_ITEM = "<p>Choose an item to see the decision, its evidence and feedback.</p>"


def _layout(width: str = "auto") -> widgets.Layout:
    return widgets.Layout(width=width)


def _beside(control: widgets.Button, message: widgets.HTML) -> widgets.HBox:
    """A button with its message line right beside it."""
    return widgets.HBox([control, message], layout=widgets.Layout(
        align_items="center", flex_flow="row wrap"))


class ReviewView(View):
    """The review app: cohort, candidate and marking, item statistics and (IQA) the queue."""

    role = traitlets.Unicode("assessor")  # or "iqa": also the IQA queue, opened first
    visible = traitlets.List(traitlets.Unicode())  # ids the search and filters leave
    page = traitlets.Int(0)  # the page of the matrix shown (PAGE_SIZE candidates a page)

    def __init__(self, store: AnswerStore | None = None, assessor: str | None = None,
                 role: str = "assessor", *, bank: Bank | None = None, keys: Keys | None = None,
                 unit: Unit | None = None, comment_bank: str | Path | None = None) -> None:
        from ilcs.assessment.questions import load_bank, load_keys
        from ilcs.assessment.unit import load_unit

        if role not in ROLES:
            raise UsageError(f"role must be 'assessor' or 'iqa', found {role!r}")
        super().__init__()
        if store is None:
            from ilcs.assessment.store import default_store

            store = default_store()
        self.store = store
        self.role = role
        self.bank = bank or load_bank()
        if keys is None:
            try:
                keys = load_keys(bank=self.bank)
            except IlcsError:
                keys = None  # no assessor keys here: written marking is switched off
        self.answer_keys = keys
        self.unit = unit or load_unit()
        self.comments: tuple[Comment, ...] = load_comment_bank(comment_bank)
        self.data: review.ReviewData | None = None
        # True while reload() fills the pickers: their observers wait for the one render().
        self._filling = False
        self.matrix_frame = pd.DataFrame()  # candidate x criterion status of the whole cohort
        self.flagged: set[tuple[str, str]] = set()  # (candidate, criterion) with new evidence
        self.point_boxes: list[tuple[widgets.Checkbox, str]] = []  # (tick box, point text)

        self.who = widgets.Text(description="Your name", style=LABEL_STYLE,
                                placeholder="recorded on every action")
        login = hub_user(os.environ)
        if login is not None:  # on a hub every action is recorded under the login
            self.who.value = login
            self.who.disabled = True
            self.who.description = "Signed in as"
        else:
            self.who.value = actor_name(assessor, os.environ) or ""
        self.message = message_line()  # problems not tied to one button (e.g. loading)
        self.search = widgets.Text(description="Find a candidate", style=LABEL_STYLE,
                                   placeholder="name or candidate number, e.g. NVQ-0042",
                                   layout=_layout("32em"))
        # cohort
        self.f_assessor = widgets.Dropdown(description="Assessor", style=LABEL_STYLE)
        self.f_centre = widgets.Dropdown(description="Centre", style=LABEL_STYLE)
        self.f_status = widgets.Dropdown(description="Status", style=LABEL_STYLE, options=[
            (ALL, ALL), *[(LABELS[s], s) for s in STATUSES]])
        self.f_criterion = widgets.Dropdown(description="Criterion", style=LABEL_STYLE)
        self.prev = button("◀ Previous page", tooltip="Previous page")
        self.next = button("Next page ▶", tooltip="Next page")
        self.page_label = widgets.HTML()
        self.summary = widgets.HTML()
        self.matrix = widgets.HTML()
        # candidate and marking
        self.candidate = widgets.Dropdown(description="Candidate", style=LABEL_STYLE,
                                          layout=_layout("40em"))
        self.candidate_view = widgets.HTML()
        self.criterion = widgets.Dropdown(description="Criterion", style=LABEL_STYLE)
        self.evidence = widgets.HTML()
        self.written = widgets.Dropdown(description="Written answer", style=LABEL_STYLE)
        self.answer = widgets.HTML()
        self.guide = widgets.HTML()  # the rubric's standardisation guide, beside the answer
        self.points = widgets.VBox()
        self.points.add_class("ilcs-points")
        self.mark_button = button("Save mark")
        self.mark_message = message_line()
        self.outcome = widgets.ToggleButtons(
            options=[("✔ Met", "met"), ("✘ Not yet met", "not_yet_met")],
            description="Decision", style=LABEL_STYLE, value=None)
        self.comment = widgets.Dropdown(description="Comment bank", style=LABEL_STYLE,
                                        layout=_layout("48em"))
        self.add_comment = button("Add comment to feedback")
        self.feedback = widgets.Textarea(description="Feedback", style=LABEL_STYLE,
                                         layout=_layout("48em"))
        self.action = widgets.Text(description="Action point", style=LABEL_STYLE,
                                   layout=_layout("48em"))
        self.due = widgets.Text(description="Due (DD/MM/YYYY)", style=LABEL_STYLE)
        self.decide_button = button("Save decision")
        self.decide_message = message_line()
        self.sign_role = widgets.Dropdown(description="Sign-off by", style=LABEL_STYLE,
                                          options=[("Assessor", "assessor"),
                                                   ("Learner", "learner")])
        self.sign_name = widgets.Text(description="Name", style=LABEL_STYLE)
        self.sign_button = button("Record sign-off")
        self.sign_message = message_line()
        # item statistics
        self.items_button = button("Work out item statistics")
        self.items_message = message_line()
        self.items = widgets.HTML("<p>Facility, discrimination and the most common wrong "
                                  "answers of each assessed question.</p>")
        # IQA
        self.draw_button = button("Draw interim sample")
        self.draw_message = message_line()
        self.show_judged = widgets.Checkbox(description="Include items already judged (to "
                                            "change a verdict, with a reason)", value=False,
                                            indent=False, layout=_layout("auto"))
        self.queue = widgets.Select(description="IQA queue", style=LABEL_STYLE, rows=8,
                                    layout=_layout("48em"))
        self.queue_item = widgets.HTML(CHOOSE_ITEM)
        self.verdict = widgets.ToggleButtons(
            options=[("✔ Accept", "accepted"), ("✘ Reject", "rejected")],
            description="Verdict", style=LABEL_STYLE, value=None)
        self.verdict_comment = widgets.Textarea(description="IQA comment", style=LABEL_STYLE,
                                                layout=_layout("48em"))
        self.verdict_button = button("Save verdict")
        self.verdict_message = message_line()
        self.tabs = self._tabs()
        # the apps' stylesheet travels with the app (tab titles and marking points are
        # never cut off)
        self.add_class(APP_CLASS)
        title = "IQA review" if self.role == "iqa" else "Assessor review"
        self.children = [stylesheet(), readable_tabs(self.tabs),
                         widgets.HTML(f"<h2>{title}: {html.escape(self.unit.code)}</h2>"),
                         self.who, self.search, self.message, self.tabs]
        self._wire()
        self.reload()

    # ------------------------------------------------------------------ layout

    def _tabs(self) -> widgets.Tab:
        filters = widgets.HBox([self.f_assessor, self.f_centre, self.f_status,
                                self.f_criterion])
        pager = widgets.HBox([self.prev, self.page_label, self.next])
        cohort = widgets.VBox([filters, self.summary, pager, self.matrix])
        marking = widgets.VBox([
            self.candidate, self.candidate_view, self.criterion, self.evidence,
            widgets.HTML("<h4>Mark a written answer</h4>"), self.written,
            widgets.HBox([widgets.VBox([self.answer, self.points,
                                        _beside(self.mark_button, self.mark_message)],
                                       layout=_layout("55%")),
                          widgets.VBox([self.guide], layout=_layout("45%"))]),
            widgets.HTML("<h4>Decision</h4>"), widgets.HTML(policy_html()), self.outcome,
            self.comment, self.add_comment,
            self.feedback, self.action, self.due,
            _beside(self.decide_button, self.decide_message),
            widgets.HTML("<h4>Sign-off</h4>"), self.sign_role, self.sign_name,
            _beside(self.sign_button, self.sign_message),
        ])
        items = widgets.VBox([_beside(self.items_button, self.items_message), self.items])
        pages = [cohort, marking, items]
        titles = ["Cohort", "Candidate and marking", "Item statistics"]
        if self.role == "iqa":
            pages.append(widgets.VBox([
                _beside(self.draw_button, self.draw_message), self.show_judged, self.queue,
                self.queue_item, self.verdict, self.verdict_comment,
                _beside(self.verdict_button, self.verdict_message)]))
            titles.append("IQA queue")
        tabs = widgets.Tab(children=pages)
        for i, title in enumerate(titles):
            tabs.set_title(i, title)
        if self.role == "iqa":
            tabs.selected_index = 3
        return tabs

    def _wire(self) -> None:
        for control in (self.f_assessor, self.f_centre, self.f_status, self.f_criterion,
                        self.search):
            control.observe(self._filter_changed, names="value")
        self.prev.on_click(lambda _b: self.turn(-1))
        self.next.on_click(lambda _b: self.turn(1))
        self.candidate.observe(lambda _c: self.show_candidate(), names="value")
        self.criterion.observe(self._criterion_changed, names="value")
        self.written.observe(lambda _c: self.show_written(), names="value")
        self.outcome.observe(lambda _c: self.fill_comments(), names="value")
        self.add_comment.on_click(lambda _b: self.append_comment())
        self.mark_button.on_click(lambda _b: self._act(self.save_mark, self.mark_message))
        self.decide_button.on_click(
            lambda _b: self._act(self.save_decision, self.decide_message))
        self.sign_button.on_click(lambda _b: self._act(self.save_signoff, self.sign_message))
        self.verdict_button.on_click(
            lambda _b: self._act(self.save_verdict, self.verdict_message))
        self.draw_button.on_click(lambda _b: self._act(self.draw_sample, self.draw_message))
        self.items_button.on_click(lambda _b: self._act(self.item_stats, self.items_message))
        self.who.observe(lambda _c: self.refresh_queue(), names="value")
        self.show_judged.observe(lambda _c: self.refresh_queue(), names="value")
        self.queue.observe(lambda _c: self.show_queue_item(), names="value")

    def _filter_changed(self, _change: object) -> None:
        if not self._filling:
            self.apply_filters()

    def _criterion_changed(self, _change: object) -> None:
        if not self._filling:
            self.show_criterion()

    # ------------------------------------------------------------------ data

    def reload(self) -> None:
        """Read the store again and refresh every view (keeps the current selections)."""
        self.data = review.load_review_data(self.store, bank=self.bank, unit=self.unit,
                                            with_responses=True, keys=self.answer_keys)
        self.matrix_frame = self.data.matrix()
        self.flagged = self.data.flagged()
        cands = self.data.candidates

        def options(column: str) -> list[str]:
            values = sorted({str(v) for v in cands[column] if str(v)}) if len(cands) else []
            return [ALL, *values]

        self._filling = True
        try:
            for picker, col in ((self.f_assessor, "assessor"), (self.f_centre, "centre")):
                keep = picker.value
                picker.options = options(col)
                picker.value = keep if keep in picker.options else ALL
            keep = self.f_criterion.value
            self.f_criterion.options = [ALL, *self.data.criteria]
            self.f_criterion.value = keep if keep in self.f_criterion.options else ALL
            keep = self.criterion.value
            self.criterion.options = list(self.data.criteria)
            self.criterion.value = keep if keep in self.criterion.options else (
                self.data.criteria[0] if self.data.criteria else None)
        finally:
            self._filling = False
        self.render()  # once, with every picker filled

    def render(self) -> None:
        """Redraw the matrix, the candidate page, the marking panel and the IQA queue."""
        self.apply_filters(keep_page=True)
        self.show_candidate()  # the candidate page and marking panel, from the store
        self.refresh_queue()

    def apply_filters(self, keep_page: bool = False) -> None:
        """Apply the search box and the filters; show the first page (or keep the page)."""
        if self.data is None:
            return

        def pick(picker: widgets.Dropdown) -> str | None:
            return None if picker.value in (ALL, None) else str(picker.value)

        found = review.search_candidates(self.data.candidates, self.search.value)
        self.visible = filter_candidates(
            found, self.matrix_frame, assessor=pick(self.f_assessor),
            centre=pick(self.f_centre), status=pick(self.f_status),
            criterion=pick(self.f_criterion))
        page = self.page if keep_page else 0
        self.page = max(0, min(page, (len(self.visible) - 1) // PAGE_SIZE))
        self.render_matrix()
        keep = self.candidate.value
        labels = self.labels()
        self.candidate.options = [(labels.get(c, c), c) for c in self.visible]
        if keep in self.visible:
            self.candidate.value = keep
        elif len(self.visible) == 1 and self.search.value.strip():
            self.candidate.value = self.visible[0]  # the one candidate searched for

    def labels(self) -> dict[str, str]:
        """candidate id -> "NVQ-0042 Ada Jones (North College)"."""
        if self.data is None:
            return {}
        cands = self.data.candidates
        return {str(r["candidate_id"]): review.candidate_label(r)
                + (f" ({r['centre']})" if r.get("centre") else "")
                for r in cands.to_dict("records")}

    def render_matrix(self) -> None:
        """The page of the matrix, the pager and the status counts of the selection."""
        start = self.page * PAGE_SIZE
        shown = self.visible[start:start + PAGE_SIZE]
        sub = self.matrix_frame.loc[shown]
        self.matrix.value = matrix_html(sub, self.data.candidates if self.data else None,
                                        flagged=self.flagged)
        total = len(self.visible)
        self.page_label.value = (f"<span role='status'>Candidates {start + 1 if total else 0}"
                                 f"–{start + len(shown)} of {total}</span>")
        self.prev.disabled = self.page == 0
        self.next.disabled = start + PAGE_SIZE >= total
        counts = status_counts(self.matrix_frame.loc[self.visible]) if total else None
        if counts is not None:
            totals = counts.sum()
            self.summary.value = "<p>" + " · ".join(
                f"{html.escape(LABELS[s])}: {int(totals[s])}" for s in STATUSES) + \
                " (candidate × criterion cells in this selection)</p>"
        else:
            self.summary.value = "<p>No candidates match these filters.</p>"

    def turn(self, step: int) -> None:
        """Show the next (1) or previous (-1) page of the matrix."""
        self.page += step
        self.apply_filters(keep_page=True)

    # ------------------------------------------------------------------ candidate

    def record(self) -> CandidateRecord | None:
        """The chosen candidate's record, or None when none is chosen."""
        if self.data is None or not self.candidate.value:
            return None
        return self.data.record(str(self.candidate.value))

    def show_candidate(self) -> None:
        """The chosen candidate's page: every criterion's status and proposal, sign-offs."""
        rec = self.record()
        if rec is None:
            self.candidate_view.value = "<p>Choose a candidate.</p>"
            return
        rows = "".join(
            f"<tr><th scope='row'>{html.escape(c.criterion_id)}</th>"
            f"<td>{html.escape(c.label)}"
            f"{'<br><strong>' + html.escape(c.flag) + '</strong>' if c.new_evidence else ''}"
            "</td>"
            f"<td>{html.escape(LABELS.get(c.proposal, c.proposal))}"
            f"{' — ' + html.escape(c.reason) if c.reason else ''}</td></tr>"
            for c in rec.criteria)
        signs = ", ".join(f"{s.role} {s.name} {s.signed_at:%d/%m/%Y}" for s in rec.signoffs)
        self.candidate_view.value = (
            f"<p><strong>{html.escape(rec.name or rec.candidate_id)}</strong>, candidate number "
            f"{html.escape(rec.candidate_number or 'not recorded')},"
            f" {html.escape(rec.centre)}, assessor {html.escape(rec.assessor or '—')}</p>"
            "<table><caption>Criteria</caption><thead><tr><th scope='col'>Criterion</th>"
            "<th scope='col'>Status</th><th scope='col'>Proposed from the evidence</th>"
            "</tr></thead>"
            f"<tbody>{rows}</tbody></table>"
            f"<p>Sign-offs: {html.escape(signs) if signs else 'none yet'}</p>")
        self.show_criterion()

    def show_criterion(self) -> None:
        """The chosen criterion's evidence, status and proposal, and its written answers."""
        rec = self.record()
        crit = self.criterion.value
        if rec is None or not crit:
            self.evidence.value = ""
            self.written.options = []
            return
        c = rec.criterion(str(crit))
        items = "".join(
            f"<li>{html.escape(e.ref if e.kind == 'answer' else e.kind)}: "
            f"{html.escape(e.summary if e.kind != 'answer' else e.summary[:200])} — "
            f"{html.escape(e.status.replace('_', ' ') or 'to judge')}</li>" for e in c.evidence)
        feedback = html.escape(c.decision.feedback) if c.decision else ""
        attached = attachments_html(self.store, rec.candidate_id, c.criterion_id)
        flag = (f"<p role='status'><strong>{html.escape(c.flag)}</strong>: answers or "
                "records arrived after the latest decision. Look at them and decide again "
                "(the same decision is fine) to clear this flag.</p>") if c.new_evidence else ""
        self.evidence.value = flag + (
            f"<p><strong>{html.escape(c.criterion_id)} {html.escape(c.text)}</strong><br>"
            f"Status: {html.escape(c.label)}. Proposed: "
            f"{html.escape(LABELS.get(c.proposal, c.proposal))}"
            f"{' (' + html.escape(c.reason) + ')' if c.reason else ''}</p>"
            + (f"<ul>{items}</ul>" if items else
               "" if attached else "<ul><li>No evidence yet.</li></ul>")
            + attached
            + (f"<p>Current feedback: {feedback}</p>" if feedback else ""))
        written = [e.ref for e in c.evidence if e.kind == "answer"
                   and self._question_type(e.ref) == "written"]
        keep = self.written.value
        self.written.options = written
        self.written.value = keep if keep in written else (written[0] if written else None)
        self.show_written()
        self.fill_comments()

    def _question_type(self, qid: str) -> str:
        try:
            return str(self.bank.get(qid).type)
        except KeyError:
            return ""

    def _rubric(self, qid: str) -> Rubric | None:
        from ilcs.assessment.marking import rubric_of

        if self.answer_keys is None:
            return None
        return rubric_of(self.bank.get(qid), self.answer_keys.keys.get(qid))

    def show_written(self) -> None:
        """The chosen written answer, its rubric points to tick and the rubric's guide."""
        qid = self.written.value
        rec = self.record()
        self.point_boxes = []
        if not qid or rec is None:
            self.answer.value = "<p>No written answer for this criterion.</p>"
            self.guide.value = ""
            self.points.children = []
            self.mark_button.disabled = True
            return
        c = rec.criterion(str(self.criterion.value))
        text = next((e.summary for e in c.evidence if e.ref == qid), "")
        rubric = self._rubric(str(qid))
        self.answer.value = (f"<p><strong>The answer</strong></p>"
                             f"<blockquote>{html.escape(text)}</blockquote>")
        if rubric is None:
            self.guide.value = "<p>No rubric: the assessor keys are not installed here.</p>"
            self.points.children = []
            self.mark_button.disabled = True
            return
        self.guide.value = rubric_guide_html(rubric)
        saved = review.saved_mark(self.data, str(self.candidate.value), str(qid)) \
            if self.data is not None else None
        ticked = set(saved[2]) if saved else set()
        if saved:
            self.answer.value += status_html(
                f"Saved mark: {saved[0].replace('_', ' ')}, by {saved[1]} "
                f"({len(ticked)} point(s) ticked below)", "neutral")
        children: list[widgets.Widget] = [widgets.HTML(
            "<p><strong>Marking points, by part of the criterion.</strong> The answer meets "
            "the criterion only when every required part has at least one point.</p>")]
        for part in rubric.parts:
            need = "required" if part.required else "optional"
            own = "; about the learner's own organisation" if part.own_organisation else ""
            children.append(widgets.HTML(
                f"<p style='margin:0.4em 0 0 0'><strong>{html.escape(part.text)}</strong> "
                f"({need}{own})</p>"))
            for point in rubric.points_of(part.id):
                box = widgets.Checkbox(description=point.text, value=point.text in ticked,
                                       indent=False, layout=_layout("auto"))
                box.add_class("ilcs-wrap")
                self.point_boxes.append((box, point.text))
                children.append(box)
        self.points.children = children
        self.mark_button.disabled = False

    def fitting_comments(self) -> tuple[Comment, ...]:
        """The comment bank's comments for the chosen criterion and decision."""
        return comments_for(self.comments, str(self.criterion.value or ""), self.outcome.value)

    def fill_comments(self) -> None:
        """Offer the comments that fit the criterion and the decision chosen."""
        fits = self.fitting_comments()
        self.comment.options = [("(choose a comment)", "")] + [
            (c.text if len(c.text) < 90 else c.text[:87] + "...", c.id) for c in fits]
        self.comment.value = ""

    def append_comment(self) -> None:
        """Add the chosen comment-bank comment to the feedback."""
        chosen = next((c for c in self.fitting_comments() if c.id == self.comment.value), None)
        if chosen:
            sep = " " if self.feedback.value.strip() else ""
            self.feedback.value = f"{self.feedback.value.strip()}{sep}{chosen.text}"

    # ------------------------------------------------------------------ actions

    def _act(self, action: Callable[[], str], line: widgets.HTML) -> None:
        """Run a button's action; its message goes on the line beside that button."""
        for other in (self.mark_message, self.decide_message, self.sign_message,
                      self.verdict_message, self.draw_message, self.items_message):
            if other is not line:
                other.value = ""
        try:
            text = action()
        except IlcsError as exc:
            self.fail(line, exc)
            return
        self.say(line, f"✔ {text}", "good")

    def _name(self) -> str:
        name = actor_name(self.who.value, os.environ)
        if not name:
            raise ConfigError("type your name in 'Your name' first: it goes in the audit "
                              "trail")
        return name

    def _need(self, value: Any, what: str) -> str:
        if not value:
            raise ConfigError(f"choose {what} first")
        return str(value)

    def save_mark(self) -> str:
        """Save the mark of the chosen written answer from the points ticked."""
        who = self._name()
        cand = self._need(self.candidate.value, "a candidate")
        qid = self._need(self.written.value, "a written answer")
        ticked = [text for box, text in self.point_boxes if box.value]
        result = review.mark_written(self.store, cand, qid, ticked, assessor=who,
                                     bank=self.bank, keys=self.answer_keys)
        self.reload()
        missing = (f"; not yet covered: {'; '.join(result.missing)}" if result.missing
                   else "; every required part covered")
        return (f"Mark saved: {qid} {result.status.replace('_', ' ')} ({len(ticked)} "
                f"points{missing})")

    def save_decision(self) -> str:
        """Save met / not yet met on the chosen criterion, with feedback and an action
        point."""
        who = self._name()
        cand = self._need(self.candidate.value, "a candidate")
        crit = self._need(self.criterion.value, "a criterion")
        outcome = self._need(self.outcome.value, "met or not yet met")
        decision = review.decide(self.store, cand, crit, outcome, assessor=who,
                                 feedback=self.feedback.value, bank=self.bank, unit=self.unit)
        if self.action.value.strip():
            review.add_action_point(self.store, cand, crit, self.action.value,
                                    self.due.value, set_by=who)
        self.feedback.value = self.action.value = self.due.value = ""
        self.outcome.value = None
        self.reload()
        return (f"Decision saved: {self.labels().get(cand, cand)} {crit} "
                f"{LABELS[decision.outcome]}")

    def save_signoff(self) -> str:
        """Record the assessor's or the learner's sign-off."""
        who = self._name()
        cand = self._need(self.candidate.value, "a candidate")
        name = self.sign_name.value.strip() or (who if self.sign_role.value == "assessor"
                                                else "")
        s = review.sign_off(self.store, cand, str(self.sign_role.value), name,
                            recorded_by=who)
        self.sign_name.value = ""
        self.reload()
        return f"Sign-off recorded: {s.role} {s.name}"

    def refresh_queue(self) -> None:
        """Fill the IQA queue (this IQA's sampled decisions) from the loaded data."""
        if self.data is None:
            return
        queue = review.iqa_queue(self.data, actor_name(self.who.value, os.environ),
                                 include_judged=self.show_judged.value)
        labels = self.labels()
        keep = self.queue.value
        options = []
        for r in queue.to_dict("records"):
            who = labels.get(str(r["candidate_id"]), str(r["candidate_id"]))
            judged = f" — judged: {r['verdict']}" if isinstance(r["verdict"], str) else ""
            options.append((f"item {r['id']}: {who} {r['criterion_id']} by {r['assessor']} "
                            f"({r['stage']}){judged}", int(str(r["id"]))))
        self.queue.options = options
        ids = [v for _label, v in self.queue.options]
        self.queue.value = keep if keep in ids else None
        self.show_queue_item()

    def show_queue_item(self) -> None:
        """The sampled decision the IQA is judging: the decision, its feedback, the
        evidence and any earlier verdict."""
        if self.data is None or self.queue.value is None:
            self.queue_item.value = CHOOSE_ITEM
            return
        self.queue_item.value = iqa_item_html(review.iqa_item(self.data, int(self.queue.value)))

    def draw_sample(self) -> str:
        """Draw an interim IQA sample from the latest decisions."""
        from ilcs.assessment.sampling import SamplingPlan

        who = self._name()
        sample = review.draw_iqa_sample(self.store, SamplingPlan(iqa=who), bank=self.bank,
                                        data=self.data)
        self.reload()
        return f"Sample drawn: {len(sample)} decision(s) to check"

    def item_stats(self) -> str:
        """Facility, discrimination and common wrong answers of each assessed question."""
        from ilcs.assessment.item_stats import flag_items, item_statistics
        from ilcs.assessment.reports import item_stats_html

        if self.data is None:
            return "Nothing loaded"
        stats = flag_items(item_statistics(review.item_answers(self.data)))
        self.items.value = item_stats_html(stats)
        return f"Item statistics for {len(stats)} question(s)"

    def save_verdict(self) -> str:
        """Save the IQA's verdict (accept or reject, with a comment) on the chosen item."""
        who = self._name()
        if self.queue.value is None:
            raise ConfigError("choose an item in the IQA queue first")
        verdict = self._need(self.verdict.value, "accept or reject")
        item = int(self.queue.value)
        review.record_verdict(self.store, item, iqa=who, verdict=verdict,
                              comment=self.verdict_comment.value)
        self.verdict_comment.value = ""
        self.verdict.value = None
        self.reload()
        return f"Verdict saved: item {item} {verdict}"


def iqa_item_html(item: dict[str, Any]) -> str:
    """One sampled decision for the IQA, as HTML: whose, which criterion, the decision with
    its feedback and action points, the proposal, the evidence, earlier verdicts."""
    esc = html.escape
    rec, crit, dec = item["record"], item["criterion"], item["decision"]
    outcome = LABELS.get(str(dec.get("outcome", "")), str(dec.get("outcome", "")))
    evidence = "".join(
        f"<li>{esc(e.ref if e.kind == 'answer' else e.kind)}: {esc(e.summary)} — "
        f"{esc(e.status.replace('_', ' ') or 'to judge')}</li>" for e in crit.evidence)
    actions = "".join(f"<li>{esc(a.action)} (by {a.due:%d/%m/%Y})</li>"
                      for a in crit.action_points)
    earlier = "".join(
        f"<li>{esc(str(v['verdict']))} by {esc(str(v['iqa']))}"
        f"{': ' + esc(str(v['comment'])) if v.get('comment') else ''}</li>"
        for v in item["verdicts"])
    return (
        f"<h4>{esc(rec.label)}: {esc(crit.criterion_id)} {esc(crit.text)}</h4>"
        f"<p><strong>Decision:</strong> {esc(outcome)} by {esc(str(dec.get('assessor', '')))}"
        f" (proposed: {esc(LABELS.get(str(dec.get('proposed', '')), ''))})<br>"
        f"<strong>Feedback to the learner:</strong> "
        f"{esc(str(dec.get('feedback') or '')) or 'none written'}</p>"
        + (f"<p><strong>Action points:</strong></p><ul>{actions}</ul>" if actions else "")
        + f"<p><strong>Evidence:</strong></p><ul>{evidence or '<li>none</li>'}</ul>"
        + (f"<p><strong>Earlier verdicts:</strong></p><ul>{earlier}</ul>" if earlier else ""))


def policy_html() -> str:
    """The decision policy, rule by rule, folded under a summary line (docs/decision-policy.md)."""
    from ilcs.assessment.decisions import POLICY

    rules = "".join(f"<li>{html.escape(rule)}</li>" for rule in POLICY)
    return ("<details><summary>How ilcs proposes a decision (the centre's decision policy)"
            f"</summary><ol>{rules}</ol></details>")


def rubric_guide_html(rubric: Rubric) -> str:
    """What an assessor reads beside a written answer, for standardisation: what the
    criterion's verb asks for, what good looks like, and an exemplar answer that meets the
    criterion and one that does not."""
    esc = html.escape

    def block(text: str) -> str:
        return "".join(f"<p>{esc(p.strip())}</p>" for p in text.split("\n\n") if p.strip())

    parts = [f"<p><strong>What the verb asks for:</strong> {esc(rubric.verb_guidance)}</p>"
             if rubric.verb_guidance else "",
             f"<p><strong>What good looks like:</strong> {esc(rubric.what_good_looks_like)}</p>"]
    if rubric.exemplar_met:
        parts.append("<details open><summary><strong>✔ Exemplar that meets the criterion"
                     f"</strong></summary>{block(rubric.exemplar_met)}</details>")
    if rubric.exemplar_not_met:
        parts.append("<details open><summary><strong>✘ Exemplar that does not meet it yet"
                     f"</strong></summary>{block(rubric.exemplar_not_met)}</details>")
    return "".join(parts)


def build_review_view(store: AnswerStore | None = None, assessor: str | None = None,
                      role: str = "assessor", **options: Any) -> ReviewView:
    """The review app's view (see `ReviewView`; the options are its keyword arguments)."""
    return ReviewView(store, assessor, role, **options)


def build_review_app(store: AnswerStore | None = None, assessor: str | None = None,
                     role: str = "assessor", **options: Any) -> View:
    """The review app, or the problem in words when it cannot be built (a bank, keys or
    comment bank that cannot be read)."""
    try:
        return ReviewView(store, assessor, role, **options)
    except IlcsError as exc:
        return ProblemView(exc)


def attachments_html(store: AnswerStore, candidate_id: str, criterion_id: str) -> str:
    """What the candidate attached to their evidence for a criterion, as HTML for the review
    page beside that criterion's evidence ('' when nothing is attached).

    Today one kind: the improvement record for 6.3 (`ilcs.improvement.evidence`), with its
    timeline and charts, rebuilt from the checked record and escaped. A record that fails
    its check is named as such, never shown.
    """
    from ilcs.improvement import evidence
    from ilcs.improvement.views import attached_record_html

    if criterion_id != evidence.CRITERION:
        return ""
    try:
        found = evidence.attached_record(store, candidate_id)
    except DataError as exc:
        return ("<p role='status'><strong>The attached improvement record cannot be shown"
                f"</strong>: {html.escape(str(exc))}</p>")
    return attached_record_html(*found) if found is not None else ""
