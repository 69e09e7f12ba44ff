"""What the applicant's correction changed, for the case page: the two latest
submissions compared (cases.diff), and each note of the return between them
marked answered or not (cases.answered_notes)."""

from dataclasses import dataclass

from app.cases import service as cases


@dataclass(frozen=True)
class Correction:
    before: object  # the Submission corrected
    after: object  # the latest Submission
    changes: list  # [cases.Change]
    notes: list  # [NoteAnswer] of the return between them ([] when it gave only a reason)


def correction(application, events, spec, lang):
    """The latest resubmission's Correction (None before there is one); `events` are the case's, oldest first."""
    submissions = application.submissions
    if len(submissions) < 2:
        return None
    before, after = submissions[-2], submissions[-1]
    # Only a return leads to a resubmission: the k-th resubmission answers the k-th return.
    returns = [e for e in events if e.kind == "return"]
    index = len(submissions) - 2
    notes = (returns[index].data or {}) if index < len(returns) else {}
    changes = cases.diff(spec, before.answers, after.answers, lang)
    return Correction(before, after, changes, cases.answered_notes(spec, notes, changes, lang))
