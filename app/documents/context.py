"""The context a document template receives, from a case's plain data."""


def build_context(spec, data):
    return {
        "answers": data.answers,
        "raw": data.raw,
        "labels": {fid: f.label for fid, f in spec.fields.items()},
        "steps": data.steps,
        "outcome": data.outcome,
        "materials": data.materials,
        "application": data.application,
        "spec": {"id": spec.id, "title": spec.title},
        "status_url": data.status_url,
        "decision": data.decision,
        "verification": data.verification,
    }
