"""Pure appraisal package: financial and economic CBA, PPP, risk, bundle optimisation.

Imports neither the web layer, the database nor :mod:`matching`. Rates are decimals
(0.04 is 4 %); period 0 is the first year and is not discounted.
"""
