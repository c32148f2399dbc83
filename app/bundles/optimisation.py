"""Optimising a draft bundle: in the request when small, as the job kind ``bundle`` when large.

Below :data:`JOB_MIN_CANDIDATES` candidates the solve runs in the request; from there on
it runs as a job whose result links to the bundle page. A job refuses to store its
answer when the bundle changed while it ran.
"""

from __future__ import annotations

from app.bundles.candidates import city_candidates
from app.bundles.inputs import build_input, with_titles
from app.bundles.service import editable_draft
from app.bundles.solving import IN_JOB, INLINE, solve
from app.core.audit import record
from app.core.concurrency import commit_versioned
from app.core.errors import InvalidInput
from app.core.extensions import db
from app.core.jobs import submit
from app.models import Bundle, BundleStatus, User
from appraisal.errors import BundleInputError

__all__ = ["JOB_MIN_CANDIDATES", "optimise", "optimise_job"]

#: From this many candidates an optimisation runs as a job, not in the request.
JOB_MIN_CANDIDATES = 1_000


def optimise(user: User, bundle_id: int, version: int | None):
    """Optimise a draft: ``("done", bundle)`` inline, or ``("job", job)`` when large."""
    bundle = editable_draft(user, bundle_id, version)
    rows = city_candidates(bundle.city_id, bundle.currency, bundle.price_base_year or 2024)
    inp = _input(bundle, rows)
    if len(inp.candidates) >= JOB_MIN_CANDIDATES:
        job = submit(
            "bundle",
            {"bundle_id": bundle.id, "version": bundle.version, "user_id": user.id},
            user,
            title=f"Optimise bundle “{bundle.name}” ({len(inp.candidates):,} candidates)",
        )
        return "job", job
    result = _solve(bundle, inp, INLINE)
    _store(bundle, result, user.id)
    return "done", bundle


def _input(bundle: Bundle, rows):
    titles = {row.project.id: row.project.title for row in rows}
    inp = build_input(bundle, rows)
    if inp.blocking:
        raise InvalidInput(" ".join(with_titles(line, titles) + "." for line in inp.blocking))
    if not inp.candidates:
        raise InvalidInput(
            "No candidate can be optimised: tick some projects as candidates (for an ENPV "
            "objective they need an appraisal first)."
        )
    return inp


def _solve(bundle: Bundle, inp, settings, progress=None) -> dict:
    titles = {int(cid.lstrip("#")): row.project.title for cid, row in inp.rows.items()}
    try:
        return solve(
            inp,
            objective=bundle.objective,
            currency=bundle.currency,
            price_base_year=bundle.price_base_year or 2024,
            settings=settings,
            **({"progress": progress} if progress else {}),
        )
    except BundleInputError as error:
        raise InvalidInput(
            f"These settings cannot be optimised: {with_titles(str(error), titles)}. "
            "Edit the bundle."
        ) from None


def _store(bundle: Bundle, result: dict, user_id: int | None) -> None:
    result["version"] = bundle.version
    bundle.result = result
    chosen = set(result.get("selected", []))
    feasible = result["status"] != "infeasible"
    for item in bundle.items:
        item.selected = (item.project_id in chosen) if feasible else None
    record(
        "optimise",
        "bundle",
        bundle.id,
        {"status": result["status"], "selected": sorted(chosen)},
        user_id=user_id,
    )
    commit_versioned("bundle")


def optimise_job(params: dict, progress) -> dict:
    """Optimise a large bundle outside the request; refuses if it changed meanwhile."""
    bundle = db.session.get(Bundle, params["bundle_id"])
    if bundle is None:
        raise ValueError(f"Bundle {params['bundle_id']} no longer exists.")

    def still_current() -> None:
        db.session.refresh(bundle)
        if bundle.version != params["version"] or bundle.status is not BundleStatus.DRAFT:
            raise ValueError(
                f"Bundle “{bundle.name}” was changed while it was being optimised (version "
                f"{params['version']} then {bundle.version}); optimise it again."
            )

    still_current()
    progress(0.02, "Loading the candidates")
    rows = city_candidates(bundle.city_id, bundle.currency, bundle.price_base_year or 2024)
    result = _solve(bundle, _input(bundle, rows), IN_JOB, progress)
    still_current()
    _store(bundle, result, params.get("user_id"))
    return {
        "result_url": f"/bundles/{bundle.id}",
        "status": result["status"],
        "selected": len(result.get("selected", [])),
    }
