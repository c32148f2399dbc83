"""Finance: PPP value for money, availability payments, debt sculpting and ratios, and
the financing plan of a project (sources and uses per year, loans, DSCR, LLCR,
the city's affordability)."""

from appraisal.finance.debt import LoanSchedule, LoanTerms, loan_schedule
from appraisal.finance.financing_plan import (
    Affordability,
    FinancingPlan,
    PlanInputs,
    financing_plan,
)

__all__ = [
    "Affordability",
    "FinancingPlan",
    "LoanSchedule",
    "LoanTerms",
    "PlanInputs",
    "financing_plan",
    "loan_schedule",
]
