"""The tables of a case: the application and its frozen submissions, its
files and deferrals, its events, and the reference counter."""

from datetime import date, datetime

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.cases.states import Status
from app.clock import utcnow
from app.extensions import db

FILE_CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


OPEN_CHANGE = "status IN ('draft', 'submitted', 'accepted', 'returned') AND amends_id IS NOT NULL"
UNSTARTED = "status = 'completed' AND started_on IS NULL AND is_preview = false"
# JSONB on PostgreSQL (indexable, `->>` reads one answer without parsing text), JSON elsewhere.
JSONType = JSON().with_variant(JSONB(), "postgresql")


class Application(db.Model):
    """One applicant's filing, pinned for ever to the spec version it started on."""

    __tablename__ = "applications"
    __table_args__ = (
        Index("ix_applications_user_updated", "user_id", "updated_at"),
        Index("ix_applications_status_submitted", "status", "submitted_at"),
        Index("ix_applications_submitted", "submitted_at"),
        Index("ix_applications_project_name_id", "project_name", "id"),  # the queue's sort by project
        # One 备案变更 in flight per filing (amendments.py): two clicks at once cannot open two.
        Index("uq_applications_open_change", "amends_id", unique=True,
              postgresql_where=text(OPEN_CHANGE), sqlite_where=text(OPEN_CHANGE)),
        # Completed filings with no start reported, by filing date: the two-year clock of the
        # watch list and the sweep, without an anti-join over a province's start reports.
        Index("ix_applications_unstarted", "completed_at",
              postgresql_where=text(UNSTARTED), sqlite_where=text(UNSTARTED)),
        # On PostgreSQL, migration 0015 adds pg_trgm GIN indexes on reference, project_name,
        # enterprise_name and credit_code for the queue's substring search (queue.py).
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No cascade: a case is a government record; an account that filed one is deactivated, never deleted.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    spec_version_id: Mapped[int] = mapped_column(ForeignKey("spec_versions.id"))
    status: Mapped[Status] = mapped_column(
        Enum(Status, name="applicationstatus", native_enum=False, length=20,
             values_callable=lambda e: [m.value for m in e]),
        default=Status.DRAFT,
    )
    answers: Mapped[dict] = mapped_column(JSONType, default=dict)  # stored values by field id
    last_step: Mapped[str | None] = mapped_column(String(64))
    project_name: Mapped[str | None] = mapped_column(String(200))
    reference: Mapped[str | None] = mapped_column(String(32), unique=True)
    # The rule outcome of the latest submission, copied here for queues and filters.
    filing_type: Mapped[str | None] = mapped_column(String(20))
    level: Mapped[str | None] = mapped_column(String(20))
    escalated: Mapped[bool] = mapped_column(default=False)
    energy_review: Mapped[str | None] = mapped_column(String(20))
    # Copied from the latest submission for the officers' queue (filters, search).
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(18), index=True)
    industry_section: Mapped[str | None] = mapped_column(String(2))
    town: Mapped[str | None] = mapped_column(String(64))
    accepted_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    # Working days from submission, kept when the case is accepted and completed
    # (the holiday calendar is Python's): statistics aggregate them in SQL.
    accept_working_days: Mapped[int | None]
    complete_working_days: Mapped[int | None]
    returned_count: Mapped[int] = mapped_column(default=0)
    project_code: Mapped[str | None] = mapped_column(String(24))
    forwarded_to: Mapped[str | None] = mapped_column(String(20))
    # 备案变更: the completed filing this application changes (amendments.py); None for a first filing.
    amends_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    # 延期开工 of an approval decided here (start_extension.py): months granted, once; None when none.
    start_extended_months: Mapped[int | None]
    # The reported start of construction (its project_reports row), kept on the case so that
    # unstarted filings are found by an index (ix_applications_unstarted).
    started_on: Mapped[date | None]
    # An admin trying a draft spec as an applicant would: never in queues or statistics.
    is_preview: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]

    spec_version = relationship("SpecVersion", lazy="joined")
    amends = relationship("Application", remote_side="Application.id")
    user = relationship("User")
    submissions: Mapped[list["Submission"]] = relationship(
        back_populates="application", order_by="Submission.number", cascade="all, delete-orphan"
    )
    files: Mapped[list["MaterialFile"]] = relationship(
        back_populates="application", order_by="MaterialFile.id", cascade="all, delete-orphan"
    )
    deferrals: Mapped[list["MaterialDeferral"]] = relationship(cascade="all, delete-orphan")


class Submission(db.Model):
    """An immutable snapshot of the answers as submitted."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("application_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    number: Mapped[int]  # 1 for the first submission, 2 after a correction…
    answers: Mapped[dict] = mapped_column(JSONType)
    outcome: Mapped[dict | None] = mapped_column(JSONType)  # filing type, level, reasons, matched rules and inputs
    materials: Mapped[list | None] = mapped_column(JSONType)  # what was needed and how it was supplied
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship(back_populates="submissions")


class ReferenceCounter(db.Model):
    """The last reference number used per prefix and year. Incremented inside
    the submitting transaction, so numbers are unique and have no gaps."""

    __tablename__ = "reference_counters"

    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class MaterialFile(db.Model):
    """One uploaded file of a material (a material may have several: an ID
    card's two sides, a scan page by page). The file lives under UPLOAD_DIR with
    a random name; the name the applicant gave is kept (sanitised) for display
    only. A file taken over from the applicant's earlier application is a copy
    of its own (`copied_from_id` says which), never a second row on one file."""

    __tablename__ = "material_files"
    __table_args__ = (Index("ix_material_files_application_material", "application_id", "material_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    material_id: Mapped[str] = mapped_column(String(64))
    original_name: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(8))  # pdf | jpg | png, from the content
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("material_files.id", ondelete="SET NULL"))

    application: Mapped[Application] = relationship(back_populates="files")

    @property
    def content_type(self):
        return FILE_CONTENT_TYPES[self.kind]

    @property
    def download_name(self):
        """The applicant's name with the extension of what the file is: an
        `invoice.html` that is a PDF comes down as `invoice.pdf`, never as a
        page the officer's browser would open as HTML."""
        stem = self.original_name.rsplit(".", 1)[0] if "." in self.original_name else self.original_name
        return f"{stem or 'file'}.{self.kind}"


class MaterialDeferral(db.Model):
    """The applicant will supply this material later, on a written commitment (容缺受理)."""

    __tablename__ = "material_deferrals"
    __table_args__ = (UniqueConstraint("application_id", "material_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    material_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the paper arrives after acceptance (the row stays: the deferral happened).
    supplied_at: Mapped[datetime | None]


class ProjectReport(db.Model):
    """开工 / 竣工报送: the enterprise reports, once each, that construction started or finished."""

    __tablename__ = "project_reports"
    __table_args__ = (UniqueConstraint("application_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # start | completion
    happened_on: Mapped[date]  # the day construction started or finished (the district's calendar)
    description: Mapped[str] = mapped_column(Text)
    reported_at: Mapped[datetime] = mapped_column(default=utcnow)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CaseEvent(db.Model):
    """Something that happened to a case: a move of the transition table (with
    who, when and why) or an officer opening its files. Never changed or deleted."""

    __tablename__ = "case_events"
    __table_args__ = (Index("ix_case_events_application_created", "application_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))  # an action of states.TRANSITIONS, or download, file_viewed …
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict | None] = mapped_column(JSONType)  # e.g. reasons per field, project code, file name
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor = relationship("User")


class IssuedDocument(db.Model):
    """An official document a decision issued: a sealed PDF, stored once and never
    rendered again, verifiable by anyone with its code."""

    __tablename__ = "issued_documents"
    __table_args__ = (Index("ix_issued_documents_application_kind", "application_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(64))  # the spec's `issued:` id, e.g. filing_certificate
    title: Mapped[str] = mapped_column(String(200))
    # Random, 16 characters of Crockford base32 (80 bits): printed on the document, typed on the public page.
    code: Mapped[str] = mapped_column(String(16), unique=True)
    office: Mapped[str] = mapped_column(String(200))
    project_code: Mapped[str | None] = mapped_column(String(24))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("case_events.id"))
    status: Mapped[str] = mapped_column(String(12), default="valid")  # valid | superseded | revoked
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("issued_documents.id"))
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(Text)

    application: Mapped[Application] = relationship()

    @property
    def display_code(self):
        return "-".join(self.code[i:i + 4] for i in range(0, len(self.code), 4))


class CourierRequest(db.Model):
    """The applicant wants the paper originals by courier (零上门); the officer records the dispatch."""

    __tablename__ = "courier_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), unique=True)
    recipient: Mapped[str] = mapped_column(String(40))
    mobile: Mapped[str] = mapped_column(String(20))  # E.164
    town: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    dispatched_at: Mapped[datetime | None]
    carrier: Mapped[str | None] = mapped_column(String(40))
    tracking_number: Mapped[str | None] = mapped_column(String(40))
    dispatched_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
