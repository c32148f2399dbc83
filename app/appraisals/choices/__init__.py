"""Method choices of a run: the run form's method fields and the financial terms
(VAT, working capital, profit tax)."""
