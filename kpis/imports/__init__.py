"""KPI importers: the published wide layout and the long layout (ccgportal.importing's protocol)."""
