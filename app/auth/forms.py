from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp

from app.text import NoControlCharacters


class PhoneForm(FlaskForm):
    phone = StringField(
        _l("手机号码"),
        validators=[DataRequired(message=_l("请输入手机号码。"))],
        render_kw={"autocomplete": "tel", "inputmode": "tel", "maxlength": 32},
    )


class CodeForm(FlaskForm):
    code = StringField(
        _l("短信验证码"),
        validators=[
            DataRequired(message=_l("请输入短信验证码。")),
            Regexp(r"^\s*\d{6}\s*$", message=_l("验证码是6位数字。")),
        ],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 6},
    )


class ProfileForm(FlaskForm):
    display_name = StringField(
        _l("您的姓名"),
        validators=[DataRequired(message=_l("请输入姓名。")), Length(max=60, message=_l("不超过60个字。")),
                    NoControlCharacters()],
        render_kw={"autocomplete": "name"},
    )
    enterprise_name = StringField(
        _l("企业名称"),
        validators=[DataRequired(message=_l("请输入企业名称。")), Length(max=120, message=_l("不超过120个字。")),
                    NoControlCharacters()],
        render_kw={"autocomplete": "organization"},
    )
