from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.extensions import db


class AdminAudit(db.Model):
    """One admin action (save, publish, roll back…) with the change it made."""

    __tablename__ = "admin_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(200))  # e.g. "enterprise_investment v3"
    diff: Mapped[str | None] = mapped_column(Text)  # unified diff of what changed
    note: Mapped[str | None] = mapped_column(String(500))  # the admin's reason (publish, rollback)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    actor = relationship("User")
