"""延期开工: an approval (核准) decided here that has not started may have its
two years extended, once, by at most a year, when asked at least 30 working
days before they end; an officer grants or refuses it (《企业投资项目核准和备案
管理条例》第十二条). The request is an event; the decision sets
`Application.start_extended_months` (the months granted, 0 when refused),
which the lapse clock reads (deadlines.lapse_clock), so no list of cases pays
for it."""

from sqlalchemy import select, update

from app import clock
from app.cases import deadlines, notices
from app.cases.lifecycle import DecisionRefused
from app.cases.models import Application, CaseEvent, ProjectReport
from app.cases.states import Status
from app.extensions import db
from app.messages import N_
from app.workdays import add_working_days, china_date

EXTENDABLE_TYPES = ("approval",)
NOTICE_WORKING_DAYS = 30  # asked at least this many working days before the two years end
MAX_MONTHS = 12
KINDS = ("extension_requested", "extension_granted", "extension_refused")


def _events(application):
    return db.session.scalars(select(CaseEvent).where(
        CaseEvent.application_id == application.id, CaseEvent.kind.in_(KINDS)).order_by(CaseEvent.id)).all()


def _clock(application):
    reports = {r.kind: r for r in db.session.scalars(select(ProjectReport).filter_by(application_id=application.id))}
    return deadlines.lapse_clock(application, reports)


def last_day_to_ask(lapse):
    return add_working_days(lapse.lapses_on, -NOTICE_WORKING_DAYS)


def state(application):
    """(the request event or None, the decision event or None) of the case's one extension."""
    if application.filing_type not in EXTENDABLE_TYPES:
        return None, None  # a filing's pages never ask for its events
    events = _events(application)
    request = next((e for e in events if e.kind == "extension_requested"), None)
    decision = next((e for e in events if e.kind != "extension_requested"), None)
    return request, decision


def refusal(application, today):
    """Why the applicant cannot ask for an extension today (a msgid), or None."""
    if application.status != Status.COMPLETED or application.filing_type not in EXTENDABLE_TYPES:
        return N_("只有本机关核准的项目可以申请延期开工。")
    lapse = _clock(application)
    if lapse is None:
        return N_("已报送开工的项目无须申请延期开工。")
    if state(application)[0] is not None:
        return N_("延期开工只能申请一次。")
    if today > last_day_to_ask(lapse):
        return N_("延期开工应在核准文件有效期届满30个工作日前申请，现已超过申请期限。")
    return None


def request_extension(application, applicant, months, reason):
    """The applicant asks for `months` (1–12) more to start, with the reason."""
    problem = refusal(application, china_date(clock.utcnow()))
    if problem:
        raise DecisionRefused(problem)
    if not 1 <= months <= MAX_MONTHS:
        raise DecisionRefused("延期期限为1至%(n)s个月。", n=MAX_MONTHS)
    if not reason.strip():
        raise DecisionRefused("请说明延期开工的理由。")
    db.session.add(CaseEvent(application_id=application.id, kind="extension_requested", actor_id=applicant.id,
                             reason=reason.strip(), data={"months": months}, created_at=clock.utcnow()))
    db.session.commit()


def decide_extension(application, officer, grant, reason=""):
    """Grant the months asked (the two years end later) or refuse them, with the
    reason; the applicant is told by SMS. Raises DecisionRefused."""
    request, decision = state(application)
    if request is None or decision is not None:
        raise DecisionRefused("没有待处理的延期开工申请。")
    if not grant and not reason.strip():
        raise DecisionRefused("不同意延期时请填写理由。")
    months = request.data["months"]
    # One guarded UPDATE decides, grant or refusal (0 months): two officers at once cannot both.
    decided = db.session.execute(
        update(Application).where(Application.id == application.id, Application.status == Status.COMPLETED,
                                  Application.start_extended_months.is_(None))
        .values(start_extended_months=months if grant else 0).execution_options(synchronize_session=False)).rowcount
    if decided != 1:
        db.session.rollback()
        raise DecisionRefused("该申请刚刚已被处理，请刷新后查看。")
    event = CaseEvent(application_id=application.id, kind="extension_granted" if grant else "extension_refused",
                      actor_id=officer.id, reason=reason.strip() or None, data={"months": months},
                      created_at=clock.utcnow())
    db.session.add(event)
    db.session.commit()
    db.session.refresh(application)
    if grant:
        notices.extension_granted(application, event, _clock(application).lapses_on)
    else:
        notices.extension_refused(application, event)
    return event
