"""Records several people edit carry a version: a stale save is refused, never silent."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.errors import Conflict, InvalidInput
from app.core.extensions import db
from app.models import AuditLog, Project, User
from app.projects.service import update_project
from app.projects.stages import drop_project


def staff(app, make_user):
    make_user()
    return db.session.scalar(select(User).where(User.email == "staff@example.org"))


def test_save_from_a_stale_form_is_refused(app, make_user, make_project):
    project = make_project()
    with app.app_context():
        user = staff(app, make_user)
        update_project(user, project.id, 1, {"title": "First edit"})
        with pytest.raises(Conflict, match="changed by someone else.*version 1.*version 2"):
            update_project(user, project.id, 1, {"title": "Second edit from an old form"})
        saved = db.session.get(Project, project.id)
        assert saved.title == "First edit" and saved.version == 2
        audit = db.session.scalars(select(AuditLog).where(AuditLog.entity == "project")).all()
        assert [a.changes["title"]["to"] for a in audit] == ["First edit"]


def test_concurrent_writer_is_caught_by_the_row_version(app, make_project):
    project = make_project()
    with app.app_context():
        mine = db.session.get(Project, project.id)  # loaded at version 1
        with db.engine.begin() as other:  # someone else saves meanwhile
            other.execute(
                Project.__table__.update()
                .where(Project.id == project.id)
                .values(title="Theirs", version=2)
            )
        mine.title = "Mine"
        from app.core.concurrency import commit_versioned

        with pytest.raises(Conflict, match="saved by someone else"):
            commit_versioned("project")
        db.session.expire_all()
        assert db.session.get(Project, project.id).title == "Theirs"


def test_dropping_needs_a_reason(app, make_user, make_project):
    project = make_project()
    with app.app_context():
        user = staff(app, make_user)
        with pytest.raises(InvalidInput, match="Say why"):
            drop_project(user, project.id, 1, "")
        dropped = drop_project(user, project.id, 1, "Superseded by the regional scheme")
        assert dropped.stage.value == "dropped"
        assert dropped.dropped_reason == "Superseded by the regional scheme"
