"""Assessor and IQA commands: candidates, mark, decide, record-evidence, signoff, iqa, report,
export, feedback. `--candidate` takes the candidate number (NVQ-0042), a unique full name or
the internal id.

Each acts on the answer store (`--database URL`, else ILCS_DATABASE_URL, else the local
SQLite store) and records the actor's name (`--assessor`/`--iqa`, else ILCS_ASSESSOR /
ILCS_IQA) in the audit trail.
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any

from ilcs.errors import ConfigError

if TYPE_CHECKING:
    from ilcs.assessment.store import AnswerStore


def _store(args: argparse.Namespace) -> AnswerStore:
    from ilcs.assessment.store import AnswerStore

    return AnswerStore.open(args.database)


def _bank_keys(args: argparse.Namespace) -> tuple[Any, Any]:
    from ilcs.assessment.questions import load_bank, load_keys

    bank = load_bank(args.bank) if args.bank else load_bank()
    keys = load_keys(args.keys, bank=bank) if args.keys else load_keys(bank=bank)
    return bank, keys


def _bank(args: argparse.Namespace) -> Any:
    from ilcs.assessment.questions import load_bank

    return load_bank(args.bank) if args.bank else load_bank()


def _keys_if_here(bank: Any) -> Any:
    """The assessor keys when this installation has them (a report then names the rubric
    parts an answer does not yet cover), else None."""
    from ilcs.assessment.questions import load_keys
    from ilcs.errors import IlcsError

    try:
        return load_keys(bank=bank)
    except IlcsError:
        return None


def _who(value: str | None, env: str, flag: str) -> str:
    from ilcs.hub import actor_name

    # On a JupyterHub (a terminal on the assessor's own server) the login is recorded.
    name = actor_name(value or os.environ.get(env), os.environ)
    if not name:
        raise ConfigError(f"say who you are: {flag} NAME (or set {env})")
    return name


def _common(p: argparse.ArgumentParser, *, keys: bool = False) -> None:
    p.add_argument("--database", metavar="URL", help="answer store URL (default: the "
                   "ILCS_DATABASE_URL setting, else your local store)")
    p.add_argument("--bank", metavar="DIR", help="question bank folder (default: committed)")
    if keys:
        p.add_argument("--keys", metavar="DIR", help="assessor keys folder (default: committed)")


def _candidate(store: AnswerStore, ref: str | None) -> str:
    """The candidate id for `--candidate`: a candidate number such as NVQ-0042, a unique
    full name, or the internal id."""
    from ilcs.assessment.review import find_candidate

    return find_candidate(store, ref or "")


def _who_is(store: AnswerStore, candidate_id: str) -> str:
    """"NVQ-0042 Ada Jones" for the messages a command prints."""
    from ilcs.assessment.review import candidate_label

    found = store.candidate(candidate_id)
    return candidate_label(found.__dict__) if found is not None else candidate_id


# --------------------------------------------------------------------------- handlers


def _mark(args: argparse.Namespace) -> int:
    from ilcs.assessment import review

    bank, keys = _bank_keys(args)
    with _store(args) as store:
        if args.question:
            if not args.candidate:
                raise ConfigError("--question needs --candidate")
            assessor = _who(args.assessor, "ILCS_ASSESSOR", "--assessor")
            cid = _candidate(store, args.candidate)
            result = review.mark_written(
                store, cid, args.question, args.point or [], assessor=assessor,
                feedback=args.feedback or "", bank=bank, keys=keys)
            print(f"{_who_is(store, cid)} {args.question}: {result.status.replace('_', ' ')} "
                  f"({result.score:.0%} of marking points)")
            if result.missing:
                print("Parts of the criterion not yet covered: " + "; ".join(result.missing))
            return 0
        only = _candidate(store, args.candidate) if args.candidate else None
        n = review.mark_imported(store, only, bank=bank, keys=keys)
    print(f"Marked {n} objective answer(s); written answers wait for an assessor.")
    return 0


def _decide(args: argparse.Namespace) -> int:
    from ilcs.assessment import review
    from ilcs.assessment.decisions import LABELS

    assessor = _who(args.assessor, "ILCS_ASSESSOR", "--assessor")
    with _store(args) as store:
        cid = _candidate(store, args.candidate)
        who = _who_is(store, cid)
        decision = review.decide(store, cid, args.criterion, args.decision,
                                 assessor=assessor, feedback=args.feedback or "",
                                 bank=_bank(args))
        if args.action:
            if not args.due:
                raise ConfigError("--action needs --due DD/MM/YYYY")
            review.add_action_point(store, cid, args.criterion, args.action,
                                    args.due, set_by=assessor)
    extra = " (overrides the proposal)" if decision.overridden else ""
    print(f"{who} {args.criterion}: {LABELS[decision.outcome]}{extra}")
    return 0


def _evidence(args: argparse.Namespace) -> int:
    from ilcs.assessment import review

    assessor = _who(args.assessor, "ILCS_ASSESSOR", "--assessor")
    with _store(args) as store:
        cid = _candidate(store, args.candidate)
        who = _who_is(store, cid)
        review.record_evidence(store, cid, args.criterion, args.kind,
                               args.description, args.date, recorded_by=assessor,
                               asked=args.asked or "", recording_ref=args.recording or "")
    print(f"Evidence recorded for {who} {args.criterion}.")
    return 0


def _signoff(args: argparse.Namespace) -> int:
    from ilcs.assessment import review
    from ilcs.hub import actor_name

    by = actor_name(args.assessor or os.environ.get("ILCS_ASSESSOR") or args.name, os.environ)
    assert by is not None  # --name is required
    with _store(args) as store:
        s = review.sign_off(store, _candidate(store, args.candidate), args.role, args.name,
                            statement=args.statement or "", recorded_by=by)
    print(f"Signed off by {s.name} ({s.role}) at {s.signed_at:%d/%m/%Y %H:%M} UTC.")
    return 0


def _iqa_sample(args: argparse.Namespace) -> int:
    from ilcs.assessment import review
    from ilcs.assessment.sampling import SamplingPlan

    iqa = _who(args.iqa, "ILCS_IQA", "--iqa")
    plan = SamplingPlan(iqa=iqa, stage=args.stage, seed=args.seed)
    with _store(args) as store:
        sample = review.draw_iqa_sample(store, plan, bank=_bank(args))
        if not len(sample):
            print("Nothing to sample for this stage (decisions already sampled are not drawn "
                  "again).")
            return 0
        names = {c.candidate_id: review.candidate_label(c.__dict__) for c in store.candidates()}
    print(f"Sample {sample['sample_ref'].iloc[0]}: {len(sample)} decision(s) to check")
    for r in sample.to_dict("records"):
        who = names.get(str(r["candidate_id"]), str(r["candidate_id"]))
        print(f"  {who} {r['criterion_id']} by {r['assessor']}: {r['reason']}")
    return 0


def _iqa_verdict(args: argparse.Namespace) -> int:
    from ilcs.assessment import review

    iqa = _who(args.iqa, "ILCS_IQA", "--iqa")
    with _store(args) as store:
        review.record_verdict(store, args.item, iqa=iqa, verdict=args.verdict,
                              comment=args.comment or "")
    print(f"Sample item {args.item}: {args.verdict}.")
    return 0


def _iqa_queue(args: argparse.Namespace) -> int:
    from ilcs.assessment import review

    iqa = _who(args.iqa, "ILCS_IQA", "--iqa")
    with _store(args) as store:
        queue = review.iqa_queue(review.load_review_data(store, bank=_bank(args)), iqa)
        names = {c.candidate_id: review.candidate_label(c.__dict__) for c in store.candidates()}
    if not len(queue):
        print("Your IQA queue is empty.")
    for r in queue.to_dict("records"):
        who = names.get(str(r["candidate_id"]), str(r["candidate_id"]))
        print(f"  item {r['id']}: {who} {r['criterion_id']} by {r['assessor']} ({r['stage']})")
    return 0


def _iqa_assessor(args: argparse.Namespace) -> int:
    from ilcs.assessment import review

    iqa = _who(args.iqa, "ILCS_IQA", "--iqa")
    with _store(args) as store:
        review.set_assessor_profile(store, args.name, risk=args.risk, new=args.new, by=iqa)
    print(f"{args.name}: {args.risk} risk{', new assessor' if args.new else ''}.")
    return 0


def _report(args: argparse.Namespace) -> int:
    from ilcs.assessment import review
    from ilcs.assessment.reports import write_candidate_report

    bank = _bank(args)
    with _store(args) as store:
        record = review.candidate_record(store, _candidate(store, args.candidate),
                                         bank=bank, keys=_keys_if_here(bank))
    out = write_candidate_report(record, args.out)
    print(f"Report written: {out}")
    return 0


def _candidates(args: argparse.Namespace) -> int:
    from ilcs.assessment import review

    with _store(args) as store:
        data = review.load_review_data(store, bank=_bank(args))
    table = review.search_candidates(data.candidates, args.search or "")
    if not len(table):
        print("No candidates match." if args.search else "No candidates in the store yet.")
        return 0
    counts = data.matrix().loc[table["candidate_id"]]
    met = (counts == "met").sum(axis=1)
    rows = sorted(zip(table["candidate_number"].fillna(""), table["name"].fillna(""),
                      table["centre"].fillna(""), table["assessor"].fillna(""),
                      table["candidate_id"]))
    print(f"{'number':<12} {'name':<24} {'centre':<20} {'assessor':<14} {'met':>4}  id")
    total = len(data.criteria)
    for number, name, centre, assessor, cid in rows:
        print(f"{number:<12} {name:<24} {centre:<20} {assessor:<14} "
              f"{int(met[cid]):>2}/{total:<2} {cid}")
    print(f"{len(rows)} candidate(s). Use the number with --candidate, e.g. "
          f"--candidate {rows[0][0] or rows[0][4]}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from ilcs.assessment import review
    from ilcs.assessment.reports import cohort_export_frame, export_cohort

    with _store(args) as store:
        data = review.load_review_data(store, bank=_bank(args), with_responses=args.items)
        if args.items:
            from ilcs.assessment.item_stats import flag_items, item_statistics

            table = flag_items(item_statistics(review.item_answers(data)))
        else:
            table = cohort_export_frame(data.matrix(), data.candidates, data.flagged())
    for out in args.out:
        print(f"Written: {export_cohort(table, out)}")
    return 0


def _feedback(args: argparse.Namespace) -> int:
    from ilcs.assessment import review
    from ilcs.assessment.feedback import install_feedback_pack, write_feedback_pack

    if args.install:
        target = install_feedback_pack(args.install)
        print(f"Feedback pack checked and saved: {target}")
        print("Your notebooks now show this feedback (re-run the feedback cell).")
        return 0
    if not args.candidate or not args.out:
        raise ConfigError("give --candidate ID and --out FILE (assessor), or --install PACK "
                          "(trainee)")

    with _store(args) as store:
        record = review.candidate_record(store, _candidate(store, args.candidate),
                                         bank=_bank(args))
    out = write_feedback_pack(record, args.out)
    print(f"Feedback pack written: {out}")
    print("Give it to the candidate: they save it in their ilcs data folder, under feedback/.")
    return 0


# --------------------------------------------------------------------------- parser


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("mark", help="auto-mark imported answers, or mark a written "
                              "answer against its rubric")
    p.add_argument("--candidate", help="only this candidate (candidate number, e.g. NVQ-0042)")
    p.add_argument("--question", help="the written question to mark (with --candidate)")
    p.add_argument("--point", action="append", help="a rubric marking point the answer "
                   "shows (repeat for each)")
    p.add_argument("--feedback")
    p.add_argument("--assessor")
    _common(p, keys=True)
    p.set_defaults(func=_mark)

    p = subparsers.add_parser("decide", help="record met / not yet met for a criterion")
    p.add_argument("--candidate", required=True, help="candidate number (e.g. NVQ-0042), "
                   "full name or id")
    p.add_argument("--criterion", required=True, help="e.g. 4.2")
    p.add_argument("--decision", required=True, choices=["met", "not_yet_met"])
    p.add_argument("--feedback", help="required for not yet met and for overrides")
    p.add_argument("--action", help="an action point for the learner")
    p.add_argument("--due", help="the action's due date, DD/MM/YYYY")
    p.add_argument("--assessor")
    _common(p)
    p.set_defaults(func=_decide)

    p = subparsers.add_parser("record-evidence", help="record evidence: of a performance "
                              "criterion (outcome 7), or a professional discussion / oral "
                              "questioning for any criterion")
    p.add_argument("--candidate", required=True, help="candidate number (e.g. NVQ-0042), "
                   "full name or id")
    p.add_argument("--criterion", required=True)
    p.add_argument("--kind", required=True, help="observation, witness testimony, work "
                   "product, professional discussion, oral questioning or personal statement "
                   "(knowledge criteria 1.1-6.3: professional discussion or oral questioning)")
    p.add_argument("--description", required=True, help="what was seen or produced; for a "
                   "discussion, a summary of the learner's answer")
    p.add_argument("--asked", help="professional discussion / oral questioning: what you "
                   "asked")
    p.add_argument("--recording", help="optional: reference of an audio or video recording")
    p.add_argument("--date", required=True, help="DD/MM/YYYY")
    p.add_argument("--assessor")
    _common(p)
    p.set_defaults(func=_evidence)

    p = subparsers.add_parser("signoff", help="learner or assessor sign-off")
    p.add_argument("--candidate", required=True, help="candidate number (e.g. NVQ-0042), "
                   "full name or id")
    p.add_argument("--role", required=True, choices=["learner", "assessor"])
    p.add_argument("--name", required=True, help="the person signing")
    p.add_argument("--statement")
    p.add_argument("--assessor", help="who records it (default: the person signing)")
    _common(p)
    p.set_defaults(func=_signoff)

    p = subparsers.add_parser("iqa", help="internal quality assurance")
    iqa = p.add_subparsers(dest="iqa_command", metavar="ACTION", required=True)
    s = iqa.add_parser("sample", help="draw a sample of decisions to check")
    s.add_argument("--stage", choices=["interim", "summative"], default="interim")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--iqa")
    _common(s)
    s.set_defaults(func=_iqa_sample)
    s = iqa.add_parser("queue", help="list sampled decisions waiting for your verdict")
    s.add_argument("--iqa")
    _common(s)
    s.set_defaults(func=_iqa_queue)
    s = iqa.add_parser("verdict", help="accept or reject a sampled decision")
    s.add_argument("--item", type=int, required=True, help="item number from 'ilcs iqa queue'")
    s.add_argument("--verdict", choices=["accepted", "rejected"], required=True)
    s.add_argument("--comment", help="required for a rejection, and to change a verdict "
                   "already given (the earlier one stays in the record)")
    s.add_argument("--iqa")
    _common(s)
    s.set_defaults(func=_iqa_verdict)
    s = iqa.add_parser("assessor", help="set an assessor's risk level for sampling")
    s.add_argument("name")
    s.add_argument("--risk", choices=["low", "medium", "high"], required=True)
    s.add_argument("--new", action="store_true", help="a new assessor")
    s.add_argument("--iqa")
    _common(s)
    s.set_defaults(func=_iqa_assessor)

    p = subparsers.add_parser("candidates", help="list the candidates in the store: number, "
                              "name, centre, assessor, criteria met")
    p.add_argument("--search", help="only candidates whose number or name contains this")
    _common(p)
    p.set_defaults(func=_candidates)

    p = subparsers.add_parser("report", help="printable candidate evidence report (HTML)")
    p.add_argument("candidate", help="candidate number (e.g. NVQ-0042), full name or id")
    p.add_argument("--out", required=True, help="e.g. report-c1.html")
    _common(p)
    p.set_defaults(func=_report)

    p = subparsers.add_parser("export", help="cohort matrix (or item statistics) to CSV/XLSX")
    p.add_argument("--out", required=True, action="append", help="cohort.csv or cohort.xlsx "
                   "(repeat for both)")
    p.add_argument("--items", action="store_true", help="item statistics instead of the "
                   "cohort matrix")
    _common(p)
    p.set_defaults(func=_export)

    p = subparsers.add_parser("feedback", help="write a candidate's feedback pack "
                              "(assessor), or install one (trainee)")
    p.add_argument("--candidate", help="candidate number (e.g. NVQ-0042), full name or id")
    p.add_argument("--out", help="a .json file or a folder")
    p.add_argument("--install", metavar="PACK", help="trainee: check a feedback pack from "
                   "your assessor and save it where your notebooks find it")
    _common(p)
    p.set_defaults(func=_feedback)
