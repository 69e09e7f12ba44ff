"""Cases in any state, built through cases.service as the screens build them
(no HTTP): a test that needs "an accepted case with its files" gets it in a
line. Walking the wizard over HTTP is for the wizard's own stories and the
browser journeys."""

import io

from app.auth import service as auth
from app.cases import service as cases
from app.extensions import db
from app.rules import service as rules
from app.specs import service as specs
from tests.support.answers import domestic_steps
from tests.support.files import PDF

APPLICANT_PHONE = "+8613812345678"
OFFICER_PHONE = "+8613900000001"
PROJECT_CODE = "2311-330109-04-01-789813"
STATES = ("draft", "submitted", "accepted", "returned", "completed", "forwarded", "not_accepted")


def json_answers(steps):
    """Form posts by step (tests/support/answers.py) → one JSON object of answers."""
    data = {}
    for posted in steps.values():
        for key, value in posted.items():
            table, _, rest = key.partition("-")
            if rest:
                row, _, column = rest.partition("-")
                rows = data.setdefault(table, [])
                while len(rows) <= int(row):
                    rows.append({})
                rows[int(row)][column] = value
            else:
                data[key] = value
    return data


def stored_answers(spec, steps):
    answers, unknown = rules.from_json(spec, json_answers(steps))
    assert not unknown, unknown
    return answers


def applicant(phone=APPLICANT_PHONE, enterprise="杭州示例科技有限公司"):
    return auth.account(phone, display_name="张三", enterprise_name=enterprise)


def officer(phone=OFFICER_PHONE):
    user = auth.grant_role(phone, "officer")
    return auth.account(user.phone, display_name="演示审核员")


def escalated_steps():
    """A filing across cities: the province decides, the district forwards."""
    steps = domestic_steps()
    steps["project"].update(location_scope="cross_city", project_name="跨市物流园项目")
    return steps


def supply_files(application, skip=(), per_material=1):
    """Upload a small PDF for every material the case lists (but `skip`): `<id>.pdf`,
    or `<id>-1.pdf`, `<id>-2.pdf`… with `per_material` files each."""
    evaluation = cases.evaluate(application)
    for item in evaluation.checklist:
        if item.need.id not in skip:
            names = [f"{item.need.id}.pdf"] if per_material == 1 else \
                [f"{item.need.id}-{n}.pdf" for n in range(1, per_material + 1)]
            for name in names:
                cases.upload(application.id, evaluation.spec.material(item.need.id), io.BytesIO(PDF), name)


def make_case(state="submitted", steps=None, user=None, files=True, version=None, return_notes=None):
    """A case of the default spec in `state`, inside the caller's app context; returns the Application.

    `steps`: form posts by step (default domestic_steps()); "forwarded" needs escalated ones
    (escalated_steps() is taken by default). `files`: a PDF for every material, or that many each."""
    assert state in STATES, state
    if state == "forwarded" and steps is None:
        steps = escalated_steps()
    user = user or applicant()
    application = cases.start(user, version=version or specs.live_version())
    answers = stored_answers(cases.spec_of(application), steps or domestic_steps())
    cases.save_step(cases.evaluate(application), answers, cases.spec_of(application).steps[-1].id)
    if files:
        supply_files(application, per_material=int(files))
    if state == "draft":
        return application
    cases.submit(cases.evaluate(application))
    staff = officer() if state != "submitted" else None
    if state in ("accepted", "completed"):
        cases.decide(application, cases.Decision("accept"), staff)
    if state == "completed":
        cases.decide(application, cases.Decision("complete", project_code=PROJECT_CODE), staff)
    if state == "returned":
        cases.decide(application, cases.Decision("return", reason="请补充说明",
                                                 field_reasons=return_notes or {"scale_content": "请写明建筑面积"}),
                     staff)
    if state == "forwarded":
        cases.decide(application, cases.Decision("forward", reason="报省发改委"), staff)
    if state == "not_accepted":
        cases.decide(application, cases.Decision("not_accept", reason="不属于本区受理范围"), staff)
    db.session.refresh(application)
    return application
