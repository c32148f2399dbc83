"""The "Inputs" entries of two methods: the economic analysis's labour by category with
VAT and subsidies removed, and a PPP's risk register and optimism bias (see
:mod:`.method_columns`)."""

from __future__ import annotations

from collections.abc import Mapping

from app.appraisals.workbook.cells import RATE
from app.appraisals.workbook.inputs import FLAG, Entry

__all__ = ["economic_entries", "vfm_entries"]


def economic_entries(economic: Mapping) -> list[Entry]:
    def value(key: str) -> float:
        return float((economic.get(key) or {}).get("value") or 0.0)

    def source(key: str) -> str:
        return (economic.get(key) or {}).get("source", "not set: 0")

    factors = economic["labour_factors"]
    return [
        Entry("Skilled labour, share of opex", value("skilled_share_of_opex"), RATE, "decimal",
              "SkilledShare", source("skilled_share_of_opex")),
        Entry("Unskilled labour, share of opex", value("unskilled_share_of_opex"), RATE,
              "decimal", "UnskilledShare", source("unskilled_share_of_opex")),
        Entry("Conversion factor, skilled labour",
              float(factors["value"].get("skilled", 0.0)), "0.000", "", "SkilledCF",
              factors["source"]),
        Entry("Conversion factor, unskilled labour",
              float(factors["value"].get("unskilled", 0.0)), "0.000", "", "UnskilledCF",
              factors["source"]),
        Entry("VAT rate removed (economic analysis)", value("vat_rate"), RATE, "decimal",
              "EcoVatRate", source("vat_rate")),
        Entry("VAT share of a VAT-inclusive amount", "=EcoVatRate/(1+EcoVatRate)", "0.000000",
              "", "EcoVatShare", "rate / (1 + rate)"),
        Entry("Subsidy share of revenue, removed", value("subsidy_share_of_revenue"), RATE,
              "decimal", "SubsidyShare", source("subsidy_share_of_revenue")),
        Entry("Conversion factor of capex and replacements (method)",
              "=(1-EcoVatShare)*SCF", "0.000000", "", "CapexCFM", "VAT removed"),
        Entry("Conversion factor of opex (method)",
              "=(1-EcoVatShare)*(LabourShare*SWF+SkilledShare*SkilledCF+UnskilledShare"
              "*UnskilledCF+(1-LabourShare-SkilledShare-UnskilledShare)*SCF)", "0.000000", "",
              "OpexCFM", "labour by category at its factor, the rest at SCF, VAT removed"),
        Entry("Conversion factor of revenue (method)",
              "=(1-EcoVatShare)*(1-SubsidyShare)*SCF", "0.000000", "", "RevenueCFM",
              "VAT and subsidies removed"),
    ]  # fmt: skip


def vfm_entries(vfm: Mapping, results: Mapping) -> list[Entry]:
    risks = (results.get("ppp") or {}).get("risks") or {}
    entries = []
    register = vfm.get("risk_register") or []
    for i, risk in enumerate(register, start=1):
        for key, label, fmt in (
            ("probability", "probability", RATE),
            ("low", "low", "#,##0.00"),
            ("most_likely", "most likely", "#,##0.00"),
            ("high", "high", "#,##0.00"),
        ):
            entries.append(
                Entry(
                    f"Risk {i} ({risk['name']}): {label}",
                    float(risk[key]),
                    fmt,
                    "" if fmt == RATE else "cost if it occurs",
                    f"Risk{i}{key.title().replace('_', '')}",
                    "project's risk register",
                )
            )
        entries.append(
            Entry(
                f"Risk {i} ({risk['name']}): transferred under the PPP",
                int(bool(risk.get("transferable", True))),
                FLAG,
                name=f"Risk{i}Transferable",
            )
        )
    if register:

        def total(flag: str) -> str:
            return "=" + "+".join(
                f"{flag.format(i=i)}Risk{i}Probability*(Risk{i}Low+Risk{i}MostLikely+Risk{i}High)/3"
                for i in range(1, len(register) + 1)
            )

        reg = risks.get("register") or {}
        entries += [
            Entry("Register: expected cost transferred", total("Risk{i}Transferable*"),
                  "#,##0.00", "", "RegTransferable", "p x (low + most likely + high) / 3"),
            Entry("Register: expected cost retained", total("(1-Risk{i}Transferable)*"),
                  "#,##0.00", "", "RegRetained", "p x (low + most likely + high) / 3"),
            Entry("Register: P50 and P90 of the total (Monte Carlo, not redone here)",
                  f"{reg.get('p50', 0):,.2f} / {reg.get('p90', 0):,.2f}",
                  note=f"{reg.get('draws', 0):,} draws, seed {reg.get('seed')}"),
        ]  # fmt: skip
    bias = risks.get("optimism_bias")
    if bias:
        entries.append(
            Entry(
                f"Optimism bias, {bias['project_type']} ({bias['bound']} bound)",
                bias["rate"],
                RATE,
                "uplift on capex",
                "OBRate",
                bias["source"],
            )
        )
    return entries
