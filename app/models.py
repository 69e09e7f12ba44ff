"""The list of model modules, imported once so Alembic and the app see every table."""

from app.admin.models import AdminAudit  # noqa: F401
from app.auth.models import SignInAllowance, SignInCode, User, UserRole  # noqa: F401
from app.cases.models import (  # noqa: F401
    Application,
    CaseEvent,
    CourierRequest,
    IssuedDocument,
    MaterialDeferral,
    MaterialFile,
    ReferenceCounter,
    Submission,
)
from app.sms.models import SmsMessage  # noqa: F401
from app.specs.models import SpecVersion  # noqa: F401
