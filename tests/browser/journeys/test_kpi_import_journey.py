"""A new city comes in through the interface: added by hand, its values imported from a
spreadsheet (preview, commit, re-import changing nothing), entered in the grid, shown on
its profile with their sources."""

from __future__ import annotations

import re

from playwright.sync_api import expect

HEADER = "city,country,year,kpi_code,data_point,value,unit,source,note\n"
VALUES = (
    HEADER
    + "Pully,Switzerland,2024,EC: ICT: ICT: 1C,,96.4,%,Pully statistics 2024 (test file),\n"
    + "Pully,CH,2024,EC:ICT:ICT:3C,,1 250,per 1000 inhabitants,Pully statistics 2024 (test file),\n"
    + "Pully,CH,2024,EC: ICT: ICT: 4C,4G,99.1,%,Pully statistics 2024 (test file),\n"
)
BAD = HEADER + "Pully,CH,2024,EC: ICT: ICT: 1C,,96.4,km,,\nLutry,CH,2024,EC: ICT: ICT: 1C,,90,%,,\n"


def upload(page, name: str, text: str) -> None:
    page.goto("/imports")
    page.get_by_label("CSV or XLSX file").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.get_by_role("button", name="Upload and preview").click()


def test_a_new_city_is_added_imported_and_shown_with_sources(page, sign_in):
    sign_in("staff@example.org")
    page.goto("/cities/new?q=Pully")
    page.get_by_label("Name", exact=True).fill("Pully")
    page.get_by_label("Country", exact=True).select_option("CH")
    page.get_by_label("Population", exact=True).fill("18 946")
    page.get_by_label("Year of the population figure").fill("2023")
    page.get_by_label("Source of the population figure").fill("Swiss FSO STATPOP (test)")
    page.get_by_role("button", name="Save the city").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pully")
    profile_url = page.url

    upload(page, "pully-bad.csv", BAD)  # refused row by row, nothing written
    expect(page.get_by_text("This file cannot be committed")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("'km' measures a length"))).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile('usc city add --name "Lutry"'))).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Commit"))).to_have_count(0)

    upload(page, "pully.csv", VALUES)
    expect(page.locator("ul.counts")).to_contain_text("3 new")
    expect(
        page.get_by_text(re.compile(r"per 1000 inhabitants -> per 100000 inhabitants"))
    ).to_be_visible()
    page.get_by_role("button", name="Commit: write 3 values").click()
    expect(page.get_by_role("status")).to_contain_text("3 changes written")

    upload(page, "pully.csv", VALUES)  # the same file again changes nothing
    expect(page.locator("ul.counts")).to_contain_text("3 unchanged")
    expect(page.get_by_text("Nothing to write")).to_be_visible()

    page.goto(profile_url)
    row = page.locator("tr", has_text="Household Internet Access")
    expect(row).to_contain_text("96.40 %")
    expect(row).to_contain_text("Pully statistics 2024 (test file)")
    expect(page.locator("tr", has_text="Wireless Broadband Coverage")).to_contain_text(
        "4G: 99.10 %"
    )

    page.get_by_role("link", name="Enter KPI values").click()
    page.get_by_label("Data year").fill("2024")
    page.get_by_role("button", name="Show that year").click()
    value = page.get_by_label("Value of EC: ICT: ICT: 1C", exact=True)
    expect(value).to_have_value("96.4")
    value.fill("97,1")
    page.get_by_label("Value of EC: ICT: ICT: 2C", exact=True).fill("abc")
    page.get_by_role("button", name="Save the values").click()
    expect(page.get_by_text("'abc' is not a number")).to_be_visible()
    expect(value).to_have_value("97,1")  # kept as typed
    page.get_by_label("Value of EC: ICT: ICT: 2C", exact=True).fill("")
    page.get_by_role("button", name="Save the values").click()
    expect(page.get_by_text("1 values of Pully for 2024 were saved")).to_be_visible()
    page.goto(profile_url)
    page.locator("tr", has_text="Household Internet Access").get_by_role(
        "link", name=re.compile("Value history")
    ).click()
    expect(page.locator("tbody tr").first).to_contain_text("staff@example.org")
    expect(page.locator("tbody tr").first).to_contain_text("96.40 %")
