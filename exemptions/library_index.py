"""The clause library page: current clauses grouped by regime, then by provision in
statutory order (section 21 before 22 before 100; limbs under their section), then the
letter wording that belongs to no provision; and a search over title, provision and text.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Q

from exemptions.models import Clause, Regime

TOKEN = re.compile(r"\d+|[A-Za-z]+")
# "s21", "section 21(1)", "reg 12(4)(a)", "regulation 13": the provision part of a search.
PROVISION_WORDS = re.compile(r"^(?:s|sec|section|r|reg|regulation)\.?\s*(?=\d)", re.IGNORECASE)
KIND_ORDER = {value: index for index, (value, _label) in enumerate(Clause.Kind.choices)}
# Letter wording with no provision: the regime its code ends with, else every regime.
REGIME_SUFFIXES = {"-eir": Regime.EIR, "-foisa": Regime.FOISA}
ANY_REGIME = ""
REGIME_NAMES = {
    Regime.FOIA: "Freedom of Information Act 2000 (FOIA)",
    Regime.EIR: "Environmental Information Regulations 2004 (EIR)",
    Regime.FOISA: "Freedom of Information (Scotland) Act 2002 (FOISA)",
}


def provision_key(section: str) -> tuple:
    """Statutory order: 12(4)(a) < 12(4)(b) < 12(5) < 13; 40(2) < 40(5A) < 40(5B)."""
    return tuple(
        (0, int(token), "") if token.isdigit() else (1, 0, token.lower())
        for token in TOKEN.findall(section)
    )


def clause_key(clause) -> tuple:
    return (KIND_ORDER.get(clause.kind, len(KIND_ORDER)), clause.mode, clause.title, clause.code)


def letter_regime(clause) -> str:
    for suffix, code in REGIME_SUFFIXES.items():
        if clause.code.endswith(suffix):
            return code
    return ANY_REGIME


@dataclass
class Provision:
    section: str
    title: str
    word: str  # "section" or "regulation"
    clauses: list = field(default_factory=list)


@dataclass
class Shelf:
    code: str  # a regime code, or "" for letter wording any regime uses
    name: str
    provisions: list = field(default_factory=list)
    letter_clauses: list = field(default_factory=list)

    @property
    def count(self):
        return sum(len(p.clauses) for p in self.provisions) + len(self.letter_clauses)


def matching(text: str):
    """Current clauses whose title, provision or text holds ``text`` (any case)."""
    clauses = Clause.objects.current().select_related("exemption", "exemption__regime")
    text = (text or "").strip()
    if text:
        provision = PROVISION_WORDS.sub("", text)
        clauses = clauses.filter(
            Q(title__icontains=text)
            | Q(body__icontains=text)
            | Q(exemption__title__icontains=text)
            | Q(exemption__section__istartswith=provision)
        )
    return clauses


def shelves(clauses) -> list[Shelf]:
    """The clauses on one shelf per regime (FOIA, EIR, FOISA), then letter wording for
    any regime; empty shelves are left out."""
    by_code = {code: Shelf(code, name) for code, name in REGIME_NAMES.items()}
    by_code[ANY_REGIME] = Shelf(ANY_REGIME, "Letter wording for every regime")
    provisions: dict[tuple, Provision] = {}
    for clause in clauses:
        exemption = clause.exemption
        if exemption is None:
            by_code[letter_regime(clause)].letter_clauses.append(clause)
            continue
        key = (exemption.regime.code, exemption.section)
        if key not in provisions:
            provisions[key] = Provision(
                exemption.section, exemption.title, exemption.provision_word
            )
            by_code.setdefault(
                exemption.regime.code, Shelf(exemption.regime.code, exemption.regime.code)
            )
            by_code[exemption.regime.code].provisions.append(provisions[key])
        provisions[key].clauses.append(clause)
    result = []
    for shelf in by_code.values():
        shelf.provisions.sort(key=lambda provision: provision_key(provision.section))
        for provision in shelf.provisions:
            provision.clauses.sort(key=clause_key)
        shelf.letter_clauses.sort(key=clause_key)
        if shelf.count:
            result.append(shelf)
    return result
