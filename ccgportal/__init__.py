"""The CCG Portal project package: settings, root URLs, the home page and portal-wide pieces."""
