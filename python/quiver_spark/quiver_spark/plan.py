"""The plan that `npx quiver run --engine spark` (src/cli/spark-plan.ts) hands the runner.

Node prepares it: sources resolved to files, every port's Arrow schema (base64 IPC Schema
messages), and the params as the module reads them (expressions compiled). Format tag and
version must match SPARK_PLAN_FORMAT / SPARK_PLAN_VERSION in spark-plan.ts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyarrow as pa

from .arrow_io import decode_schema, plain_schema

FORMAT = "quiver-spark-plan"
VERSION = 1


class PlanError(Exception):
    """The plan file is not one this runner can execute."""


@dataclass
class PlanStep:
    """One step of the plan (SparkPlanStep in spark-plan.ts)."""

    raw: dict

    @property
    def id(self) -> str:
        return self.raw["id"]

    @property
    def module_id(self) -> str:
        return self.raw["moduleId"]

    @property
    def kind(self) -> str:
        return self.raw["kind"]

    @property
    def params(self) -> dict:
        return self.raw["params"]

    @property
    def module(self) -> dict:
        return self.raw.get("module") or {}

    def input(self, port: str) -> tuple[str, str]:
        ref = self.raw["inputs"][port]
        return ref["step"], ref["port"]

    def schema(self, port: str = "out") -> pa.Schema | None:
        """The plain (dictionary-free) Arrow schema of output `port`, if it carries a table."""
        b64 = self.raw["schemas"].get(port)
        return None if b64 is None else plain_schema(decode_schema(b64))


@dataclass
class Plan:
    """A whole plan: steps in an order where producers come first, and the result ports."""

    name: str
    steps: list[PlanStep]
    results: list[tuple[str, str]]
    #: Bypassed steps left out of `steps`: (step id, reason shown).
    skipped: list[tuple[str, str]]

    def step(self, step_id: str) -> PlanStep:
        return next(s for s in self.steps if s.id == step_id)


def load_plan(path: str) -> Plan:
    """Reads and checks a plan file. Raises PlanError naming the file."""
    with open(path, encoding="utf-8") as handle:
        raw = json.load(handle)
    if raw.get("format") != FORMAT or raw.get("version") != VERSION:
        raise PlanError(
            f"{path}: not a Quiver Spark plan of version {VERSION} "
            f"(format {raw.get('format')!r}, version {raw.get('version')!r})"
        )
    return Plan(
        name=raw["pipeline"]["name"],
        steps=[PlanStep(s) for s in raw["steps"]],
        results=[(r["step"], r["port"]) for r in raw["results"]],
        skipped=[(s["step"], s["reason"]) for s in raw.get("skipped", [])],
    )
