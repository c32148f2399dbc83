"""Sources are linked only when they are web addresses, named by their document."""

from __future__ import annotations

from app.core.formatting import source_link


def test_only_real_addresses_become_links_and_trailing_notes_stay_text():
    assert "<a" not in source_link("github.com/PyPSA/technology-data outputs/costs_2025.csv")
    linked = str(source_link("https://x.org/a/c.csv (repo PyPSA, commit 1ab2)", "Costs 2025"))
    assert (
        linked
        == '<a href="https://x.org/a/c.csv" rel="noopener">Costs 2025</a> (repo PyPSA, commit 1ab2)'
    )
    assert str(source_link(None, "A report")) == "A report"
    assert str(source_link("")) == "not stated"
    assert "&lt;script" in str(source_link("<script>alert(1)</script>"))
