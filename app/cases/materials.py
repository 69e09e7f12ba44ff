"""A case's materials: the checklist (what the outcome needs, with what was
uploaded or deferred), and changing it (upload, delete, bring it later, take
a paper over from an earlier application of the same enterprise).

One shape for every use: a ChecklistItem is a need (from the rules) and its
state, with the details of its files (a material may have several: an ID
card's two sides, a scan page by page; it is supplied with one); a
submission freezes the checklist as `to_json()` and reads it back with
`from_json()`.
"""

import datetime as dt
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import DateTime, Integer, String, bindparam, cast, func, literal, null, select, union_all

from app.cases import filestore
from app.cases.models import Application, MaterialDeferral, MaterialFile
from app.extensions import db
from app.messages import N_
from app.rules.service import MaterialNeed

TOO_MANY_FILES = N_("每项材料最多上传%(n)s个文件。如需更换，请先删除不需要的文件。")
ORIGINAL_GONE = N_("原申请中的这个文件已无法读取，请重新上传。")


@dataclass
class FileInfo:
    id: int | None  # None in a frozen submission (its files are named by name and hash)
    original_name: str
    sha256: str
    size: int
    kind: str
    uploaded_at: dt.datetime | None = None  # naive UTC, as stored

    def to_json(self):
        return {"name": self.original_name, "sha256": self.sha256, "size": self.size, "kind": self.kind,
                "uploaded_at": self.uploaded_at.isoformat() if self.uploaded_at else None}

    @classmethod
    def from_json(cls, data):
        when = data.get("uploaded_at")
        return cls(None, data["name"], data.get("sha256", ""), data.get("size") or 0, data.get("kind", ""),
                   dt.datetime.fromisoformat(when) if when else None)


@dataclass
class ChecklistItem:
    need: MaterialNeed
    state: str  # uploaded | deferred | missing | later (needed before construction, not now)
    files: list[FileInfo] = field(default_factory=list)  # in upload order

    @property
    def deferred(self):
        return self.state == "deferred"

    def to_json(self):
        need = self.need
        data = {"id": need.id, "name": need.name, "reason": need.reason, "state": self.state, "stage": need.stage,
                "legal_basis": need.legal_basis, "form": need.form, "copies": need.copies, "deferral": need.deferral}
        if self.files:
            data["files"] = [f.to_json() for f in self.files]
        return data

    @classmethod
    def from_json(cls, data):
        """An item frozen with a submission (its files by name and hash). Submissions
        frozen before a material could have several files name one file at the top."""
        need = MaterialNeed(id=data["id"], name=data["name"], reason=data.get("reason", ""), deferrable=False,
                            file_types=(), stage=data.get("stage", "filing"), legal_basis=data.get("legal_basis", ""),
                            form=data.get("form"), copies=data.get("copies"), deferral=data.get("deferral"))
        if "files" in data:
            files = [FileInfo.from_json(f) for f in data["files"]]
        elif data.get("file"):
            files = [FileInfo(None, data["file"], data.get("sha256", ""), data.get("size") or 0, data.get("kind", ""))]
        else:
            files = []
        return cls(need, data["state"], files)


_FILES, _DEFERRALS, _APPLICATIONS = MaterialFile.__table__, MaterialDeferral.__table__, Application.__table__
# One query for the files and the deferrals of an application, built once:
# the live panel runs it on every wizard step.
_ROWS = union_all(
    select(_FILES.c.material_id, literal(1).label("is_file"), _FILES.c.id, _FILES.c.original_name,
           _FILES.c.sha256, _FILES.c.size, _FILES.c.kind, _FILES.c.uploaded_at)
    .where(_FILES.c.application_id == bindparam("application_id")),
    select(_DEFERRALS.c.material_id, literal(0), cast(null(), Integer), cast(null(), String), cast(null(), String),
           cast(null(), Integer), cast(null(), String), cast(null(), DateTime))
    .where(_DEFERRALS.c.application_id == bindparam("application_id")),
)


def checklist(application_id, needs):
    """The checklist of `needs` (MaterialNeeds) for an application, in one query.
    A material with at least one file is supplied. A deferral counts only for a
    deferrable material, and a file ends it."""
    files, deferred = {}, set()
    for row in db.session.execute(_ROWS, {"application_id": application_id}):
        if row.is_file:
            files.setdefault(row.material_id, []).append(
                FileInfo(row.id, row.original_name, row.sha256, row.size, row.kind, row.uploaded_at))
        else:
            deferred.add(row.material_id)
    items = []
    for need in needs:
        if need.id in files:
            items.append(ChecklistItem(need, "uploaded", sorted(files[need.id], key=lambda f: f.id)))
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


def max_files():
    return current_app.config["MAX_FILES_PER_MATERIAL"]


# Built once, in Core: five uploads per application made the ORM's statement
# building and unit of work a fifth of the wizard's CPU.
_WHICH = (_FILES.c.application_id == bindparam("application_id"), _FILES.c.material_id == bindparam("material_id"))
# Uploads to one application wait for each other (PostgreSQL; SQLite has one writer
# anyway), so two at once cannot both find room for the last file.
_LOCK_APPLICATION = select(_APPLICATIONS.c.id).where(
    _APPLICATIONS.c.id == bindparam("application_id")).with_for_update()
_COUNT_FILES = select(func.count()).select_from(_FILES).where(*_WHICH)
_ONE_FILE = select(_FILES.c.id, _FILES.c.stored_name, _FILES.c.original_name).where(
    *_WHICH, _FILES.c.id == bindparam("file_id"))
_DROP_FILE = _FILES.delete().where(_FILES.c.id == bindparam("file_id"))
_UNDEFER = _DEFERRALS.delete().where(  # a file supersedes "bring it later"; so does changing one's mind
    _DEFERRALS.c.application_id == bindparam("application_id"), _DEFERRALS.c.material_id == bindparam("material_id"))


def store_files(file_types, uploads, write):
    """Receive several uploads [(stream, filename)] of `file_types`, keep them on
    disk and call `write(rows)` with their row values inside the transaction,
    then commit. On any failure (one file refused, the write refused) the
    transaction is rolled back and every file kept so far removed: nothing half
    written stays. Returns the names the files are listed under. Raises UploadRefused."""
    rows = []
    try:
        for stream, filename in uploads:
            tmp, kind, size, sha256 = filestore.receive(stream, file_types)
            rows.append({"original_name": filestore.safe_name(filename), "stored_name": filestore.keep(tmp, kind),
                         "kind": kind, "size": size, "sha256": sha256})
        write(rows)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        for row in rows:
            filestore.discard(row["stored_name"])
        raise
    return [row["original_name"] for row in rows]


def store_file(material, stream, filename, write):
    """One upload for `material`: store_files with `write(row)` for its row."""
    return store_files(material.file_types, [(stream, filename)], lambda rows: write(rows[0]))[0]


def upload(application_id, material, stream, filename, copied_from=None):
    """Add a file to `material` (up to MAX_FILES_PER_MATERIAL) and return the name
    it is listed under. `copied_from`: the id of the file it is a copy of.
    Raises UploadRefused."""
    which = {"application_id": application_id, "material_id": material.id}

    def write(row):
        connection = db.session.connection()
        connection.execute(_LOCK_APPLICATION, {"application_id": application_id})
        if connection.execute(_COUNT_FILES, which).scalar_one() >= max_files():
            raise filestore.UploadRefused(TOO_MANY_FILES, n=max_files())
        connection.execute(_FILES.insert().values(**which, **row, copied_from_id=copied_from))
        connection.execute(_UNDEFER, which)

    return store_file(material, stream, filename, write)


def delete(application_id, material_id, file_id):
    """Remove one file of the material; returns its name, or None when the
    application has no such file for that material. The others stay."""
    connection = db.session.connection()
    old = connection.execute(_ONE_FILE, {"application_id": application_id, "material_id": material_id,
                                         "file_id": file_id}).first()
    if old is None:
        db.session.rollback()
        return None
    connection.execute(_DROP_FILE, {"file_id": old.id})
    db.session.commit()
    filestore.discard(old.stored_name)
    return old.original_name


def set_deferred(application_id, material, deferred):
    if deferred and not material.deferrable:
        raise filestore.UploadRefused("此材料不能容缺后补，请上传。")
    db.session.execute(_UNDEFER, {"application_id": application_id, "material_id": material.id})
    if deferred:
        db.session.add(MaterialDeferral(application_id=application_id, material_id=material.id))
    db.session.commit()


# --- Taking a paper over from another application of the same enterprise --------

@dataclass
class ReuseOffer:
    """A file of the applicant's other application that this one may take over."""

    file: FileInfo
    application_id: int
    reference: str | None
    stored_name: str  # never shown: for the copy only


def reusable(material_id):
    """Enterprise-level papers (the business licence…): the same for every project of the enterprise."""
    return material_id in current_app.config["REUSABLE_MATERIALS"]


# The files of the same user's submitted applications of the same enterprise: the
# owner and the credit code are part of the query, so nothing else is ever offered.
_OFFERS = (
    select(_FILES.c.id, _FILES.c.material_id, _FILES.c.original_name, _FILES.c.sha256, _FILES.c.size,
           _FILES.c.kind, _FILES.c.uploaded_at, _FILES.c.stored_name, _APPLICATIONS.c.id.label("application_id"),
           _APPLICATIONS.c.reference)
    .join_from(_FILES, _APPLICATIONS, _FILES.c.application_id == _APPLICATIONS.c.id)
    .where(_APPLICATIONS.c.user_id == bindparam("user_id"),
           _APPLICATIONS.c.credit_code == bindparam("credit_code"),
           _APPLICATIONS.c.id != bindparam("application_id"),
           _APPLICATIONS.c.is_preview.is_(False),
           _FILES.c.material_id.in_(bindparam("material_ids", expanding=True)))
    # A credit code is copied at submission, so every row has a submitted_at: no NULLs to place.
    .order_by(_APPLICATIONS.c.submitted_at.desc(), _APPLICATIONS.c.id.desc(), _FILES.c.id)
)


def reuse_offers(application, spec, items):
    """{material id: [ReuseOffer]} for the reusable materials among `items`
    (ChecklistItems of `application`): the files of that material in the latest
    other submitted application of the same user with the same credit code,
    less those this application has already (same SHA-256)."""
    index = spec.case_index
    credit_code = (application.answers or {}).get(index.credit_code.id) if index else None
    wanted = {item.need.id: {f.sha256 for f in item.files} for item in items if reusable(item.need.id)}
    if not credit_code or not wanted:
        return {}
    offers, source = {}, {}
    rows = db.session.execute(_OFFERS, {"user_id": application.user_id, "credit_code": credit_code,
                                        "application_id": application.id, "material_ids": sorted(wanted)})
    for row in rows:
        if source.setdefault(row.material_id, row.application_id) != row.application_id:
            continue  # an older application's files: the latest one is what the enterprise has now
        if row.sha256 in wanted[row.material_id]:
            continue
        wanted[row.material_id].add(row.sha256)
        offers.setdefault(row.material_id, []).append(ReuseOffer(
            FileInfo(row.id, row.original_name, row.sha256, row.size, row.kind, row.uploaded_at),
            row.application_id, row.reference, row.stored_name))
    return offers


def reuse(application_id, material, offer):
    """Copy an offered file into this application (a stored copy of its own: the
    other case keeps its file whatever happens to this one). It is checked as an
    upload is; returns the name it is listed under. Raises UploadRefused."""
    try:
        stream = filestore.path_of(offer.stored_name).open("rb")
    except FileNotFoundError:
        raise filestore.UploadRefused(ORIGINAL_GONE) from None
    with stream:
        return upload(application_id, material, stream, offer.file.original_name, copied_from=offer.file.id)
