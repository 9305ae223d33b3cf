"""The cue file and the classifier over it: one test per family of cues (data/vocab/event_cues.tsv)."""
from __future__ import annotations

from pathlib import Path

import pytest

from conflictmap.events.actors import find_actors
from conflictmap.events.cues import compile_pattern, find_cues, read_cue_rows
from conflictmap.events.vocab import classify_event


def _kind(clause: str) -> tuple[str, str] | None:
    kind = classify_event(clause, find_actors(clause))
    return (kind.event_type, kind.sub_event_type) if kind else None


def test_every_row_of_the_cue_file_compiles() -> None:
    rows = read_cue_rows()
    assert len(rows) > 150
    for row in rows:
        assert compile_pattern(row.pattern)


def test_a_bad_row_is_an_error_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "cues.tsv"
    bad.write_text("# comment\nexplosion\tX\tY\n", encoding="utf-8")
    with pytest.raises(ValueError, match="cues.tsv:2"):
        read_cue_rows(bad)
    bad.write_text("bogus\tX\tY\t\tword\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown family"):
        read_cue_rows(bad)


def test_pattern_syntax() -> None:
    assert compile_pattern("sit-in") == [{"LOWER": "sit"}, {"LOWER": "-"}, {"LOWER": "in"}]
    assert compile_pattern("[land] mine|mines")[0] == {"LOWER": "land", "OP": "?"}
    assert compile_pattern("shell*")[0]["LOWER"]["REGEX"].startswith("^")
    assert compile_pattern("set ... fire")[1] == {"OP": "{0,3}"}
    with pytest.raises(ValueError):
        compile_pattern("... fire")


def test_cues_carry_their_words_and_offsets() -> None:
    text = "Around 300 farmers staged a dharna outside the office"
    (cue,) = [c for c in find_cues(text) if c.family == "protest"]
    assert cue.text == "dharna" and text[cue.start : cue.end] == "dharna"


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("Students held a protest against the fee hike", ("Protests", "Peaceful protest")),
        ("Teachers staged a sit-in outside the ministry", ("Protests", "Peaceful protest")),
        ("Farmers staged a dharna at the collectorate", ("Protests", "Peaceful protest")),
        ("Workers began an indefinite hunger strike", ("Protests", "Peaceful protest")),
        ("Villagers blocked the main road for three hours", ("Protests", "Peaceful protest")),
        ("Hundreds marched to the governor's office", ("Protests", "Peaceful protest")),
        ("Party workers gheraoed the block officer", ("Protests", "Peaceful protest")),
        ("The opposition called a shutdown in the district", ("Protests", "Peaceful protest")),
        ("Police baton-charged students demanding jobs", None),  # no protest word: not a protest alone
        ("Police baton-charged protesters demanding jobs", ("Protests", "Protest with intervention")),
        ("Police dispersed the demonstrators with tear gas", ("Protests", "Protest with intervention")),
        ("Police lathi-charged the rally", ("Protests", "Protest with intervention")),
        ("Troops opened fire on protesters", ("Protests", "Excessive force against protesters")),
        ("The protest turned violent", ("Riots", "Violent demonstration")),
        ("Youths pelted stones at the police", ("Riots", "Violent demonstration")),
        ("Protesters torched two buses", ("Riots", "Violent demonstration")),
        ("A mob lynched a man accused of theft", ("Riots", "Mob violence")),
        ("A crowd beat to death a man accused of stealing a goat", ("Riots", "Mob violence")),
        ("A crowd dragged a man out of his home and beat him to death", ("Riots", "Mob violence")),
        ("A mob lynched five men accused of kidnapping children", ("Riots", "Mob violence")),  # the accusation
        ("Protesters broke into the consulate and set the building ablaze", ("Riots", "Violent demonstration")),
        ("Police swung batons to scatter hundreds of opposition supporters", ("Protests", "Protest with intervention")),
        # A crowd calling for an end to fighting is a peaceful protest.
        ("Hundreds of women marched through the city calling for an end to the fighting",
         ("Protests", "Peaceful protest")),
        # How a march is met: broken up, with batons, with arrests.
        ("Police used batons to break up a march by civil servants", ("Protests", "Protest with intervention")),
        ("Police used water cannon against a rights march and arrested its organisers",
         ("Protests", "Protest with intervention")),
        ("Riot police used water cannon to disperse protesters", ("Protests", "Protest with intervention")),
        # Violent demonstrators make a riot however they are met.
        ("Police fired on a crowd that had thrown stones at them", ("Riots", "Violent demonstration")),
        ("Protesters clashed with members of another caste group", ("Riots", "Violent demonstration")),
        ("Protesters threw stones and police fired stun grenades", ("Riots", "Violent demonstration")),
        ("Youths burned tyres and barricaded roads to protest a fuel price rise", ("Riots", "Violent demonstration")),
        ("Supporters marched on the embassy, setting fire to a door", ("Riots", "Violent demonstration")),
        ("Hundreds of people gathered outside the offices demanding a release", ("Protests", "Peaceful protest")),
        ("Residents took to the streets to denounce insecurity", ("Protests", "Peaceful protest")),
        ("Police fired tear gas and detained dozens of supporters of the jailed leader",
         ("Protests", "Protest with intervention")),
        ("Teachers marched over months of unpaid salaries", ("Protests", "Peaceful protest")),
        ("Party workers rallying on the Mall were baton-charged by police", ("Protests", "Protest with intervention")),
        ("A man was beaten to death by a crowd in the market", ("Riots", "Mob violence")),
        ("Traders set upon two young men, beating them and setting them on fire", ("Riots", "Mob violence")),
        ("Residents seized three men, stoned them and set their bodies on fire", ("Riots", "Mob violence")),
        ("Students threw firecrackers at state police guarding the building", ("Riots", "Violent demonstration")),
        ("Youths hurled ping-pong bombs and stones at riot police", ("Riots", "Violent demonstration")),
        # The grievance a crowd names is not an event of its own.
        ("Students blocked the road demanding justice after two pupils were killed by a bus",
         ("Protests", "Peaceful protest")),
        # ... but the grievance ends where the crowd's own act begins.
        ("Protesters angered by the death of a boy run over by a police truck set fire to the council office",
         ("Riots", "Violent demonstration")),
        ("A group of men beat a shopkeeper to death after accusing him of theft", ("Riots", "Mob violence")),
        ("Protesters angry at the fall of the town to rebels attacked the embassies, starting fires",
         ("Riots", "Violent demonstration")),
        ("Protesters furious over the explosion at the port stormed the foreign ministry",
         ("Riots", "Violent demonstration")),
        ("Protesters used a truck to smash open a gate of the ministry", ("Riots", "Violent demonstration")),
        ("Farmers staged a mock parliament near the assembly to press their demands", ("Protests", "Peaceful protest")),
        ("Jamaat and BNP activists set fire to three buses at the terminal", ("Riots", "Violent demonstration")),
        # An armed side's burning or killing is no crowd's, whoever its victims are.
        ("About 15 New People's Army rebels set fire to a bulldozer and two trucks",
         ("Strategic developments", "Looting/property destruction")),
        ("Fighters armed with machetes attacked villagers, killing 12 people and setting fire to houses",
         ("Violence against civilians", "Attack")),
        # A prayer vigil is worship, not a protest.
        ("Militants attacked worshippers gathered for a night vigil at the parish church, killing 43 people",
         ("Violence against civilians", "Attack")),
        ("Gunmen raided a house and took away a media activist", ("Violence against civilians",
                                                                 "Abduction/forced disappearance")),
        # Rape is sexual violence whoever commits it.
        ("A mob of armed men paraded two women naked and sexually assaulted them",
         ("Violence against civilians", "Sexual violence")),
    ],
)
def test_crowds(clause: str, expected: tuple[str, str] | None) -> None:
    assert _kind(clause) == expected


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("Two men were shot by an armed man", ("Violence against civilians", "Attack")),
        ("A man was found dead near the river", ("Violence against civilians", "Attack")),
        ("Gunmen shot dead the owner of a shop", ("Violence against civilians", "Attack")),
        ("Militants killed a revenue collector", ("Violence against civilians", "Attack")),
        ("The body of a farmer was found in a well", ("Violence against civilians", "Attack")),
        ("Gunmen abducted a trader", ("Violence against civilians", "Abduction/forced disappearance")),
        ("Armed men seized a rubber farmer from his plantation",
         ("Violence against civilians", "Abduction/forced disappearance")),
        ("Gunmen seized an organiser of the sit-in outside his home",
         ("Violence against civilians", "Abduction/forced disappearance")),
        ("Men in plain clothes took a student to an unknown location",
         ("Violence against civilians", "Abduction/forced disappearance")),
        ("The militants put two men to death by firing squad", ("Violence against civilians", "Attack")),
        ("Militants seized at least 20 men gathering truffles in the desert",
         ("Violence against civilians", "Abduction/forced disappearance")),
        ("Gunmen seized a pharmacist from his shop", ("Violence against civilians", "Abduction/forced disappearance")),
        # A month called May is no "may" of intent.
        ("On 3 May 2020 militants abducted four shepherds",
         ("Violence against civilians", "Abduction/forced disappearance")),
        ("He was taken from the family home by men in plain clothes",
         ("Violence against civilians", "Abduction/forced disappearance")),
        ("Suspected militants attacked the village, killing eleven", ("Violence against civilians", "Attack")),
        ("The girl was raped by soldiers", ("Violence against civilians", "Sexual violence")),
        # Who told it is not a side: "police said" makes no armed party.
        ("A village headman was shot dead by gunmen, police said", ("Violence against civilians", "Attack")),
        ("Gunmen ambushed vehicles carrying women and children", ("Violence against civilians", "Attack")),
        ("Soldiers killed seven villagers during a raid on a village", ("Violence against civilians", "Attack")),
    ],
)
def test_violence_against_one_person(clause: str, expected: tuple[str, str]) -> None:
    assert _kind(clause) == expected


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("The army said its forces repelled an attack near the town", ("Battles", "Armed clash")),
        ("Police killed two militants in an encounter", ("Battles", "Armed clash")),
        ("Troops and rebels exchanged fire", ("Battles", "Armed clash")),
        ("A gunfight broke out at the checkpoint", ("Battles", "Armed clash")),
        ("Militants skirmished with soldiers near the town", ("Battles", "Armed clash")),
        ("Government forces launched a counter-attack on rebel positions", ("Battles", "Armed clash")),
        ("Rebels drove the army out of the town", ("Battles", "Non-state actor overtakes territory")),
        ("Commandos backed by air support retook the district centre from the Taliban",
         ("Battles", "Government regains territory")),
        ("Government troops entered the town and raised the national flag over the town hall",
         ("Battles", "Government regains territory")),
        # A habit of something the clause names is not the clause's: "rebels who had held them for years".
        ("Government forces pushed into the outskirts, capturing villages from rebels who had held them for years",
         ("Battles", "Government regains territory")),
        ("Gang members attacked the town, taking control of it after police withdrew",
         ("Battles", "Non-state actor overtakes territory")),
        ("Taliban fighters seized the Imam Sahib district centre", ("Battles", "Non-state actor overtakes territory")),
        ("Rebel fighters claimed full control of the city after months of fighting",
         ("Battles", "Non-state actor overtakes territory")),
    ],
)
def test_battles(clause: str, expected: tuple[str, str]) -> None:
    assert _kind(clause) == expected


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("A drone strike hit a car", ("Explosions/Remote violence", "Air/drone strike")),
        ("A Shahed drone struck an energy plant", ("Explosions/Remote violence", "Air/drone strike")),
        ("A glide bomb hit a factory", ("Explosions/Remote violence", "Air/drone strike")),
        ("Soldiers stepped on a landmine", ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
        ("A grenade was thrown into a shop", ("Explosions/Remote violence", "Grenade")),
        ("A soldier was killed when he stepped on an anti-personnel mine on patrol",
         ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
        ("A fighter jet bombed a village", ("Explosions/Remote violence", "Air/drone strike")),
        ("A military jet and a helicopter attacked a crowd at the ceremony",
         ("Explosions/Remote violence", "Air/drone strike")),
        ("Military helicopters fired on a village school", ("Explosions/Remote violence", "Air/drone strike")),
        ("The military bombed a crowd at the ceremony", ("Explosions/Remote violence", "Air/drone strike")),
    ],
)
def test_explosions(clause: str, expected: tuple[str, str]) -> None:
    assert _kind(clause) == expected


TRANSFER = ("Strategic developments", "Non-violent transfer of territory")


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("Soldiers vacated their bases in the district", TRANSFER),
        ("The rebels withdrew from the town", TRANSFER),
        ("Fighters took over the town without a fight", TRANSFER),
        ("The army set up a checkpoint on the highway", ("Strategic developments", "Headquarters or base established")),
        ("Twelve fighters defected to the government", ("Strategic developments", "Change to group/activity")),
        ("Police arrested five suspects in a raid", ("Strategic developments", "Arrests")),
        ("Militants looted shops in the market", ("Strategic developments", "Looting/property destruction")),
        ("Militants torched houses of villagers", ("Strategic developments", "Looting/property destruction")),
        ("Security forces found and defused an IED on the road", ("Strategic developments", "Disrupted weapons use")),
        ("Air defences shot down a drone", ("Strategic developments", "Disrupted weapons use")),
        ("The two sides signed a ceasefire", ("Strategic developments", "Agreement")),
        ("The army deployed reinforcements to the town", ("Strategic developments", "Other")),
        ("Air defences shot down an explosive-laden drone", ("Strategic developments", "Disrupted weapons use")),
        ("Israeli forces arrested 120 people during a raid on the camp", ("Strategic developments", "Arrests")),
        ("Police detained 30 men in connection with protests against the law", ("Strategic developments", "Arrests")),
        ("The government and the rebels agreed to a cessation of hostilities", ("Strategic developments", "Agreement")),
        ("A ceasefire between the two sides took effect at dawn", ("Strategic developments", "Agreement")),
        ("A truce brokered by Qatar took effect", ("Strategic developments", "Agreement")),
        ("An army captain removed the president from power", ("Strategic developments", "Other")),
        ("Militants seized about 200 camels from herders", ("Strategic developments", "Looting/property destruction")),
        ("Rebels seized a cargo ship off the coast", ("Strategic developments", "Other")),
        ("Soldiers took two men into custody", ("Strategic developments", "Arrests")),
        ("Police arrested 14 members of a banned group in raids, seizing bomb-making materials",
         ("Strategic developments", "Arrests")),
        ("Police arrested four members of a cell and seized explosive belts", ("Strategic developments", "Arrests")),
        ("Police defused a car packed with explosives at a checkpoint",
         ("Strategic developments", "Disrupted weapons use")),
        ("Air defences shot down all 36 attack drones launched at the city",
         ("Strategic developments", "Disrupted weapons use")),
        ("Fighters entered the city without firing a shot", TRANSFER),
        ("Resistance forces moved their joint command headquarters into the town",
         ("Strategic developments", "Headquarters or base established")),
        ("A new army base was established near the town",
         ("Strategic developments", "Headquarters or base established")),
        ("The gang released 12 passengers it had kidnapped from a bus", ("Strategic developments", "Other")),
        ("Special forces set up a new forward operating base in the district",
         ("Strategic developments", "Headquarters or base established")),
        ("Police arrested four men and recovered a pistol and two grenades", ("Strategic developments", "Arrests")),
        ("The new rulers detained several ministers of the ousted government", ("Strategic developments", "Arrests")),
        ("The president signed a decree declaring an internal armed conflict", ("Strategic developments", "Other")),
        ("The administration ordered the compulsory evacuation of families", ("Strategic developments", "Other")),
        ("Fighters went from house to house, ransacking the main market",
         ("Strategic developments", "Looting/property destruction")),
        ("The army established a new forward operating base in the district",
         ("Strategic developments", "Headquarters or base established")),
        ("A faction of the militia announced it was splitting from its parent group",
         ("Strategic developments", "Change to group/activity")),
        ("Militants blockaded the town, preventing food convoys from entering", ("Strategic developments", "Other")),
        ("The state and the militia signed a power-sharing deal", ("Strategic developments", "Agreement")),
        ("A Russian-brokered settlement was reached between the government and the fighters",
         ("Strategic developments", "Agreement")),
        ("Bomb-disposal experts defused a pipe bomb in a bin", ("Strategic developments", "Disrupted weapons use")),
        ("Officers arrested four militants and seized explosives and a suicide vest",
         ("Strategic developments", "Arrests")),
        ("The ministry flew an extra 600 special forces troops into the city", ("Strategic developments", "Other")),
        ("Elders of two clans whose militias fought over wells signed a ceasefire",
         ("Strategic developments", "Agreement")),
        ("Leaders of the network announced the dissolution of the group at a meeting",
         ("Strategic developments", "Change to group/activity")),
        ("Thirty militants burned their rifles at a ceremony near the border",
         ("Strategic developments", "Change to group/activity")),
        ("Five hundred soldiers arrived in the port city to reinforce security", ("Strategic developments", "Other")),
        ("Security forces used explosives to demolish the home of a suspected militant",
         ("Strategic developments", "Looting/property destruction")),
        # A turning point named as the frame is no event of the clause.
        ("Gunmen killed 15 men in the village, the deadliest attack since the fall of the old government",
         ("Violence against civilians", "Attack")),
    ],
)
def test_strategic_developments(clause: str, expected: tuple[str, str]) -> None:
    assert _kind(clause) == expected


@pytest.mark.parametrize(
    "clause",
    [
        "A bomb scare closed the airport",  # veto: no explosion
        "Talks brokered by Qatar resumed in Doha",  # a participle describes the talks
        "Militants vowed to attack the town",  # intent
        "No clashes were reported in the district",  # negation
        "The army denied that its troops had abandoned the base",  # a denial
        "The military rejected accusations that its helicopters had attacked a school",
        "Families gathered to mark ten years since gunmen stormed the school",  # an anniversary
        "A court sentenced two men for their part in the 2016 truck bombing",  # a verdict on the past
        "A research group predicted heavier fighting once the monsoon ends",  # a forecast
        "Fighters gathered in the town ahead of the offensive",  # what is to come
        "The spokesman told clan delegates to withdraw from the talks",  # an order
        "India beat Pakistan by seven wickets in Ahmedabad",  # sport
        "The group said it was leaving the country after three years of fighting jihadists",  # the war as a frame
        "Parties are campaigning on the memory of the 2019 Pulwama bombing",  # an incident named by its date
        "Millions have been displaced since the 2021 coup",
        "Donors pledged money for Gaza after the 50-day war in which 2,100 people were killed",
    ],
)
def test_vetoes_and_irrealis_tell_no_event(clause: str) -> None:
    assert _kind(clause) is None


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        # A person seized is abducted, not a place taken; weapons seized are no territory either.
        ("An aid worker named Anna Berg was seized in the market district by gunmen",
         ("Violence against civilians", "Abduction/forced disappearance")),
        ("a crowd beat and burned six suspected thieves to death after police seized their weapons",
         ("Riots", "Mob violence")),
        # Crowds of followers storming a compound riot; crowds attacking each other too.
        ("Thousands of followers of a preacher stormed the consulate and set fire to its gate",
         ("Riots", "Violent demonstration")),
        ("rival crowds of residents and demonstrators attacked each other with sticks",
         ("Riots", "Violent demonstration")),
        # Tear gas is policing, whatever drops it.
        ("police fired tear gas shells, some dropped from drones, at thousands of farmers",
         ("Protests", "Protest with intervention")),
        # Gunmen firing on visitors target civilians, even with two armed sides named.
        ("Gunmen opened fire on a group of foreign tourists, a Taliban spokesman said",
         ("Violence against civilians", "Attack")),
        # A hostage named in apposition is still taken hostage.
        ("and took its pilot, an engineer named Paul Hart, hostage",
         ("Violence against civilians", "Abduction/forced disappearance")),
        # Streets cleared of the group that held them are ground retaken.
        ("Iraqi army units cleared the last streets held by the militants",
         ("Battles", "Government regains territory")),
        # An arrest on a warrant over past killings is an arrest.
        ("police arrested a former governor at the airport on a warrant over killings during his rule",
         ("Strategic developments", "Arrests")),
        # Mass graves found are the news, whatever the dead they hold.
        ("investigators found three mass graves holding the bodies of executed men",
         ("Strategic developments", "Other")),
        # An attack helicopter is a weapon, not an attack.
        ("troops set up a helicopter base at the airport, with attack helicopters landing",
         ("Strategic developments", "Headquarters or base established")),
        ("the two governments agreed on Monday to an immediate and unconditional ceasefire",
         ("Strategic developments", "Agreement")),
    ],
)
def test_persons_seized_crowds_tear_gas_graves_and_weapon_names(clause: str, expected: tuple[str, str]) -> None:
    assert _kind(clause) == expected
