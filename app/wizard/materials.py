"""The materials checklist of one application: what is needed (from the rule
outcome), what was uploaded or deferred, and changing that."""

from dataclasses import dataclass

from sqlalchemy import bindparam, literal, select, union_all

from app.extensions import db
from app.wizard import uploads
from app.wizard.models import MaterialDeferral, MaterialFile


@dataclass
class MaterialStatus:
    need: object  # rules.MaterialNeed
    file: MaterialFile | None  # None where only the state is shown (the live panel)
    deferred: bool
    uploaded: bool

    @property
    def state(self):
        if self.uploaded:
            return "uploaded"
        return "deferred" if self.deferred and self.need.deferrable else "missing"

    def to_json(self):
        data = {"id": self.need.id, "name": self.need.name, "reason": self.need.reason, "state": self.state}
        if self.file is not None:
            data.update(file=self.file.original_name, sha256=self.file.sha256, size=self.file.size,
                        kind=self.file.kind)
        return data


def statuses(application, outcome):
    files = {f.material_id: f for f in application.files}
    deferred = {d.material_id for d in application.deferrals}
    return [MaterialStatus(need, files.get(need.id), need.id in deferred, need.id in files)
            for need in outcome.materials]


_STATES = union_all(  # built once: the live panel runs it on every step
    select(MaterialFile.material_id, literal(1)).where(MaterialFile.application_id == bindparam("application_id")),
    select(MaterialDeferral.material_id, literal(0))
    .where(MaterialDeferral.application_id == bindparam("application_id")),
)


def states(application_id, outcome):
    """The checklist with states only, no file details, in one query: the live
    panel shows it on every step, where two relationship loads were a tenth of the page."""
    rows = db.session.execute(_STATES, {"application_id": application_id}).all()
    uploaded = {material_id for material_id, is_file in rows if is_file}
    deferred = {material_id for material_id, is_file in rows if not is_file}
    return [MaterialStatus(need, None, need.id in deferred, need.id in uploaded) for need in outcome.materials]


def missing(checklist):
    return [status for status in checklist if status.state == "missing"]


def file_of(application, file_id):
    return db.session.scalar(select(MaterialFile).filter_by(id=file_id, application_id=application.id))


_FILES = MaterialFile.__table__
_DEFERRALS = MaterialDeferral.__table__
# Built once, in Core: five uploads per application made the ORM's statement
# building and unit of work a fifth of the wizard's CPU.
_OLD_FILE = select(_FILES.c.id, _FILES.c.stored_name).where(
    _FILES.c.application_id == bindparam("application_id"), _FILES.c.material_id == bindparam("material_id"))
_DROP_FILE = _FILES.delete().where(_FILES.c.id == bindparam("file_id"))
_UNDEFER = _DEFERRALS.delete().where(  # an uploaded file supersedes "bring it later"
    _DEFERRALS.c.application_id == bindparam("application_id"), _DEFERRALS.c.material_id == bindparam("material_id"))


def upload(application, material, stream, filename):
    """Store a file for `material`, replacing an earlier one, and return the
    name it is listed under. Raises UploadRefused."""
    tmp, kind, size, sha256 = uploads.receive(stream, material.file_types)
    stored_name = uploads.keep(tmp, kind)
    original_name = uploads.safe_name(filename)
    which = {"application_id": application.id, "material_id": material.id}
    connection = db.session.connection()
    old = connection.execute(_OLD_FILE, which).first()
    try:
        if old is not None:
            connection.execute(_DROP_FILE, {"file_id": old.id})
        connection.execute(_FILES.insert().values(
            **which, original_name=original_name, stored_name=stored_name, kind=kind, size=size, sha256=sha256,
        ))
        connection.execute(_UNDEFER, which)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        uploads.discard(stored_name)
        raise
    if old is not None:
        uploads.discard(old.stored_name)
    return original_name


def delete(application, material_id):
    current = next((f for f in application.files if f.material_id == material_id), None)
    if current is None:
        return False
    stored_name = current.stored_name
    application.files.remove(current)
    db.session.commit()
    uploads.discard(stored_name)
    return True


def set_deferred(application, material, deferred):
    if deferred and not material.deferrable:
        raise uploads.UploadRefused("此材料不能容缺后补,请上传。")
    db.session.execute(_UNDEFER, {"application_id": application.id, "material_id": material.id})
    if deferred:
        db.session.add(MaterialDeferral(application_id=application.id, material_id=material.id))
    db.session.commit()
