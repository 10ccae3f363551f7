"""Loading the standard clause library from YAML into versioned Clause rows.

The whole file is checked before anything is written, so a library with one bad
clause never leaves the database half-updated. Loading is idempotent and never
rewrites a saved version: a changed title, body or slot list becomes the next
version through ``Clause.revise``, so a letter that used version 1 can still show it.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.validators import slug_re
from django.db import transaction

from exemptions.catalogue import FixtureFileError, read_yaml_file
from exemptions.clauses import ClauseTemplateError, trial_render, undeclared_slots
from exemptions.models import Clause, Exemption

DEFAULT_CLAUSES = Path(__file__).resolve().parent / "fixtures" / "clauses.yaml"

# Slots the drafting code fills from the case; the file may name them without a label.
AUTOMATIC_SLOTS = {
    "authority_name": ("Authority name", "Filled in from the case's authority."),
    "reference": ("Our reference", "Filled in from the case."),
    "received_date": ("Date the request was received", "Filled in from the case."),
    "cost_limit_pounds": ("Cost limit in pounds", "Filled in from the authority (450 or 600)."),
    "cost_limit_hours": ("Cost limit in hours", "Filled in from the authority (18 or 24)."),
    "response_days": ("Working days to respond", "Filled in from the regime."),
    "review_deadline_days": ("Working days to ask for a review", "Filled in from the regime."),
    "requester_name": ("Requester's name", "Filled in from the case."),
    "ncnd_covers": (
        "What the letter neither confirms nor denies",
        "Filled in from the decisions: every question, or the questions and parts neither "
        "confirmed nor denied.",
    ),
    "ico_office": (
        "The Information Commissioner's office",
        "Filled in from the authority's nation (Belfast for Northern Ireland, else Wilmslow).",
    ),
}

# Slots the officer fills that many clauses share, so the file may name them without a
# label and each means the same everywhere.
SHARED_SLOTS = {
    "subject": (
        "What the request is about, in the letter's words",
        "Completes phrases such as \u201cinformation about ...\u201d, e.g. \u201cthe use of "
        "drones at public events\u201d. The case's subject is a label for officers and is "
        "never put into a letter.",
    ),
}
BARE_SLOTS = {**AUTOMATIC_SLOTS, **SHARED_SLOTS}

# Kinds that only make sense for one exemption, and the modes each may take.
EXEMPTION_KINDS = {
    Clause.Kind.NCND_STATEMENT: {Clause.Mode.NCND},
    Clause.Kind.REFUSAL_STATEMENT: {Clause.Mode.WITHHOLD},
    Clause.Kind.HARM: {Clause.Mode.NCND, Clause.Mode.WITHHOLD, Clause.Mode.ANY},
    Clause.Kind.FACTORS_FAVOURING: {Clause.Mode.NCND, Clause.Mode.WITHHOLD, Clause.Mode.ANY},
    Clause.Kind.FACTORS_AGAINST: {Clause.Mode.NCND, Clause.Mode.WITHHOLD, Clause.Mode.ANY},
}
FACTOR_KINDS = {Clause.Kind.FACTORS_FAVOURING, Clause.Kind.FACTORS_AGAINST}
LETTER_PREFIX = "letter-"

ENTRY_FIELDS = ("code", "kind", "mode", "exemption", "title", "body", "slots")
SLOT_FIELDS = ("name", "label", "help", "per_question")
SLOT_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# Bodies are plain text with light markup; anything tag-like is a mistake or an attack.
HTML_TAG = re.compile(r"<\s*[a-zA-Z/!?]")


class ClauseLibraryError(FixtureFileError):
    """The clause file cannot be loaded; each problem names the file, clause and field."""


@dataclass
class LoadReport:
    path: str
    created: list = field(default_factory=list)
    revised: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)

    def summary(self):
        total = len(self.created) + len(self.revised) + len(self.unchanged)
        return (
            f"Clauses {self.path}: {total} in file ({len(self.created)} created, "
            f"{len(self.revised)} revised to a new version, {len(self.unchanged)} unchanged)."
        )


@dataclass
class ClauseEntry:
    """One clause from the file, checked and normalised, ready to compare or write."""

    code: str
    kind: str
    mode: str
    exemption: Exemption | None
    title: str
    body: str
    slots: list


def section_slug(section):
    """'27(1)' -> '27-1'; '40(2) first condition' -> '40-2-first-condition'."""
    return re.sub(r"[^a-z0-9]+", "-", section.lower()).strip("-")


def exemption_code_prefix(exemption):
    """Every clause code for an exemption starts with this, e.g. 'foia-s27-1-'."""
    return f"{exemption.regime.code.lower()}-s{section_slug(exemption.section)}-"


def load_clauses(path=DEFAULT_CLAUSES, *, user=None):
    """Validate the clause file at ``path`` and bring the library in line with it."""
    path = Path(path)
    entries = parse_clauses(path)
    return _write(path, entries, user)


def parse_clauses(path):
    """Read and check the whole file; return a list of ClauseEntry or raise."""
    path = Path(path)
    data = read_yaml_file(path, ClauseLibraryError)

    if not isinstance(data, dict) or not isinstance(data.get("clauses"), list):
        raise ClauseLibraryError(path, ["the top level must be a mapping with a 'clauses' list."])
    unknown = sorted(set(data) - {"clauses"}, key=str)
    if unknown:
        raise ClauseLibraryError(path, [f"unknown top-level key(s): {', '.join(unknown)}."])
    if not Exemption.objects.exists():
        raise ClauseLibraryError(
            path,
            [
                "the exemption catalogue is not loaded, so clauses cannot be linked to their "
                "exemptions. Run `python manage.py load_catalogue` first."
            ],
        )

    problems = []
    entries = []
    seen_codes = set()
    slot_labels = {}  # name -> (label, code of the first clause declaring it)
    catalogue = {
        (exemption.regime.code, exemption.section): exemption
        for exemption in Exemption.objects.select_related("regime")
    }
    saved = _latest_versions()
    for index, raw in enumerate(data["clauses"], start=1):
        entry = _check_entry(raw, index, catalogue, problems)
        if entry is None:
            continue
        if entry.code in seen_codes:
            problems.append(f"clause {entry.code}: field 'code' appears more than once.")
            continue
        seen_codes.add(entry.code)
        _check_slot_consistency(entry, slot_labels, problems)
        _check_against_library(entry, saved.get(entry.code), problems)
        entries.append(entry)
    if problems:
        raise ClauseLibraryError(path, problems)
    return entries


def _latest_versions(codes=None, lock=False):
    """{code: latest saved version}, in one query."""
    clauses = Clause.objects.order_by("code", "version")
    if codes is not None:
        clauses = clauses.filter(code__in=codes)
    if lock:
        clauses = clauses.select_for_update()
    return {clause.code: clause for clause in clauses}


def _check_entry(raw, index, catalogue, problems):
    """Check one entry; append problems and return a ClauseEntry only if it is sound."""
    if not isinstance(raw, dict):
        problems.append(f"clause #{index}: must be a mapping of field names to values.")
        return None
    code = raw.get("code")
    where = f"clause {code}" if isinstance(code, str) and code else f"clause #{index}"
    before = len(problems)

    for name in sorted(set(raw) - set(ENTRY_FIELDS), key=str):
        problems.append(f"{where}: unknown field '{name}'.")
    for name in ENTRY_FIELDS:
        if name not in raw:
            problems.append(f"{where}: field '{name}' is missing.")
    if len(problems) > before:
        return None

    if not isinstance(code, str) or not slug_re.match(code) or code != code.lower():
        problems.append(f"{where}: field 'code' must be lower-case letters, digits and hyphens.")
    elif len(code) > Clause._meta.get_field("code").max_length:
        problems.append(f"{where}: field 'code' is longer than 80 characters.")

    kind = raw["kind"]
    if kind not in Clause.Kind.values:
        problems.append(
            f"{where}: field 'kind' must be one of {', '.join(Clause.Kind.values)}, not {kind!r}."
        )
    mode = "" if raw["mode"] is None else raw["mode"]
    if mode not in Clause.Mode.values:
        problems.append(f"{where}: field 'mode' must be 'ncnd', 'withhold' or '', not {mode!r}.")

    title = raw["title"]
    if not isinstance(title, str) or not title.strip():
        problems.append(f"{where}: field 'title' must be a non-empty string.")
    elif len(title.strip()) > Clause._meta.get_field("title").max_length:
        problems.append(f"{where}: field 'title' is longer than 200 characters.")

    exemption = _find_exemption(raw["exemption"], catalogue, where, problems)
    slots = _check_slots(raw["slots"], where, problems)
    body = _check_body(raw["body"], code, slots, where, problems)
    if len(problems) > before:
        return None

    entry = ClauseEntry(
        code=code,
        kind=kind,
        mode=mode,
        exemption=exemption,
        title=title.strip(),
        body=body,
        slots=slots,
    )
    _check_kind_rules(entry, where, problems)
    return None if len(problems) > before else entry


def _find_exemption(value, catalogue, where, problems):
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"regime", "section"}:
        problems.append(
            f"{where}: field 'exemption' must be null or a mapping with 'regime' and 'section', "
            'e.g. {regime: FOIA, section: "31"}.'
        )
        return None
    regime, section = value["regime"], value["section"]
    # YAML reads an unquoted 21 as a number; the catalogue's sections are strings.
    if isinstance(section, int) and not isinstance(section, bool):
        section = str(section)
    if not isinstance(regime, str) or not isinstance(section, str):
        problems.append(f"{where}: field 'exemption' needs a regime code and a quoted section.")
        return None
    exemption = catalogue.get((regime, section))
    if exemption is None:
        if regime not in {code for code, _section in catalogue}:
            problems.append(f"{where}: field 'exemption' names unknown regime {regime!r}.")
        else:
            problems.append(
                f"{where}: field 'exemption' names {regime} section {section!r}, which is not "
                "in the catalogue (check exemptions/fixtures/catalogue.yaml and run "
                "`python manage.py load_catalogue`)."
            )
    return exemption


def _check_slots(value, where, problems):
    """Return the slots as [{"name", "label", "help"}], expanding automatic slot names."""
    if not isinstance(value, list):
        problems.append(f"{where}: field 'slots' must be a list (use [] for none).")
        return []
    slots = []
    for item in value:
        if isinstance(item, str):
            if item not in BARE_SLOTS:
                problems.append(
                    f"{where}: field 'slots': '{item}' is not filled automatically from the "
                    "case, so declare it as a mapping with name, label and help."
                )
                continue
            label, help_text = BARE_SLOTS[item]
            slots.append({"name": item, "label": label, "help": help_text})
            continue
        if not isinstance(item, dict) or not {"name", "label"} <= set(item):
            problems.append(
                f"{where}: field 'slots': each slot must be an automatic slot name or a "
                "mapping with name, label and help."
            )
            continue
        extra = sorted(set(item) - set(SLOT_FIELDS), key=str)
        if extra:
            problems.append(f"{where}: field 'slots': unknown slot field(s) {', '.join(extra)}.")
        name, label, help_text = item["name"], item["label"], item.get("help", "")
        if not isinstance(name, str) or not SLOT_NAME.match(name):
            problems.append(
                f"{where}: field 'slots': {name!r} is not a valid slot name "
                "(lower-case letters, digits and underscores, starting with a letter)."
            )
            continue
        if not isinstance(label, str) or not label.strip() or not isinstance(help_text, str):
            problems.append(f"{where}: field 'slots': slot '{name}' needs a text label and help.")
            continue
        if name in BARE_SLOTS:
            problems.append(
                f"{where}: field 'slots': '{name}' has a standard label; list it by name only."
            )
            continue
        per_question = item.get("per_question", False)
        if not isinstance(per_question, bool):
            problems.append(
                f"{where}: field 'slots': slot '{name}' has per_question {per_question!r}; "
                "use true or false."
            )
            continue
        slot = {"name": name, "label": label.strip(), "help": " ".join(help_text.split())}
        if per_question:
            # One value for each question the clause is used for (see drafting.slots).
            slot["per_question"] = True
        slots.append(slot)
    names = [slot["name"] for slot in slots]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        problems.append(f"{where}: field 'slots' declares {', '.join(duplicates)} twice.")
    return slots


def _check_body(value, code, slots, where, problems):
    """Return the normalised body after checking its syntax, slots and safety."""
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: field 'body' must be non-empty text.")
        return ""
    body = "\n".join(line.rstrip() for line in value.strip().splitlines())
    if HTML_TAG.search(body):
        problems.append(f"{where}: field 'body' contains HTML; bodies are plain text.")
        return body
    declared = [slot["name"] for slot in slots]
    try:
        undeclared = undeclared_slots(body, declared)
        used = undeclared_slots(body, [])
    except ClauseTemplateError as error:
        problems.append(f"{where}: field 'body' does not parse: {error}")
        return body
    if undeclared:
        names = ", ".join(sorted(undeclared))
        problems.append(f"{where}: field 'body' uses slot(s) not declared in 'slots': {names}.")
        return body
    unused = [name for name in declared if name not in used]
    if unused:
        problems.append(
            f"{where}: field 'slots' declares {', '.join(unused)}, which the body never uses."
        )
        return body
    # A trial render catches what parsing cannot, e.g. a body reaching for Python internals.
    try:
        trial_render(code, body, declared)
    except ClauseTemplateError as error:
        problems.append(f"{where}: field 'body' cannot be rendered: {error}")
    return body


def _check_kind_rules(entry, where, problems):
    """The kind, mode and exemption must fit together the way drafting looks them up."""
    exemption = entry.exemption
    if entry.kind in EXEMPTION_KINDS:
        if exemption is None:
            problems.append(f"{where}: field 'exemption' is required for kind {entry.kind}.")
            return
        if entry.mode not in EXEMPTION_KINDS[entry.kind]:
            allowed = " or ".join(repr(str(mode.value)) for mode in EXEMPTION_KINDS[entry.kind])
            problems.append(f"{where}: field 'mode' must be {allowed} for kind {entry.kind}.")
    if exemption is None:
        if not entry.code.startswith(LETTER_PREFIX):
            problems.append(
                f"{where}: field 'code' must start with '{LETTER_PREFIX}' for a clause "
                "with no exemption."
            )
        return
    prefix = exemption_code_prefix(exemption)
    if not entry.code.startswith(prefix):
        problems.append(f"{where}: field 'code' must start with '{prefix}' for {exemption}.")
    if entry.mode == Clause.Mode.NCND and not exemption.has_ncnd_provision:
        problems.append(
            f"{where}: field 'mode' is ncnd, but {exemption} has no neither-confirm-nor-deny "
            "provision."
        )
    if entry.kind in FACTOR_KINDS and not exemption.pit_applies:
        problems.append(
            f"{where}: field 'kind' is {entry.kind}, but {exemption} has no public interest test."
        )


def _check_slot_consistency(entry, slot_labels, problems):
    """One slot name is one form field per letter, so it must mean the same everywhere."""
    for slot in entry.slots:
        per_question = slot.get("per_question", False)
        first = slot_labels.setdefault(slot["name"], (slot["label"], entry.code, per_question))
        if first[0] != slot["label"]:
            problems.append(
                f"clause {entry.code}: field 'slots': '{slot['name']}' is labelled "
                f"{slot['label']!r} here but {first[0]!r} in clause {first[1]}."
            )
        elif first[2] != per_question:
            problems.append(
                f"clause {entry.code}: field 'slots': '{slot['name']}' is asked "
                f"{'per question' if per_question else 'once per letter'} here but not in "
                f"clause {first[1]}."
            )


def _check_against_library(entry, latest, problems):
    """A code is a stable identity: its kind, mode and exemption never change."""
    if latest is None:
        return
    for name, stored, wanted in (
        ("kind", latest.kind, entry.kind),
        ("mode", latest.mode, entry.mode),
        ("exemption", latest.exemption_id, entry.exemption.pk if entry.exemption else None),
    ):
        if stored != wanted:
            problems.append(
                f"clause {entry.code}: field '{name}' differs from the saved clause "
                f"({latest}); codes are stable, so give a changed clause a new code."
            )


def _is_unchanged(clause, entry):
    return (clause.title, clause.body, clause.slots) == (entry.title, entry.body, entry.slots)


@transaction.atomic
def _write(path, entries, user):
    report = LoadReport(path=str(path))
    saved = _latest_versions([entry.code for entry in entries], lock=True)
    for entry in entries:
        latest = saved.get(entry.code)
        if latest is None:
            clause = Clause(
                code=entry.code,
                kind=entry.kind,
                mode=entry.mode,
                exemption=entry.exemption,
                title=entry.title,
                body=entry.body,
                slots=entry.slots,
                created_by=user,
            )
            clause.clean()  # the model's own slot check; the rest was checked above
            clause.save()
            report.created.append(entry.code)
        elif _is_unchanged(latest, entry):
            report.unchanged.append(entry.code)
        else:
            latest.revise(body=entry.body, slots=entry.slots, title=entry.title, user=user)
            report.revised.append(entry.code)
    return report
