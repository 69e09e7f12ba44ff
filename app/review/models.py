from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.extensions import db


class CaseEvent(db.Model):
    """Something that happened to a case: a decision (with who, when and why)
    or an officer opening its packet. Never changed or deleted."""

    __tablename__ = "case_events"
    __table_args__ = (Index("ix_case_events_application_created", "application_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))  # accept | return | complete | forward | not_accept | download …
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict | None] = mapped_column(JSON)  # e.g. reasons per field, project code, file name
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor = relationship("User")
