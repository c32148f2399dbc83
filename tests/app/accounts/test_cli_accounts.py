"""`usc create-user` and `usc demo-accounts`."""

from __future__ import annotations

from sqlalchemy import select

from app.core.extensions import db
from app.models import Role, User


def test_create_user_binds_a_city_account(app, runner, make_city):
    make_city()
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "Chair@Karmoy.example",
            "--role",
            "city",
            "--city",
            "karmoy-no",
        ],
        input="a long enough password\na long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created city account chair@karmoy.example" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "chair@karmoy.example"))
        assert user.role is Role.CITY and user.city.slug == "karmoy-no"


def test_create_user_says_what_is_wrong(app, runner):
    unknown_city = runner.invoke(
        args=["create-user", "--email", "a@b.org", "--role", "city", "--city", "atlantis"],
        input="a long enough password\na long enough password\n",
    )
    assert unknown_city.exit_code != 0 and "'atlantis' was not found" in unknown_city.output
    short = runner.invoke(
        args=["create-user", "--email", "a@b.org", "--role", "staff"], input="short\nshort\n"
    )
    assert short.exit_code != 0 and "at least 10 characters" in short.output


def test_demo_accounts_before_and_after_the_demo_seed(app, runner, monkeypatch):
    assert "run `usc seed --demo` first" in runner.invoke(args=["demo-accounts"]).output
    monkeypatch.setenv("USC_DEMO_PASSWORD", "demo-password-1")
    assert runner.invoke(args=["seed", "--demo"]).exit_code == 0
    listing = runner.invoke(args=["demo-accounts"]).output
    assert "staff@example.org" in listing and "password: demo-password-1" in listing
