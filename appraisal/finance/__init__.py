"""Finance: PPP value for money, availability payments, debt sculpting and ratios."""
