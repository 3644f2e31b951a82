"""A trainee's login reads and writes only that trainee's rows, enforced by PostgreSQL.

Two hub users, each with their own login made by `add_trainee`; everything below is tried
through that login, through the store and with raw SQL, the way a trainee's kernel could.
(The local test server trusts loopback logins, so passwords are not checked here; which
role is logged in is what row-level security keys on.)
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ilcs.assessment.store import (
    AnswerStore,
    add_trainee_login,
    remove_trainee_login,
    trainee_logins,
)
from ilcs.errors import StoreError, UsageError
from ilcs.hub import trainee_db_role, trainee_password

pytestmark = pytest.mark.postgres
SECRET = "centre-secret-" + "x" * 20
V = "bank.1"


@pytest.fixture()
def centre(admin_url: str, user_prefix: str):
    """The centre's store with two trainees, each having saved a profile and answers."""
    admin = AnswerStore.open(admin_url)
    users = (f"{user_prefix}.asha", f"{user_prefix}.ben")
    urls = {}
    for user in users:
        login = add_trainee_login(admin, user, trainee_db_role(user),
                                  trainee_password(SECRET, user), by="centre.admin")
        assert login.created and login.db_role == f"ilcs_t_{user}"
        urls[user] = login_url(admin_url, login.db_role, trainee_password(SECRET, user))
    stores = {u: AnswerStore.open(urls[u]) for u in users}
    for n, user in enumerate(users):
        stores[user].save_candidate(user, name=f"Trainee {n}", candidate_number=f"C{n}",
                                    centre="North")
        for q in ("q1", "q2"):
            stores[user].save_answer(user, q, f"{user} on {q}", "assessed", V)
    yield admin, users, urls, stores
    for s in stores.values():
        s.close()
    admin.close()


def login_url(admin_url: str, db_role: str, password: str) -> str:
    """admin_url with another login (same server, database and schema)."""
    return sa.make_url(admin_url).set(username=db_role, password=password).render_as_string(
        hide_password=False)


def raw(url: str) -> sa.Engine:
    return sa.create_engine(url)


def test_through_the_store_each_trainee_sees_only_their_own(centre) -> None:
    admin, (asha, ben), _urls, stores = centre
    mine = stores[asha].all_latest_answers()
    assert {a.candidate_id for a in mine} == {asha} and len(mine) == 2
    assert stores[asha].count_answers() == 2
    assert stores[asha].answer_history(ben) == []
    assert stores[asha].candidate(ben) is None
    assert [c.candidate_id for c in stores[asha].candidates()] == [asha]
    assert {e.actor for e in stores[asha].audit_trail()} == {asha}
    # the centre (assessor side) sees everyone
    assert {a.candidate_id for a in admin.all_latest_answers()} == {asha, ben}
    assert admin.count_answers() == 4


def test_with_raw_sql_a_trainee_cannot_read_another_trainees_rows(centre) -> None:
    admin, (asha, ben), urls, _stores = centre
    engine = raw(urls[asha])
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM answers WHERE candidate_id = :b"),
                            {"b": ben}).scalar() == 0
        assert conn.execute(sa.text("SELECT count(*) FROM answers")).scalar() == 2
        assert conn.execute(sa.text("SELECT count(*) FROM candidates")).scalar() == 1
        assert conn.execute(sa.text("SELECT count(*) FROM audit_log WHERE actor = :b"),
                            {"b": ben}).scalar() == 0
        assert conn.execute(sa.text("SELECT session_user")).scalar() == f"ilcs_t_{asha}"
    engine.dispose()


@pytest.mark.parametrize(("sql", "error"), [
    # writing another trainee's answer or profile
    ("INSERT INTO answers (answer_uid, candidate_id, question_id, response, mode, bank_version,"
     " saved_at, recorded_at, origin) VALUES ('u-x', '{ben}', 'q1', '\"x\"', 'assessed', 'v',"
     " 't', 't', 'notebook')", "row-level security"),
    ("INSERT INTO candidates (candidate_id, name, candidate_number, centre, updated_at) "
     "VALUES ('{ben}-2', 'x', 'x', 'x', 't')", "row-level security"),
    ("UPDATE candidates SET candidate_id = '{ben}' WHERE candidate_id = '{asha}'",
     "row-level security"),
    ("INSERT INTO audit_log (at, actor, action) VALUES ('t', '{ben}', 'x')",
     "row-level security"),
    # changing or deleting answers (append-only and not granted)
    ("UPDATE answers SET response = '\"changed\"'", "permission denied"),
    ("DELETE FROM answers", "permission denied"),
    # the assessor's tables
    ("INSERT INTO decisions (candidate_id) VALUES ('{asha}')", "permission denied"),
    ("SELECT * FROM iqa_verdicts", "permission denied"),
    ("SELECT * FROM assessor_profiles", "permission denied"),
    # switching the protection off or becoming someone else
    ("ALTER TABLE answers DISABLE ROW LEVEL SECURITY", "must be owner"),
    ("DROP POLICY ilcs_own_rows ON answers", "must be owner"),
    ("SET ROLE postgres", "permission denied"),
    ("SET SESSION AUTHORIZATION 'ilcs_t_{ben}'", "permission denied"),
    ("SET row_security = off; SELECT count(*) FROM answers", "row-level security"),
])
def test_with_raw_sql_a_trainee_cannot_change_or_escape(centre, sql: str, error: str) -> None:
    _admin, (asha, ben), urls, _stores = centre
    engine = raw(urls[asha])
    with engine.connect() as conn, pytest.raises(sa.exc.DBAPIError, match=error):
        for statement in sql.format(asha=asha, ben=ben).split("; "):
            conn.exec_driver_sql(statement)
    engine.dispose()


def test_updates_to_another_trainees_profile_change_nothing(centre) -> None:
    admin, (asha, ben), urls, _stores = centre
    engine = raw(urls[asha])
    with engine.begin() as conn:
        changed = conn.execute(sa.text("UPDATE candidates SET name = 'hacked' "
                                       "WHERE candidate_id = :b"), {"b": ben}).rowcount
    engine.dispose()
    assert changed == 0
    assert admin.candidate(ben).name == "Trainee 1"


def test_saving_under_another_trainees_id_through_the_store_is_refused(centre) -> None:
    admin, (asha, ben), _urls, stores = centre
    with pytest.raises(StoreError, match="row-level security"):
        stores[asha].save_answer(ben, "q1", "not mine", "assessed", V)
    assert admin.count_answers(ben) == 2


def test_a_trainee_reads_their_own_decisions_only(centre) -> None:
    import ilcs.assessment.review_tables as rt

    admin, (asha, ben), _urls, stores = centre
    with admin.transaction() as conn:
        for who in (asha, ben):
            conn.execute(sa.insert(rt.decisions).values(
                candidate_id=who, criterion_id="1.1", outcome="met", proposed="met",
                assessor="pat", feedback=f"well done {who}", decided_at="2026-12-01T10:00:00Z"))
    with stores[asha].transaction(write=False) as conn:
        seen = conn.execute(sa.select(rt.decisions.c.candidate_id)).scalars().all()
    assert seen == [asha]


def test_adding_again_renews_and_removing_keeps_the_answers(centre) -> None:
    admin, (asha, _ben), _urls, stores = centre
    again = add_trainee_login(admin, asha, trainee_db_role(asha),
                              trainee_password(SECRET, asha), by="centre.admin")
    assert not again.created
    assert asha in trainee_logins(admin)
    stores[asha].close()
    assert remove_trainee_login(admin, asha, trainee_db_role(asha), by="centre.admin") is True
    assert asha not in trainee_logins(admin)
    assert remove_trainee_login(admin, asha, trainee_db_role(asha), by="centre.admin") is False
    assert admin.count_answers(asha) == 2
    actions = [e.action for e in admin.audit_trail(subject=asha)
               if e.action.startswith("hub_")]
    assert actions == ["hub_trainee_added", "hub_trainee_renewed", "hub_trainee_removed"]


def test_bad_names_are_refused_before_touching_the_server(centre) -> None:
    admin, *_ = centre
    with pytest.raises(UsageError, match="cannot be given a database role"):
        trainee_db_role('x"; DROP TABLE answers; --')
    with pytest.raises(UsageError, match="must start with ilcs_t_"):
        add_trainee_login(admin, "x", "postgres", "p" * 20, by="admin")


def test_a_quote_in_a_password_cannot_reach_the_sql(centre, user_prefix) -> None:
    admin, *_ = centre
    user = f"{user_prefix}.quote"
    login = add_trainee_login(admin, user, trainee_db_role(user), "it's'; DROP TABLE x; --",
                              by="admin")
    assert login.created and user in trainee_logins(admin)


def test_sqlite_has_no_trainee_logins(tmp_path) -> None:
    with AnswerStore.open(f"sqlite:///{tmp_path / 'a.sqlite'}") as store:
        assert store.schema_version() == 5
        with pytest.raises(UsageError, match="PostgreSQL"):
            add_trainee_login(store, "asha", "ilcs_t_asha", "p" * 20, by="admin")


def test_the_command_line_adds_lists_and_removes_trainees(admin_url, user_prefix, monkeypatch,
                                                          capsys) -> None:
    from ilcs.cli import main

    user = f"{user_prefix}.cara"
    monkeypatch.delenv("ILCS_HUB_DB_SECRET", raising=False)
    assert main(["hub", "add-trainee", user, "--database", admin_url]) == 2
    assert "ILCS_HUB_DB_SECRET" in capsys.readouterr().err
    monkeypatch.setenv("ILCS_HUB_DB_SECRET", SECRET)
    assert main(["hub", "add-trainee", user, "Bad Name", "--database", admin_url]) == 2
    assert "'Bad Name' cannot be given a database role" in capsys.readouterr().err
    assert main(["hub", "add-trainee", user, "--database", admin_url]) == 0
    assert f"{user}: database login ilcs_t_{user} created." in capsys.readouterr().out
    assert main(["hub", "trainees", "--database", admin_url]) == 0
    assert user in capsys.readouterr().out.splitlines()
    url = login_url(admin_url, f"ilcs_t_{user}", trainee_password(SECRET, user))
    with AnswerStore.open(url) as store:
        store.save_answer(user, "q1", "mine", "assessed", V)
        assert store.count_answers() == 1
    assert main(["hub", "remove-trainee", user, "--database", admin_url]) == 0
    assert "login removed (answers kept)" in capsys.readouterr().out


def test_trainees_saving_in_turn_extend_one_unbroken_audit_chain(centre) -> None:
    admin, (asha, ben), _urls, stores = centre
    for n in range(3):  # interleaved: each trainee's entry follows the other's
        stores[asha].save_answer(asha, f"q{n + 3}", "a", "assessed", V)
        stores[ben].save_answer(ben, f"q{n + 3}", "b", "assessed", V)
    report = admin.verify()
    assert report.ok, report.problems
    assert admin.count_answers() == 10
