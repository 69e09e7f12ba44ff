"""Phone sign-in with one-time SMS codes, accounts and roles.

Sign-in is registration: the first verified code for a number creates an
applicant account. Answers never reveal whether a number is registered.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta
from functools import wraps

from flask import abort, current_app
from flask_login import current_user, login_required
from sqlalchemy import bindparam, func, select

from app.auth.models import ROLES, SignInCode, User, UserRole
from app.clock import utcnow
from app.extensions import db
from app.phone import InvalidPhone, masked, normalize_mobile
from app.sms import service as sms

__all__ = [
    "ROLES",
    "InvalidPhone",
    "TooManyCodes",
    "User",
    "all_users",
    "end_sessions",
    "find_user",
    "grant_role",
    "load_user",
    "masked",
    "normalize_mobile",
    "request_code",
    "revoke_role",
    "role_required",
    "update_profile",
    "user_by_id",
    "verify_code",
]


class TooManyCodes(Exception):
    """A new code was asked for too soon or too often for one number."""

    def __init__(self, retry_after):
        super().__init__(retry_after)
        self.retry_after = retry_after


def _hash_code(phone, code):
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def request_code(phone, client_ip=None):
    """Create a code for `phone` (E.164) and queue the SMS carrying it.

    Raises TooManyCodes when the per-number cooldown or daily cap is hit.
    Earlier unused codes for the number stop working: only the newest counts.
    """
    cfg = current_app.config
    now = utcnow()
    latest = db.session.scalar(
        select(SignInCode.created_at).filter_by(phone=phone).order_by(SignInCode.created_at.desc()).limit(1)
    )
    if latest and now - latest < timedelta(seconds=cfg["SIGNIN_CODE_COOLDOWN"]):
        wait = cfg["SIGNIN_CODE_COOLDOWN"] - int((now - latest).total_seconds())
        raise TooManyCodes(max(wait, 1))
    today = db.session.scalar(
        select(func.count()).select_from(SignInCode)
        .where(SignInCode.phone == phone, SignInCode.created_at > now - timedelta(days=1))
    )
    if today >= cfg["SIGNIN_CODES_PER_DAY"]:
        raise TooManyCodes(24 * 3600)

    code = f"{secrets.randbelow(10**6):06d}"
    db.session.add(SignInCode(
        phone=phone,
        code_hash=_hash_code(phone, code),
        created_at=now,
        expires_at=now + timedelta(seconds=cfg["SIGNIN_CODE_TTL"]),
        client_ip=client_ip,
    ))
    db.session.commit()
    minutes = cfg["SIGNIN_CODE_TTL"] // 60
    sms.queue(phone, f"您的登录验证码是{code},{minutes}分钟内有效。请勿告诉他人。", purpose="sign_in")


def verify_code(phone, code):
    """Return the user for a correct, fresh code (creating it on first sign-in), else None."""
    cfg = current_app.config
    now = utcnow()
    record = db.session.scalar(
        select(SignInCode).filter_by(phone=phone).order_by(SignInCode.created_at.desc()).limit(1)
        .with_for_update()
    )
    if record is None or record.used_at or record.expires_at < now:
        db.session.rollback()
        return None
    if record.attempts >= cfg["SIGNIN_CODE_MAX_ATTEMPTS"]:
        db.session.rollback()
        return None
    record.attempts += 1
    if not hmac.compare_digest(record.code_hash, _hash_code(phone, (code or "").strip())):
        db.session.commit()
        return None
    record.used_at = now
    user = find_user(phone)
    if user is None:
        user = User(phone=phone)
        db.session.add(user)
    user.last_sign_in_at = now
    db.session.commit()
    return user


def find_user(phone):
    return db.session.scalar(select(User).filter_by(phone=phone))


# Built once: every signed-in request loads its user, and building the
# statement (and its cache key) each time cost more than running it.
_USER_BY_ID = select(User).where(User.id == bindparam("user_id"))


def user_by_id(user_id):
    return db.session.execute(_USER_BY_ID, {"user_id": user_id}).unique().scalar_one_or_none()


def update_profile(user, display_name, enterprise_name):
    user.display_name = display_name.strip()
    user.enterprise_name = enterprise_name.strip()
    db.session.commit()


def end_sessions(user):
    """Invalidate every session of the user (sign-out everywhere)."""
    user.session_version += 1
    db.session.commit()


def _user_for_staff(phone):
    phone = normalize_mobile(phone)
    user = find_user(phone)
    if user is None:
        user = User(phone=phone)
        db.session.add(user)
    return user


def grant_role(phone, role):
    if role not in ROLES or role == "applicant":
        raise ValueError(f"role must be one of {', '.join(r for r in ROLES if r != 'applicant')}")
    user = _user_for_staff(phone)
    if not user.has_role(role):
        user.roles.append(UserRole(role=role))
    db.session.commit()
    return user


def revoke_role(phone, role):
    user = find_user(normalize_mobile(phone))
    if user is None:
        return None
    user.roles = [r for r in user.roles if r.role != role]
    db.session.commit()
    return user


def all_users():
    return db.session.scalars(select(User).order_by(User.id)).unique().all()


def load_user(user_id):
    """Flask-Login loader: the id carries the session version (see User.get_id)."""
    try:
        uid, version = (int(part) for part in user_id.split(":"))
    except ValueError:
        return None
    user = user_by_id(uid)
    if user is None or user.session_version != version:
        return None
    return user


def role_required(role):
    """Decorator for staff views: 403 for signed-in users without the role."""
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
