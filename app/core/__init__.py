"""What every feature shares: configuration, extensions, errors and their pages,
security headers, permissions, pagination, optimistic concurrency, the audit trail,
formatting, chart helpers and the job runner. Nothing here imports a feature."""
