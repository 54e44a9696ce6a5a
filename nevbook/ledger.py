"""The ledger (BOOK.md §8): commitments judged twice, claims checked in the open.

- A **commitment** is a promise of action by the speaker's body. It carries
  two judgements, *action* (was the promised measure taken) and *outcome*
  (did the stated aim happen), and a **headline status** derived from them
  by :func:`headline` — never stored, so it cannot drift from its parts.
- A **claim** is a checkable statement about the past (or a forecast, judged
  against what happened). Where a series holds the figure, :func:`check_claim`
  recomputes it from the data by the claim's ``method`` and the verdict must
  follow from the tolerance: the check the notebooks run in CI is the one the
  reader sees.

Plain Python: the Sphinx layer and the notebooks both use it.
"""
from __future__ import annotations

from dataclasses import dataclass

ACTIONS = ("yes", "partly", "no", "contrary", "no-evidence")
OUTCOMES = ("met", "partly", "not-met", "too-early", "not-measurable")
# Headline statuses, in the order the book shows them (best first).
STATUSES = ("delivered", "action-only", "partly", "too-early", "not-delivered", "contrary", "no-evidence")
STATUS_LABEL = {
    "delivered": "delivered",
    "action-only": "action taken, aim not measurable",
    "partly": "partly",
    "too-early": "too early to judge",
    "not-delivered": "not delivered",
    "contrary": "contrary",
    "no-evidence": "no evidence found",
}
ACTION_LABEL = {"yes": "taken", "partly": "partly taken", "no": "not taken",
                "contrary": "contrary", "no-evidence": "no evidence found"}
OUTCOME_LABEL = {"met": "met", "partly": "partly met", "not-met": "not met",
                 "too-early": "too early", "not-measurable": "not measurable"}
VERDICTS = ("consistent", "partly", "inconsistent", "not-checkable")
VERDICT_LABEL = {"consistent": "consistent with the data", "partly": "partly consistent",
                 "inconsistent": "inconsistent with the data", "not-checkable": "not checkable"}
# How a claim's figure is recomputed from its series (check_series, check_periods).
METHODS = ("value", "growth", "multiple", "sum", "min", "range", "evidence")
COMPARES = ("approx", "at-least", "between")

RULE = """\
The headline status follows from the two judgements, by the first rule that matches:
the action was contrary to the commitment: contrary;
no evidence of the action was found (after a recorded search): no evidence found;
the action was not taken, or the aim was not met: not delivered;
the aim cannot be judged yet: too early;
the action was taken only in part, or the aim only partly met: partly;
the action was taken and the aim met: delivered;
the action was taken and the aim cannot be measured: action taken, aim not measurable."""


def headline(action: str, outcome: str) -> str:
    """The headline status of a commitment (the rule in :data:`RULE`)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r} (one of {ACTIONS})")
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r} (one of {OUTCOMES})")
    if action == "contrary":
        return "contrary"
    if action == "no-evidence":
        return "no-evidence"
    if action == "no" or outcome == "not-met":
        return "not-delivered"
    if outcome == "too-early":
        return "too-early"
    if action == "partly" or outcome == "partly":
        return "partly"
    if outcome == "met":
        return "delivered"
    return "action-only"


def counts(commitments: list[dict]) -> dict[str, int]:
    """Commitments by headline status, every status present (0 if none)."""
    out = {s: 0 for s in STATUSES}
    for c in commitments:
        out[headline(c["action"], c["outcome"])] += 1
    return out


@dataclass(frozen=True)
class ClaimCheck:
    claim_id: str
    found: float | None  # recomputed from the data (None: method evidence)
    verdict: str  # the verdict the data give (or the stored one, method evidence)
    detail: str


def as_claim(row: dict) -> dict:
    """A claims.csv row with its periods as a list (the table stores them
    ';'-separated in one field)."""
    periods = row.get("check_periods")
    return dict(row, check_periods=periods.split(";") if isinstance(periods, str) and periods else
                (periods or []))


def _values(claim: dict, book) -> list[tuple[str, str, float]]:
    """(series, period, value) for every listed series and period the data hold."""
    obs = {}
    for res in book.package.observations:
        for r in res.rows:
            if r.get("value") is not None:  # an unreadable value is reported by the parser
                obs[(r["series_id"], r["period"])] = r["value"]
    out = []
    for s in claim.get("check_series") or []:
        for p in claim.get("check_periods") or []:
            if (s, p) in obs:
                out.append((s, p, obs[(s, p)]))
    return out


def check_claim(claim: dict, book) -> ClaimCheck:
    """Recompute a claim from the data and derive its verdict."""
    method = claim["method"]
    cid = claim["id"]
    if method == "evidence":
        return ClaimCheck(cid, None, claim["verdict"], "judged on the cited evidence")
    vals = _values(claim, book)
    periods = claim.get("check_periods") or []
    if not vals:
        raise ValueError(f"{cid}: no value of {claim.get('check_series')} for {periods} in the data")
    v = [x[2] for x in vals]
    if method == "value":
        found = v[0]
    elif method in ("growth", "multiple"):
        if len(vals) != 2:
            raise ValueError(f"{cid}: {method} needs exactly two values, found {len(vals)} ({vals})")
        ratio = vals[1][2] / vals[0][2]
        found = ratio - 1 if method == "growth" else ratio
    elif method == "sum":
        found = sum(v)
    elif method == "min":
        found = min(v)
    elif method == "range":
        found = None
    else:
        raise ValueError(f"{cid}: unknown method {method!r} (one of {METHODS})")
    stated = claim.get("stated")
    tol = claim.get("tolerance") or 0.0
    compare = claim.get("compare") or "approx"
    if method == "range" or compare == "between":
        lo, hi = min(v), max(v)
        ok = stated is not None and lo <= stated <= hi
        return ClaimCheck(cid, None, "consistent" if ok else "inconsistent",
                          f"stated {stated} against {lo:g} to {hi:g}")
    if stated is None:
        raise ValueError(f"{cid}: method {method} needs a stated figure")
    if compare == "at-least":
        ok = found >= stated * (1 - tol)
        detail = f"found {found:.4g}, stated at least {stated:g}"
    else:
        ok = abs(found - stated) <= abs(stated) * tol if stated else abs(found) <= tol
        detail = f"found {found:.4g}, stated {stated:g}, tolerance {tol:.1%}"
    return ClaimCheck(cid, found, "consistent" if ok else "inconsistent", detail)


def claim_problems(claim: dict, book) -> list[str]:
    """What is wrong with a claim's stored result (empty: it checks out)."""
    if claim["method"] == "evidence":
        return []
    try:
        got = check_claim(claim, book)
    except (ValueError, ZeroDivisionError) as exc:
        return [str(exc)]
    out = []
    if got.verdict != claim["verdict"]:
        out.append(f"verdict '{claim['verdict']}' but the data give '{got.verdict}' ({got.detail})")
    stored = claim.get("found")
    if got.found is not None:
        try:
            stored_v = float(stored)
        except (TypeError, ValueError):
            stored_v = None
        if stored_v is None or abs(stored_v - got.found) > max(abs(got.found) * 0.002, 1e-9):
            out.append(f"found '{stored}' but the data give {got.found:.4g}: update the stored figure")
    return out
