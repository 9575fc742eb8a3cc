"""The week: the plan's exercises shared out over its sessions."""

from __future__ import annotations

from collections.abc import Sequence

from app.catalogue import Catalogue
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
    return out
