"""Sign-in limits hold when requests arrive at the same moment (real threads
against the served app, on SQLite and PostgreSQL alike)."""

from functools import partial

import pytest

from tests.support.served import Visitor, at_once, served


@pytest.fixture
def base_url(app):
    limits = app.config["SIGNIN_IP_LIMIT"], app.config["SIGNIN_VERIFY_IP_LIMIT"]
    # Every thread comes from 127.0.0.1: the per-address limits are not what is tested here.
    app.config["SIGNIN_IP_LIMIT"] = app.config["SIGNIN_VERIFY_IP_LIMIT"] = "10000 per minute"
    with served(app) as url:
        yield url
    app.config["SIGNIN_IP_LIMIT"], app.config["SIGNIN_VERIFY_IP_LIMIT"] = limits


def test_concurrent_wrong_guesses_cannot_beat_the_five_try_limit(base_url, outbox):
    for round_ in range(3):
        phone = f"+861381234{round_:04d}"
        first = Visitor(base_url)
        first.open("/auth/sign-in")
        assert first.post("/auth/sign-in", {"phone": phone}).status_code == 302
        code = outbox.last_code(phone)
        wrong = f"{(int(code) + 1) % 10**6:06d}"
        guessers = [Visitor(base_url, first.session.cookies) for _ in range(8)]
        for guesser in guessers:
            guesser.open("/auth/verify")
        answers = at_once([partial(g.post, "/auth/verify", {"code": wrong}) for g in guessers])
        assert [a.status_code for a in answers] == [200] * 8
        first.open("/auth/verify")
        right = first.post("/auth/verify", {"code": code})
        assert right.status_code == 200, "signed in after eight wrong guesses"
        assert "验证码不正确或已失效" in right.text


def test_simultaneous_code_requests_for_one_number_send_one_sms(base_url, outbox):
    for round_ in range(3):
        victim = f"+861391234{round_:04d}"
        senders = [Visitor(base_url) for _ in range(10)]
        for sender in senders:
            sender.open("/auth/sign-in")
        answers = at_once([partial(s.post, "/auth/sign-in", {"phone": victim}) for s in senders])
        assert len(outbox.to(victim)) == 1
        assert sorted(a.status_code for a in answers) == [302] + [429] * 9


def test_a_right_code_sent_four_times_at_once_signs_in_once(base_url, outbox):
    for round_ in range(3):
        phone = f"+861381235{round_:04d}"
        first = Visitor(base_url)
        first.open("/auth/sign-in")
        first.post("/auth/sign-in", {"phone": phone})
        code = outbox.last_code(phone)
        twins = [Visitor(base_url, first.session.cookies) for _ in range(4)]
        for twin in twins:
            twin.open("/auth/verify")
        answers = at_once([partial(t.post, "/auth/verify", {"code": code}) for t in twins])
        assert sorted(a.status_code for a in answers) == [200, 200, 200, 302]
