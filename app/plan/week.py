"""The week: the plan's exercises shared out over its sessions."""

from __future__ import annotations

from collections.abc import Sequence

from app.catalogue import Catalogue, Position
from app.plan.constants import SESSION_BLOCKS, SESSIONS_PER_WEEK
from app.plan.records import Track

# --- The week's sessions -----------------------------------------------------------------------


def compose_week(
    catalogue: Catalogue, tracks: Sequence[Track], week: int, sessions: int = SESSIONS_PER_WEEK
) -> list[list[Track]]:
    """Share the tracks over the sessions: each covers every block, every track comes weekly."""
    # Which exercises of a block double up, and in which session, turns with the week: variety
    # from the calendar, so the same inputs always give the same week.
    out: list[list[Track]] = [[] for _ in range(sessions)]
    for _, patterns in SESSION_BLOCKS:
        block = sorted(
            (t for t in tracks if catalogue.by_slug[t.slug].pattern in patterns),
            key=lambda t: (
                patterns.index(catalogue.by_slug[t.slug].pattern),
                catalogue.by_slug[t.slug].level,
                t.slug,
            ),
        )
        k = len(block)
        for s in range(sessions if k else 0):
            if k >= sessions:
                out[s] += [t for i, t in enumerate(block) if (i + week) % sessions == s]
            else:
                out[s].append(block[(s + week) % k])
    by_slug = {t.slug: t for t in tracks}
    for session in out:
        for track in list(session):
            if track.primer and track.primer in by_slug:
                primer = by_slug[track.primer]
                if primer in session:
                    session.remove(primer)
                session.insert(session.index(track), primer)
    return [floor_work_together(catalogue, session) for session in out]


# Positions on the floor; the others (seated, standing) are done up on one's feet or a chair.
FLOOR = frozenset(
    {Position.SUPINE, Position.SIDE_LYING, Position.PRONE, Position.QUADRUPED, Position.KNEELING}
)


def floor_work_together(catalogue: Catalogue, session: list[Track]) -> list[Track]:
    """The session with its floor exercises first and the rest after, each in the order it had:
    getting down to the floor and up again is hard work for a sore back, so it happens once.
    A primer stays just before the exercise it prepares, wherever that goes (a floor primer of
    a standing exercise last on the floor, the exercise first on its feet)."""
    primed = {t.primer for t in session if t.primer}
    target = {t.primer: t for t in session if t.primer}

    def on_the_floor(track: Track) -> bool:
        anchor = target.get(track.slug, track) if track.slug in primed else track
        return catalogue.by_slug[anchor.slug].position in FLOOR

    floor = [t for t in session if on_the_floor(t)]
    up = [t for t in session if not on_the_floor(t)]
    # A primer done on the floor for an exercise done on one's feet ends the floor work, and
    # the exercise it prepares starts the rest: still just before it, and still down once.
    lying = [t for t in up if t.slug in primed and catalogue.by_slug[t.slug].position in FLOOR]
    firsts = [target[t.slug] for t in lying]
    return (
        floor
        + lying
        + [t for t in up if t in firsts]
        + [t for t in up if t not in lying and t not in firsts]
    )
