"""KPI importers: the published wide layout and the long layout (common.importing's protocol)."""
