import enum
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.extensions import db


class ApplicationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class Application(db.Model):
    """One applicant's filing, pinned for ever to the spec version it started on."""

    __tablename__ = "applications"
    __table_args__ = (Index("ix_applications_user_updated", "user_id", "updated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    spec_version_id: Mapped[int] = mapped_column(ForeignKey("spec_versions.id"))
    status: Mapped[ApplicationStatus] = mapped_column(
        Enum(ApplicationStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=ApplicationStatus.DRAFT,
    )
    answers: Mapped[dict] = mapped_column(JSON, default=dict)  # stored values by field id
    last_step: Mapped[str | None] = mapped_column(String(64))
    project_name: Mapped[str | None] = mapped_column(String(200))
    reference: Mapped[str | None] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]

    spec_version = relationship("SpecVersion", lazy="joined")
    submissions: Mapped[list["Submission"]] = relationship(
        back_populates="application", order_by="Submission.number", cascade="all, delete-orphan"
    )


class Submission(db.Model):
    """An immutable snapshot of the answers as submitted."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("application_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    number: Mapped[int]  # 1 for the first submission, 2 after a correction…
    answers: Mapped[dict] = mapped_column(JSON)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship(back_populates="submissions")


class ReferenceCounter(db.Model):
    """The last reference number used per prefix and year. Incremented inside
    the submitting transaction, so numbers are unique and have no gaps."""

    __tablename__ = "reference_counters"

    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)
