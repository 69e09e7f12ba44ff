import enum
from datetime import datetime

from sqlalchemy import Enum, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.extensions import db


class SmsStatus(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"  # claimed by one sender; nobody else may send it
    SENT = "sent"
    FAILED = "failed"


class SmsMessage(db.Model):
    """One outgoing text message. Rows are never deleted by the sender."""

    __tablename__ = "sms_messages"
    __table_args__ = (Index("ix_sms_messages_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(String(40))
    # The same event never produces two messages: a second queue() with the
    # same key returns the first row.
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    status: Mapped[SmsStatus] = mapped_column(
        Enum(SmsStatus, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e]),
        default=SmsStatus.QUEUED,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    provider_message_id: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    sent_at: Mapped[datetime | None]
