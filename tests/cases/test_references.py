"""Reference numbers: unique and gap-free per year, even under concurrency."""

import threading

from app.cases import service
from app.extensions import db


def test_numbers_count_up_per_prefix_and_year(app):
    with app.app_context():
        got = [service.next_reference("XS", 2026) for _ in range(3)]
        db.session.commit()
        assert got == ["XS-2026-000001", "XS-2026-000002", "XS-2026-000003"]
        assert service.next_reference("XS", 2027) == "XS-2027-000001"
        db.session.commit()


def test_a_rolled_back_submission_gives_its_number_back(app):
    with app.app_context():
        service.next_reference("XS", 2026)
        db.session.rollback()
        assert service.next_reference("XS", 2026) == "XS-2026-000001"
        db.session.commit()


def test_concurrent_takers_get_distinct_consecutive_numbers(app):
    results, errors = [], []

    def take():
        with app.app_context():
            try:
                for _ in range(5):
                    results.append(service.next_reference("XS", 2026))
                    db.session.commit()
            except Exception as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=take) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == [f"XS-2026-{n:06d}" for n in range(1, 31)]
