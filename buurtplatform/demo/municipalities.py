"""What makes each demo municipality its own: its people, its asks and offers in its own
villages, its organisation, and its "over ons" page and house rules.

The texts are Dutch, as inhabitants and connectors would write them (the pages' own texts have
an English version too). Each municipality's first ask is for shopping and gets a reply; its
second is a lift on someone's behalf, agreed with a neighbour (a match).
"""

from __future__ import annotations

from dataclasses import dataclass

from buurtplatform.accounts.models import Role
from buurtplatform.listings.models import Kind, Timing


@dataclass(frozen=True)
class DemoListing:
    kind: Kind
    category: str
    village: str
    title: str
    description: str
    timing: Timing = Timing.FLEXIBLE
    remote_ok: bool = False
    on_behalf_of: str | None = None
    days_ago: int = 1
    by_organisation: bool = False


@dataclass(frozen=True)
class DemoOfflineAsk:
    """An ask a social worker placed for someone without internet."""

    person: str
    phone: str
    village: str
    category: str
    title: str
    description: str


@dataclass(frozen=True)
class DemoMunicipality:
    # First names per role; the organisation's account carries the organisation's name.
    people: dict[Role, str]
    neighbours: tuple[str, ...]
    listings: tuple[DemoListing, ...]
    offline_ask: DemoOfflineAsk
    shopping_reply: str
    lift_reply: str
    lift_answer: str
    about_text: str
    about_text_en: str


def house_rules(site_name: str) -> str:
    """The house rules every demo site starts from; connectors change them as they like."""
    return (
        f"Op {site_name} helpen we elkaar. Zo blijft het voor iedereen prettig:\n\n"
        "- Wees vriendelijk, ook als je het ergens niet mee eens bent.\n"
        "- Zet geen adres of telefoonnummer in een bericht. Dat deel je in een gesprek.\n"
        "- Hulp is gratis. Vraag geen geld en verkoop hier niets.\n"
        "- Zie je iets dat niet klopt? Meld het. Een buurtverbinder kijkt ernaar.\n\n"
        "Wie zich niet aan de regels houdt, kan hier niet meer meedoen."
    )


def house_rules_en(site_name: str) -> str:
    return (
        f"On {site_name} we help each other. To keep it pleasant for everyone:\n\n"
        "- Be kind, also when you disagree.\n"
        "- Do not put an address or phone number in a message. Share it in a conversation.\n"
        "- Help is free. Do not ask for money and do not sell anything here.\n"
        "- Does something seem wrong? Report it. A neighbourhood connector will look at it.\n\n"
        "Whoever does not keep to the rules can no longer take part here."
    )


DEMO_MUNICIPALITIES: dict[str, DemoMunicipality] = {
    "cuijk": DemoMunicipality(
        people={
            Role.RESIDENT: "Annie",
            Role.ORGANISATION: "Bibliotheek Cuijk",
            Role.CONNECTOR: "Henk",
            Role.COORDINATOR: "Wendy",
        },
        neighbours=("Marie", "Joop", "Fatima", "Kees", "Ria", "Daan"),
        listings=(
            DemoListing(
                Kind.ASK,
                "shopping",
                "Beers",
                "Wie doet boodschappen voor mij?",
                "Ik loop slecht sinds mijn heupoperatie. Wie wil één keer per week boodschappen "
                "voor mij doen bij de supermarkt in Cuijk? Ik geef een lijstje en geld mee.",
                Timing.WEEKLY,
                days_ago=5,
            ),
            DemoListing(
                Kind.ASK,
                "transport",
                "Haps",
                "Vervoer naar het ziekenhuis in Boxmeer",
                "Mijn moeder heeft volgende week een afspraak bij de oogarts. Wie kan haar "
                "brengen en weer ophalen? Ik werk zelf die dag.",
                on_behalf_of="mijn moeder",
                days_ago=3,
            ),
            DemoListing(
                Kind.ASK,
                "digital_help",
                "Linden",
                "Hulp bij videobellen met mijn kleinkinderen",
                "Ik heb een tablet gekregen, maar weet niet hoe videobellen werkt. Wie legt het "
                "rustig uit?",
                remote_ok=True,
                days_ago=6,
            ),
            DemoListing(
                Kind.ASK,
                "carer_support",
                "Sint Agatha",
                "Even een middag vrij als mantelzorger",
                "Ik zorg voor mijn man met dementie. Wie wil een middag bij hem zijn, zodat ik "
                "even naar de kapper kan?",
                days_ago=1,
            ),
            DemoListing(
                Kind.OFFER,
                "shopping",
                "Cuijk",
                "Ik doe graag boodschappen voor een ander",
                "Ik ga elke dinsdag en vrijdag naar de supermarkt. Ik neem graag iets mee voor "
                "een buurtgenoot.",
                Timing.WEEKLY,
                days_ago=8,
            ),
            DemoListing(
                Kind.OFFER,
                "garden",
                "Katwijk",
                "Gras maaien en heg knippen",
                "Ik ben gepensioneerd hovenier en help graag in de tuin. Gereedschap heb ik zelf.",
                days_ago=4,
            ),
            DemoListing(
                Kind.OFFER,
                "company",
                "Vianen",
                "Een kop koffie en een praatje",
                "Ik kom graag op bezoek voor een gezellig gesprek, een spelletje of een wandeling.",
                Timing.WEEKLY,
                days_ago=2,
            ),
            DemoListing(
                Kind.OFFER,
                "digital_help",
                "Cuijk",
                "Digi-café in de bibliotheek",
                "Elke woensdagochtend helpen vrijwilligers in de bibliotheek van Cuijk met "
                "telefoon, tablet en DigiD. Gratis en zonder afspraak.",
                Timing.WEEKLY,
                remote_ok=True,
                days_ago=9,
                by_organisation=True,
            ),
        ),
        offline_ask=DemoOfflineAsk(
            "Mevrouw J. van den Berg",
            "0485 - 123 456",
            "Vianen",
            "odd_jobs",
            "Wie hangt een paar schilderijen op?",
            "Een oudere inwoner is verhuisd en wil graag haar schilderijen weer aan de muur. "
            "Wie heeft een boormachine en een uurtje tijd?",
        ),
        shopping_reply="Hallo! Ik ga elke vrijdag naar de winkel. Zal ik uw boodschappen meenemen?",
        lift_reply="Ik kan uw moeder dinsdag brengen. Hoe laat is de afspraak?",
        lift_answer="Fijn! Om half tien. Ik stuur u het adres.",
        about_text=(
            "Samen Cuijk is het buurtplatform van Cuijk, Beers, Haps, Katwijk, Linden, "
            "Sint Agatha en Vianen.\n\n"
            "Vrijwillige **buurtverbinders** houden de site bij. Ze helpen je op weg en kijken "
            "naar wat gemeld wordt. Sociaal werkers van Sociom denken mee als het even niet "
            "lukt.\n\n"
            "Liever persoonlijk contact? Kom langs bij het Digi-café in de bibliotheek."
        ),
        about_text_en=(
            "Samen Cuijk is the neighbourhood platform of Cuijk, Beers, Haps, Katwijk, Linden, "
            "Sint Agatha and Vianen.\n\n"
            "Volunteer **neighbourhood connectors** keep the site going. They help you get "
            "started and look at what is reported. Social workers of Sociom help when things "
            "are difficult.\n\n"
            "Rather talk in person? Drop in at the Digi-café in the library."
        ),
    ),
    "grave": DemoMunicipality(
        people={
            Role.RESIDENT: "Truus",
            Role.ORGANISATION: "KBO Grave",
            Role.CONNECTOR: "Ingrid",
            Role.COORDINATOR: "Sanne",
        },
        neighbours=("Gerda", "Mohammed", "Bert", "Lieke", "Harrie", "Noor"),
        listings=(
            DemoListing(
                Kind.ASK,
                "shopping",
                "Escharen",
                "Boodschappen uit Grave meenemen",
                "Sinds de winter rijd ik geen auto meer. Wie neemt op zaterdag iets mee van de "
                "markt of de supermarkt in Grave? Het is niet veel.",
                Timing.WEEKLY,
                days_ago=4,
            ),
            DemoListing(
                Kind.ASK,
                "transport",
                "Velp",
                "Rit naar de fysiotherapeut in Grave",
                "Mijn vader (84) moet twee keer per week naar de fysiotherapeut. Ik woon in "
                "Nijmegen en kan niet altijd rijden. Wie brengt hem een keer?",
                on_behalf_of="mijn vader",
                days_ago=2,
            ),
            DemoListing(
                Kind.ASK,
                "paperwork",
                "Grave",
                "Hulp bij brieven van de gemeente",
                "Ik krijg veel post en begrijp niet alles. Wie kijkt een keer met me mee en legt "
                "het uit in gewone woorden?",
                days_ago=6,
            ),
            DemoListing(
                Kind.ASK,
                "odd_jobs",
                "Gassel",
                "Lamp ophangen in de keuken",
                "Ik heb een nieuwe lamp gekocht, maar durf zelf niet op de trap. Wie helpt?",
                days_ago=1,
            ),
            DemoListing(
                Kind.OFFER,
                "transport",
                "Gassel",
                "Ik rijd op dinsdag naar Grave",
                "Elke dinsdagochtend rijd ik naar Grave. Er is plek voor iemand die mee wil, "
                "bijvoorbeeld naar de huisarts of de markt.",
                Timing.WEEKLY,
                days_ago=7,
            ),
            DemoListing(
                Kind.OFFER,
                "company",
                "Grave",
                "Samen wandelen langs de Maas",
                "Ik wandel elke ochtend over de vestingwallen en langs de Maas. Loop je een keer "
                "mee? We gaan rustig.",
                Timing.WEEKLY,
                days_ago=3,
            ),
            DemoListing(
                Kind.OFFER,
                "garden",
                "Escharen",
                "Hulp in de moestuin",
                "Ik heb groene vingers en tijd over. Ik help met spitten, zaaien of oogsten.",
                days_ago=5,
            ),
            DemoListing(
                Kind.OFFER,
                "company",
                "Grave",
                "Koffieochtend voor senioren",
                "Elke donderdag om 10.00 uur koffie en een praatje in het ontmoetingscentrum. "
                "Iedereen is welkom, ook als je geen lid bent van de KBO.",
                Timing.WEEKLY,
                days_ago=10,
                by_organisation=True,
            ),
        ),
        offline_ask=DemoOfflineAsk(
            "Meneer H. Janssen",
            "0486 - 123 456",
            "Velp",
            "shopping",
            "Wie haalt medicijnen op bij de apotheek?",
            "Een oudere inwoner van Velp kan zelf niet naar de apotheek in Grave. Wie haalt "
            "eens per twee weken zijn medicijnen op?",
        ),
        shopping_reply="Ik ga zaterdag toch naar de markt. Wat mag ik voor u meenemen?",
        lift_reply="Ik kan uw vader donderdag brengen. Hoe laat moet hij er zijn?",
        lift_answer="Wat fijn! Om elf uur. Hij staat klaar.",
        about_text=(
            "Samen Grave is er voor iedereen in Grave, Escharen, Gassel en Velp.\n\n"
            "Hier vraag je om hulp of bied je hulp aan. **Buurtverbinders** uit de dorpen "
            "houden de site bij. Samen met de KBO en de sociaal werkers van Sociom zorgen we "
            "dat niemand er alleen voor staat."
        ),
        about_text_en=(
            "Samen Grave is for everyone in Grave, Escharen, Gassel and Velp.\n\n"
            "Here you ask for help or offer help. **Neighbourhood connectors** from the "
            "villages keep the site going. Together with the KBO and the social workers of "
            "Sociom we make sure nobody is on their own."
        ),
    ),
    "mill": DemoMunicipality(
        people={
            Role.RESIDENT: "Riet",
            Role.ORGANISATION: "Dorpsraad Wilbertoord",
            Role.CONNECTOR: "Gerrit",
            Role.COORDINATOR: "Lotte",
        },
        neighbours=("Jan", "Anja", "Sem", "Thea", "Wim", "Yara"),
        listings=(
            DemoListing(
                Kind.ASK,
                "shopping",
                "Langenboom",
                "Wie haalt mijn boodschappen in Mill?",
                "Ik woon in Langenboom en heb geen auto. De bus rijdt niet vaak. Wie neemt eens "
                "per week boodschappen voor me mee uit Mill?",
                Timing.WEEKLY,
                days_ago=3,
            ),
            DemoListing(
                Kind.ASK,
                "transport",
                "Wilbertoord",
                "Oma naar de dagbesteding in Mill brengen",
                "Mijn oma gaat op maandag naar de dagbesteding in Mill. Wie brengt haar om half "
                "tien en haalt haar om drie uur weer op?",
                Timing.WEEKLY,
                on_behalf_of="mijn oma",
                days_ago=5,
            ),
            DemoListing(
                Kind.ASK,
                "garden",
                "Sint Hubert",
                "Heg snoeien voor de winter",
                "Mijn heg is te hoog geworden en ik kan er niet meer bij. Wie helpt met snoeien?",
                days_ago=2,
            ),
            DemoListing(
                Kind.ASK,
                "company",
                "Mill",
                "Wie komt een spelletje sjoelen?",
                "Sinds mijn vrouw is overleden ben ik veel alleen. Ik sjoel graag en speel ook "
                "kaart. Wie komt eens langs?",
                Timing.WEEKLY,
                days_ago=1,
            ),
            DemoListing(
                Kind.OFFER,
                "odd_jobs",
                "Sint Hubert",
                "Klusjes in en om het huis",
                "Ik ben handig met gereedschap: een kraan die lekt, een plank ophangen, een deur "
                "die klemt. Stuur me een bericht.",
                days_ago=6,
            ),
            DemoListing(
                Kind.OFFER,
                "transport",
                "Mill",
                "Rijden naar de huisarts of het ziekenhuis",
                "Ik ben met pensioen en heb een ruime auto. Ik breng je graag naar een afspraak.",
                days_ago=4,
            ),
            DemoListing(
                Kind.OFFER,
                "carer_support",
                "Langenboom",
                "Een middag bij je naaste",
                "Zorg je voor iemand en wil je even weg? Ik ben een middag bij hem of haar. Ik "
                "heb in de zorg gewerkt.",
                days_ago=8,
            ),
            DemoListing(
                Kind.OFFER,
                "odd_jobs",
                "Wilbertoord",
                "Repair Café in het dorpshuis",
                "Elke eerste zaterdag van de maand maken vrijwilligers kapotte spullen in het "
                "dorpshuis van Wilbertoord: fietsen, lampen, kleding. Gratis.",
                days_ago=9,
                by_organisation=True,
            ),
        ),
        offline_ask=DemoOfflineAsk(
            "Mevrouw A. Hendriks",
            "0485 - 234 567",
            "Wilbertoord",
            "odd_jobs",
            "Wie hangt de gordijnen weer op?",
            "Een oudere inwoner van Wilbertoord heeft haar gordijnen laten wassen. Wie helpt "
            "ze weer op te hangen? Er is een trapje.",
        ),
        shopping_reply="Ik doe op woensdag boodschappen in Mill. Zal ik iets voor u meenemen?",
        lift_reply="Ik kan uw oma maandag brengen en ophalen. Waar woont ze?",
        lift_answer="Geweldig, dank je! Ik stuur je haar adres in dit gesprek.",
        about_text=(
            "Dit is het buurtplatform van Mill, Sint Hubert, Langenboom en Wilbertoord.\n\n"
            "In onze dorpen kennen we elkaar. Toch weet je niet altijd wie er hulp nodig heeft, "
            "of wie wil helpen. Daarom is er deze site. **Buurtverbinders** en de dorpsraden "
            "houden hem samen bij."
        ),
        about_text_en=(
            "This is the neighbourhood platform of Mill, Sint Hubert, Langenboom and "
            "Wilbertoord.\n\n"
            "In our villages we know each other. Still, you do not always know who needs help, "
            "or who wants to help. That is why this site exists. **Neighbourhood connectors** "
            "and the village councils keep it going together."
        ),
    ),
    "sint-anthonis": DemoMunicipality(
        people={
            Role.RESIDENT: "Mien",
            Role.ORGANISATION: "Zonnebloem Oploo",
            Role.CONNECTOR: "Piet",
            Role.COORDINATOR: "Esra",
        },
        neighbours=("Toon", "Hanneke", "Sven", "Dinie", "Koen", "Amira"),
        listings=(
            DemoListing(
                Kind.ASK,
                "shopping",
                "Westerbeek",
                "Boodschappen uit Sint Anthonis",
                "In Westerbeek is geen winkel meer. Wie neemt op vrijdag mijn boodschappen mee "
                "uit Sint Anthonis?",
                Timing.WEEKLY,
                days_ago=2,
            ),
            DemoListing(
                Kind.ASK,
                "transport",
                "Landhorst",
                "Vervoer naar de huisarts in Sint Anthonis",
                "Mijn man mag niet meer autorijden en ik heb geen rijbewijs. Wie brengt hem "
                "volgende week naar de huisarts?",
                on_behalf_of="mijn man",
                days_ago=4,
            ),
            DemoListing(
                Kind.ASK,
                "digital_help",
                "Oploo",
                "Hulp met de app van de bank",
                "Mijn bank stuurt geen papieren afschriften meer. Wie helpt mij met de app op "
                "mijn telefoon?",
                remote_ok=True,
                days_ago=5,
            ),
            DemoListing(
                Kind.ASK,
                "garden",
                "Ledeacker",
                "Bladeren ruimen in de tuin",
                "Onder de eiken ligt een dikke laag bladeren. Wie helpt een ochtend met harken?",
                days_ago=1,
            ),
            DemoListing(
                Kind.OFFER,
                "company",
                "Stevensbeek",
                "Samen fietsen in de Peel",
                "Ik fiets elke woensdag een rondje door de Peel. Fiets je mee? Een elektrische "
                "fiets is ook goed.",
                Timing.WEEKLY,
                days_ago=3,
            ),
            DemoListing(
                Kind.OFFER,
                "shopping",
                "Wanroij",
                "Ik neem boodschappen mee uit Wanroij",
                "Ik doe elke maandag boodschappen in Wanroij. Voor een dorpsgenoot neem ik graag "
                "iets mee.",
                Timing.WEEKLY,
                days_ago=7,
            ),
            DemoListing(
                Kind.OFFER,
                "digital_help",
                "Rijkevoort-De Walsert",
                "Uitleg over je telefoon of tablet",
                "Ik werk in de ICT en leg graag rustig uit hoe je telefoon of tablet werkt. Bij "
                "jou thuis of via de telefoon.",
                remote_ok=True,
                days_ago=6,
            ),
            DemoListing(
                Kind.OFFER,
                "company",
                "Oploo",
                "Een dagje uit met de Zonnebloem",
                "De Zonnebloem in Oploo maakt uitstapjes met mensen die niet makkelijk meer op "
                "pad gaan. We halen je thuis op en brengen je weer terug.",
                days_ago=9,
                by_organisation=True,
            ),
        ),
        offline_ask=DemoOfflineAsk(
            "Mevrouw M. Verstegen",
            "0485 - 345 678",
            "Rijkevoort-De Walsert",
            "garden",
            "Wie maait het gras bij een oudere inwoner?",
            "Een oudere inwoner van Rijkevoort-De Walsert kan haar gras niet meer zelf maaien. "
            "Er staat een maaier in de schuur. Wie helpt eens per twee weken?",
        ),
        shopping_reply="Ik rijd vrijdag naar de supermarkt in Sint Anthonis. Wat heeft u nodig?",
        lift_reply="Ik kan uw man brengen. Welke dag is de afspraak?",
        lift_answer="Dinsdag om tien uur. Wat aardig van je!",
        about_text=(
            "Samen Sint Anthonis verbindt de acht dorpen van onze gemeente: Sint Anthonis, "
            "Landhorst, Ledeacker, Oploo, Rijkevoort-De Walsert, Stevensbeek, Wanroij en "
            "Westerbeek.\n\n"
            "De afstanden zijn hier groot en de bus rijdt niet overal. Daarom helpen we elkaar. "
            "**Buurtverbinders** uit de dorpen houden de site bij, met hulp van de Zonnebloem "
            "en Sociom."
        ),
        about_text_en=(
            "Samen Sint Anthonis connects the eight villages of our municipality: Sint "
            "Anthonis, Landhorst, Ledeacker, Oploo, Rijkevoort-De Walsert, Stevensbeek, "
            "Wanroij and Westerbeek.\n\n"
            "Distances are long here and the bus does not go everywhere. So we help each "
            "other. **Neighbourhood connectors** from the villages keep the site going, with "
            "help from the Zonnebloem and Sociom."
        ),
    ),
}
