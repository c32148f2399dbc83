"""The PPP columns of the "Cash flows" sheet: the availability payment and the debt
service the platform sized (amounts), then CFADS, DSCR, debt outstanding, LLCR, the
project and equity flows and the public sector comparator's lines (formulas).

They read the named PPP inputs (DebtRate, Concession, shares of risk ...), the first
operating period (FirstOpPeriod) and the senior debt the "Results" sheet computes
(DebtAmount).
"""

from __future__ import annotations

from app.appraisals.workbook.cells import RATIO, Column
from app.appraisals.workbook.source import WorkbookSource

__all__ = ["PPP", "ppp_columns"]

PPP = "PPP: debt cover and value for money (formulas)"


def ppp_columns(source: WorkbookSource, money: str, basis: str) -> list[Column]:
    ppp = source.ppp
    if ppp is None:
        return []
    risks = ppp.get("risks") or {}
    register, bias = bool(risks.get("register")), bool(risks.get("optimism_bias"))
    columns = [
        Column(
            "payment",
            "Availability payment (sized by the platform)",
            basis,
            money,
            PPP,
            values=ppp["availability_payment"]["payments"],
        ),
        Column(
            "private_cost",
            "Operator's running cost",
            "opex + replacements (- revenue under a concession)",
            money,
            PPP,
            formula="={fixed_opex}+{variable_opex}+{replacement}-{revenue}*Concession",
        ),
        Column(
            "cfads",
            "CFADS",
            "payment - operator's cost, operating years",
            money,
            PPP,
            formula="=IF({t}>=FirstOpPeriod,{payment}-{private_cost},0)",
        ),
    ]
    if source.has_debt:
        columns += [
            Column(
                "service",
                "Senior debt service (the platform's sculpted schedule)",
                basis,
                money,
                PPP,
                values=source.ppp_series(ppp["debt"]["service"]),
            ),
            Column(
                "dscr",
                "DSCR",
                "CFADS / debt service",
                RATIO,
                PPP,
                formula='=IF({service}>0,{cfads}/{service},"")',
            ),
            Column(
                "opening",
                "Debt outstanding, start of year",
                basis,
                money,
                PPP,
                formula=(
                    "=IF({t}=FirstOpPeriod,DebtAmount,IF({t}>FirstOpPeriod,"
                    "{opening@prev}+{opening@prev}*DebtRate-{service@prev},0))"
                ),
                first="=IF({t}=FirstOpPeriod,DebtAmount,0)",
            ),
            Column(
                "cfads_pv",
                "PV of CFADS to the end, at the debt rate",
                basis,
                money,
                PPP,
                formula="=NPV(DebtRate,{cfads>})",
            ),
            Column(
                "llcr",
                "LLCR (= PLCR: the loan runs to the end)",
                "PV of CFADS / debt outstanding",
                RATIO,
                PPP,
                formula='=IF({opening}>1E-9*MAX(1,DebtAmount),{cfads_pv}/{opening},"")',
            ),
        ]
    service = "{service}" if source.has_debt else "0"
    equity_share = "(1-DebtAmount/SUM({capex*}))" if source.has_debt else "1"
    columns += [
        Column(
            "project_flow",
            "Project company flow",
            "- capex, then CFADS",
            money,
            PPP,
            formula="=IF({t}<FirstOpPeriod,-{capex},{cfads})",
        ),
        Column(
            "equity_flow",
            "Equity flow",
            "- equity share of capex, then CFADS - debt service",
            money,
            PPP,
            formula=f"=IF({{t}}<FirstOpPeriod,-{{capex}}*{equity_share},{{cfads}}-{service})",
        ),
        Column(
            "psc_raw",
            "PSC: raw cost",
            "capex + opex + replacements - revenue",
            money,
            PPP,
            formula="={capex}+({fixed_opex}+{variable_opex}+{replacement})-{revenue}",
        ),
        Column(
            "public_running",
            "Public cost of delivery",
            "capex + opex + replacements",
            money,
            PPP,
            formula="={capex}+({fixed_opex}+{variable_opex}+{replacement})",
        ),
        Column(
            "psc_cn",
            "PSC: competitive neutrality",
            basis,
            money,
            PPP,
            formula="={public_running}*CompNeutrality",
        ),
        Column(
            "psc_tr",
            "PSC: transferable risk",
            basis,
            money,
            PPP,
            formula=(
                "=RegTransferable*{capex}/SUM({capex*})"
                if register
                else "={public_running}*TransferableRisk"
            ),
        ),
        Column(
            "retained",
            "Retained risk (PSC and PPP)",
            basis,
            money,
            PPP,
            formula=(
                "=RegRetained*{capex}/SUM({capex*})"
                if register
                else "={public_running}*RetainedRisk"
            ),
        ),
        Column(
            "shadow_bid",
            "PPP: shadow bid",
            "payment (- revenue kept by the public side)",
            money,
            PPP,
            formula="={payment}-{revenue}*(1-Concession)",
        ),
    ]
    if bias:
        columns.append(
            Column("psc_ob", "PSC: optimism bias", basis, money, PPP, formula="={capex}*OBRate")
        )
    return columns
