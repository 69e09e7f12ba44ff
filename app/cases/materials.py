"""A case's materials: the checklist (what the outcome needs, with what was
uploaded or deferred), and changing it (upload, delete, bring it later).

One shape for every use: a ChecklistItem is a need (from the rules) and its
state, with the file's details where one was uploaded; a submission freezes
the checklist as `to_json()` and reads it back with `from_json()`.
"""

from dataclasses import dataclass

from sqlalchemy import Integer, String, bindparam, cast, literal, null, select, union_all

from app.cases import filestore
from app.cases.models import MaterialDeferral, MaterialFile
from app.extensions import db
from app.rules.service import MaterialNeed


@dataclass
class FileInfo:
    id: int | None
    original_name: str
    sha256: str
    size: int
    kind: str


@dataclass
class ChecklistItem:
    need: MaterialNeed
    state: str  # uploaded | deferred | missing | later (needed before construction, not now)
    file: FileInfo | None = None

    @property
    def deferred(self):
        return self.state == "deferred"

    def to_json(self):
        need = self.need
        data = {"id": need.id, "name": need.name, "reason": need.reason, "state": self.state, "stage": need.stage,
                "legal_basis": need.legal_basis, "form": need.form, "copies": need.copies, "deferral": need.deferral}
        if self.file is not None:
            data.update(file=self.file.original_name, sha256=self.file.sha256, size=self.file.size,
                        kind=self.file.kind)
        return data

    @classmethod
    def from_json(cls, data):
        """An item frozen with a submission (its file, if any, by name and hash)."""
        need = MaterialNeed(id=data["id"], name=data["name"], reason=data.get("reason", ""), deferrable=False,
                            file_types=(), stage=data.get("stage", "filing"), legal_basis=data.get("legal_basis", ""),
                            form=data.get("form"), copies=data.get("copies"), deferral=data.get("deferral"))
        file = FileInfo(None, data["file"], data.get("sha256", ""), data.get("size") or 0, data.get("kind", "")) \
            if data.get("file") else None
        return cls(need, data["state"], file)


_FILES, _DEFERRALS = MaterialFile.__table__, MaterialDeferral.__table__
# One query for the files and the deferrals of an application, built once:
# the live panel runs it on every wizard step.
_ROWS = union_all(
    select(_FILES.c.material_id, literal(1).label("is_file"), _FILES.c.id, _FILES.c.original_name,
           _FILES.c.sha256, _FILES.c.size, _FILES.c.kind)
    .where(_FILES.c.application_id == bindparam("application_id")),
    select(_DEFERRALS.c.material_id, literal(0), cast(null(), Integer), cast(null(), String), cast(null(), String),
           cast(null(), Integer), cast(null(), String))
    .where(_DEFERRALS.c.application_id == bindparam("application_id")),
)


def checklist(application_id, needs):
    """The checklist of `needs` (MaterialNeeds) for an application, in one query.
    A deferral counts only for a deferrable material, and a file ends it."""
    files, deferred = {}, set()
    for row in db.session.execute(_ROWS, {"application_id": application_id}):
        if row.is_file:
            files[row.material_id] = FileInfo(row.id, row.original_name, row.sha256, row.size, row.kind)
        else:
            deferred.add(row.material_id)
    items = []
    for need in needs:
        if need.id in files:
            items.append(ChecklistItem(need, "uploaded", files[need.id]))
        elif not need.needed_now:
            items.append(ChecklistItem(need, "later"))  # may be uploaded when the enterprise has it
        else:
            items.append(ChecklistItem(need, "deferred" if need.deferrable and need.id in deferred else "missing"))
    return items


def missing(items):
    return [item for item in items if item.state == "missing"]


def file_of(application, file_id):
    return db.session.scalar(select(MaterialFile).filter_by(id=file_id, application_id=application.id))


def files_of(application_id):
    return db.session.scalars(select(MaterialFile).filter_by(application_id=application_id)
                              .order_by(MaterialFile.id)).all()


# Built once, in Core: five uploads per application made the ORM's statement
# building and unit of work a fifth of the wizard's CPU.
_OLD_FILE = select(_FILES.c.id, _FILES.c.stored_name).where(
    _FILES.c.application_id == bindparam("application_id"), _FILES.c.material_id == bindparam("material_id"))
_DROP_FILE = _FILES.delete().where(_FILES.c.id == bindparam("file_id"))
_UNDEFER = _DEFERRALS.delete().where(  # a file supersedes "bring it later"; so does changing one's mind
    _DEFERRALS.c.application_id == bindparam("application_id"), _DEFERRALS.c.material_id == bindparam("material_id"))


def upload(application_id, material, stream, filename):
    """Store a file for `material`, replacing an earlier one, and return the
    name it is listed under. Raises UploadRefused."""
    tmp, kind, size, sha256 = filestore.receive(stream, material.file_types)
    stored_name = filestore.keep(tmp, kind)
    original_name = filestore.safe_name(filename)
    which = {"application_id": application_id, "material_id": material.id}
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
        filestore.discard(stored_name)
        raise
    if old is not None:
        filestore.discard(old.stored_name)
    return original_name


def delete(application_id, material_id):
    """Remove the material's file; False when there was none."""
    connection = db.session.connection()
    old = connection.execute(_OLD_FILE, {"application_id": application_id, "material_id": material_id}).first()
    if old is None:
        db.session.rollback()
        return False
    connection.execute(_DROP_FILE, {"file_id": old.id})
    db.session.commit()
    filestore.discard(old.stored_name)
    return True


def set_deferred(application_id, material, deferred):
    if deferred and not material.deferrable:
        raise filestore.UploadRefused("此材料不能容缺后补，请上传。")
    db.session.execute(_UNDEFER, {"application_id": application_id, "material_id": material.id})
    if deferred:
        db.session.add(MaterialDeferral(application_id=application_id, material_id=material.id))
    db.session.commit()
