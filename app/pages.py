"""The app's pages, rendered with Jinja2, and the static files they load."""

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from app.catalogue import Pattern
from app.config import Settings, get_settings

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=get_settings().web_dir / "templates")


def mount_static(app: FastAPI, settings: Settings) -> None:
    app.mount("/static", StaticFiles(directory=settings.web_dir / "static"), name="static")


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    catalogue = request.app.state.catalogue
    by_pattern = {
        p.value: [e for e in catalogue.exercises if e.pattern == p]
        for p in Pattern
        if any(e.pattern == p for e in catalogue.exercises)
    }
    return templates.TemplateResponse(request, "index.html", {"by_pattern": by_pattern})
