"""What every plotly figure of the portal shares: the font and the page-white layout.

Figures are built on the server (each app's ``charts.py``) and drawn by static/js/charts.js.
"""

FONT = {"family": "Frutiger W01, Arial, sans-serif", "size": 14, "color": "#212b32"}


def layout(**extra) -> dict:
    """The portal's plotly layout, with a figure's own settings over it."""
    return {
        "font": FONT,
        "margin": {"l": 60, "r": 20, "t": 20, "b": 60},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        # Above the plot, so it never meets the x axis's title however many rows it wraps to.
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
        **extra,
    }
