"""Forms of signing in, the account page, setting a password by link, managing accounts."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app.core.fields import TextField


class LoginForm(FlaskForm):
    email = EmailField(
        "E-mail", validators=[DataRequired("Enter your e-mail address."), Email(), Length(max=254)]
    )
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password."), Length(max=200)]
    )
    submit = SubmitField("Sign in")


class _NewPassword(FlaskForm):
    """A new password typed twice: the same rules on /account and on a set-password link."""

    new = PasswordField(
        "New password",
        validators=[
            DataRequired("Enter a new password."),
            Length(10, 200, "Use 10 to 200 characters."),
        ],
    )
    repeat = PasswordField(
        "New password again",
        validators=[EqualTo("new", "The two new passwords differ: type the same one twice.")],
    )


class PasswordForm(_NewPassword):
    current = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")]
    )
    submit = SubmitField("Change the password")


class SignOutEverywhereForm(FlaskForm):
    submit = SubmitField("Sign out everywhere")


ROLE_CHOICES = [
    SelectChoice("staff", "Programme staff"),
    SelectChoice("city", "City committee member (bound to a city)"),
    SelectChoice("partner", "Partner user (bound to a partner organisation)"),
    SelectChoice("expert", "Expert of the pool (sees the engagements they are on)"),
]


class _BindingFields(FlaskForm):
    """A role with its city or partner; the choices are set by the view."""

    role = SelectField("Role", choices=ROLE_CHOICES)
    city = SelectField("City (for a city committee member)", choices=[], validate_choice=False)
    member = SelectField(
        "Committee member (for a city account of one member; optional)",
        choices=[],
        validate_choice=False,
    )
    partner = SelectField(
        "Partner organisation (for a partner user)", choices=[], validate_choice=False
    )
    expert = SelectField("Expert of the pool (for an expert)", choices=[], validate_choice=False)

    def with_choices(self, cities, partners, members=(), experts=()):
        self.city.choices = _choices("No city", cities)
        self.member.choices = _choices("No member", members)
        self.partner.choices = _choices("No partner", partners)
        self.expert.choices = _choices("No expert", experts)
        return self

    def binding(self) -> dict:
        """The chosen ids (None when blank or not an id: the service says what is missing)."""
        return {
            "city_id": _id(self.city.data),
            "partner_id": _id(self.partner.data),
            "expert_id": _id(self.expert.data),
            "member_id": _id(self.member.data),
        }


def _choices(blank: str, pairs) -> list[SelectChoice]:
    return [SelectChoice("", blank), *(SelectChoice(str(i), label) for i, label in pairs)]


def _id(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


class InviteForm(_BindingFields):
    email = EmailField(
        "E-mail",
        validators=[
            DataRequired("Enter the e-mail address of the person to invite."),
            Email("This is not an e-mail address: give one like name@example.org."),
            Length(max=254, message="An e-mail address has at most 254 characters."),
        ],
    )
    name = TextField("Name (optional)", max_length=120)
    submit = SubmitField("Invite and show the link")


class RoleForm(_BindingFields):
    submit = SubmitField("Change the role")


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token (deactivate, reactivate, new link)."""


class SetPasswordForm(_NewPassword):
    submit = SubmitField("Set the password and sign in")
