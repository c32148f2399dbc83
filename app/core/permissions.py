"""Who may see and do what. Checked here, in services, not only in templates."""

from __future__ import annotations

from app.core.errors import PermissionDenied
from app.models import Project, Role, User


def require_role(user: User | None, *roles: Role) -> User:
    """The user, if signed in with one of ``roles``; else PermissionDenied."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Please sign in first.")
    if user.role not in roles:
        allowed = " or ".join(role.value for role in roles)
        raise PermissionDenied(
            f"This page is for {allowed} accounts; you are signed in as {user.role.value}."
        )
    return user


def require_staff(user: User | None) -> User:
    return require_role(user, Role.STAFF)


def can_see_city_drafts(user: User, city_id: int) -> bool:
    return user.role is Role.STAFF or (user.role is Role.CITY and user.city_id == city_id)


def require_project_visible(user: User, project: Project) -> Project:
    """Staff see every project, a city its own (drafts too), everyone the published ones."""
    if user.role is Role.STAFF or project.published:
        return project
    if user.role is Role.CITY and project.city_id == user.city_id:
        return project
    raise PermissionDenied("This project is not visible to your account.")
