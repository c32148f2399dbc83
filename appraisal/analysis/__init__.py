"""Cost-benefit analysis as the EU guide does it: yearly flows, financial and economic
analysis, parameter sets, price bases and currencies, KPI gap closure."""
