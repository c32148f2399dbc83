"""The city PROFILE issued for an engagement: staff make the PDF (the publication room's
:func:`app.publication.profile_pdf.profile_pdf`) and keep it as issued; the engagement's
"PROFILE published" stage links it and its checklist holds once one is issued."""

from __future__ import annotations

import hashlib

from app.core.audit import record
from app.core.errors import NotFound
from app.core.extensions import db
from app.core.permissions import require_staff
from app.engagements.service import engagement_for
from app.models import ProfilePublication, User
from app.publication.profile_pdf import profile_pdf

__all__ = ["issue_profile", "issued_profile"]


def issue_profile(user: User, engagement_id: int) -> ProfilePublication:
    """Make the city's PROFILE now and keep it as the engagement's publication (staff)."""
    require_staff(user)
    engagement = engagement_for(user, engagement_id)
    pdf, filename = profile_pdf(user, engagement.city_id)
    publication = ProfilePublication(
        engagement_id=engagement.id,
        filename=filename,
        pdf=pdf,
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        issued_by_id=user.id,
    )
    db.session.add(publication)
    db.session.flush()
    record("issue_profile", "engagement", engagement.id, {"publication_id": publication.id,
           "filename": filename, "bytes": len(pdf)}, user_id=user.id)  # fmt: skip
    db.session.commit()
    return publication


def issued_profile(user: User, engagement_id: int, publication_id: int) -> ProfilePublication:
    """An issued PROFILE, for whoever may see the engagement."""
    engagement = engagement_for(user, engagement_id)
    publication = db.session.get(ProfilePublication, publication_id)
    if publication is None or publication.engagement_id != engagement.id:
        raise NotFound(f"There is no PROFILE {publication_id} issued for this engagement.")
    return publication
