"""Coverage: every session covers the blocks, and two or more exercises train each quality."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache

from app.catalogue import (
    ALL_EQUIPMENT,
    EQUIPMENT_WORDS,
    Catalogue,
    Equipment,
    Exercise,
    Pattern,
    Quality,
    can_do,
)
from app.plan.constants import (
    CORE_QUALITIES,
    MIN_PER_QUALITY,
    OFF_PLAN_PATTERNS,
    QUALITY_WORDS,
    SEASON_WORDS,
    SESSION_BLOCKS,
)
from app.plan.records import Rest, Season

# --- Coverage: patterns and two or more exercises per quality ----------------------------------

PATTERN_WORDS = {
    Pattern.HINGE: "hip hinge",
    Pattern.SQUAT: "squat",
    Pattern.LUNGE: "lunge and step",
    Pattern.BRIDGE: "bridge",
    Pattern.BRACE: "bracing",
    Pattern.ANTI_ROTATION: "anti-rotation",
    Pattern.CARRY: "carry",
    Pattern.ROTATION: "rotation",
    Pattern.MOBILITY: "mobility",
    Pattern.BREATH: "breathing",
    Pattern.GAIT: "walking",
    Pattern.HIP: "hip and balance",
    Pattern.TRANSFER: "getting up and down",
}


@lru_cache(maxsize=256)  # a catalogue has a few caps and equipment sets: worked out once each
def admissible(
    catalogue: Catalogue, cap: int, have: frozenset[Equipment] = ALL_EQUIPMENT
) -> frozenset[str]:
    """Exercises up to level `cap` whose every quality can be kept in pairs among them (a
    level-2 farmer carry waits while the only other carry is level 4), then of those, the ones
    doable with what the person `have`s.

    Pairing is judged on the whole catalogue, not on what the person has: an exercise that is
    the only one of its kind they can do (sit-to-stand with no weights, say) is kept, not
    dropped, and its quality is simply held once. An exercise whose step back needs
    equipment the person lacks is left out: they could not have climbed to it, and a bad day
    would have nowhere to step back to (a Romanian deadlift never arrives as the first hinge
    because the rungs below need a dowel or block)."""
    planned = [e.slug for e in catalogue.exercises if e.pattern not in OFF_PLAN_PATTERNS]
    # A quality only one exercise of the whole catalogue serves can never be paired: it is held
    # once rather than shutting that exercise out.
    whole = quality_counts(catalogue, planned)
    allowed = {s for s in planned if catalogue.by_slug[s].level <= cap}
    while True:
        counts = quality_counts(catalogue, allowed)
        single = {
            s
            for s in allowed
            if any(counts[q] < min(MIN_PER_QUALITY, whole[q]) for q in qualities_of(catalogue, s))
        }
        if not single:
            break
        allowed -= single
    return frozenset(
        s
        for s in allowed
        if can_do(e := catalogue.by_slug[s], have)
        if e.regression is None or can_do(catalogue.by_slug[e.regression], have)
    )


def qualities_of(catalogue: Catalogue, slug: str) -> list[Quality]:
    return catalogue.by_slug[slug].qualities


def quality_counts(catalogue: Catalogue, slugs: Iterable[str]) -> dict[Quality, int]:
    counts = dict.fromkeys(Quality, 0)
    by_slug = catalogue.by_slug
    for slug in slugs:
        for q in by_slug[slug].qualities:
            counts[q] += 1
    return counts


def pattern_gaps(
    catalogue: Catalogue, slugs: Iterable[str], season: Season, allowed: Iterable[str]
) -> list[tuple[str, tuple[Pattern, ...]]]:
    """Session blocks (in Control) or single patterns (later) that the plan leaves uncovered."""
    groups = (
        SESSION_BLOCKS
        if season is Season.CONTROL
        else tuple((p.value, (p,)) for p in Pattern if p not in OFF_PLAN_PATTERNS)
    )
    held = {catalogue.by_slug[s].pattern for s in slugs}
    reachable = {catalogue.by_slug[s].pattern for s in allowed}
    return [(n, ps) for n, ps in groups if not held & set(ps) and reachable & set(ps)]


def quality_gaps(
    catalogue: Catalogue, slugs: Iterable[str], allowed: Iterable[str]
) -> list[Quality]:
    """Qualities, core or present, that fewer than two of the plan's exercises serve."""
    counts = quality_counts(catalogue, slugs)
    reachable = quality_counts(catalogue, allowed)
    return [
        q
        for q in Quality
        if (q in CORE_QUALITIES or counts[q]) and counts[q] < MIN_PER_QUALITY
        if reachable[q] >= MIN_PER_QUALITY
    ]


def fill_gaps(
    catalogue: Catalogue,
    slugs: Sequence[str],
    season: Season,
    cap: int,
    rested: Mapping[str, Rest],
    today: date,
    max_level: int | None = None,
    have: frozenset[Equipment] = ALL_EQUIPMENT,
) -> list[tuple[str, str, str]]:
    """Exercises to add, each with its rule and reason, until patterns and qualities are covered
    (by exercises of `max_level` or under, when given, of those the cycle's `cap` admits)."""
    resting = {s: r for s, r in rested.items() if r.until > today and s in catalogue.by_slug}
    allowed = set(admissible(catalogue, cap, have)) - set(resting)
    if max_level is not None:
        allowed = {s for s in allowed if catalogue.by_slug[s].level <= max_level}
    for slug, rest in resting.items():
        if rest.stepped_back:  # nothing jumps in above an exercise the person stepped back from
            allowed -= set(from_here_up(catalogue, slug))
    # What the person holds already (not what this call adds) sets how high a filler may go.
    held: list[str] = list(slugs)
    added: list[tuple[str, str, str]] = []
    unfillable: set[str] = set()  # gaps no allowed exercise can close: skip, do not loop
    while True:
        reachable = allowed | set(held)
        pgaps = [
            g for g in pattern_gaps(catalogue, held, season, reachable) if g[0] not in unfillable
        ]
        qgaps = [q for q in quality_gaps(catalogue, held, reachable) if q not in unfillable]
        if not pgaps and not qgaps:
            return added
        gap: str | Quality = pgaps[0][0] if pgaps else qgaps[0]
        options = [
            e
            for e in catalogue.exercises
            if e.slug in allowed and e.slug not in held
            # (A first plan, from nothing, picks its easiest exercises by cost instead.)
            if not (slugs and above_on_a_chain(catalogue, e, held))
            if not above_what_is_held(catalogue, e, slugs, None if pgaps else qgaps[0])
            if (e.pattern in pgaps[0][1] if pgaps else qgaps[0] in e.qualities)
        ]
        if not options:
            unfillable.add(gap)
            continue
        counts = quality_counts(catalogue, held)
        costs = {e.slug: _addition_cost(e, counts, [ps for _, ps in pgaps], qgaps) for e in options}
        pick = catalogue.by_slug[min(costs, key=costs.__getitem__)]
        rule = cover_patterns.__name__ if pgaps else keep_two_per_quality.__name__
        held.append(pick.slug)
        added.append((pick.slug, rule, _addition_reason(pick, gap, season)))


def above_on_a_chain(catalogue: Catalogue, exercise: Exercise, held: Iterable[str]) -> bool:
    """`exercise` is further up a chain than an exercise the plan holds. A chain keeps to one
    pattern and changes one thing a step (the catalogue checks it), so every rung above a held
    exercise is more of the same thing, whatever gap is being filled."""
    rungs = chain_rungs(catalogue)
    first, rung = rungs[exercise.slug]
    return any(rungs[slug][0] == first and rung > rungs[slug][1] for slug in held)


@lru_cache(maxsize=8)  # one per catalogue loaded; the catalogue never changes once loaded
def chain_rungs(catalogue: Catalogue) -> dict[str, tuple[str, int]]:
    """Each exercise's chain (named by its easiest rung) and its place on it, 0 the easiest."""
    rungs = {}
    for e in catalogue.exercises:
        chain = [c.slug for c in catalogue.chain(e.slug)]
        rungs[e.slug] = (chain[0], chain.index(e.slug))
    return rungs


def above_what_is_held(
    catalogue: Catalogue, exercise: Exercise, held: Iterable[str], quality: Quality | None
) -> bool:
    """`exercise` is above the highest level the person holds for `quality` (the one a gap is
    being filled for): with `above_on_a_chain`, a gap is never filled by skipping rungs."""
    levels = [catalogue.by_slug[s].level for s in held if quality in qualities_of(catalogue, s)]
    return bool(levels) and exercise.level > max(levels)


def missing_words(exercise: Exercise, have: frozenset[Equipment]) -> str:
    """What `exercise` needs that the person lacks, in words: "a step or box"."""
    missing = [EQUIPMENT_WORDS[e] for e in exercise.equipment if e not in have]
    return " and ".join(missing)


def from_here_up(catalogue: Catalogue, slug: str) -> list[str]:
    chain = [e.slug for e in catalogue.chain(slug)]
    return chain[chain.index(slug) :]


def _addition_cost(
    e: Exercise,
    counts: Mapping[Quality, int],
    pattern_gaps: Sequence[tuple[Pattern, ...]],
    quality_gaps: Sequence[Quality],
) -> tuple[int, int, int, str]:
    # Fewest new qualities left single (each would need a partner of its own), then the
    # easiest, then the one closing the most gaps at once.
    lonely = sum(1 for q in e.qualities if not counts[q] and q not in CORE_QUALITIES)
    closes = sum(e.pattern in ps for ps in pattern_gaps) + len(set(e.qualities) & set(quality_gaps))
    return (lonely, e.level, -closes, e.slug)


def cover_patterns(
    catalogue: Catalogue, slugs: Sequence[str], season: Season, cap: int
) -> list[str]:
    """Rule: every session covers each block; from Build on, the week covers every pattern."""
    return [n for n, _ in pattern_gaps(catalogue, slugs, season, admissible(catalogue, cap))]


def keep_two_per_quality(catalogue: Catalogue, slugs: Sequence[str], cap: int) -> list[Quality]:
    """Rule: two or more exercises for each core quality and for every quality in the plan."""
    return quality_gaps(catalogue, slugs, admissible(catalogue, cap))


def _addition_reason(exercise: Exercise, gap: str | Quality, season: Season) -> str:
    if isinstance(gap, Quality):
        return f"Added so two or more exercises in your plan train {QUALITY_WORDS[gap]}."
    if season is Season.CONTROL:
        return f"Added so every session has some {gap} work."
    return (
        f"Added in the weeks of {SEASON_WORDS[season]} so your week also trains the "
        f"{PATTERN_WORDS[exercise.pattern]} pattern."
    )
