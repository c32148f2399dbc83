"""The imports page (staff): upload a file, see the preview, commit it."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.core.errors import Conflict, InvalidInput
from app.core.fields import choices
from app.core.permissions import require_staff
from app.imports import service
from app.imports.forms import CommitForm, UploadForm
from app.imports.kinds import import_kinds

bp = Blueprint("imports", __name__)


@bp.before_request
@login_required
def require_login():
    require_staff(current_user)


def _form() -> UploadForm:
    form = UploadForm()
    form.kind.choices = choices((k.name, k.title) for k in import_kinds().values())
    return form


def _index(form: UploadForm, status: int = 200, error: str | None = None):
    return render_template(
        "imports/imports.html",
        form=form,
        kinds=import_kinds().values(),
        imports=service.recent_imports(current_user),
        error=error,
    ), status


@bp.route("/imports", methods=["GET", "POST"])
def index():
    form = _form()
    if not form.is_submitted():
        return _index(form)
    if not form.validate():
        return _index(form, 400, "Choose what the file holds, and a file.")
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        return _index(form, 400, "Choose a CSV or XLSX file to upload.")
    try:
        record = service.preview_upload(
            current_user, form.kind.data, upload.filename, upload.read()
        )
    except InvalidInput as error:
        return _index(form, 400, error.message)
    return redirect(url_for("imports.show", import_id=record.id))


def _show(import_id: int, status: int = 200, error: str | None = None):
    record = service.get_import(current_user, import_id)
    form = CommitForm(formdata=None, digest=record.digest)
    kind = import_kinds().get(record.kind)
    return render_template(
        "imports/preview.html", record=record, kind=kind, form=form, error=error
    ), status


@bp.get("/imports/<int:import_id>")
def show(import_id: int):
    return _show(import_id)


@bp.post("/imports/<int:import_id>/commit")
def commit(import_id: int):
    form = CommitForm()
    if not form.validate():
        return _show(import_id, 400, "The form could not be read; reload the page and try again.")
    try:
        written = service.commit_import(current_user, import_id, form.digest.data)
    except (Conflict, InvalidInput) as error:
        return _show(import_id, error.status, error.message)
    if written:
        flash(f"Import {import_id} committed: {written} changes written, each with its history.")
    else:
        flash(f"Import {import_id} committed: nothing changed (everything was already stored).")
    return redirect(url_for("imports.show", import_id=import_id))
