"""Alerts: admin1 units and countries whose last seven days of violence surged against their previous 12 weeks."""
from __future__ import annotations

from conflictmap.ui import alerts, layout, resources

layout.page_setup("Alerts", heading="Surge alerts")
db_url = resources.settings().db_url

alerts.rule_caption()
as_of = alerts.as_of_picker(db_url)
records = alerts.surge_records(db_url, as_of, alerts.map_base_url()) if as_of else []
if records:
    alerts.alerts_map(records)
    alerts.alerts_table(records)
else:
    alerts.no_alerts()
layout.footer()
