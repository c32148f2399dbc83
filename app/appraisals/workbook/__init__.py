"""An appraisal run as an XLSX workbook with live formulas: inputs, yearly cash flows,
results recomputed in the sheet beside the platform's values (service.py)."""
