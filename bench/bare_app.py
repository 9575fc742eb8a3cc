"""The yardstick for the catalogue benchmark: bare FastAPI JSON endpoints, no middleware."""

from fastapi import FastAPI

from app.catalogue import load_catalogue

app = FastAPI()
catalogue = load_catalogue()
payload = {
    "version": catalogue.version,
    "count": len(catalogue),
    "exercises": [e.model_dump(mode="json") for e in catalogue.exercises],
}


@app.get("/small")
def small() -> dict:
    return {"status": "ok"}


@app.get("/catalogue")
def whole_catalogue() -> dict:
    return payload
