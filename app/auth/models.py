from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.extensions import db

ROLES = ("applicant", "officer", "admin")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)  # E.164
    display_name: Mapped[str | None] = mapped_column(String(60))
    enterprise_name: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]
    # Bumped on sign-out so an old session cookie stops working everywhere.
    session_version: Mapped[int] = mapped_column(default=1)
    # Set instead of deleting an account that anything official refers to (its cases,
    # events, versions it published): it cannot sign in, and every record stays.
    deactivated_at: Mapped[datetime | None]

    roles: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="joined"
    )

    @property
    def is_active(self):
        return self.deactivated_at is None

    def get_id(self):
        return f"{self.id}:{self.session_version}"

    @property
    def role_names(self):
        return {"applicant"} | {r.role for r in self.roles}

    def has_role(self, role):
        return role in self.role_names

    @property
    def needs_profile(self):
        return not (self.display_name and self.enterprise_name) and not (
            self.has_role("officer") or self.has_role("admin")
        )


class UserRole(db.Model):
    """A staff role granted to a user; everyone is an applicant."""

    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="roles")


class SignInCode(db.Model):
    """A one-time sign-in code. Only a keyed hash of the code is stored."""

    __tablename__ = "sign_in_codes"
    __table_args__ = (Index("ix_sign_in_codes_phone_created", "phone", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20))
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    used_at: Mapped[datetime | None]
    client_ip: Mapped[str | None] = mapped_column(String(45))


class SignInAllowance(db.Model):
    """The per-number cooldown and daily cap, as one row per number and kind of
    requester, so that checking and counting is one guarded UPDATE: concurrent
    requests for one number cannot both pass.

    Requests from a browser or address that has signed in to the number before
    (`known_requester`) have their own allowance, so a stranger who exhausts the
    number's daily cap cannot lock its owner out."""

    __tablename__ = "sign_in_allowances"

    phone: Mapped[str] = mapped_column(String(20), primary_key=True)
    known_requester: Mapped[bool] = mapped_column(primary_key=True)
    window_started_at: Mapped[datetime]
    sent_in_window: Mapped[int] = mapped_column(default=0)
    last_sent_at: Mapped[datetime]
