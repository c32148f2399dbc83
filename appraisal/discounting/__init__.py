"""Discounting and rates of return: NPV, IRR (every real root), MIRR, dated flows, day
counts, annuities, and the vectorised root finder behind ``irr_many``."""
