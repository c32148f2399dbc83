"""Lessons and best practice: staff record a case; staff and cities read them, beside
the suggested solutions for a gap (by the case's catalogue solution)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from app.core.audit import record
from app.core.extensions import db
from app.core.permissions import require_role, require_staff
from app.engagements.service import FieldError
from app.models import Kpi, LessonCase, ProjectTemplate, Role, User

__all__ = ["CaseInput", "add_case", "all_cases", "cases_for_solution", "solution_choices"]

REQUIRED = {
    "title": "Give the case a title.",
    "city_name": "Name the city where it was done.",
    "what_was_done": "Say what was done.",
    "results": "Give the results with their figures and units.",
    "sources": "Say where the figures come from (a report, a page address).",
    "lessons": "Say what others can learn from it.",
}


@dataclass(frozen=True)
class CaseInput:
    title: str
    city_name: str
    template_id: int | None
    what_was_done: str
    results: str
    sources: str
    lessons: str
    kpi_codes: list[str] = field(default_factory=list)


def solution_choices() -> list[tuple[int, str]]:
    return list(
        db.session.execute(
            select(ProjectTemplate.id, ProjectTemplate.name).order_by(ProjectTemplate.name)
        )
    )


def add_case(user: User, data: CaseInput) -> LessonCase:
    require_staff(user)
    texts = {name: (getattr(data, name) or "").strip() for name in REQUIRED}
    for name, message in REQUIRED.items():
        if not texts[name]:
            raise FieldError(name, message)
    if data.template_id is not None and db.session.get(ProjectTemplate, data.template_id) is None:
        raise FieldError("template_id", "Choose a solution of the catalogue (or none).")
    codes = sorted({code.strip() for code in data.kpi_codes if code.strip()})
    known = set(db.session.scalars(select(Kpi.code).where(Kpi.code.in_(codes))))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise FieldError(
            "kpi_codes",
            f"Unknown KPI code: {unknown[0]}. Write U4SSC codes (e.g. EN: E: E: 1C), "
            "separated by semicolons.",
        )
    case = LessonCase(**texts, template_id=data.template_id, kpi_codes=codes, created_by_id=user.id)
    db.session.add(case)
    db.session.flush()
    record("add_case", "lesson_case", case.id, {"title": case.title}, user_id=user.id)
    db.session.commit()
    return case


def all_cases(user: User) -> list[LessonCase]:
    require_role(user, Role.STAFF, Role.CITY)
    return list(db.session.scalars(select(LessonCase).order_by(LessonCase.created_at.desc())))


def cases_for_solution(template_id: int) -> list[LessonCase]:
    """The cases recorded for one catalogue solution (shown beside its suggestions)."""
    return list(
        db.session.scalars(
            select(LessonCase)
            .where(LessonCase.template_id == template_id)
            .order_by(LessonCase.created_at.desc())
        )
    )
