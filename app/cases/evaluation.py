"""One evaluation of a case per request: the rules' Evaluation of its answers,
plus what only a case has (its materials checklist, its facts for documents).

`evaluate` reads the answers as they stand (the applicant's draft or
correction); `evaluate_submission` reads the latest frozen submission, whose
outcome and checklist were fixed when it was submitted and are not decided
again. Every part is computed when first read, once.
"""

import datetime as dt
from functools import cached_property

from flask import current_app

from app.cases import changes, materials
from app.cases.states import EDITABLE
from app.documents import service as documents
from app.links import public_url
from app.rules import service as rules
from app.specs import service as specs

DRAFT_REFERENCE = "（草稿，提交后生成受理编号）"


def spec_of(application):
    return specs.compiled(application.spec_version)


def status_url(application):
    """The applicant's status page, as printed in documents and QR codes."""
    return public_url("wizard.view", application_id=application.id)


class CaseEvaluation(rules.Evaluation):
    """`spec` is the application's (given, not looked up: an evaluation made right
    after a save must not touch the application, whose row the commit expired)."""

    def __init__(self, application, spec, answers, lang, submission=None):
        frozen = None
        if submission is not None:
            self._frozen_items = [materials.ChecklistItem.from_json(m) for m in submission.materials or []]
            frozen = rules.Outcome.from_json(submission.outcome, [item.need for item in self._frozen_items])
        super().__init__(spec, answers, current_app.config["SITE_LEVEL"], lang, outcome=frozen)
        self.application, self.submission = application, submission

    @cached_property
    def checklist(self):
        """ChecklistItems of the materials the outcome needs (frozen ones for a submission)."""
        if self.submission is not None:
            return self._frozen_items
        return materials.checklist(self.application.id, self.outcome.materials)

    @cached_property
    def missing_materials(self):
        return materials.missing(self.checklist)

    @cached_property
    def amendment(self):
        """For a 备案变更 (the case changes a completed filing): the changes.Amendment
        of these answers against the filed ones; None for a first filing."""
        original = self.application.amends
        if original is None or not original.submissions:
            return None
        return changes.amendment(self.spec, original, original.submissions[-1].answers, self.resolved, self.lang)

    @cached_property
    def document_data(self):
        """The case's plain data for the documents engine."""
        application, index = self.application, self.spec.case_index
        values = index.values(self.snapshot) if index else {}
        when = self.submission.submitted_at if self.submission is not None else dt.datetime.now(dt.UTC)
        reference = application.reference or DRAFT_REFERENCE
        info = documents.case_info(reference, when, values.get("enterprise_name") or "",
                                   values.get("project_name") or application.project_name or "",
                                   submitted=self.submission is not None,
                                   time_limit_days=current_app.config["CASE_TIME_LIMITS"].get(
                                       self.outcome.filing_type or "", 20))
        return documents.case_data(self, [item.to_json() for item in self.checklist], info, status_url(application))

    def document_titles(self):
        return documents.titles(self.spec, self.document_data)

    def after_save(self, answers):
        """The evaluation of the answers just saved (same case, spec and language)."""
        return CaseEvaluation(self.application, self.spec, answers, self.lang)


def evaluate(application, lang="zh_CN"):
    """The evaluation of the application's answers as they stand."""
    return CaseEvaluation(application, spec_of(application), application.answers or {}, lang)


def evaluate_answers(application, answers, lang="zh_CN"):
    """The evaluation of answers the applicant is typing (not saved), for the live panel."""
    return CaseEvaluation(application, spec_of(application), answers, lang)


def evaluate_submission(application, lang="zh_CN"):
    """The evaluation of the latest submission (None before the first)."""
    if not application.submissions:
        return None
    submission = application.submissions[-1]
    return CaseEvaluation(application, spec_of(application), submission.answers, lang, submission)


def evaluate_current(application, lang="zh_CN"):
    """What the applicant's documents show: the answers while they may change, else the latest submission."""
    if application.status in EDITABLE or not application.submissions:
        return evaluate(application, lang)
    return evaluate_submission(application, lang)
