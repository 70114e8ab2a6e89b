"""Where the front-end libraries' files come from: Python packages that ship them.

Each entry is a (prefix, folder) pair for STATICFILES_DIRS, so templates ask for
`{% static 'leaflet/leaflet.js' %}` and whitenoise serves the package's own copy.
"""

from __future__ import annotations

from pathlib import Path


def vendor_static_dirs() -> list[tuple[str, str]]:
    import plotly
    import xstatic.pkg.leaflet
    import xstatic.pkg.leaflet_markercluster

    return [
        ("leaflet", xstatic.pkg.leaflet.BASE_DIR),
        ("leaflet-markercluster", xstatic.pkg.leaflet_markercluster.BASE_DIR),
        # plotly.min.js (the Sankey diagram); the folder also holds data sets nobody asks.
        ("plotly", str(Path(plotly.__file__).parent / "package_data")),
    ]
