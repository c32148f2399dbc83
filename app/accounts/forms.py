"""Forms of signing in and of the account page."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length


class LoginForm(FlaskForm):
    email = EmailField(
        "E-mail", validators=[DataRequired("Enter your e-mail address."), Email(), Length(max=254)]
    )
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password."), Length(max=200)]
    )
    submit = SubmitField("Sign in")


class PasswordForm(FlaskForm):
    current = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")]
    )
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
    submit = SubmitField("Change the password")


class SignOutEverywhereForm(FlaskForm):
    submit = SubmitField("Sign out everywhere")
