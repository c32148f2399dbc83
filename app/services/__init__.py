"""Services: the only place that moves data between ORM rows and the pure core, and commits."""
