"""Unit tests of ``events.actors``: the actor list, ACLED actor types, nationality adjectives and roles."""
from __future__ import annotations

import csv
from collections import defaultdict

import pytest

from conflictmap.events.actors import (
    ACTORS_FILE,
    GOVERNMENT_FORCES,
    NATIONALITIES_FILE,
    Roles,
    actor_type,
    assign_roles,
    find_actor_spans,
    find_actors,
)
from conflictmap.model import ACTOR_TYPES


def _names(text: str, country_code: str = "", context: str = "") -> list[str]:
    return [a.name for a in find_actors(text, country_code=country_code, context=context)]


def _roles(text: str, cue: str, event_type: str, country_code: str = "") -> Roles:
    start = text.index(cue)
    spans = find_actor_spans(text)
    return assign_roles(text, spans, event_type, start, start + len(cue), country_code=country_code)


# -- the files -------------------------------------------------------------------------------

def test_actor_list_keeps_the_geo_columns_and_types_every_actor_once() -> None:
    with ACTORS_FILE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {"actor", "side", "alias", "requires", "country", "actor_type"} <= set(rows[0])
    types: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        types[row["actor"]].add(row["actor_type"])
        assert row["side"] in {"state", "non-state", "civilian"}, row
        assert len(row["country"]) in (0, 2), row
    assert {a: t for a, t in types.items() if len(t) != 1} == {}
    assert {int(next(iter(t))) for t in types.values()} <= set(ACTOR_TYPES)
    # A condition names an actor that some unconditional alias names, or is "!word" (unless the story has it).
    unconditional = {r["actor"] for r in rows if not r["requires"]}
    assert {r["requires"] for r in rows if r["requires"] and not r["requires"].startswith("!")} <= unconditional
    assert len({(r["alias"].lower(), r["requires"]) for r in rows}) == len(rows)


def test_nationalities_name_the_generic_forces_of_their_country() -> None:
    with NATIONALITIES_FILE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    forces = {r["country"]: r["forces"] for r in rows}
    for code, name in GOVERNMENT_FORCES.items():
        if code in forces:
            assert forces[code] == name, code
    assert {"SD", "ET", "CD", "ML", "BF", "MM", "PK", "IN", "UA", "CO", "MX", "HT"} <= set(forces)


# -- actor types -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("name", "country", "expected"),
    [
        ("Government forces", "", 1),
        ("Syrian government forces", "SY", 1),
        ("Sudanese Armed Forces", "SD", 1),
        ("Police", "", 1),
        ("Unidentified armed group", "", 3),
        ("Protesters", "", 6),
        ("Rioters", "", 5),
        ("Civilians", "", 7),
        ("RSF", "SD", 2),
        ("Popular Mobilization Forces", "IQ", 3),
        ("Fulani ethnic militia", "NG", 4),
        ("AMISOM", "SO", 8),
        ("UN peacekeepers", "CD", 8),
        ("Wagner Group", "ML", 8),
        # A state's forces abroad are external forces, as ACLED codes them; at home state forces.
        ("Russian forces", "", 1),
        ("Russian forces", "UA", 8),
        ("Russian forces", "RU", 1),
        ("Turkish forces", "SY", 8),
        ("Kenyan police", "HT", 8),
        ("Israeli forces", "PS", 1),
        ("Israeli forces", "LB", 8),
        ("No such group", "", None),
    ],
)
def test_actor_type(name: str, country: str, expected: int | None) -> None:
    assert actor_type(name, country_code=country) == expected


def test_every_generic_government_name_is_state_forces() -> None:
    assert {actor_type(name, country_code=code) for code, name in GOVERNMENT_FORCES.items()} == {1}


# -- worldwide coverage ----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("RSF fighters clashed with the Sudanese army in Omdurman", "SD", ["RSF", "Sudanese Armed Forces"]),
        ("SAF troops recaptured Wad Madani from the RSF", "SD", ["Sudanese Armed Forces", "RSF"]),
        ("the army shelled Rapid Support Forces positions", "SD", ["Sudanese Armed Forces", "RSF"]),
        ("SSPDF soldiers fought the SPLA-IO", "SS", ["South Sudanese forces", "SPLA-IO"]),
        ("the ENDF and Fano militiamen clashed; TDF and OLA fighters", "ET",
         ["Ethiopian forces", "Fano", "TPLF", "OLA"]),
        ("M23 rebels and FARDC soldiers; ADF rebels, CODECO and Wazalendo", "CD",
         ["M23", "Congolese forces", "ADF", "CODECO", "Wazalendo"]),
        ("JNIM attacked FAMa and Wagner mercenaries", "ML", ["JNIM", "Malian forces", "Wagner Group"]),
        ("Islamic State Sahel Province fighters attacked VDP volunteers", "BF", ["IS Sahel", "VDP"]),
        ("ISWAP fighters, bandits, Amotekun and the NSCDC", "NG", ["ISWAP", "Bandits", "Amotekun", "NSCDC"]),
        ("Ambazonian separatists ambushed Cameroonian troops", "CM", ["Ambazonian separatists", "Cameroonian forces"]),
        ("Islamic State Mozambique attacked Mozambican soldiers", "MZ", ["IS Mozambique", "Mozambican forces"]),
        ("the LNA and GNA forces fought south of Tripoli", "LY", ["LNA", "Libyan government forces"]),
        ("the Tatmadaw, junta troops, the PDF, the Arakan Army, KIA, TNLA, MNDAA and the KNU", "MM",
         ["Myanmar forces", "PDF", "Arakan Army", "TNLA", "MNDAA", "KNU/KNLA"]),
        ("NPA rebels, Abu Sayyaf and the BIFF attacked the Armed Forces of the Philippines", "PH",
         ["NPA", "Abu Sayyaf", "BIFF", "Philippine forces"]),
        ("BRN insurgents attacked Thai rangers", "TH", ["BRN", "Thai forces"]),
        ("TTP and BLA militants attacked the Frontier Corps; police returned fire", "PK",
         ["TTP", "BLA", "Pakistani forces", "Pakistani police"]),
        ("Maoists ambushed CRPF jawans; BSF troops; BJP workers attacked TMC supporters", "IN",
         ["Maoists", "Indian police", "Indian forces", "BJP", "TMC"]),
        ("Awami League activists attacked BNP supporters", "BD", ["Awami League", "BNP"]),
        ("IS-K claimed the attack on Taliban fighters", "AF", ["IS-K", "Taliban"]),
        ("the Armed Forces of Ukraine repelled Russian troops; the AFU said", "UA",
         ["Ukrainian forces", "Russian forces"]),
        ("the IDF struck Hamas and Palestinian Islamic Jihad; Hezbollah fired rockets; settlers attacked", "PS",
         ["Israeli forces", "Hamas", "PIJ", "Hezbollah", "Israeli settlers"]),
        ("Israeli settlers attacked Huwara", "PS", ["Israeli settlers"]),
        ("Ansar Allah fired at STC forces", "YE", ["Houthis", "STC"]),
        ("the ELN, FARC dissidents and the Clan del Golfo", "CO", ["ELN", "FARC dissidents", "Clan del Golfo"]),
        ("CJNG gunmen and the Sinaloa Cartel; the National Guard", "MX", ["CJNG", "Sinaloa Cartel", "Mexican forces"]),
        ("Viv Ansanm gangs attacked the Haitian National Police", "HT", ["Viv Ansanm", "Haitian police"]),
    ],
)
def test_actors_of_the_worlds_wars(text: str, country: str, expected: list[str]) -> None:
    assert _names(text, country) == expected


def test_ambiguous_acronyms_need_their_story() -> None:
    # "KIA" is killed in action, "PDF" a file, "SNA" two armies, "RSF" Reporters Without Borders.
    assert _names("two KIA, a PDF report") == []
    assert _names("KIA fighters", context="The Kachin Independence Army (KIA) said KIA fighters") == [
        "Kachin Independence Army"
    ]
    assert _names("attacked an SNA base") == []
    assert _names("al-Shabaab attacked an SNA base") == ["al-Shabaab", "Somali government forces"]
    assert _names("the SDF and the SNA clashed") == ["SDF", "Turkish-backed rebels"]
    assert _names("RSF said the journalist was detained", context="Reporters Without Borders (RSF) said") == [
        "Civilians"
    ]


# -- generic words ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("gunmen, unidentified gunmen, armed men, an armed man, attackers and assailants", "",
         ["Unidentified armed group"]),
        ("militants attacked a checkpoint", "", ["Unidentified armed group"]),
        ("bandits and vigilantes", "NG", ["Bandits", "Vigilantes"]),
        ("a mob lynched a man", "IN", ["Rioters"]),
        ("protesters and demonstrators", "", ["Protesters"]),
        ("police and policemen", "", ["Police"]),
        ("police fired tear gas", "IN", ["Indian police"]),
        ("security forces and the army", "SD", ["Sudanese Armed Forces"]),
        ("troops and soldiers", "MM", ["Myanmar forces"]),
        ("soldiers raided the camp", "PS", ["Israeli forces"]),
    ],
)
def test_generic_actor_words(text: str, country: str, expected: list[str]) -> None:
    assert _names(text, country) == expected


def test_generic_words_are_the_group_a_story_names() -> None:
    story = "JNIM claimed the attack. Militants and jihadists attacked the town."
    assert _names("Militants and jihadists attacked the town.", "ML", context=story) == ["JNIM"]
    assert _names("Militants attacked the town.", "ML") == ["Unidentified armed group"]
    assert _names("jihadists attacked", context="jihadists attacked") == []


def test_a_generic_head_after_a_named_actor_is_part_of_it() -> None:
    spans = find_actor_spans("Boko Haram gunmen and Syrian army soldiers attacked")
    assert [(s.name, s.start, s.end) for s in spans] == [
        ("Boko Haram", 0, 17), ("Syrian government forces", 22, 42)
    ]


# -- nationality adjectives ------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("An Israeli air strike killed five", [("Israeli forces", "Israeli air strike")]),
        ("Russian shelling hit Kharkiv", [("Russian forces", "Russian shelling")]),
        ("a Turkish drone struck a car", [("Turkish forces", "Turkish drone")]),
        ("Ukrainian artillery pounded the town", [("Ukrainian forces", "Ukrainian artillery")]),
        ("US forces conducted airstrikes", [("US forces", "US forces")]),
        ("Pakistani troops killed three", [("Pakistani forces", "Pakistani troops")]),
        ("Syrian regime jets bombed Idlib", [("Syrian government forces", "Syrian regime jets")]),
        ("two Russian ballistic missiles hit Poltava", [("Russian forces", "Russian ballistic missiles")]),
        ("killed by Israeli fire", [("Israeli forces", "Israeli fire")]),
        ("Nigeria's army said", [("Nigerian forces", "Nigeria's army")]),
        ("Kenyan police officers patrolled", [("Kenyan police", "Kenyan police officers")]),
        ("Sudanese warplanes bombed Nyala", [("Sudanese Armed Forces", "Sudanese warplanes")]),
        ("Myanmar junta troops", [("Myanmar forces", "Myanmar junta troops")]),
        ("Russian and Syrian warplanes struck",
         [("Russian forces", "Russian"), ("Syrian government forces", "Syrian warplanes")]),
        ("air defences shot down 35 Russian drones",
         [("{government}", "air defences"), ("Russian forces", "Russian drones")]),
    ],
)
def test_a_nationality_before_a_force_or_weapon_names_its_forces(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(s.name, text[s.start : s.end]) for s in find_actor_spans(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Syrian refugees crossed the border",
        "Russian-made missiles hit the town",
        "Israeli officials said",
        "Turkish Airlines resumed flights",
        "pro-Russian forces",
        "US military aid to Kyiv",
        "an Israeli military spokesman said",
        "the Turkish fire brigade",
        "Russia launched Iranian drones",
        "Ukraine fired American missiles at the bridge",
        "Turkish drones flown by the operator",
        "The Indian Ocean and French fries",
        "against the military takeover",
    ],
)
def test_nationalities_that_name_no_force(text: str) -> None:
    assert [s.name for s in find_actor_spans(text) if s.side == "state"] == []


def test_the_iranian_backed_militia_is_not_iran() -> None:
    assert _names("the Iranian-backed militia fired rockets") == ["Iran-backed militias"]


# -- roles -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "cue", "event_type", "country", "expected"),
    [
        # Passive: the agent after "by"; the subject is the target.
        ("Two villagers were shot by an armed man.", "shot", "Violence against civilians", "NG",
         ("Unidentified armed group", "Civilians")),
        ("Three soldiers were killed by IS near Kirkuk.", "killed", "Battles", "IQ", ("IS", "Iraqi forces")),
        ("Three civilians were killed in a Russian air strike.", "killed", "Explosions/Remote violence", "SY",
         ("Russian forces", "Civilians")),
        ("Soldiers killed in IS ambush", "killed", "Battles", "IQ", ("IS", "Iraqi forces")),
        # Active: the nearest actor before the cue; the target after it.
        ("Al-Shabaab militants attacked SNA positions.", "attacked", "Battles", "SO",
         ("al-Shabaab", "Somali government forces")),
        ("SDF fighters clashed with HTS near Manbij.", "clashed", "Battles", "SY", ("SDF", "HTS")),
        ("The army shelled RSF positions in Omdurman.", "shelled", "Explosions/Remote violence", "SD",
         ("Sudanese Armed Forces", "RSF")),
        ("Russian warplanes struck Khan Shaykhun, killing three civilians.", "struck", "Explosions/Remote violence",
         "SY", ("Russian forces", "Civilians")),
        # "A and B clashed", "between A and B".
        ("Syrian regime forces and HTS fighters clashed.", "clashed", "Battles", "SY",
         ("Syrian government forces", "HTS")),
        ("Fighting broke out between government troops and local gunmen.", "Fighting", "Battles", "SY",
         ("Syrian government forces", "Unidentified armed group")),
        # No agent before the cue: the first actor after it that is not hit by it.
        ("An IED exploded, killing a member of the Popular Mobilisation Forces.", "IED", "Explosions/Remote violence",
         "IQ", ("", "Popular Mobilization Forces")),
        # Supporters and sources play no role.
        ("SDF fighters backed by coalition advisers fought IS in Hajin.", "fought", "Battles", "SY", ("SDF", "IS")),
        ("Gunmen attacked a village on Sunday, police said.", "attacked", "Violence against civilians", "NG",
         ("Unidentified armed group", "Civilians")),
    ],
)
def test_agent_and_target(text: str, cue: str, event_type: str, country: str, expected: tuple[str, str]) -> None:
    roles = _roles(text, cue, event_type, country)
    assert (roles.actor1, roles.actor2) == expected


@pytest.mark.parametrize(
    ("text", "cue", "event_type", "expected"),
    [
        ("Thousands held a demonstration in Baghdad.", "demonstration", "Protests", ("Protesters", "")),
        ("Protesters marched to parliament and police fired tear gas.", "marched", "Protests",
         ("Protesters", "Iraqi police")),
        ("Security forces fired live rounds at protesters.", "protesters", "Protests",
         ("Iraqi forces", "Protesters")),
        ("Hundreds marched to the UN mission, demanding that the peacekeepers leave.", "marched", "Protests",
         ("Protesters", "")),
        ("Protesters stormed and set fire to the Iranian consulate.", "stormed", "Riots", ("Rioters", "")),
        ("A mob beat a man to death.", "mob", "Riots", ("Rioters", "Civilians")),
        ("Gunmen abducted a trader near Kirkuk.", "abducted", "Violence against civilians",
         ("Unidentified armed group", "Civilians")),
        ("A man was found dead near Kirkuk.", "found dead", "Violence against civilians",
         ("Unidentified armed group", "Civilians")),
        ("Iraqi troops raised the flag over the Old City.", "raised", "Battles", ("Iraqi forces", "")),
    ],
)
def test_defaults_by_event_type(text: str, cue: str, event_type: str, expected: tuple[str, str]) -> None:
    roles = _roles(text, cue, event_type, "IQ")
    assert (roles.actor1, roles.actor2) == expected


def test_roles_carry_acled_types_and_never_one_actor_twice() -> None:
    assert _roles("A Turkish drone struck a car, killing two Asayish members.", "drone",
                  "Explosions/Remote violence", "SY") == Roles("Turkish forces", "Asayish", 8, 3)
    assert _roles("Israeli forces raided Jenin and killed two Palestinian militants.", "raided", "Battles",
                  "PS") == Roles("Israeli forces", "Palestinian militants", 1, 3)
    roles = _roles("IS militants attacked IS positions.", "attacked", "Battles", "IQ")
    assert (roles.actor1, roles.actor2, roles.type1, roles.type2) == ("IS", "", 2, None)
