"""Every SMS an applicant gets about a case, as a template key and its
parameters (app/sms/sms_templates.yaml). Each event is queued with a dedupe key,
so retries and double clicks never send it twice. A notice says what happened
and points to the site; reasons and notes stay on the site. Office names come
from the spec's `authority.levels` (in Chinese, whatever language the applicant
browses in), never from the code."""

import hashlib

from flask import current_app

from app.names import FILING_TYPES
from app.sms import service as sms

FALLBACK_OFFICE = "发展改革部门"
UNNAMED = "未命名项目"

REJECTED = sms.declare("authority_rejected", "project", "office")
ESCALATED = sms.declare("authority_escalated", "project", "reference", "office", "route")
ESCALATED_ENERGY = sms.declare("authority_escalated_energy", "project", "reference", "office", "route",
                               "energy_review")
ENERGY_ESCALATED = sms.declare("energy_escalated", "project", "reference", "energy_review")
DISPATCHED = sms.declare("courier_dispatched", "project", "reference", "carrier", "tracking")
# One template per decision, and one for the same decision with the document it issued.
DECIDED = {
    "accept": ("case_accepted", ()),
    "return": ("case_returned", ()),
    "complete": ("case_completed", ("project_code",)),
    "forward": ("case_forwarded", ("office",)),
    "not_accept": ("case_not_accepted", ("office",)),
}
for _key, _extra in DECIDED.values():
    sms.declare(_key, "project", "reference", *_extra)
    sms.declare(f"{_key}_issued", "project", "reference", *_extra, "document")


def _case(application):
    return {"project": application.project_name or UNNAMED, "reference": application.reference or "—"}


def site_office(spec):
    """The office of the level this site decides at (e.g. 萧山区发展和改革局)."""
    level = spec.levels.get(current_app.config["SITE_LEVEL"])
    return (level.office if level else None) or FALLBACK_OFFICE


def _office(spec, level_id):
    level = spec.levels.get(level_id) if level_id else None
    return (level.office or level.name if level else None) or f"上级{FALLBACK_OFFICE}"


def rejected(application, spec, outcome):
    """Once per distinct set of reasons: the applicant may change answers and try again."""
    digest = hashlib.sha256("".join(outcome.reasons).encode()).hexdigest()[:16]
    # A self-check result, not the office's decision: where to ask; the reasons are on the site.
    return sms.queue(application.user.phone, REJECTED,
                     {"project": application.project_name or UNNAMED, "office": site_office(spec)},
                     dedupe_key=f"application:{application.id}:rejected:{digest}")


def escalated(application, spec, submission_number, outcome):
    """After submission: who must decide the project (or its energy review)."""
    params = _case(application)
    if outcome.escalated:
        params.update(office=_office(spec, outcome.level), route=FILING_TYPES.get(outcome.filing_type, "办理"))
    if outcome.energy_escalated:
        energy = spec.energy_levels.get(outcome.energy_review)
        params["energy_review"] = energy.name if energy else "上级节能审查"
    key = (ESCALATED_ENERGY if outcome.escalated and outcome.energy_escalated
           else ESCALATED if outcome.escalated else ENERGY_ESCALATED)
    return sms.queue(application.user.phone, key, params,
                     dedupe_key=f"application:{application.id}:submission:{submission_number}:authority")


def decided(application, spec, decision, event, issued=None):
    """One SMS per officer decision; it names the official document it issued."""
    key, extra = DECIDED[decision.action]
    params = _case(application)
    if "project_code" in extra:
        params["project_code"] = decision.project_code.strip().upper()
    if "office" in extra:
        if decision.action == "forward":
            params["office"] = _office(spec, application.forwarded_to or application.level)
        else:
            params["office"] = site_office(spec)
    if issued:
        key, params["document"] = f"{key}_issued", issued.title
    return sms.queue(application.user.phone, key, params, dedupe_key=f"application:{application.id}:event:{event.id}")


def messages_of(application):
    """The SMS sent about a case, oldest first."""
    return sms.messages_with_key_prefix(f"application:{application.id}:")


def dispatched(application, courier):
    """The paper originals are on their way."""
    return sms.queue(application.user.phone, DISPATCHED,
                     {**_case(application), "carrier": courier.carrier, "tracking": courier.tracking_number},
                     dedupe_key=f"application:{application.id}:courier:{courier.id}")


# --- Life after filing: each notice once per case and occasion ------------------

START_REMINDER = sms.declare("start_reminder", "project", "project_code", "months")
LAPSED = sms.declare("case_lapsed", "project", "project_code")
CANCELLED = sms.declare("case_cancelled", "project", "project_code")
DEFERRAL_DUE = sms.declare("deferral_due", "project", "reference", "material", "due")
DEFERRAL_OVERDUE = sms.declare("deferral_overdue", "project", "reference", "material")
ACCEPTANCE_VOIDED = sms.declare("acceptance_voided", "project", "reference")
EXTENSION_GRANTED = sms.declare("extension_granted", "project", "project_code", "until")
EXTENSION_REFUSED = sms.declare("extension_refused", "project", "project_code")


def _filed(application):
    return {"project": application.project_name or UNNAMED, "project_code": application.project_code or "—"}


def start_reminder(application, months):
    """No start reported `months` after filing (once per case and month mark, however often the sweep runs)."""
    return sms.queue(application.user.phone, START_REMINDER, {**_filed(application), "months": str(months)},
                     dedupe_key=f"application:{application.id}:start_reminder:{months}")


def lapsed(application, event):
    return sms.queue(application.user.phone, LAPSED, _filed(application),
                     dedupe_key=f"application:{application.id}:event:{event.id}")


def cancelled(application, event):
    return sms.queue(application.user.phone, CANCELLED, _filed(application),
                     dedupe_key=f"application:{application.id}:event:{event.id}")


def deferral_due(application, material_name, material_id, due):
    return sms.queue(application.user.phone, DEFERRAL_DUE,
                     {**_case(application), "material": material_name, "due": due.isoformat()},
                     dedupe_key=f"application:{application.id}:deferral:{material_id}:due")


def deferral_overdue(application, material_name, material_id):
    return sms.queue(application.user.phone, DEFERRAL_OVERDUE, {**_case(application), "material": material_name},
                     dedupe_key=f"application:{application.id}:deferral:{material_id}:overdue")


def acceptance_voided(application, event):
    return sms.queue(application.user.phone, ACCEPTANCE_VOIDED, _case(application),
                     dedupe_key=f"application:{application.id}:event:{event.id}")


def extension_granted(application, event, until):
    return sms.queue(application.user.phone, EXTENSION_GRANTED, {**_filed(application), "until": until.isoformat()},
                     dedupe_key=f"application:{application.id}:event:{event.id}")


def extension_refused(application, event):
    return sms.queue(application.user.phone, EXTENSION_REFUSED, _filed(application),
                     dedupe_key=f"application:{application.id}:event:{event.id}")
