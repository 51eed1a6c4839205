"""Scenario files (TOML) → validated parameters, with errors a person can act on.

Layout of a scenario file::

    [scenario]            name, title, title_zh (the title in Chinese), description, start_date (day 0)
    [run] [community] [disputes] [residents] [developer] [institutions]
                          parameters of that group (see govsim.parameters)
    [channels.NAME]       servers_per_10k, handling, handling_days, handling_cv,
                          staff_days, cost, success = {type = p, ...}
    [regimes.NAME]        institution values that apply under one regime only
    [[timeline]]          reference events: day, date, kind (the event kind it marks),
                          label, label_zh (for the case replay and the figures)

Every problem found is reported at once, each naming the key, the value and what was
expected; nothing is half-loaded.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govsim.errors import (InputFileError, int_problem, parse_toml, read_input,
                           require_int, show)
from govsim import resources
from govsim.events import EventKind
from govsim.institutions import PRESETS, institution_keys, parameters_for
from govsim.parameters import GROUPS, PARAMETERS, ParameterError, coerce, defaults, resolve
from govsim.vocabulary import REGIMES

_META_KEYS = {"name", "title", "title_zh", "description", "start_date"}
_TIMELINE_KEYS = {"day", "date", "kind", "label", "label_zh"}
_EVENT_KINDS = tuple(k.value for k in EventKind)
_MAX_DAY = int(PARAMETERS["days"].high)
_CHANNEL_FIELDS = ("servers_per_10k", "handling", "handling_days", "handling_cv", "staff_days",
                   "cost", "success")


class ScenarioError(InputFileError):
    """A scenario that cannot be used; ``messages`` lists every problem found."""

    prefix = "invalid scenario "


@dataclass
class Scenario:
    """A community and its disputes, ready to be run under any regime."""

    name: str
    title: str = ""
    description: str = ""
    start_date: dt.date | None = None
    params: dict[str, Any] = field(default_factory=dict)
    regime_params: dict[str, dict[str, Any]] = field(default_factory=dict)
    timeline: list[dict] = field(default_factory=list)
    path: Path | None = None
    title_zh: str = ""  # the title in Chinese, for the app (the file's [scenario] title_zh)

    @property
    def days(self) -> int:
        return int(self.params.get("days", PARAMETERS["days"].default))

    def model_params(self, regime: str, overrides: dict[str, Any] | None = None
                     ) -> dict[str, Any]:
        """Every parameter of a run of this scenario under ``regime``, in the order of
        precedence of :func:`govsim.institutions.parameters_for`: defaults < the regime's
        preset < the scenario < its table for that regime < ``overrides``."""
        return parameters_for(regime, self.params, self.regime_params.get(regime),
                              overrides)

    def with_overrides(self, overrides: dict[str, Any]) -> "Scenario":
        return dataclasses.replace(
            self, params={**self.params, **overrides},
            regime_params={k: dict(v) for k, v in self.regime_params.items()},
            timeline=list(self.timeline))

    def date_of(self, day: int) -> dt.date | None:
        return self.start_date + dt.timedelta(days=day) if self.start_date else None


def _flatten(doc: dict, errors: list[str]) -> tuple[dict, dict]:
    params: dict[str, Any] = {}
    regimes: dict[str, dict[str, Any]] = {}
    groups = {s.group for s in PARAMETERS.values()}
    inst_keys = set(institution_keys())
    for section, body in doc.items():
        if section in ("scenario", "timeline"):
            continue
        if section == "channels":
            if not isinstance(body, dict):
                errors.append(f"channels = {show(body)}: expected tables [channels.NAME]")
                continue
            for channel, fields in body.items():
                if not isinstance(fields, dict):
                    errors.append(f"channels.{channel} = {show(fields)}: expected a table "
                                  f"[channels.{channel}] with keys {', '.join(_CHANNEL_FIELDS)}")
                    continue
                if f"{channel}_handling" not in PARAMETERS:
                    chans = sorted({k.split("_servers_per_10k")[0] for k in PARAMETERS
                                    if k.endswith("_servers_per_10k")})
                    errors.append(f"[channels.{channel}]: unknown channel, expected one of "
                                  f"{', '.join(chans)}")
                    continue
                for key, value in fields.items():
                    if key not in _CHANNEL_FIELDS:
                        errors.append(f"channels.{channel}.{key}: unknown key, expected one of "
                                      f"{', '.join(_CHANNEL_FIELDS)}")
                        continue
                    _put(params, f"{channel}_{key}", value, f"channels.{channel}.{key}", errors)
            continue
        if section == "regimes":
            if not isinstance(body, dict):
                errors.append(f"regimes = {show(body)}: expected tables [regimes.NAME]")
                continue
            for regime, fields in body.items():
                if regime not in REGIMES:
                    errors.append(f"[regimes.{regime}]: unknown regime, expected one of "
                                  f"{', '.join(REGIMES)}")
                    continue
                if not isinstance(fields, dict):
                    errors.append(f"regimes.{regime} = {show(fields)}: expected a table "
                                  f"[regimes.{regime}] of institution parameters")
                    continue
                for key, value in fields.items():
                    if key not in inst_keys:
                        errors.append(f"regimes.{regime}.{key}: not an institution parameter"
                                      f"{_regime_hint(key, inst_keys)}")
                        continue
                    _put(regimes.setdefault(regime, {}), key, value,
                         f"regimes.{regime}.{key}", errors)
            continue
        if section not in groups:
            errors.append(f"[{section}]: unknown section, expected one of scenario, timeline, "
                          f"regimes, channels, {', '.join(sorted(g for g in groups if '.' not in g))}")
            continue
        if not isinstance(body, dict):
            errors.append(f"{section} = {show(body)}: expected a table [{section}]")
            continue
        for key, value in body.items():
            spec = PARAMETERS.get(key)
            if spec is None or spec.group != section:
                where = f" (it belongs in [{spec.group}])" if spec else _hint(key)
                errors.append(f"{section}.{key}: unknown key in [{section}]{where}")
                continue
            _put(params, key, value, f"{section}.{key}", errors)
    return params, regimes


def _hint(key: str, among=PARAMETERS) -> str:
    import difflib

    close = difflib.get_close_matches(key, among, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _regime_hint(key: str, inst_keys: set[str]) -> str:
    """Why a key may not differ between regimes: a parameter of another group is set once,
    in its own section; a misspelt institution key gets the nearest one."""
    spec = PARAMETERS.get(key)
    if spec is not None:
        return (f" ({key} is a [{spec.group}] parameter, the same under every regime; only "
                "institution parameters may differ by regime)")
    return _hint(key, sorted(inst_keys))


def check_param(name: str, value: Any, where: str | None = None) -> Any:
    """``value`` checked against parameter ``name`` (see :func:`govsim.parameters.coerce`),
    the message naming ``where`` (e.g. ``community.households``, ``set.households``)."""
    try:
        return coerce(name, value)
    except ParameterError as exc:
        msg = str(exc)
        spec = PARAMETERS.get(name)
        if spec is not None and spec.kind == "table" and msg.startswith(f"{name}."):
            # an entry of a table is a number, not a table (the wording of _describe)
            msg = msg.replace("expected a table from", "expected a number from", 1)
        if where and where != name:
            msg = msg.replace(name, where, 1) if msg.startswith(name) else f"{where}: {msg}"
        raise ParameterError(msg) from None


def check_days(days: int | None, flag: str = "--days") -> None:
    """A horizon from the command line, within the ``days`` parameter's range."""
    require_int(flag, days, 1, _MAX_DAY)


def _put(target: dict, name: str, value: Any, where: str, errors: list[str]) -> None:
    try:
        target[name] = check_param(name, value, where)
    except ParameterError as exc:
        errors.append(str(exc))


def _meta(doc: dict, errors: list[str], default_name: str) -> dict:
    meta = doc.get("scenario", {})
    if not isinstance(meta, dict):
        errors.append(f"scenario = {show(meta)}: expected a table [scenario]")
        return {"name": default_name}
    for key in meta:
        if key not in _META_KEYS:
            errors.append(f"scenario.{key}: unknown key, expected one of "
                          f"{', '.join(sorted(_META_KEYS))}")
    for key in ("name", "title", "title_zh", "description"):
        if key in meta and not isinstance(meta[key], str):
            errors.append(f"scenario.{key} = {show(meta[key])}: expected a string")
    start = meta.get("start_date")
    if start is not None and not isinstance(start, dt.date):
        try:
            start = dt.date.fromisoformat(str(start))
        except ValueError:
            errors.append(f"scenario.start_date = {show(start)}: expected a date like "
                          "2010-09-01")
            start = None
    text = {k: meta[k] if isinstance(meta.get(k), str) else d
            for k, d in (("name", default_name), ("title", ""), ("title_zh", ""),
                         ("description", ""))}
    return {**text, "start_date": start}


def _timeline(doc: dict, errors: list[str]) -> list[dict]:
    items = doc.get("timeline", [])
    if not isinstance(items, list):
        errors.append(f"timeline = {show(items)}: expected [[timeline]] entries with day "
                      "and label")
        return []
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            errors.append(f"timeline[{i}] = {show(item)}: expected a table with day and "
                          "label")
            continue
        bad = set(item) - _TIMELINE_KEYS
        if bad:
            errors.append(f"timeline[{i}].{sorted(bad)[0]}: unknown key, expected one of "
                          f"{', '.join(sorted(_TIMELINE_KEYS))}")
        problem = int_problem(f"timeline[{i}].day", item.get("day"), 0, _MAX_DAY)
        if problem:
            errors.append(problem)
            continue
        texts = [k for k in ("label", "label_zh") if k in item or k == "label"]
        bad_text = [k for k in texts if not isinstance(item.get(k), str)]
        for k in bad_text:
            errors.append(f"timeline[{i}].{k} = {show(item.get(k))}: expected a string")
        date = item.get("date")
        if date is not None and not isinstance(date, (str, dt.date)):
            errors.append(f"timeline[{i}].date = {show(date)}: expected a date or a string")
            continue
        if bad_text:
            continue
        if "kind" in item and item["kind"] not in _EVENT_KINDS:
            errors.append(f"timeline[{i}].kind = {show(item['kind'])}: expected an event kind, "
                          f"one of {', '.join(_EVENT_KINDS)}")
            continue
        out.append({k: (v.isoformat() if isinstance(v, dt.date) else v)
                    for k, v in item.items()})
    return out


def parse_scenario(text: str, source: str = "<scenario>") -> Scenario:
    """Parse and validate scenario text; raise :class:`ScenarioError` listing all problems."""
    doc = parse_toml(text, source, ScenarioError)
    errors: list[str] = []
    meta = _meta(doc, errors, Path(source).stem)
    params, regimes = _flatten(doc, errors)
    timeline = _timeline(doc, errors)
    if not errors:
        for regime in REGIMES:
            try:
                resolve({**params, **regimes.get(regime, {})})
            except ParameterError as exc:
                errors.append(str(exc))
    if errors:
        raise ScenarioError(source, errors)
    return Scenario(meta["name"], meta["title"], meta["description"], meta["start_date"],
                    params, regimes, timeline, title_zh=meta["title_zh"])


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario file — by path, or by the name of one govsim ships
    (``load_scenario("xianlin_street")``); a missing or unreadable file is a
    :class:`ScenarioError` too."""
    given = path
    path = resources.scenario_path(path)
    if not path.exists() and Path(given).parent == Path(".") and not str(given).endswith(
            ".toml"):
        raise ScenarioError(str(given), [f"no such file, and no scenario of that name; "
                                         f"{resources.names_hint(resources.scenarios_dir())}"])
    text = read_input(path, ScenarioError)
    scenario = parse_scenario(text, str(path))
    scenario.path = path
    return scenario


def parse_assignment(text: str) -> tuple[str, Any]:
    """``key=value`` from the command line; the value is read as TOML (numbers, booleans,
    [a, b], {k = v}), or as a plain string when it is not valid TOML."""
    if "=" not in text:
        raise ParameterError(f"--set {show(text)}: expected key=value")
    key, raw = (s.strip() for s in text.split("=", 1))
    if not key:
        raise ParameterError(f"--set {show(text)}: expected key=value with a parameter name "
                             "before '='")
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except (tomllib.TOMLDecodeError, RecursionError):
        value = raw
    return key, check_param(key, value, f"--set {key}")


def scenario_to_toml(scenario: Scenario, complete: bool = False) -> str:
    """Write a scenario as TOML that :func:`load_scenario` reads unchanged, every parameter
    with a comment giving its meaning and source. ``complete`` also writes the defaults the
    scenario does not change, so the file documents the whole model."""
    import tomlkit  # only for writing: reading scenarios needs nothing but tomllib

    doc = tomlkit.document()
    meta = tomlkit.table()
    meta.add("name", scenario.name)
    for key in ("title", "title_zh", "description"):
        if getattr(scenario, key):
            meta.add(key, getattr(scenario, key))
    if scenario.start_date:
        meta.add("start_date", scenario.start_date)
    doc.add("scenario", meta)
    values = dict(scenario.params)
    regime_params = {r: dict(v) for r, v in scenario.regime_params.items()}
    if complete:
        # Values a regime preset sets are written under [regimes.*]: at the top level
        # they would override every regime alike.
        preset_keys = set().union(*PRESETS.values())
        values = {k: v for k, v in defaults().items() if k not in preset_keys} | values
        regime_params = {r: PRESETS[r] | regime_params.get(r, {}) for r in REGIMES}
    sections: dict[str, Any] = {}
    for key, spec in PARAMETERS.items():
        if key not in values:
            continue
        if spec.group.startswith("channels."):
            channel = spec.group.split(".", 1)[1]
            if "channels" not in sections:
                sections["channels"] = tomlkit.table(is_super_table=True)
            chans = sections["channels"]
            if channel not in chans:
                chans.add(channel, tomlkit.table())
            table, field_name = chans[channel], key[len(channel) + 1:]
        else:
            table = sections.setdefault(spec.group, tomlkit.table())
            field_name = key
        table.add(field_name, _commented(key, values[key]))
    for group in (*(g for g in GROUPS if not g.startswith("channels.")), "channels"):
        if group in sections:
            doc.add(group, sections[group])
    if regime_params:
        regimes = tomlkit.table(is_super_table=True)
        for regime, vals in regime_params.items():
            t = tomlkit.table()
            for k, v in vals.items():
                t.add(k, _commented(k, v))
            regimes.add(regime, t)
        doc.add("regimes", regimes)
    if scenario.timeline:
        aot = tomlkit.aot()
        for item in scenario.timeline:
            aot.append(tomlkit.item(item))
        doc.add("timeline", aot)
    return tomlkit.dumps(doc)


def _commented(key: str, value: Any):
    """A TOML item for ``value`` carrying the parameter's meaning and source."""
    import tomlkit

    if isinstance(value, dict):
        item = tomlkit.inline_table()
        item.update(value)
    else:
        item = tomlkit.item(list(value) if isinstance(value, tuple) else value)
    spec = PARAMETERS[key]
    source = spec.source if spec.is_assumption else f"source: {spec.source}"
    item.comment(f"{spec.meaning} [{source}]")
    return item
