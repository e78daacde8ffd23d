"""Flag evaluation by the rules in docs/design.md, as sdk/src/evaluator.ts applies them.

A state is checked and indexed once, when it arrives (`prepare_flag`): what is malformed, the
pins, a target lookup whose cost does not grow with the list, the salt's share of the hash. An
evaluation then only reads the context. Nothing here raises or does I/O.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Callable, Dict, List, Literal, NamedTuple, Optional, Protocol, Tuple

from .attribute_value import attribute_value
from .murmurhash3 import prefixed_hash

EvaluationReason = Literal["rollout", "pinned", "targeted", "unkeyed", "killed", "fallback"]
EVALUATION_REASONS: Tuple[EvaluationReason, ...] = ("rollout", "pinned", "targeted", "unkeyed", "killed", "fallback")

BUCKETS = 10_000


class Evaluation(NamedTuple):
    """A flag's value for one context and why. Shared constants: evaluating allocates none."""

    value: bool
    reason: EvaluationReason


ROLLOUT_ON = Evaluation(True, "rollout")
ROLLOUT_OFF = Evaluation(False, "rollout")
PINNED_ON = Evaluation(True, "pinned")
PINNED_OFF = Evaluation(False, "pinned")
TARGETED_ON = Evaluation(True, "targeted")
TARGETED_OFF = Evaluation(False, "targeted")
UNKEYED_ON = Evaluation(True, "unkeyed")
UNKEYED_OFF = Evaluation(False, "unkeyed")
KILLED = Evaluation(False, "killed")
FALLBACK_ON = Evaluation(True, "fallback")
FALLBACK_OFF = Evaluation(False, "fallback")

class Evaluate(Protocol):
    def __call__(self, context: Any, fallback: Any = False) -> Evaluation: ...


def fallback_of(fallback: Any) -> Evaluation:
    """The caller's fallback counts as on only when it is exactly True."""
    return FALLBACK_ON if fallback is True else FALLBACK_OFF


def bucket_of(salt: str, value: str) -> int:
    """`murmurhash3_x86_32(utf8(salt + ":" + value)) % 10000`; sdk/test-vectors.json pins it down."""
    return prefixed_hash(salt + ":")(value) % BUCKETS


def percentage_to_basis_points(percentage: float) -> int:
    """`Math.round(percentage * 100)`: halves round up, where Python's round() goes to even."""
    scaled = percentage * 100
    whole = math.floor(scaled)
    return int(whole) + (1 if scaled - whole >= 0.5 else 0)


class PreparedFlag:
    """One flag's state as received, and its evaluation prepared from it."""

    __slots__ = ("state", "key", "version", "evaluate")

    def __init__(self, state: Any, evaluate: Evaluate) -> None:
        self.state = state
        self.key: Optional[str] = None
        self.version: Any = None
        if isinstance(state, Mapping):
            key = state.get("key")
            self.key = key if isinstance(key, str) else None
            self.version = state.get("version")
        # `evaluate(context, fallback)` → Evaluation; may raise only on a context whose reads raise.
        self.evaluate = evaluate


def evaluate(state: Any, context: Any = None, fallback: Any = False) -> Evaluation:
    """Evaluates one flag state for one context. Never raises: anything wrong gives the fallback."""
    try:
        return prepare_flag(state).evaluate(context, fallback)
    except Exception:
        return fallback_of(fallback)


def prepare_flag(state: Any) -> PreparedFlag:
    """Checks and indexes a state once; never raises (a state it cannot read falls back)."""
    try:
        return PreparedFlag(state, _evaluator_for(state))
    except Exception:
        return PreparedFlag(state, _falls_back)


def _falls_back(context: Any, fallback: Any = False) -> Evaluation:
    return FALLBACK_ON if fallback is True else FALLBACK_OFF


def _killed(context: Any, fallback: Any = False) -> Evaluation:
    return KILLED


def _evaluator_for(state: Any) -> Evaluate:
    if not isinstance(state, Mapping):
        return _falls_back
    killed = state.get("killed")
    # The kill switch must work whatever else the state holds.
    if killed is True:
        return _killed
    default = state.get("default")
    rollout = state.get("rollout")
    contexts = state.get("contexts")
    percentage = state.get("percentage")
    if isinstance(contexts, (list, tuple)):
        # A JSON array is an object to the JavaScript rules: its own keys are its indices and length.
        contexts = {**{str(index): pin for index, pin in enumerate(contexts)}, "length": len(contexts)}
    if (
        killed is not False
        or not isinstance(default, bool)
        or not isinstance(rollout, Mapping)
        or not isinstance(rollout.get("by"), str)
        or not isinstance(contexts, Mapping)
        or not isinstance(percentage, (int, float))
        or isinstance(percentage, bool)
        or not 0 <= percentage <= 100  # NaN fails too
    ):
        return _falls_back
    targeted: Optional[Callable[[Any], Optional[Evaluation]]] = None
    if "targets" in state:
        targets = state["targets"]
        if not isinstance(targets, (list, tuple)):
            return _falls_back
        if targets:
            targeted = _target_lookup(targets)
            if targeted is None:
                return _falls_back

    pins: Dict[str, Any] = dict(contexts)
    by: str = rollout["by"]
    unkeyed = UNKEYED_ON if default else UNKEYED_OFF
    salt = rollout.get("salt")
    if salt is None:
        salt = state.get("key")
    basis_points = percentage_to_basis_points(percentage)
    hashed = prefixed_hash(salt + ":") if isinstance(salt, str) else None
    if not pins and targeted is None and hashed is not None and 0 < basis_points < BUCKETS:
        return _rollout_evaluator(by, unkeyed, hashed, basis_points)

    def evaluate_flag(context: Any, fallback: Any = False) -> Evaluation:
        if context.__class__ is not dict and not isinstance(context, Mapping):
            return unkeyed
        if pins:
            kind = context.get("kind")
            if isinstance(kind, str) and kind in pins:
                pin = pins[kind]
                if pin is True:
                    return PINNED_ON
                if pin is False:
                    return PINNED_OFF
                return FALLBACK_ON if fallback is True else FALLBACK_OFF
        if targeted is not None:
            hit = targeted(context)
            if hit is not None:
                return hit
        value = context.get(by)
        if value.__class__ is not str or not value:
            value = attribute_value(value)
            if value is None:
                return unkeyed
        if hashed is None:
            return FALLBACK_ON if fallback is True else FALLBACK_OFF
        # 0 % and 100 % give the same answer whatever the bucket: no hash needed.
        if basis_points <= 0:
            return ROLLOUT_OFF
        if basis_points >= BUCKETS:
            return ROLLOUT_ON
        return ROLLOUT_ON if hashed(value) % 10000 < basis_points else ROLLOUT_OFF

    return evaluate_flag


def _rollout_evaluator(by: str, unkeyed: Evaluation, hashed: Callable[[str], int], basis_points: int) -> Evaluate:
    """The common flag (no pins, no targets, between 0 and 100 %) with the other checks left out."""

    def evaluate_rollout(context: Any, fallback: Any = False) -> Evaluation:
        if context.__class__ is not dict and not isinstance(context, Mapping):
            return unkeyed
        value = context.get(by)
        if value.__class__ is not str or not value:
            value = attribute_value(value)
            if value is None:
                return unkeyed
        return ROLLOUT_ON if hashed(value) % 10000 < basis_points else ROLLOUT_OFF

    return evaluate_rollout


def _target_lookup(targets: "list[Any] | tuple[Any, ...]") -> Optional[Callable[[Any], Optional[Evaluation]]]:
    """Per attribute (in order of first mention), value → the first rule listing it; None if malformed."""
    groups: Dict[str, Dict[str, int]] = {}
    results: List[Evaluation] = []
    for index, target in enumerate(targets):
        if not isinstance(target, Mapping):
            return None
        attribute = target.get("attribute")
        values = target.get("values")
        forced = target.get("value")
        if not isinstance(attribute, str) or not isinstance(values, (list, tuple)) or not isinstance(forced, bool):
            return None
        rules = groups.setdefault(attribute, {})
        for listed in values:
            if not isinstance(listed, str):
                return None
            rules.setdefault(listed, index)
        results.append(TARGETED_ON if forced else TARGETED_OFF)
    lookups = tuple(groups.items())

    def targeted(context: Any) -> Optional[Evaluation]:
        first = len(results)
        for attribute, rules in lookups:
            value = attribute_value(context.get(attribute))
            if value is not None:
                index = rules.get(value)
                if index is not None and index < first:
                    first = index
        return results[first] if first < len(results) else None

    return targeted
