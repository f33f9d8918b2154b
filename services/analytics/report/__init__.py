"""The evaluation report: indicators per quarter from the fact store, disclosure-controlled, in three formats."""
from services.analytics.report.build import Report, build_report
from services.analytics.report.release_log import ReleaseRefused, publish, releases
from services.analytics.report.render import FORMATS, render

__all__ = ["Report", "build_report", "render", "publish", "releases", "ReleaseRefused", "FORMATS"]
