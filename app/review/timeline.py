"""A case's record as the officer reads it: submissions, decisions and other
events (downloads, files viewed, documents revoked, courier) and the SMS sent,
one list in the order they happened."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

# Things of one instant keep their natural order: the submission, then what an
# officer did, then the SMS that tells the applicant about it.
SUBMISSION, EVENT, SMS = "submission", "event", "sms"
_RANK = {SUBMISSION: 0, EVENT: 1, SMS: 2}


@dataclass(frozen=True)
class Entry:
    when: datetime  # naive UTC, as stored
    kind: str  # SUBMISSION, EVENT or SMS
    item: Any  # the Submission, CaseEvent or SmsMessage


def timeline(submissions, events, messages):
    """[Entry] of everything that happened to a case, oldest first."""
    entries = [*(Entry(s.submitted_at, SUBMISSION, s) for s in submissions),
               *(Entry(e.created_at, EVENT, e) for e in events),
               *(Entry(m.created_at, SMS, m) for m in messages)]
    return sorted(entries, key=lambda e: (e.when or datetime.min, _RANK[e.kind]))
