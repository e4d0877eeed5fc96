"""``rearguard serve``: the dataset over HTTP (FastAPI) and an offline map page.

    from rearguard.serve import create_app
    app = create_app("rearguard.db")          # then: uvicorn.run(app)

See docs/serve.md.
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
