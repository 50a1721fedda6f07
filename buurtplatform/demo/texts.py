"""Dutch phrases for `flask demo scale`: asks, offers, messages, activities, prikbord posts,
organisations and news, composed from parts so that thousands of them read like what
neighbours write, and a search for "boodschap" or "vervoer" finds something."""

from __future__ import annotations

import random

# Plausible municipalities beside the four of the Land van Cuijk: Brabant, Gelderland and
# Limburg, where comparable platforms run.
MUNICIPALITY_NAMES = (
    "Bernheze", "Boekel", "Boxtel", "Vught", "Heusden", "Altena", "Dongen", "Goirle",
    "Hilvarenbeek", "Oisterwijk", "Laarbeek", "Gemert-Bakel", "Deurne", "Asten", "Someren",
    "Heeze-Leende", "Cranendonck", "Bergeijk", "Bladel", "Eersel", "Reusel-De Mierden",
    "Oirschot", "Best", "Son en Breugel", "Nuenen", "Geldrop-Mierlo", "Waalre", "Valkenswaard",
    "Meierijstad", "Maashorst", "Sint-Michielsgestel", "Heumen", "Berg en Dal", "Druten",
    "West Maas en Waal", "Beuningen", "Wijchen", "Overbetuwe", "Lingewaard", "Zevenaar",
    "Montferland", "Doesburg", "Bronckhorst", "Berkelland", "Oost Gelre", "Winterswijk",
    "Aalten", "Oude IJsselstreek", "Gennep", "Bergen", "Mook en Middelaar", "Venray",
    "Horst aan de Maas", "Peel en Maas", "Beesel", "Leudal", "Nederweert", "Echt-Susteren",
    "Maasgouw", "Roerdalen",
)  # fmt: skip
VILLAGE_ROOTS = (
    "Aalst", "Beek", "Berg", "Bos", "Dalem", "Duren", "Elst", "Esch", "Geffen", "Hees",
    "Heesch", "Helvoirt", "Hoog", "Kessel", "Lith", "Loon", "Maren", "Nistel", "Olland", "Oost",
    "Ravens", "Rijs", "Schaijk", "Sterk", "Vorst", "Wester", "Zeeland", "Zand", "Veld", "Leen",
)  # fmt: skip
VILLAGE_ENDINGS = (
    "", "hoven", "broek", "rode", "beek", "dijk", "horst", "hout", "veen", "wijk", "donk", "laar",
)  # fmt: skip

FIRST_NAMES = (
    "Annie", "Bert", "Carla", "Dirk", "Els", "Frans", "Gerda", "Henk", "Ine", "Jan", "Karin",
    "Leo", "Marga", "Nico", "Olga", "Piet", "Riet", "Sjaak", "Tonnie", "Ursula", "Vera", "Wim",
    "Yvonne", "Zeger", "Anouk", "Bram", "Daan", "Emma", "Fenna", "Gijs", "Hanna", "Iris",
    "Joost", "Kees", "Lotte", "Maud", "Noor", "Oscar", "Pleun", "Ruud", "Sanne", "Teun",
    "Wilma", "Truus", "Mien", "Harrie", "Jos", "Marieke", "Mohamed", "Fatima", "Aylin",
    "Samira", "Tomasz", "Agnieszka", "Ricardo", "Lieke", "Toos", "Gert", "Ans", "Huub",
)  # fmt: skip
CITIES = ("Nijmegen", "Boxmeer", "Oss", "Uden", "Venray", "Den Bosch", "Eindhoven", "Gennep")
DAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag")
WHO = ("mijn moeder", "mijn vader", "mijn buurvrouw", "mijn man", "mijn vrouw", "mezelf")

# Per category key (buurtplatform.listings.models.DEFAULT_CATEGORIES): titles of asks, titles
# of offers, and a middle sentence for each.
LISTINGS = {
    "shopping": (
        (
            "Boodschappen doen voor {who}",
            "Wie haalt op {day} mijn boodschappen?",
            "Hulp bij de wekelijkse boodschappen",
            "Boodschappenhulp gezocht in {village}",
        ),
        (
            "Ik doe graag boodschappen voor iemand",
            "Boodschappen halen op {day}",
            "Ik neem boodschappen mee uit {village}",
        ),
        (
            "Het gaat om een kleine boodschappenlijst: brood, melk, fruit.",
            "De supermarkt in {village} is te ver lopen voor mij.",
            "Ik geef een lijstje en het geld mee.",
        ),
    ),
    "transport": (
        (
            "Vervoer naar het ziekenhuis in {city}",
            "Rit naar de huisarts op {day}",
            "Wie rijdt {who} naar de fysiotherapeut?",
            "Vervoer naar de markt in {city}",
        ),
        (
            "Ik kan iemand rijden naar {city}",
            "Vervoer op {day}: ik heb een auto",
            "Rijden naar de dokter of het ziekenhuis",
        ),
        (
            "De afspraak is om tien uur. Ik betaal de benzine graag.",
            "Met de bus duurt het te lang en ik loop met een rollator.",
            "Het is heen en terug, ongeveer twee uur in totaal.",
        ),
    ),
    "odd_jobs": (
        (
            "Lamp ophangen in de woonkamer",
            "Kastje in elkaar zetten",
            "Hulp bij klusjes in huis",
            "Gordijnrail vastzetten",
        ),
        ("Ik help met kleine klussen in huis", "Handige buurman zoekt klusjes in {village}"),
        (
            "Het gereedschap heb ik zelf.",
            "Het is een klus van een uurtje.",
            "Ik kan zelf niet meer op een trap staan.",
        ),
    ),
    "garden": (
        (
            "Heg knippen in {village}",
            "Gras maaien, een keer per twee weken",
            "Tuin winterklaar maken",
            "Onkruid wieden bij {who}",
        ),
        ("Ik help graag in de tuin", "Gras maaien en heg knippen in {village}"),
        (
            "De tuin is niet groot, maar ik kan het zelf niet meer.",
            "Een grasmaaier staat in de schuur.",
            "Het groen mag in de container.",
        ),
    ),
    "company": (
        (
            "Iemand voor een kop koffie en een praatje",
            "Samen wandelen op {day}",
            "Gezelschap voor {who}",
            "Wie komt er eens op bezoek?",
        ),
        (
            "Ik kom graag op de koffie",
            "Samen een wandeling maken in {village}",
            "Een praatje op {day}middag",
        ),
        (
            "Sinds het overlijden van mijn man ben ik veel alleen.",
            "Ik houd van kaarten en van verhalen over vroeger.",
            "Een uurtje per week zou al fijn zijn.",
        ),
    ),
    "digital_help": (
        (
            "Hulp met mijn telefoon",
            "Uitleg over videobellen met de kleinkinderen",
            "DigiD aanvragen: wie helpt?",
            "Nieuwe tablet instellen",
        ),
        ("Ik help met computer en telefoon", "Digitale hulp in {village}"),
        (
            "Ik wil graag leren hoe ik foto's kan versturen.",
            "De bank wil dat ik alles online doe, maar dat vind ik lastig.",
            "Het gaat om WhatsApp en de app van de huisarts.",
        ),
    ),
    "paperwork": (
        (
            "Hulp bij het invullen van formulieren",
            "Post en rekeningen op orde brengen",
            "Belastingaangifte samen doen",
            "Brief van de gemeente begrijpen",
        ),
        ("Ik help met formulieren en post", "Hulp bij de administratie"),
        (
            "Er ligt een stapel post waar ik niet uitkom.",
            "Het formulier moet voor het eind van de maand binnen zijn.",
            "Ik zie slecht en kan de kleine letters niet lezen.",
        ),
    ),
    "carer_support": (
        (
            "Even vrij als mantelzorger",
            "Oppas voor {who} op {day}middag",
            "Een paar uur respijt voor een mantelzorger",
            "Wie zit er even bij mijn man?",
        ),
        ("Ik bied een mantelzorger een vrije middag", "Gezelschap terwijl de mantelzorger weg is"),
        (
            "Ik zorg al twee jaar voor {who}, dag en nacht.",
            "Hij heeft dementie en kan niet alleen blijven.",
            "Dan kan ik zelf even naar de kapper of de markt.",
        ),
    ),
    "other": (
        (
            "Hond uitlaten op {day}",
            "Poes eten geven tijdens de vakantie",
            "Hulp bij verhuizen naar {village}",
            "Wie brengt mijn oud papier weg?",
        ),
        ("Ik laat graag uw hond uit", "Hulp bij een verhuizing"),
        (
            "Het is voor twee weken in de zomer.",
            "Ik ben herstellende van een operatie.",
            "Het liefst iemand uit de buurt.",
        ),
    ),
}
ASK_OPENINGS = (
    "Ik ben {age} jaar en loop niet zo goed meer.",
    "Ik vraag dit voor {who}.",
    "Sinds een paar weken zit ik in een rolstoel.",
    "Mijn kinderen wonen ver weg.",
    "Ik woon sinds kort in {village}.",
    "Na mijn operatie mag ik nog niet autorijden.",
)
ASK_CLOSINGS = (
    "Alvast bedankt!",
    "Bel of stuur een bericht, dan spreken we iets af.",
    "Koffie staat klaar.",
    "Wie kan mij helpen?",
)
OFFER_OPENINGS = (
    "Ik ben met pensioen en heb tijd over.",
    "Ik woon in {village} en help graag een buurtgenoot.",
    "Ik werk parttime en ben op {day} vrij.",
    "Als student heb ik af en toe een middag vrij.",
)
OFFER_CLOSINGS = (
    "Stuur gerust een bericht.",
    "Het kost niets, een kop koffie is genoeg.",
    "Ik kom uit de buurt, dus het is zo geregeld.",
)

MESSAGES = (
    "Hallo, ik heb uw vraag gelezen. Ik kan u helpen.",
    "Dat is fijn! Wanneer komt het u uit?",
    "Ik kan op {day} in de middag, rond twee uur.",
    "Prima, dan zie ik u {day}. Mijn adres stuur ik zo.",
    "Ik heb de boodschappen gehaald, ze staan bij de voordeur.",
    "Hartelijk bedankt voor de hulp, echt fijn.",
    "Graag gedaan. Zal ik volgende week weer komen?",
    "Ja graag, dezelfde tijd is goed.",
    "Ik moet helaas afzeggen, ik ben ziek. Kan het ook later in de week?",
    "Geen probleem, beterschap! Donderdag kan ook.",
    "Ik sta om tien uur voor de deur met de auto.",
    "Het ging goed bij het ziekenhuis, dank u wel voor het rijden.",
    "Heeft u nog iets nodig uit de winkel?",
    "Alleen melk en brood, dank u.",
)

ACTIVITIES = (
    ("coffee", "Koffieochtend in {place}", "Gezellig samen koffie drinken en een praatje maken."),
    (
        "coffee",
        "Inloop met koffie en thee",
        "Iedereen is welkom. De koffie staat om tien uur klaar.",
    ),
    ("walk", "Wandelgroep {village}", "We lopen een rustig rondje van een uur door de buurt."),
    ("walk", "Samen wandelen langs de Maas", "Een wandeling van vijf kilometer, in eigen tempo."),
    (
        "course",
        "Cursus werken met de tablet",
        "In vier lessen leert u videobellen en foto's sturen.",
    ),
    (
        "course",
        "Workshop veilig internetbankieren",
        "Hoe herkent u een nepmail? Wij laten het zien.",
    ),
    (
        "information",
        "Informatieavond mantelzorg",
        "Het Centrum Mantelzorg vertelt over respijtzorg.",
    ),
    (
        "information",
        "Spreekuur over de Wmo",
        "Vragen over hulp in huis? Kom langs bij het spreekuur.",
    ),
    (
        "games",
        "Kaartmiddag (rikken en jokeren)",
        "Elke week een middag kaarten, ook voor beginners.",
    ),
    ("games", "Bingo in {place}", "Een gezellige bingo met kleine prijzen."),
    ("other", "Repair Café {village}", "Neem uw kapotte lamp, fiets of broek mee: wij helpen."),
    ("other", "Samen eten in {place}", "Een warme maaltijd voor vijf euro, samen aan tafel."),
)
PLACES = ("het dorpshuis", "de bibliotheek", "gemeenschapshuis De Hazelaar", "het MFA",
          "zaal De Schakel", "de parochiezaal", "buurthuis 't Kruispunt")  # fmt: skip

BOARD_POSTS = (
    (
        "tip",
        "Tip: gratis boodschappendienst van de supermarkt",
        "De supermarkt in {village} brengt op dinsdag gratis boodschappen thuis bij 75-plussers.",
    ),
    (
        "tip",
        "Hulp bij de belastingaangifte in de bibliotheek",
        "Elke woensdagochtend zitten er vrijwilligers in de bibliotheek. Neem uw DigiD mee.",
    ),
    (
        "experience",
        "Wat fijn dat iemand mijn heg heeft geknipt",
        "Via dit platform kwam {name} mij helpen. Wat een aardige jongen! Bedankt.",
    ),
    (
        "experience",
        "Ervaring met de Repair Café",
        "Mijn radio doet het weer. De vrijwilligers namen er echt de tijd voor.",
    ),
    (
        "question",
        "Weet iemand een goede pedicure in {village}?",
        "Ik zoek een pedicure die ook aan huis komt. Wie heeft een tip?",
    ),
    (
        "question",
        "Waar kan ik oud ijzer kwijt?",
        "Ik ben de schuur aan het opruimen. Haalt iemand in de buurt oud ijzer op?",
    ),
    ("wanted", "Gezocht: rollator", "Voor mijn moeder zoek ik een tweedehands rollator."),
    ("offered", "Gratis af te halen: fruitbomen", "Ik heb drie jonge appelbomen over. Wie wil ze?"),
    ("offered", "Boeken voor de ruilkast", "Een doos met streekromans, gratis op te halen."),
)
COMMENTS = (
    "Goede tip, dank je wel!",
    "Ik weet er een: bel de dorpsraad, die weten het vast.",
    "Wij hebben er goede ervaringen mee.",
    "Ik heb nog een rollator staan, stuur me een bericht.",
    "Leuk om te lezen!",
    "Is dit ook voor mensen uit {village}?",
)

ORGANISATIONS = (
    ("welfare", "Sociom {name}", "Sociaal werk voor alle inwoners van {name}."),
    (
        "carer_support",
        "Centrum Mantelzorg {name}",
        "Steun, advies en respijtzorg voor mantelzorgers.",
    ),
    ("seniors", "KBO {village}", "De seniorenvereniging van {village}: activiteiten en hulp."),
    ("village_council", "Dorpsraad {village}", "Komt op voor de leefbaarheid van {village}."),
    (
        "library",
        "Bibliotheek {name}, Informatiepunt Digitale Overheid",
        "Hulp bij DigiD, formulieren en vragen aan de overheid.",
    ),
    ("care", "Thuiszorg De Maasvallei", "Wijkverpleging en huishoudelijke hulp in {name}."),
    ("care", "Dagbesteding Het Anker", "Dagbesteding voor ouderen met geheugenproblemen."),
    (
        "citizens_initiative",
        "Automaatje {name}",
        "Vrijwilligers rijden inwoners die slecht ter been zijn.",
    ),
    (
        "citizens_initiative",
        "Boodschappenbus {village}",
        "Een busje dat ouderen naar de markt brengt.",
    ),
    ("other", "Voedselbank {name}", "Voedselpakketten voor wie het even niet redt."),
)
OFFERINGS = (
    ("Respijtzorg", "Een vrijwilliger neemt de zorg een dagdeel over.", "carers", "gratis"),
    (
        "Vervoer naar ziekenhuis en huisarts",
        "Vrijwilligers rijden u voor een kleine vergoeding.",
        "transport",
        "€ 0,30 per kilometer",
    ),
    (
        "Boodschappenhulp",
        "Wekelijks de boodschappen samen doen of laten bezorgen.",
        "care",
        "gratis",
    ),
    ("Hulp bij formulieren", "Samen de post en formulieren doornemen.", "money", "gratis"),
    ("Koffie-inloop", "Elke week een open inloop met koffie.", "meeting", "gratis"),
    ("Digicafé", "Vragen over telefoon, tablet en computer.", "digital_help", "gratis"),
    ("Woonadvies", "Advies over langer thuis wonen en aanpassingen.", "housing", "gratis"),
    (
        "Maatje tegen eenzaamheid",
        "Een vaste vrijwilliger die op bezoek komt.",
        "loneliness",
        "gratis",
    ),
)

NEWS = (
    (
        "Nieuwe koffieochtend in {village}",
        "Vanaf volgende maand is er elke week een koffieochtend.",
    ),
    ("Vrijwilligers gezocht voor de boodschappenbus", "Wie rijdt er een ochtend per week mee?"),
    ("Spreekuur mantelzorg verhuist", "Het spreekuur is voortaan in de bibliotheek."),
    ("Let op: nepberichten over de energietoeslag", "De gemeente belt nooit om uw pincode."),
    ("Dag van de mantelzorg", "In november zetten we alle mantelzorgers in het zonnetje."),
    (
        "Hulp bij de belastingaangifte",
        "Vrijwilligers helpen weer bij de aangifte. Maak een afspraak.",
    ),
)


def fill(text: str, rnd: random.Random, village: str, name: str = "") -> str:
    """Fill the placeholders a phrase may have."""
    return text.format(
        who=rnd.choice(WHO),
        day=rnd.choice(DAYS),
        village=village,
        city=rnd.choice(CITIES),
        age=rnd.randint(68, 93),
        place=rnd.choice(PLACES),
        name=name or rnd.choice(FIRST_NAMES),
    )


def listing_text(
    rnd: random.Random, category_key: str, is_ask: bool, village: str
) -> tuple[str, str]:
    """A title and description of an ask or offer in a category."""
    asks, offers, middles = LISTINGS.get(category_key, LISTINGS["other"])
    title = fill(rnd.choice(asks if is_ask else offers), rnd, village)[:100]
    opening = rnd.choice(ASK_OPENINGS if is_ask else OFFER_OPENINGS)
    closing = rnd.choice(ASK_CLOSINGS if is_ask else OFFER_CLOSINGS)
    description = " ".join(fill(part, rnd, village) for part in (opening, rnd.choice(middles)))
    return title, f"{description} {closing}"
