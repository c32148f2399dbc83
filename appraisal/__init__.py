"""Pure appraisal package: financial and economic CBA, PPP, risk, bundle optimisation.

Imports neither the web layer, the database nor :mod:`matching`. Rates are decimals
(0.04 is 4 %); period 0 is the first year and is not discounted.

Subpackages by subject: :mod:`~appraisal.discounting` (NPV, IRR and their root
finder), :mod:`~appraisal.analysis` (cash flows and EU-CBA), :mod:`~appraisal.uncertainty`
(sensitivity and Monte Carlo), :mod:`~appraisal.finance` (PPP and project finance) and
:mod:`~appraisal.bundling` (capital budgeting). The public modules of
docs/ARCHITECTURE.md re-export from them; older paths are served by
:mod:`appraisal.moved_modules`.
"""

from appraisal import moved_modules

moved_modules.install()
