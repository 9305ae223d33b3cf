"""Word lists of the gazetteer recogniser, as data (the algorithm is in ``recognise.gazetteer``).

Lower-case unless noted. Add a word here, with the reason in a comment, when
the dev sets show a new trap; the rules that read each list say how it counts.
"""
from __future__ import annotations

#: Lower-case words allowed inside a multi-word place name.
PARTICLES = frozenset(
    "al el ar er ad ed an en as es at et az ez ash ath ul de del della di da das dos do du des "
    "la le les of on upon sur sous au aux y i am im an der bin ibn bani bou abu and the".split()
)
#: Lower-case links inside Arabic personal names ("Abu Bakr al-Baghdadi").
NAME_LINKS = frozenset("al el ar ad an as at az ez ash ibn bin bint abu".split())
#: The links no English sentence uses between two capitalised words.
ARABIC_LINKS = frozenset("al el ibn bin bint abu".split())
#: Words after a name that make it a place of that kind ("Deir Ezzor province").
ADMIN_WORDS = frozenset(
    "province governorate region district state oblast county prefecture department "
    "municipality canton emirate raion krai territory".split()
)
#: Capitalised words that are never places here, whatever the gazetteer says
#: (GeoNames has a "Thursday Island" and places called "Nov").
NEVER = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december jan feb mar apr jun jul aug sep sept "
    "oct nov dec mon tue wed thu fri sat sun dr mr mrs ms prof north south east west northern "
    "southern eastern western central centre center upper lower middle greater new old great "
    "little capital christmas easter ramadan eid hanukkah diwali "
    # News agencies named like places (Xinhua is a Chinese town; Anadolu is Anatolia).
    "xinhua yonhap kyodo bernama interfax anadolu "
    # Generic words that GeoNames also has as province names (Tanzania's "Coast").
    "coast coastal lakes highlands islands plateau plateaux littoral maritime border river "
    "mountain mountains savanes lagoons centrale "
    # Names of faiths and their founders, which village gazetteers (Who's On First)
    # also hold as places ("Jesus" in Haiti, "Muslim" in Turkey): in news they are none.
    "jesus christ allah allahu muslim muslims hindu hindus buddha".split()
)
#: Weekday names never start a name ("Thursday Island" in wire copy is "on Thursday, Island ...").
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
#: Abbreviated titles whose period does not end a sentence ("Gov. Hugh Carey").
TITLE_ABBREVS = frozenset("gov sen rep dr mr mrs ms gen lt col maj capt sgt prof rev st".split())
#: Capitalised words that may follow a place without making it part of a longer
#: name: offices and roles ("New York Gov.", "Quebec Health Minister"), parties,
#: days, and function words that lost their line break ("Texas A white ...").
AFTER_PLACE = frozenset(
    "gov governor premier minister mp mla mayor president senator sen rep police army health "
    "finance foreign interior defence defense education justice republican republicans democrat "
    "democrats democratic conservative conservatives liberal liberals labour archbishop bishop "
    "ambassador officials official authorities residents native natives assistant attorney "
    "district county province state city a an the i in on at as and but".split()
)
#: "El Niño", "La Niña" are weather, not the towns GeoNames also calls Nina (folded forms).
WEATHER_WORDS = frozenset({"nino", "nina"})
#: Titles before a capitalised word that make it a person's name.
TITLES = frozenset(
    "mr mrs ms dr sir lord lady president minister general gen col colonel sheikh king queen "
    "prince pope saint st judge senator rep spokesman spokeswoman commander".split()
)
#: Abbreviations a name may start with, period and all ("St. Marc"); as written.
ABBREVS = frozenset({"St", "Ste", "Mt", "Ft", "Pt"})
#: French elisions that start a later word of a name ("Côte d'Ivoire").
ELISIONS = ("d'", "l'", "d\u2019", "l\u2019")
