"""The catalogue over HTTP: list with filters, one exercise, each with a strong ETag."""

import gzip
import hashlib
import json
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.catalogue import (
    Catalogue,
    Equipment,
    Exercise,
    Kind,
    Pattern,
    Position,
    Quality,
    can_do,
)

router = APIRouter(prefix="/api/exercises", tags=["catalogue"])

# The service worker and browsers keep a copy but must ask before using it: a 304 costs
# one round trip and no body.
CACHE_CONTROL = "no-cache"


_ITEM = f"(?:{'|'.join(e.value for e in Equipment)})"


class ExerciseFilters(BaseModel):
    """Query filters; an unknown one is refused rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")

    pattern: Pattern | None = None
    quality: Quality | None = None
    position: Position | None = None
    kind: Kind | None = None
    level: int | None = Field(default=None, ge=1, le=5)
    have: str | None = Field(
        default=None,
        pattern=rf"^ *(?:{_ITEM} *(?:, *{_ITEM} *)*)?$",
        description="what the person has, a comma list such as `mat,chair` (empty: nothing): "
        "only exercises that need nothing else",
        examples=["mat,chair"],
    )

    @field_validator("have")
    @classmethod
    def _known_equipment(cls, value: str | None) -> str | None:
        if value is None:
            return None
        items = {i.strip() for i in value.split(",") if i.strip()}
        known = {e.value for e in Equipment}
        if unknown := sorted(items - known):
            raise ValueError(f"unknown equipment {unknown}; known: {sorted(known)}")
        return ",".join(sorted(items))  # one cache entry however the list is spelled

    def equipment(self) -> set[Equipment] | None:
        return None if self.have is None else {Equipment(i) for i in self.have.split(",") if i}


class ExerciseList(BaseModel):
    """The listing's body (documents the schema; the bytes are prepared in advance)."""

    version: str
    count: int
    exercises: list[Exercise]


@dataclass(frozen=True)
class Representation:
    """A JSON body prepared once, with its gzip form and strong ETag."""

    body: bytes
    gzipped: bytes
    etag: str

    @classmethod
    def of(cls, payload: object) -> "Representation":
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        digest = hashlib.sha256(body).hexdigest()[:32]
        return cls(body, gzip.compress(body, mtime=0), f'"{digest}"')

    def respond(self, request: Request) -> Response:
        """200 with the body (gzipped when accepted) or 304 when the client's copy is current."""
        gz_etag = self.etag[:-1] + '-gz"'  # a strong ETag differs per content coding
        headers = {"Cache-Control": CACHE_CONTROL, "Vary": "Accept-Encoding"}
        wants_gzip = "gzip" in request.headers.get("accept-encoding", "")
        etag = gz_etag if wants_gzip else self.etag
        if _matches(request.headers.get("if-none-match", ""), {self.etag, gz_etag}):
            return Response(status_code=304, headers={**headers, "ETag": etag})
        if wants_gzip:
            headers["Content-Encoding"] = "gzip"
        return Response(
            self.gzipped if wants_gzip else self.body,
            media_type="application/json",
            headers={**headers, "ETag": etag},
        )


def _matches(if_none_match: str, etags: set[str]) -> bool:
    tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return "*" in tags or bool(tags & etags)


class CatalogueResponses:
    """Every representation the catalogue endpoints serve, built on first use and kept."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._lists: dict[tuple, Representation] = {}
        self._items = {
            e.slug: Representation.of(e.model_dump(mode="json")) for e in catalogue.exercises
        }

    def listing(self, filters: ExerciseFilters) -> Representation:
        key = tuple(filters.model_dump().values())
        if key not in self._lists:
            have = filters.equipment()
            picked = [
                e.model_dump(mode="json")
                for e in self.catalogue.exercises
                if (filters.pattern is None or e.pattern == filters.pattern)
                and (filters.quality is None or filters.quality in e.qualities)
                and (filters.position is None or e.position == filters.position)
                and (filters.kind is None or e.kind == filters.kind)
                and (filters.level is None or e.level == filters.level)
                and (have is None or can_do(e, have))
            ]
            payload = {"version": self.catalogue.version, "count": len(picked), "exercises": picked}
            self._lists[key] = Representation.of(payload)
        return self._lists[key]

    def item(self, slug: str) -> Representation | None:
        return self._items.get(slug)


def _responses(request: Request) -> CatalogueResponses:
    return request.app.state.catalogue_responses


@router.get(
    "",
    summary="List exercises, optionally filtered",
    responses={200: {"model": ExerciseList}, 304: {"description": "Your copy is current"}},
)
def list_exercises(request: Request, filters: Annotated[ExerciseFilters, Query()]) -> Response:
    return _responses(request).listing(filters).respond(request)


@router.get(
    "/{slug}",
    summary="One exercise",
    responses={
        200: {"model": Exercise},
        304: {"description": "Your copy is current"},
        404: {"description": "No exercise has this slug"},
    },
)
def get_exercise(request: Request, slug: str) -> Response:
    found = _responses(request).item(slug)
    if found is None:
        raise HTTPException(404, f"No exercise with slug {slug!r} in the catalogue")
    return found.respond(request)
