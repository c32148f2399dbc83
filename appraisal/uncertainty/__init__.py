"""Risk: sensitivity, switching values, tornado and Monte Carlo simulation."""
