"""Phone sign-in with one-time SMS codes, accounts and roles.

Sign-in is registration: the first verified code for a number creates an
applicant account. Answers never reveal whether a number is registered.
"""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from functools import wraps

from flask import abort, current_app
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import bindparam, case, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from app.auth.models import ROLES, SignInAllowance, SignInCode, User, UserRole
from app.clock import utcnow
from app.extensions import db
from app.phone import InvalidPhone, UnsupportedRegion, masked, normalize_mobile
from app.sms import service as sms

__all__ = [
    "ROLES",
    "InvalidPhone",
    "TooManyCodes",
    "UnsupportedRegion",
    "User",
    "account",
    "all_users",
    "browser_knows",
    "deactivate",
    "end_sessions",
    "find_user",
    "grant_role",
    "load_user",
    "masked",
    "normalize_mobile",
    "remember_browser",
    "remove_user",
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


_EPOCH = datetime(1970, 1, 1)
SIGN_IN_CODE = sms.declare("sign_in_code", "code", "minutes")
KNOWN_ADDRESS_DAYS = 30  # an address a number signed in from counts as its owner's for this long


def _insert_for(dialect):
    return pg_insert if dialect == "postgresql" else sqlite_insert


def signed_in_from(phone, client_ip, since):
    """True when `phone` signed in successfully from `client_ip` since `since`."""
    if not client_ip:
        return False
    return db.session.scalar(
        select(SignInCode.id).where(SignInCode.phone == phone, SignInCode.client_ip == client_ip,
                                    SignInCode.used_at.is_not(None), SignInCode.created_at > since).limit(1)
    ) is not None


def _take_allowance(phone, known, now):
    """Count one code against the number's allowance, or raise TooManyCodes.

    One guarded UPDATE checks the cooldown and the daily cap and counts the
    code: of concurrent requests for one number, exactly one passes."""
    cfg = current_app.config
    cooldown, cap = timedelta(seconds=cfg["SIGNIN_CODE_COOLDOWN"]), cfg["SIGNIN_CODES_PER_DAY"]
    day_ago = now - timedelta(days=1)
    key = {"phone": phone, "known_requester": known}
    db.session.execute(
        _insert_for(db.engine.dialect.name)(SignInAllowance)
        .values(**key, window_started_at=now, sent_in_window=0, last_sent_at=_EPOCH)
        .on_conflict_do_nothing()
    )
    window_over = SignInAllowance.window_started_at <= day_ago
    taken = db.session.execute(
        update(SignInAllowance)
        .where(SignInAllowance.phone == phone, SignInAllowance.known_requester.is_(known),
               SignInAllowance.last_sent_at <= now - cooldown,
               or_(window_over, SignInAllowance.sent_in_window < cap))
        .values(last_sent_at=now,
                sent_in_window=case((window_over, 1), else_=SignInAllowance.sent_in_window + 1),
                window_started_at=case((window_over, now), else_=SignInAllowance.window_started_at))
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken == 1:
        return
    row = db.session.get(SignInAllowance, (phone, known), populate_existing=True)
    db.session.rollback()
    waited = now - row.last_sent_at
    if waited < cooldown:
        raise TooManyCodes(max(int((cooldown - waited).total_seconds()), 1))
    raise TooManyCodes(max(int((row.window_started_at + timedelta(days=1) - now).total_seconds()), 1))


def request_code(phone, client_ip=None, known_browser=False):
    """Create a code for `phone` (E.164) and queue the SMS carrying it.

    Raises TooManyCodes when the per-number cooldown or daily cap is hit. A
    browser or address that signed in to the number before has its own
    allowance (`known_browser` says the request carries that browser's mark).
    Earlier unused codes for the number stop working: only the newest counts.
    """
    cfg = current_app.config
    now = utcnow()
    known = known_browser or signed_in_from(phone, client_ip, now - timedelta(days=KNOWN_ADDRESS_DAYS))
    _take_allowance(phone, known, now)
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
    sms.queue(phone, SIGN_IN_CODE, {"code": code, "minutes": str(minutes)})


def verify_code(phone, code):
    """Return the user for a correct, fresh code (creating it on first sign-in), else None.

    Each try is counted by one guarded UPDATE before the code is compared, so
    concurrent wrong guesses cannot share a count; a right code is taken by a
    second guarded UPDATE, so it works once even when sent twice at once."""
    cfg = current_app.config
    now = utcnow()
    record = db.session.execute(  # only the newest code counts
        select(SignInCode.id, SignInCode.code_hash, SignInCode.used_at, SignInCode.expires_at)
        .filter_by(phone=phone).order_by(SignInCode.created_at.desc(), SignInCode.id.desc()).limit(1)
    ).first()
    if record is None or record.used_at or record.expires_at < now:
        db.session.rollback()
        return None
    counted = db.session.execute(
        update(SignInCode)
        .where(SignInCode.id == record.id, SignInCode.used_at.is_(None),
               SignInCode.attempts < cfg["SIGNIN_CODE_MAX_ATTEMPTS"])
        .values(attempts=SignInCode.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if counted != 1 or not hmac.compare_digest(record.code_hash, _hash_code(phone, (code or "").strip())):
        return None
    taken = db.session.execute(
        update(SignInCode).where(SignInCode.id == record.id, SignInCode.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        db.session.rollback()
        return None
    user = find_user(phone)
    if user is None:
        user = User(phone=phone)
        db.session.add(user)
    user.last_sign_in_at = now
    db.session.commit()
    return user


KNOWN_BROWSER_MAX = 5  # numbers one browser remembers


def _browser_mark(phone):
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"known-browser:{phone}".encode(), hashlib.sha256).hexdigest()[:20]


def _marks_serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="known-browser")


def browser_knows(cookie, phone):
    """True when the signed cookie says this browser signed in to `phone` before."""
    try:
        marks = _marks_serializer().loads(cookie) if cookie else []
    except BadSignature:
        return False
    return isinstance(marks, list) and _browser_mark(phone) in marks


def remember_browser(cookie, phone):
    """The cookie value after a sign-in to `phone` (the newest few numbers, signed; no number in clear)."""
    try:
        marks = _marks_serializer().loads(cookie) if cookie else []
    except BadSignature:
        marks = []
    mark = _browser_mark(phone)
    marks = [mark, *(m for m in marks if m != mark and isinstance(m, str))][:KNOWN_BROWSER_MAX]
    return _marks_serializer().dumps(marks)


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


def account(phone, display_name=None, enterprise_name=None):
    """The account of `phone`, made if it has none (staff set-up, demo and test data)."""
    phone = normalize_mobile(phone)
    user = find_user(phone)
    if user is None:
        user = User(phone=phone)
        db.session.add(user)
    if display_name:
        user.display_name = display_name
    if enterprise_name:
        user.enterprise_name = enterprise_name
    db.session.commit()
    return user


def deactivate(user):
    """The account can no longer sign in (every session ends); what it filed stays."""
    if user.deactivated_at is None:
        user.deactivated_at = utcnow()
    user.session_version += 1
    db.session.commit()


def remove_user(user):
    """Delete the account, or deactivate it when a record refers to it (the
    database refuses the delete: no case, event or version loses its author).
    Returns "deleted" or "deactivated"."""
    user_id = user.id
    try:
        db.session.delete(user)
        db.session.commit()
        return "deleted"
    except IntegrityError:
        db.session.rollback()
    deactivate(user_by_id(user_id))
    return "deactivated"


def grant_role(phone, role):
    if role not in ROLES or role == "applicant":
        raise ValueError(f"role must be one of {', '.join(r for r in ROLES if r != 'applicant')}")
    user = account(phone)
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
    if user is None or user.session_version != version or not user.is_active:
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
