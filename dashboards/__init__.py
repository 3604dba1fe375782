"""Dashboards: reads of KPIs and their figures for directors and executives (no models)."""
