"""Life after submission: the applicant withdraws a case or asks to cancel a
filing, reports the start and the completion of construction, supplies a
deferred paper; an officer confirms a cancellation, marks a filing lapsed or
voids an acceptance whose deferred paper is overdue. Each move goes through the
transition table (states.py) with its own guard; the dates come from
deadlines.py."""

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app import clock
from app.cases import amendments, deadlines, issuing, materials, notices, start_extension
from app.cases.evaluation import spec_of
from app.cases.lifecycle import DecisionRefused, start
from app.cases.models import Application, CaseEvent, IssuedDocument, MaterialDeferral, MaterialFile, ProjectReport
from app.cases.moves import move
from app.cases.states import TRANSITIONS, Status
from app.extensions import db
from app.specs import service as specs
from app.workdays import china_date

REPORT_KINDS = ("start", "completion")
REPORT_EVENTS = {"start": "start_reported", "completion": "completion_reported"}
REPORT_PHOTOS = {"start": "report_start", "completion": "report_completion"}  # the photos' material ids
PHOTO_TYPES = ("jpg", "png")
MAX_REPORT_PHOTOS = 6


def _event(application, kind, actor, reason=None, before=None, **data):
    event = CaseEvent(application_id=application.id, kind=kind, actor_id=actor.id, reason=reason or None,
                      from_status=before, to_status=TRANSITIONS[kind].target.value if kind in TRANSITIONS else None,
                      data=data or None, created_at=clock.utcnow())
    db.session.add(event)
    db.session.flush()
    return event


def _moved(application, action, actor, reason=None, **values):
    """Make `action`'s move and record it; DecisionRefused when the case moved first."""
    before = application.status.value
    if not move(application, action, updated_at=clock.utcnow(), **values):
        db.session.rollback()
        raise DecisionRefused("该申请的状态刚刚被其他人更改，请刷新后再操作。")
    return _event(application, action, actor, reason, before)


def _end_certificates(application, end, reason):
    """Every valid document of the case is ended by `end` (issuing.revoke or issuing.lapse)."""
    for issued in db.session.scalars(select(IssuedDocument).filter_by(application_id=application.id, status="valid")):
        end(issued, reason)


# --- The applicant ------------------------------------------------------------

def withdraw(application, applicant, reason=""):
    """Before acceptance the applicant may take the case back: it leaves the
    queue and keeps its reference; the timeline says so."""
    if application.status not in TRANSITIONS["withdraw"].sources:
        raise DecisionRefused("只有尚未受理的申请可以撤回。")
    _moved(application, "withdraw", applicant, reason.strip())
    db.session.commit()
    db.session.refresh(application)


def _live_for_change(application):
    """(the live version a change would be filled on, why no 备案变更 can start now or None)."""
    refusal = amendments.change_refusal(application)
    if refusal:  # most cases: no need to look up the live version
        return None, refusal
    version = specs.live_version(application.spec_version.spec_id)
    if version is None or specs.compiled(version).changes is None:
        return None, amendments.NOT_CONFIGURED
    return version, None


def start_change(application, applicant):
    """备案变更: a new application of the same project on the live spec, prefilled
    from the filed answers (an open change is continued, not doubled)."""
    version, refusal = _live_for_change(application)
    if refusal:
        raise DecisionRefused(refusal)
    existing = amendments.open_change(application)
    if existing is not None:
        return existing
    try:
        change = start(applicant, version.spec_id, answers=application.submissions[-1].answers, amends=application)
    except IntegrityError:  # another request opened it a moment ago (uq_applications_open_change)
        db.session.rollback()
        return amendments.open_change(application)
    _event(application, "change_started", applicant, reference=application.reference, change_id=change.id)
    db.session.commit()
    return change


def file_as_new_project(change):
    """A change the rules call another project: the draft becomes a first filing of its own."""
    if change.status != Status.DRAFT or change.amends_id is None:
        raise DecisionRefused("只有尚未提交的变更申请可以改为新项目备案。")
    change.amends_id = None
    db.session.commit()


def pending_cancellation(application):
    """The applicant's open request to cancel the filing (an event), or None."""
    if application.status != Status.COMPLETED:
        return None
    latest = db.session.scalar(select(CaseEvent).where(
        CaseEvent.application_id == application.id, CaseEvent.kind.in_(("cancel_requested", "cancel")))
        .order_by(CaseEvent.id.desc()).limit(1))
    return latest if latest is not None and latest.kind == "cancel_requested" else None


def request_cancellation(application, applicant, reason):
    """The project is abandoned: ask the office to cancel the filing (注销). An officer confirms."""
    if application.status != Status.COMPLETED:
        raise DecisionRefused("只有已办结的备案可以申请注销。")
    if not reason.strip():
        raise DecisionRefused("申请注销时请说明原因。")
    if pending_cancellation(application) is not None:
        raise DecisionRefused("已申请注销，请等待审批人员确认。")
    _event(application, "cancel_requested", applicant, reason.strip())
    db.session.commit()


def reports_of(application_id):
    """{kind: ProjectReport} of the case."""
    return {r.kind: r for r in db.session.scalars(select(ProjectReport).filter_by(application_id=application_id))}


def report_photos(application_id, kind):
    """The photos sent with a report (MaterialFile rows under `report_<kind>`), oldest first."""
    return db.session.scalars(select(MaterialFile).filter_by(application_id=application_id,
                                                             material_id=REPORT_PHOTOS[kind])
                              .order_by(MaterialFile.id)).all()


def report(application, applicant, kind, happened_on, description, photos=()):
    """开工 / 竣工报送, once each: a completed filing's start, then its completion,
    with up to MAX_REPORT_PHOTOS photos [(stream, filename)] kept as the case's
    files. The report, its event and its photos are written together or not at all."""
    if kind not in REPORT_KINDS:
        raise DecisionRefused("未知的报送类型。")
    if application.status != Status.COMPLETED:
        raise DecisionRefused("只有已办结且有效的备案可以报送开工或竣工。")
    reports = reports_of(application.id)
    today = china_date(clock.utcnow())
    if happened_on > today:
        raise DecisionRefused("日期不能晚于今天。")
    if happened_on < china_date(application.completed_at):
        raise DecisionRefused("开工、竣工日期不能早于备案日期。")
    if kind == "completion":
        if "start" not in reports:
            raise DecisionRefused("请先报送开工。")
        if happened_on < reports["start"].happened_on:
            raise DecisionRefused("竣工日期不能早于开工日期。")
    if not description.strip():
        raise DecisionRefused("请简要说明建设情况。")
    if len(photos) > MAX_REPORT_PHOTOS:
        raise DecisionRefused("最多上传%(n)s张照片。", n=MAX_REPORT_PHOTOS)

    def write(rows):
        db.session.add(ProjectReport(application_id=application.id, kind=kind, happened_on=happened_on,
                                     description=description.strip(), reported_by_id=applicant.id,
                                     reported_at=clock.utcnow()))
        db.session.add_all(MaterialFile(application_id=application.id, material_id=REPORT_PHOTOS[kind], **row)
                           for row in rows)
        if kind == "start":
            application.started_on = happened_on
        _event(application, REPORT_EVENTS[kind], applicant, happened_on=happened_on.isoformat(),
               **({"photos": len(rows)} if rows else {}))

    try:
        materials.store_files(PHOTO_TYPES, photos, write)
    except IntegrityError:
        raise DecisionRefused("已报送过，不能重复报送。") from None


def supply_deferred(application, material_id, stream, filename):
    """A deferred paper arrives after acceptance: the file joins the case and the
    deferral is marked supplied (the row stays: the deferral happened)."""
    deferral = db.session.scalar(select(MaterialDeferral).filter_by(
        application_id=application.id, material_id=material_id, supplied_at=None))
    material = {m.id: m for m in spec_of(application).materials}.get(material_id)
    if deferral is None or material is None or application.status not in deadlines.DEFERRAL_STATES:
        raise DecisionRefused("没有待补交的该项容缺材料。")

    def write(row):
        supplied = db.session.execute(
            update(MaterialDeferral).where(MaterialDeferral.id == deferral.id, MaterialDeferral.supplied_at.is_(None))
            .values(supplied_at=clock.utcnow()).execution_options(synchronize_session=False)).rowcount
        if supplied != 1:
            raise DecisionRefused("该项容缺材料已补交。")
        db.session.add(MaterialFile(application_id=application.id, material_id=material_id, **row))
        _event(application, "deferral_supplied", application.user, material=material.name, file=row["original_name"])

    return materials.store_file(material, stream, filename, write)


# --- The officer --------------------------------------------------------------

def confirm_cancellation(application, officer):
    """注销: the applicant asked; the 备案证明 becomes revoked and the applicant is told."""
    request = pending_cancellation(application)
    if request is None:
        raise DecisionRefused("申请人没有申请注销。")
    event = _moved(application, "cancel", officer, request.reason)
    _end_certificates(application, issuing.revoke, f"项目已注销：{request.reason}")
    db.session.commit()
    db.session.refresh(application)
    notices.cancelled(application, event)
    return event


def mark_lapsed(application, officer, explanation=""):
    """Two years without a start: the filing lapses (the enterprise's explanation, if any, is kept)."""
    lapse = deadlines.lapse_clock(application, reports_of(application.id))
    if lapse is None or not lapse.lapsed(china_date(clock.utcnow())):
        raise DecisionRefused("只有备案满两年仍未报送开工的项目可以标记为失效。")
    event = _moved(application, "lapse", officer, explanation.strip())
    _end_certificates(application, issuing.lapse, explanation.strip() or "备案后两年内未开工")
    db.session.commit()
    db.session.refresh(application)
    notices.lapsed(application, event)
    return event


def void_acceptance(application, officer, reason):
    """容缺受理 undone: a deferred paper is overdue, so the case returns to the applicant."""
    today = china_date(clock.utcnow())
    overdue = [d for d in deadlines.deferrals_of(application, reports_of(application.id))
               if d.state(today) == "overdue"]
    if not overdue:
        raise DecisionRefused("没有逾期未补交的容缺材料，不能撤销受理。")
    if not reason.strip():
        raise DecisionRefused("撤销受理时请填写理由。")
    event = _moved(application, "void_acceptance", officer, reason.strip(),
                   returned_count=Application.returned_count + 1)
    event.data = {"materials": [d.name for d in overdue]}
    db.session.commit()
    db.session.refresh(application)
    notices.acceptance_voided(application, event)
    return event


def funnel():
    """For the statistics: filings completed here → construction started → finished (SQL counts)."""
    filed = (Application.status.in_((Status.COMPLETED, Status.CANCELLED, Status.LAPSED)),
             Application.is_preview.is_(False))
    total = db.session.scalar(select(func.count()).select_from(Application).where(*filed))
    reported = dict(db.session.execute(
        select(ProjectReport.kind, func.count()).join(Application, Application.id == ProjectReport.application_id)
        .where(*filed).group_by(ProjectReport.kind)).all())
    return {"filed": total, "started": reported.get("start", 0), "completed": reported.get("completion", 0)}


# --- What both screens show ----------------------------------------------------

@dataclass(frozen=True)
class AfterFiling:
    """A case's life after submission as of today, computed once per page."""

    today: object  # date
    reports: dict  # kind → ProjectReport
    lapse: object  # deadlines.LapseClock or None
    papers: list  # deadlines.DeferredPaper
    cancellation: object  # the pending cancel_requested event, or None
    withdrawable: bool
    completed: bool  # a completed filing: reports and cancellation are open
    photos: dict  # kind → the MaterialFiles sent with that report
    changes: list  # the Applications changing this filing (备案变更), oldest first
    change_refusal: str | None  # why no 备案变更 can start now (a msgid), None when one can
    extension: tuple  # 延期开工 of an approval: (request event or None, decision event or None)
    extension_refusal: str | None  # why the applicant cannot ask for one today (a msgid), None when they can

    @property
    def open_change(self):
        return next((c for c in reversed(self.changes) if c.status in amendments.IN_FLIGHT), None)

    @property
    def lapse_due(self):
        return self.lapse is not None and self.lapse.lapsed(self.today)

    @property
    def overdue_papers(self):
        return [p for p in self.papers if p.state(self.today) == "overdue"]

    @property
    def open_papers(self):
        return [p for p in self.papers if p.state(self.today) != "supplied"]

    @property
    def reportable(self):
        """The report the applicant may send next: 'start', 'completion' or None."""
        if self.lapse_due or not self.completed:
            return None
        return next((kind for kind in REPORT_KINDS if kind not in self.reports), None)


def after_filing_of(application):
    reports = reports_of(application.id)
    completed = application.status == Status.COMPLETED
    today = china_date(clock.utcnow())
    return AfterFiling(
        extension=start_extension.state(application), extension_refusal=start_extension.refusal(application, today),
        changes=amendments.changes_of(application), change_refusal=_live_for_change(application)[1],
        photos={kind: report_photos(application.id, kind) for kind in reports},
        today=today, reports=reports, lapse=deadlines.lapse_clock(application, reports),
        papers=deadlines.deferrals_of(application, reports),
        cancellation=pending_cancellation(application) if completed else None,
        withdrawable=application.status in TRANSITIONS["withdraw"].sources, completed=completed)
