"""Forms of the imports page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.validators import DataRequired


class UploadForm(FlaskForm):
    kind = SelectField(
        "What the file holds", validators=[DataRequired("Choose what the file holds.")]
    )
    file = FileField("CSV or XLSX file (up to 20 MB)")
    submit = SubmitField("Upload and preview")


class CommitForm(FlaskForm):
    digest = HiddenField()
    submit = SubmitField("Commit the import")
