"""The evaluation report on analytics' internal address: token required, disclosure-controlled, logged."""
import pytest
import requests

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.postgres]


def test_report_needs_the_token_and_is_published_with_a_release_log(platform):
    url = f"http://{platform.env['ANALYTICS_WEB_ADDRESS']}/reports"
    quarter = {"from": "2026-10", "to": "2026-12"}
    assert requests.get(url, params=quarter, timeout=30).status_code == 401
    wrong = requests.get(url, params=quarter, headers={"Authorization": "Bearer nope"}, timeout=30)
    assert wrong.status_code == 401
    auth = {"Authorization": f"Bearer {platform.env['ANALYTICS_REPORT_TOKEN']}"}
    assert requests.get(url, params={"from": "2026-02", "to": "2026-12"}, headers=auth,
                        timeout=30).status_code == 400  # reports cover whole quarters
    report = requests.get(url, params={**quarter, "format": "json"}, headers=auth, timeout=60)
    assert report.status_code == 200 and report.headers["Content-Type"].startswith("application/json")
    html = requests.get(url, params={**quarter, "format": "html"}, headers=auth, timeout=60)
    assert html.status_code == 200 and "<html" in html.text.lower()
    assert "VP-" not in html.text and "VP-" not in report.text  # no references in a published report
