"""The PPP part of many appraisal runs at once (see :mod:`app.appraisals.batch_results`).

Rows with the same construction years are sized together by
:func:`appraisal.finance.ppp_batch.size_availability_payments`; their debt is sculpted
by :func:`appraisal.finance.ppp_batch.sculpt_rows` and their IRRs found by
:func:`appraisal.batch.irr_many`. The engine's result objects are then built for each
row and laid out by :func:`app.appraisals.ppp_results.ppp_layout`, as in a single run.
A row the closed form does not settle gets None: the caller runs the single path.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

from app.appraisals.ppp_results import ppp_layout
from appraisal.analysis.economic import irr_or_reason_many
from appraisal.analysis.money import Money
from appraisal.batch import npv_many
from appraisal.finance.ppp import AvailabilityPayment, DebtSchedule, ProjectFinance, ValueForMoney
from appraisal.finance.ppp_batch import sculpt_rows, size_availability_payments

__all__ = ["ppp_many"]

_PSC = ("raw cost", "competitive neutrality", "transferable risk", "retained risk")


def ppp_many(snaps: Sequence[Mapping], a: Mapping, opex: np.ndarray, params) -> list[dict | None]:
    """The ``ppp`` part of each PPP snapshot (None for others and for unsettled rows)."""
    m, n = a["capex"].shape
    out: list[dict | None] = [None] * m
    by_c: dict[int, list[int]] = defaultdict(list)
    for i, snap in enumerate(snaps):
        built = np.flatnonzero(a["capex"][i])
        if snap.get("ppp") and built.size and built[-1] + 1 < n:
            by_c[int(built[-1]) + 1].append(i)
    running = opex + a["replacement"]
    for c, rows in by_c.items():
        idx = np.array(rows)
        values = [{k: v["value"] for k, v in snaps[i]["ppp"].items()} for i in rows]

        def col(key: str, values=values) -> np.ndarray:
            return np.array([v[key] for v in values], dtype=float)

        concession = np.array(
            [snaps[i]["project"]["delivery_model"] == "ppp_concession" for i in rows]
        )
        capex = a["capex"][idx]
        revenue = a["revenue"][idx]
        run = running[idx]
        private = np.where(concession[:, None], run - revenue, run)
        sized = size_availability_payments(
            capex[:, :c],
            private[:, c:],
            target_irr=col("target_equity_irr"),
            debt_rate=col("debt_rate"),
            target_dscr=col("target_dscr"),
            gearing=col("gearing"),
            indexation=col("indexation"),
        )
        total = capex[:, :c].sum(axis=1)
        debt = sculpt_rows(
            np.where(sized.ok[:, None], sized.cfads, 1.0),
            rate=col("debt_rate"),
            target_dscr=col("target_dscr"),
            cap=col("gearing") * total,
        )
        drawdown = capex[:, :c] * (debt.amount / total)[:, None]
        equity_in = capex[:, :c] - drawdown
        project = np.concatenate([-capex[:, :c], sized.cfads], axis=1)
        equity = np.concatenate([-equity_in, sized.cfads - debt.service], axis=1)
        okp = sized.ok & np.all(np.isfinite(project), axis=1) & np.all(np.isfinite(equity), axis=1)
        p_irr = irr_or_reason_many(np.where(okp[:, None], project, 0.0))
        e_irr = irr_or_reason_many(np.where(okp[:, None], equity, 0.0))
        payments = np.zeros((len(rows), n))
        payments[:, c:] = np.where(okp[:, None], sized.payments, 0.0)
        public_running = capex + run
        shadow = np.where(concession[:, None], payments, payments - revenue)
        fdr = params.financial_discount_rate
        pv = {
            "raw cost": npv_many(fdr, capex + run - revenue),
            "competitive neutrality": npv_many(
                fdr, public_running * col("competitive_neutrality_share")[:, None]
            ),
            "transferable risk": npv_many(
                fdr, public_running * col("transferable_risk_share")[:, None]
            ),
            "retained risk": npv_many(fdr, public_running * col("retained_risk_share")[:, None]),
            "shadow bid": npv_many(fdr, shadow),
        }
        for j, i in enumerate(rows):
            snap = snaps[i]
            pr = snap["project"]
            head = {"assumptions": snap["ppp"], "delivery_model": pr["delivery_model"]}
            if sized.covered[j]:
                out[i] = head | {
                    "error": "a payment that only covers opex already gives a equity IRR of "
                    f"at least {values[j]['target_equity_irr']:.2%}; check capex and opex"
                }
                continue
            psc = sum(float(pv[k][j]) for k in _PSC)
            if not okp[j] or psc <= 0:
                continue

            def money(x: float, pr=pr) -> Money:
                return Money(float(x), pr["currency"], pr["price_base_year"])

            ppp_c = {
                "shadow bid": money(pv["shadow bid"][j]),
                "retained risk": money(pv["retained risk"][j]),
            }
            ppp_total = sum(m.amount for m in ppp_c.values())
            vfm = ValueForMoney(
                rate=fdr,
                psc_components={k: money(pv[k][j]) for k in _PSC},
                psc=money(psc),
                ppp_components=ppp_c,
                ppp=money(ppp_total),
                vfm=money(psc - ppp_total),
                vfm_share=(psc - ppp_total) / psc,
            )
            schedule = DebtSchedule(
                float(debt.amount[j]),
                float(values[j]["debt_rate"]),
                debt.opening[j],
                debt.interest[j],
                debt.principal[j],
                debt.service[j],
                debt.closing[j],
                debt.dscr[j],
                debt.llcr[j],
                debt.plcr[j],
            )
            finance = ProjectFinance(
                schedule,
                drawdown[j],
                equity_in[j],
                project[j],
                equity[j],
                p_irr[j][0],
                p_irr[j][1],
                e_irr[j][0],
                e_irr[j][1],
            )
            ap = AvailabilityPayment(
                float(sized.payment[j]),
                sized.payments[j],
                finance,
                "equity",
                float(values[j]["target_equity_irr"]),
            )
            out[i] = {
                "assumptions": snap["ppp"],
                "delivery_model": pr["delivery_model"],
            } | ppp_layout(vfm, ap, payments[j], int(pr["start_year"] + c))
    return out
