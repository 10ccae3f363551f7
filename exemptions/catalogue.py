"""Loading the exemption catalogue (regimes and exemptions) from YAML.

The whole file is checked before anything is written: a catalogue with one bad
entry must not leave the library half-updated. Loading is idempotent, keyed by
regime code and section, so it can run on every deploy.
"""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction

from exemptions.models import Exemption, Regime

DEFAULT_CATALOGUE = Path(__file__).resolve().parent / "fixtures" / "catalogue.yaml"

BANK_HOLIDAY_DIVISIONS = ("england-and-wales", "scotland", "northern-ireland")
KNOWN_REGIMES = [code for code, _label in Regime.CODES]
TESTS = {"class": Exemption.CLASS, "prejudice": Exemption.PREJUDICE}

# field name -> (accepted types, may be null); `str` fields are stripped and length-checked.
REGIME_FIELDS = {
    "statute": (str, False),
    "regulator": (str, False),
    "response_days": (int, False),
    "extended_response_days": (int, True),
    "bank_holiday_divisions": (list, False),
    "refusal_notice_provision": (str, False),
    "internal_review": (str, False),
    "cost_limit": (str, False),
}
EXEMPTION_FIELDS = {
    "regime": (str, False),
    "section": (str, False),
    "title": (str, False),
    "absolute": (bool, False),
    "test": (str, True),
    "ncnd_provision": (str, True),
    "pit_applies": (bool, False),
    "procedural": (bool, False),
    "common": (bool, False),
    "notes": (str, False),
}
OPTIONAL_EXEMPTION_FIELDS = {"procedural": False, "common": False, "notes": ""}
TYPE_NAMES = {str: "a quoted string", int: "a whole number", bool: "true or false", list: "a list"}


class FixtureFileError(Exception):
    """A library file cannot be loaded; the message names the file and every problem."""

    def __init__(self, path, problems):
        self.path = str(path)
        self.problems = list(problems)
        if len(self.problems) == 1:
            message = f"{self.path}: {self.problems[0]}"
        else:
            listed = "\n".join(f"  - {problem}" for problem in self.problems)
            message = f"{self.path}: {len(self.problems)} problems:\n{listed}"
        super().__init__(message)


# The C loader is many times faster and loads the same documents; fall back if libyaml is absent.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml_file(path, error_class):
    """The parsed contents of a library file, or ``error_class`` saying what is wrong."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise error_class(path, [f"cannot be read ({error.strerror})."]) from None
    try:
        # bandit: YAML_LOADER is a SafeLoader (C or Python), which builds no objects.
        return yaml.load(text, Loader=YAML_LOADER)  # nosec B506
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(error, "problem", None) or str(error)
        raise error_class(path, [f"is not valid YAML{where}: {reason}."]) from None


class CatalogueError(FixtureFileError):
    """The catalogue file cannot be loaded; the message says where and why."""


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self):
        return self.created + self.updated + self.unchanged

    def __str__(self):
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class LoadReport:
    path: str
    regimes: Tally = field(default_factory=Tally)
    exemptions: Tally = field(default_factory=Tally)
    # Rows in the database the file no longer lists; kept, because letters may cite them.
    not_in_file: list = field(default_factory=list)

    @property
    def created(self):
        return self.exemptions.created

    @property
    def updated(self):
        return self.exemptions.updated

    @property
    def unchanged(self):
        return self.exemptions.unchanged

    def summary(self):
        text = (
            f"Catalogue {self.path}: {self.regimes.total} regimes ({self.regimes}); "
            f"{self.exemptions.total} exemptions ({self.exemptions})."
        )
        if self.not_in_file:
            text += f" {len(self.not_in_file)} exemptions in the database are not in the file."
        return text


def load_catalogue(path=DEFAULT_CATALOGUE):
    """Validate the catalogue at ``path`` and bring the database in line with it."""
    path = Path(path)
    regimes, exemptions = parse_catalogue(path)
    return _write(path, regimes, exemptions)


def parse_catalogue(path):
    """Read and check the file; return ({code: fields}, [exemption fields]) or raise."""
    path = Path(path)
    data = read_yaml_file(path, CatalogueError)

    if not isinstance(data, dict):
        raise CatalogueError(
            path, ["the top level must be a mapping with 'regimes' and 'exemptions'."]
        )
    problems = []
    unknown = sorted(set(data) - {"regimes", "exemptions"})
    if unknown:
        problems.append(f"unknown top-level key(s): {', '.join(map(str, unknown))}.")
    regimes = _check_regimes(data.get("regimes"), problems)
    exemptions = _check_exemptions(data.get("exemptions"), regimes, problems)
    if problems:
        raise CatalogueError(path, problems)
    return regimes, exemptions


def _check_fields(entry, spec, where, problems, optional=None):
    """Check presence and type of each field; return the cleaned values."""
    optional = optional or {}
    cleaned = {}
    for name in sorted(set(entry) - set(spec), key=str):
        problems.append(f"{where}: unknown field '{name}'.")
    for name, (kind, nullable) in spec.items():
        if name not in entry:
            if name in optional:
                cleaned[name] = optional[name]
            else:
                problems.append(f"{where}: field '{name}' is missing.")
            continue
        value = entry[name]
        if value is None and nullable:
            cleaned[name] = None
            continue
        # bool is a subclass of int in Python; `yes` must not count as a number of days.
        wrong_type = not isinstance(value, kind) or (kind is int and isinstance(value, bool))
        if wrong_type:
            expected = TYPE_NAMES[kind] + (" or null" if nullable else "")
            problems.append(f"{where}: field '{name}' must be {expected}, not {_describe(value)}.")
            continue
        if kind is str:
            value = value.strip()
        cleaned[name] = value
    return cleaned


def _describe(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list | dict):
        return "a list" if isinstance(value, list) else "a mapping"
    return repr(value)


def _check_length(cleaned, name, model, where, problems, required=False):
    value = cleaned.get(name)
    if value is None:
        return
    if required and not value:
        problems.append(f"{where}: field '{name}' must not be blank.")
    limit = model._meta.get_field(name).max_length
    if limit and len(value) > limit:
        problems.append(f"{where}: field '{name}' is longer than {limit} characters.")


def _check_regimes(block, problems):
    if block is None:
        problems.append("the 'regimes' block is missing.")
        return {}
    if not isinstance(block, dict):
        problems.append("'regimes' must be a mapping of regime code to its details.")
        return {}
    regimes = {}
    for code, entry in block.items():
        where = f"regime {code}"
        if code not in KNOWN_REGIMES:
            problems.append(
                f"{where}: unknown regime (expected one of {', '.join(KNOWN_REGIMES)})."
            )
            continue
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be a mapping of field names to values.")
            continue
        cleaned = _check_fields(entry, REGIME_FIELDS, where, problems)
        for name in ("statute", "regulator"):
            _check_length(cleaned, name, Regime, where, problems, required=True)
        _check_length(cleaned, "refusal_notice_provision", Regime, where, problems)
        for name in ("response_days", "extended_response_days"):
            if isinstance(cleaned.get(name), int) and cleaned[name] <= 0:
                problems.append(f"{where}: field '{name}' must be a positive number of days.")
        divisions = cleaned.get("bank_holiday_divisions")
        if isinstance(divisions, list):
            strange = [d for d in divisions if d not in BANK_HOLIDAY_DIVISIONS]
            if strange or not divisions:
                problems.append(
                    f"{where}: field 'bank_holiday_divisions' must list some of "
                    f"{', '.join(BANK_HOLIDAY_DIVISIONS)}; got {divisions!r}."
                )
        regimes[code] = cleaned
    return regimes


def _check_exemptions(block, regimes, problems):
    if block is None:
        problems.append("the 'exemptions' block is missing.")
        return []
    if not isinstance(block, list):
        problems.append("'exemptions' must be a list of entries.")
        return []
    exemptions = []
    first_seen = {}
    for index, entry in enumerate(block, start=1):
        where = f"exemption #{index}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be a mapping of field names to values.")
            continue
        # Name the entry by regime and section when they are readable, so the author can find it.
        if isinstance(entry.get("regime"), str) and isinstance(entry.get("section"), str | int):
            where += f" ({entry['regime']} {entry['section']})"
        cleaned = _check_fields(
            entry, EXEMPTION_FIELDS, where, problems, optional=OPTIONAL_EXEMPTION_FIELDS
        )
        regime = cleaned.get("regime")
        if regime is not None and regime not in regimes:
            declared = ", ".join(regimes) or "none"
            problems.append(
                f"{where}: field 'regime' names unknown regime '{regime}' (declared: {declared})."
            )
        for name in ("section", "title"):
            _check_length(cleaned, name, Exemption, where, problems, required=True)
        _check_length(cleaned, "ncnd_provision", Exemption, where, problems)
        if cleaned.get("ncnd_provision") == "":
            problems.append(
                f"{where}: field 'ncnd_provision' must be a provision or null, not blank."
            )
        _check_test(cleaned, where, problems)
        if cleaned.get("absolute") is True and cleaned.get("pit_applies") is True:
            problems.append(
                f"{where}: fields 'absolute' and 'pit_applies' conflict: "
                "an absolute exemption has no public interest test."
            )
        key = (regime, cleaned.get("section"))
        if None not in key:
            if key in first_seen:
                problems.append(
                    f"{where}: field 'section' duplicates exemption #{first_seen[key]} "
                    f"({regime} {key[1]})."
                )
            else:
                first_seen[key] = index
        exemptions.append(cleaned)
    return exemptions


def _check_test(cleaned, where, problems):
    """Only procedural refusals (s12, s14) have no class/prejudice test."""
    if "test" not in cleaned or "procedural" not in cleaned:
        return
    test, procedural = cleaned["test"], cleaned["procedural"]
    if test is None:
        if not procedural:
            problems.append(
                f"{where}: field 'test' is null, which is allowed only for procedural entries "
                "(procedural: true); use 'class' or 'prejudice'."
            )
    elif test not in TESTS:
        problems.append(
            f"{where}: field 'test' must be 'class', 'prejudice' or null, not {test!r}."
        )
    elif procedural:
        problems.append(f"{where}: field 'test' must be null for a procedural entry.")


def _apply(instance, values):
    """Set changed attributes; return the names that changed."""
    changed = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def _sync(model, lookup, values, tally):
    """update_or_create that can tell 'updated' from 'unchanged'."""
    instance = model.objects.select_for_update().filter(**lookup).first()
    if instance is None:
        instance = model.objects.create(**lookup, **values)
        tally.created += 1
        return instance
    changed = _apply(instance, values)
    if changed:
        instance.save(update_fields=changed)
        tally.updated += 1
    else:
        tally.unchanged += 1
    return instance


@transaction.atomic
def _write(path, regimes, exemptions):
    report = LoadReport(path=str(path))
    regime_rows = {}
    for code, values in regimes.items():
        regime_rows[code] = _sync(Regime, {"code": code}, values, report.regimes)

    positions = dict.fromkeys(regimes, 0)
    listed = set()
    for entry in exemptions:
        code = entry["regime"]
        positions[code] += 1
        values = {
            "title": entry["title"],
            "absolute": entry["absolute"],
            "test": TESTS.get(entry["test"], ""),
            "ncnd_provision": entry["ncnd_provision"] or "",
            "pit_applies": entry["pit_applies"],
            "procedural": entry["procedural"],
            "commonly_used": entry["common"],
            "notes": entry["notes"],
            "position": positions[code],
        }
        lookup = {"regime": regime_rows[code], "section": entry["section"]}
        row = _sync(Exemption, lookup, values, report.exemptions)
        listed.add(row.pk)

    report.not_in_file = [
        str(exemption)
        for exemption in Exemption.objects.filter(regime__code__in=regimes)
        .exclude(pk__in=listed)
        .select_related("regime")
    ]
    return report
