"""Unbound extension singletons; bound to an app in ``create_app``. Imports no app module."""

from flask_alembic import Alembic
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy_lite import SQLAlchemy
from flask_wtf import CSRFProtect

from app.models.base import Base

# Rows stay readable after commit (views render what they just saved; tests use factories).
db = SQLAlchemy(session_options={"expire_on_commit": False})
alembic = Alembic(metadatas=Base.metadata)
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
