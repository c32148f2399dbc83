"""WTForms classes; percentages in forms, decimals everywhere else."""
