"""pytest plugin for .ci/run (`-p pytest_fail_on_skip`, scripts/ on PYTHONPATH): skipped = failed.

Odoo skips an HttpCase tour when it finds no Chromium or no websocket-client, and pytest-odoo
skips HttpCase without --odoo-http; either would silently test less, so it fails instead.
"""

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"{item.nodeid} was skipped, which counts as a failure here: {reason}"
