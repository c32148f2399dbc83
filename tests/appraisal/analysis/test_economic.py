"""The economic analysis' IRR notes."""

from __future__ import annotations

import numpy as np


def test_a_missing_irr_is_explained_once_not_as_no_irr_no_irr():
    from appraisal.analysis.economic import irr_or_reason, irr_or_reason_many

    rate, note = irr_or_reason([1.0, 2.0, 3.0])
    assert rate is None and note.startswith("no IRR: ") and note.count("IRR:") == 1, note
    assert irr_or_reason_many(np.array([[1.0, 2.0, 3.0]]))[0][1] == note
