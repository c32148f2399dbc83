"""Twin cities: mentor and mentee suggestions, cohort pairing, the graph."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.core.errors import InvalidInput
from app.twinning import service as tw
from app.twinning.charts import twin_graph_svg
from app.twinning.forms import CohortForm

bp = Blueprint("twinning", __name__)


@bp.before_request
@login_required
def require_login():
    return None


def _cohort(source) -> tuple[CohortForm, tw.Cohort, bool]:
    form = CohortForm(source)
    form.region.choices = [("", "Every region")] + [(r, r) for r in tw.region_choices()]
    valid = form.validate()
    cohort = tw.Cohort(
        region=form.region.data or None,
        q=(form.q.data or "").strip() or None,
        capacity=(form.capacity.data or 2) if valid else 2,
        k=(form.k.data or 3) if valid else 3,
    )
    return form, cohort, valid


@bp.get("/twinning")
def index():
    form, cohort, valid = _cohort(request.args)
    problem = None
    try:
        page = tw.twinning_page(current_user, cohort)
    except InvalidInput as error:  # e.g. a name filter that leaves one city: say so here
        problem, valid = error.message, False
        page = {"mentors": 0, "mentees": 0, "pairs": 0, "too_large": False, "result": None}
        page["job"] = None
    picture = tw_graph_picture(page["result"])
    return render_template(
        "twinning/index.html",
        form=form,
        cohort=cohort,
        args={k: v for k, v in cohort.params().items() if v},
        picture=picture,
        saved=tw.saved_pairs(current_user),
        problem=problem,
        **page,
    ), (200 if valid else 400)


def tw_graph_picture(result):
    return twin_graph_svg(tw.result_graph(result)) if result else None


@bp.post("/twinning/save")
def save():
    _, cohort, _ = _cohort(request.form)
    written = tw.save_pairing(current_user, cohort)
    flash(f"Saved {written} twin pairs (status proposed).", "info")
    return redirect(tw.cohort_url(cohort))


@bp.post("/twinning/run")
def run():
    _, cohort, _ = _cohort(request.form)
    job = tw.start_cohort_job(current_user, cohort)
    return redirect(url_for("jobs.status", job_id=job.id))


@bp.get("/twinning/graph.json")
def graph_json():
    _, cohort, _ = _cohort(request.args)
    body = tw.graph_export(current_user, cohort, "json")
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": "attachment; filename=twin-cities.json"},
    )


@bp.get("/twinning/graph.graphml")
def graph_graphml():
    _, cohort, _ = _cohort(request.args)
    body = tw.graph_export(current_user, cohort, "graphml")
    return Response(
        body,
        mimetype="application/graphml+xml",
        headers={"Content-Disposition": "attachment; filename=twin-cities.graphml"},
    )
