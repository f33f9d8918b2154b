"""Casework: the desk's own work on a case — the staff workspace, sealed case files, mediator access, the audit log."""
