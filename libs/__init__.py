"""Shared libraries: code several services use, with no service imports (see docs/architecture.md)."""
