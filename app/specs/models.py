import enum
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.extensions import db


class VersionStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class SpecVersion(db.Model):
    """One immutable version of a spec: its YAML text and the option lists it
    used, frozen together. Applications point at the version they started on."""

    __tablename__ = "spec_versions"
    __table_args__ = (UniqueConstraint("spec_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    spec_id: Mapped[str] = mapped_column(String(64), index=True)
    number: Mapped[int]
    status: Mapped[VersionStatus] = mapped_column(
        Enum(VersionStatus, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e])
    )
    title: Mapped[str] = mapped_column(String(200))
    # Large and only needed to compile a version once per process: deferred.
    source: Mapped[str] = mapped_column(Text, deferred=True)
    lists: Mapped[dict] = mapped_column(JSON, deferred=True)
    templates: Mapped[dict | None] = mapped_column(JSON, deferred=True)  # document template file → text
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(String(500))

    created_by = relationship("User", foreign_keys=[created_by_id])
    published_by = relationship("User", foreign_keys=[published_by_id])
