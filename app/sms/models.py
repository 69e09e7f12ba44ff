import enum
from datetime import datetime

from sqlalchemy import JSON, Enum, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.extensions import db


class SmsStatus(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"  # claimed by one sender; nobody else may send it
    SENT = "sent"
    FAILED = "failed"


class Delivery(enum.StrEnum):
    """What the provider's receipt said reached (or did not reach) the phone."""

    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"


class SmsMessage(db.Model):
    """One outgoing text message. Rows are never deleted by the sender."""

    __tablename__ = "sms_messages"
    __table_args__ = (
        Index("ix_sms_messages_status_next", "status", "next_attempt_at"),
        Index("ix_sms_messages_provider_message", "provider", "provider_message_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)  # as the phone shows it: signature + rendered template
    # The template and the values sent (a provider fills them itself); None for
    # rows queued before messages were templates.
    template_key: Mapped[str | None] = mapped_column(String(40))
    params: Mapped[dict | None] = mapped_column(JSON)
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
    provider: Mapped[str | None] = mapped_column(String(16))  # the one that took it
    provider_message_id: Mapped[str | None] = mapped_column(String(64))
    delivery: Mapped[Delivery | None] = mapped_column(
        Enum(Delivery, native_enum=False, length=12, values_callable=lambda e: [m.value for m in e]))
    delivery_detail: Mapped[str | None] = mapped_column(String(200))
    delivery_reported_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    sent_at: Mapped[datetime | None]
