"""The programme's whole procedure for a new city, in the browser: Stavanger's request
moves through every stage. Staff confirm the proposed expert team with its reasons,
record a mission, issue the PROFILE, make and send a bundle that two members of the
city's Organizing Committee, each signed in as themselves, vote on; staff build the
action plan from the approved bundle, record its agreement, save the first annual review
and close the engagement; a lesson shows beside the solution it concerns."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

TODAY = date.today()


def tick_and_move(page, items, target):
    for item in items:
        page.get_by_label(re.compile(item)).check()
    page.get_by_role("button", name="Save the stage").click()
    page.get_by_role("button", name=f"Move to {target}").click()
    expect(page.get_by_text(f"Stage now: {target}")).to_be_visible()


def member_signs_up(browser, live_server, staff, email, member):
    """Staff invite a city account bound to one committee member; the member sets a
    password through the link and is signed in as themselves."""
    staff.goto("/admin/users/invite")
    staff.get_by_label("E-mail").fill(email)
    staff.get_by_label("Role").select_option("city")
    staff.get_by_label("City (for a city committee member)").select_option(
        label="Stavanger (stavanger-no)"
    )
    staff.get_by_label(re.compile("Committee member")).select_option(
        label=f"{member}, committee of Stavanger"
    )
    staff.get_by_role("button", name="Invite and show the link").click()
    link = staff.locator("#invite-link").input_value()
    member_page = browser.new_context(base_url=live_server["url"]).new_page()
    member_page.set_default_timeout(15_000)
    member_page.goto(link)
    member_page.get_by_label("New password", exact=True).fill("member password 123")
    member_page.get_by_label("New password again").fill("member password 123")
    member_page.get_by_role("button", name=re.compile("Set the password")).click()
    member_page.wait_for_url("**/")
    return member_page


def test_a_new_city_runs_through_every_stage(page, sign_in, browser, live_server):
    staff = sign_in("staff@example.org")
    staff.goto("/engagements/new")
    staff.get_by_label("City").select_option(label="Stavanger (stavanger-no)")
    staff.get_by_label("Who made the request").select_option("city")
    staff.get_by_label("Requesting office").fill("Office of the Mayor of Stavanger")
    staff.get_by_label("Date of the request (YYYY-MM-DD)").fill(TODAY.isoformat())
    staff.get_by_role("button", name="File the request").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Engagement of Stavanger")
    engagement = staff.url
    staff.get_by_label("Owner of this stage").fill("Programme officer B")
    tick_and_move(staff, ["formal request letter", "contact person is named"], "Accepted")

    staff.get_by_role("link", name="The city's Organizing Committee").click()
    for name, organisation, group in (
        ("Anne Holm", "Stavanger municipality", "City administration"),
        ("Bjørn Eide", "Rogaland savings bank", "Finance sector"),
    ):
        staff.get_by_label("Name").fill(name)
        staff.get_by_label("Organisation").fill(organisation)
        staff.get_by_label("Stakeholder group").select_option(label=group)
        staff.get_by_role("button", name="Add the member").click()
        expect(staff.get_by_text(f"{name} joined the committee.")).to_be_visible()
    staff.goto(engagement)
    for item in ("acceptance reply", "focal point", "City Organizing Committee"):
        staff.get_by_label(re.compile(item)).check()
    staff.get_by_role("button", name="Save the stage").click()
    staff.get_by_role("link", name="Propose a team").click()
    expect(staff.get_by_text(re.compile("Why: covers")).first).to_be_visible()
    staff.get_by_role("button", name="Confirm the ticked experts").click()
    staff.get_by_role("button", name="Move to Team formed").click()
    expect(staff.get_by_text("Stage now: Team formed")).to_be_visible()

    staff.get_by_role("link", name="Record a mission").click()
    staff.get_by_label("First day (YYYY-MM-DD)").fill(TODAY.isoformat())
    staff.get_by_label("Last day (YYYY-MM-DD)").fill((TODAY + timedelta(days=1)).isoformat())
    staff.get_by_label(re.compile("Participants")).fill("Programme officer B\nAnne Holm")
    staff.get_by_role("button", name="Record the mission").click()
    staff.get_by_label("Economy").fill("Bus fleet ageing; tender capacity good.")
    staff.get_by_role("button", name="Save the findings").click()
    expect(staff.get_by_text("Bus fleet ageing; tender capacity good.").first).to_be_visible()
    staff.goto(engagement)
    tick_and_move(staff, ["terms of reference", "mission to the city is held"], "Mission held")
    tick_and_move(staff, ["mission report", "KPI values collected"], "PROFILE published")

    staff.get_by_label(re.compile("distributed to the city")).check()
    staff.get_by_role("button", name="Save the stage").click()
    staff.get_by_role("button", name="Move to Action plan agreed").click()
    expect(staff.get_by_role("alert")).to_contain_text("PROFILE publication is issued")
    staff.get_by_role("button", name="Issue the PROFILE now").click()
    expect(
        staff.get_by_role("link", name=re.compile(r"PROFILE issued on .* \(PDF"))
    ).to_be_visible()
    staff.get_by_role("button", name="Move to Action plan agreed").click()
    expect(staff.get_by_text("Stage now: Action plan agreed")).to_be_visible()

    # A bundle for Stavanger, sent to its committee
    staff.goto("/bundles/new")
    staff.get_by_label("City").select_option(label="Stavanger")
    staff.get_by_label("Name").fill("Stavanger programme (journey)")
    staff.get_by_role("button", name="Create bundle").click()
    for budget in staff.get_by_label(re.compile("Capex budget for")).all():
        budget.fill("1000000000")
    staff.get_by_role("button", name="Save bundle").click()
    staff.get_by_role("button", name="Optimise").click()
    expect(staff.get_by_role("heading", name=re.compile(r"Selection: \d+ project"))).to_be_visible()
    staff.get_by_role("button", name="Send to the city for review").click()
    bundle = staff.url

    anne = member_signs_up(browser, live_server, staff, "anne@stavanger.example", "Anne Holm")
    anne.goto(bundle)
    expect(anne.get_by_text("Vote of Bjørn Eide")).to_have_count(0)  # her own vote only
    anne.get_by_role("radio", name="Approve").check()
    anne.get_by_label(re.compile("Vote of Anne Holm")).select_option("approved")
    anne.get_by_role("button", name="Send review").click()
    expect(anne.get_by_text(re.compile("approved by anne@stavanger.example"))).to_be_visible()
    bjorn = member_signs_up(browser, live_server, staff, "bjorn@stavanger.example", "Bjørn Eide")
    bjorn.goto(bundle)
    bjorn.get_by_label("Your vote on this decision (Bjørn Eide)").select_option("abstained")
    bjorn.get_by_label("Reason for the vote (optional)").fill("The bank may finance it.")
    bjorn.get_by_role("button", name="Cast my vote").click()
    votes = bjorn.locator("table.votes")
    expect(votes).to_contain_text("Anne Holm")
    expect(votes).to_contain_text("The bank may finance it.")
    assert bjorn.goto(engagement).status == 200  # a member follows the city's engagement

    # The action plan from the approved bundle
    staff.goto(engagement + "/plan")
    staff.get_by_role("button", name="Build the plan from the approved bundle").click()
    projects = [
        value
        for value in staff.locator("#project_id option").evaluate_all("o => o.map(x => x.value)")
        if value
    ]
    assert projects
    for number, project in enumerate(projects):
        staff.get_by_label("Project", exact=True).select_option(project)
        staff.get_by_label("Milestone", exact=True).fill(f"Tender {number + 1} launched")
        staff.get_by_label("Due date (YYYY-MM-DD)").fill((TODAY + timedelta(days=90)).isoformat())
        staff.get_by_label("Owner", exact=True).fill("Stavanger procurement office")
        staff.get_by_role("button", name="Add the milestone").click()
        expect(staff.get_by_text("The milestone was added.")).to_be_visible()
    staff.get_by_label("Date the city agreed the plan (YYYY-MM-DD)").fill(TODAY.isoformat())
    staff.get_by_role("button", name="Record the agreement").click()
    expect(staff.get_by_text(f"Agreed with the city on {TODAY.isoformat()}")).to_be_visible()
    staff.goto(engagement)
    staff.get_by_role("button", name="Move to In annual review").click()
    expect(staff.get_by_text("Stage now: In annual review")).to_be_visible()

    # The first annual review
    staff.get_by_role("link", name="The annual reviews").click()
    staff.get_by_label("Year reviewed").fill(str(TODAY.year))
    staff.get_by_role("button", name="Show the figures").click()
    expect(staff.get_by_text(re.compile(r"\d+ due"))).to_be_visible()
    staff.get_by_label("Findings").fill("Tenders prepared on time; KPIs not yet moved.")
    staff.get_by_role("button", name=f"Save the review of {TODAY.year}").click()
    expect(staff.get_by_role("heading", name=f"Review of {TODAY.year}")).to_be_visible()
    staff.goto(engagement)
    tick_and_move(staff, ["progress reports are in"], "Closed")

    # A lesson beside a suggested solution
    staff.goto("/cities?q=Karm")  # the demo city with drawn KPI values and gaps
    staff.get_by_role("link", name="Karmøy", exact=True).first.click()
    gaps = staff.url.split("?")[0].rstrip("/") + "/gaps"
    staff.goto(gaps)
    suggestion = staff.locator("a[href*='template_id=']").first
    template_id = re.search(r"template_id=(\d+)", suggestion.get_attribute("href")).group(1)
    staff.goto("/lessons/new")
    staff.get_by_label("Title").fill("Stavanger journey case")
    staff.get_by_label("City").fill("Bergen")
    staff.get_by_label("Catalogue solution").select_option(template_id)
    staff.get_by_label("What was done").fill("A pilot of the solution.")
    staff.get_by_label(re.compile("Results")).fill("Energy use down 12 % (kWh a year).")
    staff.get_by_label(re.compile("Sources")).fill("City annual report 2024.")
    staff.get_by_label("Lessons").fill("Start with a small pilot.")
    staff.get_by_role("button", name="Record the case").click()
    staff.goto(gaps)
    expect(staff.get_by_role("link", name="Stavanger journey case (Bergen)").first).to_be_visible()
    for client in (anne, bjorn):
        client.context.close()


def test_the_demo_expert_sees_only_their_engagement(page, sign_in):
    expert = sign_in("expert@example.org")
    expect(expert.get_by_role("link", name="Engagement of Karmøy").first).to_be_visible()
    expert.get_by_role("link", name="My engagements").click()
    expect(expert.get_by_role("link", name="Karmøy", exact=True).first).to_be_visible()
    expect(expert.get_by_role("link", name="File a request")).to_have_count(0)
    listed = expert.locator("main table a").evaluate_all("links => links.map(a => a.href)")
    for href in listed:  # every engagement listed has her on its team
        expert.goto(href)
        expect(expert.locator("ul.team")).to_contain_text("Ingrid Solheim (demo)")
    assert expert.goto("/partners").status == 403
    assert expert.goto("/opportunities").status == 403
