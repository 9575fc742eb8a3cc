"""The exercise catalogue: its schema, the rules it must satisfy, and loading it from data files.

Pure: no database and no HTTP. The catalogue is one YAML file per exercise in
`app/exercises/`; `load_catalogue` reads and validates them all and raises `CatalogueError`
naming the file, the exercise and the field of the first fault it finds.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    ValidationError,
    model_serializer,
    model_validator,
)

EXERCISES_DIR = Path(__file__).parent / "exercises"
# libyaml's loader where PyYAML has it (its wheels do): the same safe subset of YAML, read some
# fifty times faster than the pure-Python one (about 20 ms for the catalogue instead of a
# second), which every start of the app pays.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)


Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
Sentence = Annotated[str, Field(min_length=10, max_length=240, pattern=r"^[^\n]+[.!?]$")]
Text = Annotated[str, Field(min_length=2, max_length=240, pattern=r"^[^\n]+$")]
Count = Annotated[int, Field(ge=1, le=100)]


class Pattern(StrEnum):
    """Movement patterns: sessions are built to cover these, not body parts."""

    HINGE = "hinge"
    SQUAT = "squat"
    LUNGE = "lunge"
    BRIDGE = "bridge"
    BRACE = "brace"
    ANTI_ROTATION = "anti-rotation"
    CARRY = "carry"
    ROTATION = "rotation"
    MOBILITY = "mobility"
    BREATH = "breath"
    GAIT = "gait"
    HIP = "hip"  # hip abduction and rotation, single-leg stance, balance
    TRANSFER = "transfer"  # getting down to the floor and up, bed mobility


class Quality(StrEnum):
    """What an exercise nourishes; every quality is served by two or more exercises."""

    BREATH_CONTROL = "breath-control"
    LUMBOPELVIC_CONTROL = "lumbopelvic-control"
    SPINE_MOBILITY = "spine-mobility"
    THORACIC_MOBILITY = "thoracic-mobility"
    HIP_MOBILITY = "hip-mobility"
    EXTENSION_TOLERANCE = "extension-tolerance"
    TRUNK_ENDURANCE = "trunk-endurance"
    LATERAL_ENDURANCE = "lateral-endurance"
    ANTI_ROTATION = "anti-rotation"
    HIP_STABILITY = "hip-stability"
    HIP_EXTENSION = "hip-extension"
    HINGE_SKILL = "hinge-skill"
    LEG_STRENGTH = "leg-strength"
    LOAD_CARRYING = "load-carrying"
    AEROBIC_TOLERANCE = "aerobic-tolerance"
    NEURAL_MOBILITY = "neural-mobility"
    BALANCE = "balance"


class Position(StrEnum):
    SUPINE = "supine"
    SIDE_LYING = "side-lying"
    PRONE = "prone"
    QUADRUPED = "quadruped"
    KNEELING = "kneeling"
    SEATED = "seated"
    STANDING = "standing"


class Equipment(StrEnum):
    """What an exercise needs beyond the floor; a person's list says what they have."""

    MAT = "mat"
    WALL = "wall"
    CHAIR = "chair"
    STEP = "step"  # a step or a box
    DOWEL = "dowel"
    BAND = "band"  # a band with somewhere to anchor it
    WEIGHT = "weight"  # a kettlebell or a dumbbell
    BIKE = "bike"  # an exercise bike


ALL_EQUIPMENT = frozenset(Equipment)
# A person who has not said what they have is planned for what nearly every home has:
# a mat (or a rug), a firm chair and a clear stretch of wall.
UNSAID_EQUIPMENT = frozenset({Equipment.MAT, Equipment.CHAIR, Equipment.WALL})
EQUIPMENT_WORDS = {
    Equipment.MAT: "a mat",
    Equipment.WALL: "a clear stretch of wall",
    Equipment.CHAIR: "a firm chair",
    Equipment.STEP: "a step or box",
    Equipment.DOWEL: "a dowel or broom handle",
    Equipment.BAND: "a resistance band with an anchor",
    Equipment.WEIGHT: "a kettlebell or dumbbell",
    Equipment.BIKE: "an exercise bike",
}


def can_do(exercise: Exercise, have: Iterable[Equipment | str]) -> bool:
    """`exercise` needs nothing beyond what is in `have`."""
    return set(exercise.equipment) <= {Equipment(h) for h in have}


class Kind(StrEnum):
    """`reps` repeat the phases; `hold` keeps a position through a `breathe` phase;
    `breath` is a breathing practice."""

    REPS = "reps"
    HOLD = "hold"
    BREATH = "breath"


class Breath(StrEnum):
    INHALE = "inhale"
    EXHALE = "exhale"
    PAUSE = "pause"  # a short pause of a second or two
    BREATHE = "breathe"  # keep breathing steadily through a hold (about 2 s in, 3 s out)
    # Easy breathing at the person's own pace, never held: walking, carries, cycling.
    FREE = "free"


class Sides(StrEnum):
    """What "left" and "right" mean for a `per_side` exercise."""

    LYING = "lying"  # the side lain on
    WORKING = "working"  # that side's limb does the work


MAX_PAUSE_SECONDS = 3
MIN_BREATHE_SECONDS = 5  # shorter than one in/out cycle is not a hold
STEADY_BREATHS = (Breath.BREATHE, Breath.FREE)  # the breath of a hold's one steady phase
SETUP = "setup"  # reserved: a cue on this "phase" is shown while getting into position


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------------------------------
# The figure (docs/figure.md): poses as joint angles, drawn by web/static/js/body.js. The
# schema here checks their shape and that every name resolves; the geometry (joint ranges,
# resting on the floor, an effort that moves, a hold that holds) is checked with the same body
# model the app draws with, by scripts/figure-check.mjs (tests/test_figures.py runs it over the
# whole catalogue).

Angle = Annotated[float, Field(ge=-360, le=360)]
Support = Annotated[
    str,
    Field(pattern=r"^[a-z]+(\.(left|right))?(@(chair|step|bike|bed))?$", max_length=30),
]


class View(StrEnum):
    SIDE = "side"
    FRONT = "front"
    ABOVE = "above"


class Limb(StrEnum):
    ARM_LEFT = "arm.left"
    ARM_RIGHT = "arm.right"
    LEG_LEFT = "leg.left"
    LEG_RIGHT = "leg.right"


class BallJoint(_Strict):
    """A hip or a shoulder: flexion, abduction and outward rotation (degrees)."""

    flex: Angle = 0
    abd: Angle = 0
    rot: Angle = 0


Joint = Angle | BallJoint


class _Given(_Strict):
    """Serialised with only the keys the catalogue gave (a pose's left-out angles stay out)."""

    @model_serializer(mode="wrap")
    def _only_given(self, handler):
        return {key: value for key, value in handler(self).items() if value is not None}


class Limbs(_Given):
    """One side's joints; a number is flexion."""

    hip: Joint | None = None
    knee: Angle | None = None
    ankle: Angle | None = None
    shoulder: Joint | None = None
    elbow: Angle | None = None
    wrist: Angle | None = None


Spine = Angle | Annotated[list[Angle], Field(min_length=3, max_length=3)]


class Pose(_Given):
    """Joint angles from standing tall, and what carries the body (`rests`)."""

    like: Slug | None = None
    pitch: Angle | None = None
    roll: Angle | None = None
    yaw: Angle | None = None
    spine: Spine | None = None
    spine_side: Spine | None = None
    spine_twist: Spine | None = None
    neck: Angle | None = None
    head: Angle | None = None
    hips: Joint | None = None
    knees: Angle | None = None
    ankles: Angle | None = None
    shoulders: Joint | None = None
    elbows: Angle | None = None
    wrists: Angle | None = None
    left: Limbs | None = None
    right: Limbs | None = None
    # YAML reads a bare `on` as true, hence `rests`.
    rests: list[Support] | None = Field(default=None, min_length=1, max_length=12)


class Figure(_Strict):
    """How the exercise is drawn: from where, which limb works, and its named poses."""

    view: View = View.SIDE
    accent: list[Limb] = Field(default_factory=list, max_length=4)
    start: Slug
    poses: dict[Slug, Pose] = Field(min_length=1, max_length=16)

    @model_validator(mode="after")
    def _names_resolve(self) -> Figure:
        if self.start not in self.poses:
            raise ValueError(f"start: no pose named {self.start!r}")
        for name, pose in self.poses.items():
            seen = [name]
            step = pose
            carried = pose.rests is not None
            while step.like is not None:
                if step.like not in self.poses:
                    raise ValueError(f"poses: {name!r} is like {step.like!r}, which is not a pose")
                if step.like in seen:
                    raise ValueError(f"poses: {name!r} is, through 'like', like itself")
                seen.append(step.like)
                step = self.poses[step.like]
                carried = carried or step.rests is not None
            if not carried:
                raise ValueError(f"poses: {name!r} does not say what carries it (rests)")
        return self


class Cycle(_Strict):
    """Poses a free-breathing phase goes round (steps of a walk, turns of the pedals)."""

    poses: list[Slug] = Field(min_length=2, max_length=8)
    seconds: float = Field(gt=0.1, le=5)  # per pose


class Phase(_Strict):
    """One movement phase with the breath that goes with it, and the pose it ends in."""

    name: Slug
    movement: Text
    breath: Breath
    seconds: float = Field(gt=0, le=900)
    effort: bool = False
    pose: Slug
    cycle: Cycle | None = None


class Cue(_Strict):
    """A micro-adjustment, shown while its phase runs; a cue whose phase is `setup` is a
    set-up cue, shown while getting into position."""

    text: Text
    phase: Slug


class Dose(_Strict):
    """Starting dose: `reps` counts repetitions, holds or breaths in each set; a list gives
    each set its own count (a descending pyramid such as 6-4-2)."""

    sets: int = Field(ge=1, le=10)
    # The bounds sit on each int, not on the union: `ge` on a list raises a TypeError, not a
    # validation error, so a per-set list such as [6, 4, 2] could never load.
    reps: Count | Annotated[list[Count], Field(min_length=1)]
    rest_seconds: int = Field(ge=0, le=600)

    @model_validator(mode="after")
    def _reps_per_set(self) -> Dose:
        if isinstance(self.reps, list) and len(self.reps) != self.sets:
            raise ValueError(f"reps lists {len(self.reps)} counts for {self.sets} sets")
        return self

    def reps_in_set(self, set_index: int) -> int:
        return self.reps[set_index] if isinstance(self.reps, list) else self.reps


class Exercise(_Strict):
    """One exercise of the catalogue, as in docs/catalogue.md."""

    slug: Slug
    name: Text
    summary: Sentence
    pattern: Pattern
    qualities: list[Quality] = Field(min_length=1, max_length=4)
    position: Position
    # What it needs, beyond the floor (empty when nothing); required, so no file forgets it.
    equipment: list[Equipment] = Field(max_length=len(Equipment))
    kind: Kind
    level: int = Field(ge=1, le=5)
    per_side: bool = False
    # Required when per_side is true, absent otherwise: what "left" means.
    sides: Sides | None = None
    phases: list[Phase] = Field(min_length=1, max_length=8)
    dose: Dose
    cues: list[Cue] = Field(min_length=2, max_length=6)
    purpose: Sentence
    protects: Sentence
    prepares_for: Sentence
    regression: Slug | None
    progression: Slug | None
    cautions: list[Sentence] = Field(min_length=1)
    sources: list[Text] = Field(min_length=1)
    figure: Figure

    @model_validator(mode="after")
    def _phases_and_cues_agree(self) -> Exercise:
        names = [p.name for p in self.phases]
        if len(set(names)) != len(names):
            raise ValueError(f"phases: phase names repeat: {names}")
        if len(set(self.qualities)) != len(self.qualities):
            raise ValueError("qualities: a quality is listed twice")
        if len(set(self.equipment)) != len(self.equipment):
            raise ValueError("equipment: an item is listed twice")
        if SETUP in names:
            raise ValueError(f"phases: {SETUP!r} is reserved for set-up cues, not a phase name")
        for cue in self.cues:
            if cue.phase not in names and cue.phase != SETUP:
                raise ValueError(
                    f"cues: cue {cue.text!r} names phase {cue.phase!r}, not one of {names} "
                    f"or {SETUP!r}"
                )
        if not any(cue.phase == SETUP for cue in self.cues):
            raise ValueError(
                f"cues: no set-up cue; give one cue phase {SETUP!r}, shown while getting "
                "into position"
            )
        if self.per_side and self.sides is None:
            raise ValueError("sides: a per_side exercise says what left means: lying or working")
        if not self.per_side and self.sides is not None:
            raise ValueError("sides: only a per_side exercise has sides")
        for phase in self.phases:
            if phase.effort and phase.breath is not Breath.EXHALE:
                raise ValueError(f"phases: effort phase {phase.name!r} must be an exhale")
            if phase.breath is Breath.PAUSE and phase.seconds > MAX_PAUSE_SECONDS:
                raise ValueError(
                    f"phases: pause {phase.name!r} lasts {phase.seconds} s, "
                    f"at most {MAX_PAUSE_SECONDS}; a longer hold keeps breathing: use 'breathe'"
                )
            if phase.breath in STEADY_BREATHS and phase.seconds < MIN_BREATHE_SECONDS:
                raise ValueError(
                    f"phases: {phase.breath.value} phase {phase.name!r} lasts {phase.seconds} s, "
                    f"at least {MIN_BREATHE_SECONDS}"
                )
        efforts = [p for p in self.phases if p.effort]
        if self.kind is Kind.REPS and len(efforts) != 1:
            raise ValueError("phases: a reps exercise needs exactly one exhale effort phase")
        if len(efforts) > 1:
            raise ValueError("phases: more than one effort phase")
        holds = [p for p in self.phases if p.breath in STEADY_BREATHS]
        if self.kind is Kind.HOLD and len(holds) != 1:
            raise ValueError("phases: a hold exercise needs exactly one 'breathe' or 'free' phase")
        if self.kind is Kind.BREATH and not {Breath.INHALE, Breath.EXHALE} <= {
            p.breath for p in self.phases
        }:
            raise ValueError("phases: a breath practice needs an inhale and an exhale")
        for phase in self.phases:
            for pose in [phase.pose, *(phase.cycle.poses if phase.cycle else [])]:
                if pose not in self.figure.poses:
                    raise ValueError(
                        f"phases: {phase.name!r} names pose {pose!r}, not in the figure"
                    )
        if self.slug in (self.regression, self.progression):
            raise ValueError("regression/progression: an exercise cannot link to itself")
        return self

    @property
    def hold_seconds(self) -> float | None:
        return next((p.seconds for p in self.phases if p.breath in STEADY_BREATHS), None)


class CatalogueError(ValueError):
    """The catalogue data breaks a rule; the message names the exercise and the field."""


RETIRED_FILE = "_retired.yaml"  # no slug starts with "_", so it is never an exercise's file
# The app's slow paced-breathing practices, one per rhythm (`RHYTHMS` in
# web/static/js/prescribe.js; tests/test_catalogue.py keeps the two lists alike). They are not
# catalogue exercises, but the sessions that practise them are logged under these slugs.
PRACTICES = frozenset({"paced-breathing-4-6", "paced-breathing-5-5", "paced-breathing-3-5"})


class Catalogue:
    """The validated catalogue, in a stable order, with a content hash for versioning.

    `retired` maps the slug of each exercise taken out of the catalogue to the one that
    replaced it (or None): logs that name it stay valid, and it is never planned again."""

    def __init__(
        self, exercises: list[Exercise], retired: dict[str, str | None] | None = None
    ) -> None:
        self.exercises = sorted(exercises, key=lambda e: (e.pattern, e.level, e.slug))
        self.by_slug = {e.slug: e for e in self.exercises}
        self.retired = dict(retired or {})
        # Every slug a log may name: the exercises of today, those retired, the practices.
        self.known_slugs = frozenset(self.by_slug) | frozenset(self.retired) | PRACTICES
        self.version = hashlib.sha256(
            json.dumps([e.model_dump(mode="json") for e in self.exercises], sort_keys=True).encode()
        ).hexdigest()[:16]

    def __len__(self) -> int:
        return len(self.exercises)

    def chain(self, slug: str) -> list[Exercise]:
        """The whole regression → progression chain that `slug` belongs to, easiest first."""
        first = self.by_slug[slug]
        while first.regression:
            first = self.by_slug[first.regression]
        chain = [first]
        while chain[-1].progression:
            chain.append(self.by_slug[chain[-1].progression])
        return chain


class _Retired(RootModel[dict[Slug, Slug | None]]):
    """`old-slug: new-slug` (or `old-slug: null` when nothing replaced it)."""


def validate_catalogue(
    exercises: list[Exercise], retired: dict[str, str | None] | None = None
) -> Catalogue:
    """Apply the rules that span exercises; raise `CatalogueError` on the first broken one."""
    by_slug: dict[str, Exercise] = {}
    for e in exercises:
        if e.slug in by_slug:
            raise CatalogueError(f"exercise {e.slug!r}: slug: used by two exercises")
        by_slug[e.slug] = e

    for old, new in (retired or {}).items():
        if old in by_slug:
            raise CatalogueError(f"{RETIRED_FILE}: {old!r} is retired and in the catalogue")
        if new is not None and new not in by_slug:
            raise CatalogueError(
                f"{RETIRED_FILE}: {old!r} is replaced by {new!r}, which is not in the catalogue"
            )

    for e in exercises:
        for field in ("regression", "progression"):
            target = getattr(e, field)
            if target is not None and target not in by_slug:
                raise CatalogueError(
                    f"exercise {e.slug!r}: {field}: links to {target!r}, which is not in the "
                    "catalogue"
                )
        # Chains are single file: A's progression is B exactly when B's regression is A.
        if e.progression and by_slug[e.progression].regression != e.slug:
            raise CatalogueError(
                f"exercise {e.slug!r}: progression: {e.progression!r} does not name "
                f"{e.slug!r} as its regression"
            )
        if e.regression and by_slug[e.regression].progression != e.slug:
            raise CatalogueError(
                f"exercise {e.slug!r}: regression: {e.regression!r} does not name "
                f"{e.slug!r} as its progression"
            )
        if e.progression:
            _one_step(e, by_slug[e.progression])

    for e in exercises:
        seen = {e.slug}
        step = e
        while step.progression:
            if step.progression in seen:
                raise CatalogueError(
                    f"exercise {e.slug!r}: progression: the chain loops back to "
                    f"{step.progression!r}"
                )
            seen.add(step.progression)
            step = by_slug[step.progression]

    for quality in Quality:
        serving = [e.slug for e in exercises if quality in e.qualities]
        if len(serving) < 2:
            raise CatalogueError(
                f"quality {quality.value!r}: served by {len(serving)} exercise(s) "
                f"{serving}; every quality needs at least two"
            )
    return Catalogue(exercises, retired)


def step_equipment(exercise: Exercise) -> frozenset[Equipment]:
    """What an exercise needs, leaving out the mat: the mat comes with getting down to the
    floor, so it is part of a change of position, not a change of equipment."""
    return frozenset(exercise.equipment) - {Equipment.MAT}


def _one_step(easier: Exercise, harder: Exercise) -> None:
    """A chain's step changes one thing: the same level or one higher, the same pattern, and
    not both the position and the equipment."""
    where = f"exercise {easier.slug!r}: progression: {harder.slug!r}"
    if harder.level < easier.level:
        raise CatalogueError(f"{where} is an easier level ({harder.level} < {easier.level})")
    if harder.level > easier.level + 1:
        raise CatalogueError(
            f"{where} jumps from level {easier.level} to {harder.level}; a step is the same "
            "level or one higher"
        )
    if harder.pattern is not easier.pattern:
        raise CatalogueError(
            f"{where} changes the pattern ({easier.pattern.value} to {harder.pattern.value}); "
            "a chain keeps to one pattern"
        )
    before, after = step_equipment(easier), step_equipment(harder)
    if harder.position is not easier.position and before != after:
        raise CatalogueError(
            f"{where} changes both the position ({easier.position.value} to "
            f"{harder.position.value}) and the equipment ({_items(before)} to {_items(after)}); "
            "a step changes one"
        )


def _items(equipment: frozenset[Equipment]) -> str:
    return ", ".join(e.value for e in Equipment if e in equipment) or "nothing"


def parse_exercise(raw: object, source: str) -> Exercise:
    """Validate one exercise's raw data; the error names the source, the exercise and field."""
    slug = raw.get("slug", "?") if isinstance(raw, dict) else "?"
    try:
        return Exercise.model_validate(raw)
    except ValidationError as exc:
        faults = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'exercise'}: {err['msg']}"
            for err in exc.errors()
        )
        raise CatalogueError(f"{source}: exercise {slug!r}: {faults}") from None


def load_catalogue(directory: Path = EXERCISES_DIR) -> Catalogue:
    """Read every `*.yaml` in `directory`, validate each exercise and the whole catalogue."""
    files = sorted(p for p in directory.glob("*.yaml") if p.name != RETIRED_FILE)
    if not files:
        raise CatalogueError(f"{directory}: no exercise files found")
    exercises = []
    for path in files:
        try:
            raw = _yaml(path)
        except yaml.YAMLError as exc:
            raise CatalogueError(f"{path.name}: not valid YAML: {exc}") from None
        exercise = parse_exercise(raw, path.name)
        if path.stem != exercise.slug:
            raise CatalogueError(
                f"{path.name}: exercise {exercise.slug!r}: slug: must match the file name"
            )
        exercises.append(exercise)
    return validate_catalogue(exercises, load_retired(directory / RETIRED_FILE))


def load_retired(path: Path) -> dict[str, str | None]:
    """The retired slugs of `path` (none when there is no such file)."""
    if not path.exists():
        return {}
    try:
        raw = _yaml(path) or {}
        return dict(_Retired.model_validate(raw).root)
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path.name}: not valid YAML: {exc}") from None
    except ValidationError as exc:
        faults = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'file'}: {err['msg']}"
            for err in exc.errors()
        )
        raise CatalogueError(f"{path.name}: {faults}") from None
