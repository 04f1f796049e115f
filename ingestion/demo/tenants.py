"""The three demo retailers: a German fashion chain, an Austrian sports shop, a Swiss home store.

They differ in everything a question could hinge on (currency, timezone, seasonality, basket
size, margin structure, growth per category) so that tenant scoping mistakes show up as wrong
numbers, not as coincidentally right ones.
"""

from __future__ import annotations

import datetime as dt

from ingestion.demo.profiles import BranchProfile, CategoryProfile, SubcategoryProfile, TenantProfile

S = SubcategoryProfile
D = dt.date

# Month curves, January first.
_FASHION = (0.95, 0.75, 0.95, 1.05, 1.05, 0.95, 1.0, 0.85, 0.95, 1.05, 1.1, 1.35)
_OUTERWEAR = (1.1, 0.8, 0.7, 0.6, 0.4, 0.3, 0.35, 0.6, 1.2, 1.6, 1.7, 1.6)
_SUMMER = (0.5, 0.6, 1.0, 1.3, 1.5, 1.6, 1.4, 1.1, 0.8, 0.6, 0.5, 0.6)
_GIFTS = (0.8, 0.7, 0.85, 0.95, 1.0, 0.9, 0.9, 0.85, 0.9, 1.0, 1.25, 1.9)
_SKI = (2.2, 1.8, 1.0, 0.35, 0.12, 0.08, 0.08, 0.12, 0.35, 1.0, 1.9, 2.8)
_OUTDOOR = (0.35, 0.45, 0.8, 1.2, 1.5, 1.6, 1.55, 1.45, 1.2, 0.8, 0.5, 0.6)
_RUN = (0.7, 0.75, 1.15, 1.35, 1.4, 1.3, 1.2, 1.1, 1.15, 1.0, 0.7, 0.7)
_BIKE = (0.3, 0.45, 1.0, 1.6, 1.8, 1.7, 1.5, 1.2, 0.9, 0.6, 0.4, 0.55)
_SPORT_APPAREL = (1.3, 1.1, 0.9, 0.85, 0.8, 0.7, 0.7, 0.8, 1.0, 1.15, 1.35, 1.6)
_HOME = (0.9, 0.85, 1.0, 1.0, 0.95, 0.85, 0.8, 0.85, 1.0, 1.1, 1.2, 1.5)
_CHRISTMAS_DECOR = (0.5, 0.5, 0.8, 0.9, 0.8, 0.7, 0.6, 0.7, 0.9, 1.2, 1.9, 2.6)

NORDWIND = TenantProfile(
    tenant_id="nordwind-fashion",
    name="Nordwind Fashion",
    code="nwf",
    currency="EUR",
    timezone="Europe/Berlin",
    country="DE",
    locale="de-DE",
    seed_offset=1_000,
    yearly_growth=0.04,
    lines_per_receipt=2.0,
    return_rate=0.12,
    loyalty_card_share=0.55,
    articles=600,
    store_assortment_share=0.45,
    ga4_property="properties/318204771",
    branches=(
        BranchProfile(1, "Nordwind Berlin", "Berlin", "Berlin", D(2011, 9, 1), 1450.0, 34.0),
        BranchProfile(2, "Nordwind Hamburg", "Hamburg", "Hamburg", D(2009, 3, 14), 1600.0, 36.0),
        BranchProfile(3, "Nordwind München", "München", "Bayern", D(2012, 4, 2), 1500.0, 35.0),
        BranchProfile(4, "Nordwind Köln", "Köln", "Nordrhein-Westfalen", D(2013, 10, 5), 1200.0, 30.0),
        BranchProfile(5, "Nordwind Frankfurt", "Frankfurt", "Hessen", D(2014, 3, 1), 1150.0, 29.0),
        BranchProfile(6, "Nordwind Stuttgart", "Stuttgart", "Baden-Württemberg", D(2015, 8, 27), 980.0, 26.0),
        BranchProfile(
            7, "Nordwind Düsseldorf", "Düsseldorf", "Nordrhein-Westfalen", D(2016, 2, 18), 1050.0, 28.0
        ),
        BranchProfile(8, "Nordwind Leipzig", "Leipzig", "Sachsen", D(2025, 4, 3), 820.0, 22.0),
        BranchProfile(9, "Nordwind Dresden", "Dresden", "Sachsen", D(2018, 9, 6), 760.0, 20.0),
        BranchProfile(10, "Nordwind Hannover", "Hannover", "Niedersachsen", D(2017, 5, 11), 900.0, 23.0),
        BranchProfile(11, "Nordwind Nürnberg", "Nürnberg", "Bayern", D(2019, 3, 21), 840.0, 22.0),
        BranchProfile(12, "Nordwind Bremen", "Bremen", "Bremen", D(2020, 10, 1), 700.0, 19.0),
        BranchProfile(90, "Nordwind Online-Shop", None, None, D(2016, 11, 15), None, 62.0),
    ),
    categories=(
        CategoryProfile(
            "Womenswear", 0.36, 0.42, 0.05, 0.01, _FASHION, 0.15, 0.65,
            (
                S("Kleider", 39.95, 159.0, ("Midikleid", "Blusenkleid", "Strickkleid", "Maxikleid")),
                S("Blusen & Shirts", 19.95, 79.95, ("Bluse", "Longsleeve", "T-Shirt", "Tunika")),
                S("Strick", 39.95, 149.0, ("Pullover", "Cardigan", "Rollkragenpullover")),
                S("Hosen", 39.95, 129.0, ("Stoffhose", "Culotte", "Paperbag-Hose")),
                S("Jeans", 49.95, 129.0, ("Slim Jeans", "Mom Jeans", "Wide Leg Jeans")),
                S("Jacken & Mäntel", 79.0, 299.0, ("Wollmantel", "Steppjacke", "Trenchcoat", "Blazer")),
            ),
            ("Marc O'Polo", "s.Oliver", "Opus", "Street One", "Esprit", "Nordwind Essentials"),
            ("Schwarz", "Ecru", "Navy", "Camel", "Rosé", "Salbei", "Bordeaux", "Grau meliert"),
        ),
        CategoryProfile(
            "Menswear", 0.26, 0.44, 0.02, 0.0, _FASHION, 0.12, 0.55,
            (
                S("Hemden", 39.95, 99.95, ("Oxfordhemd", "Flanellhemd", "Businesshemd")),
                S("T-Shirts & Polos", 19.95, 59.95, ("Poloshirt", "T-Shirt", "Henley")),
                S("Strick", 49.95, 139.0, ("Troyer", "Strickpullover", "Cardigan")),
                S("Hosen & Chinos", 49.95, 119.0, ("Chino", "Cargohose", "Anzughose")),
                S("Jacken & Mäntel", 99.0, 349.0, ("Parka", "Steppjacke", "Mantel", "Regenjacke")),
                S("Anzüge & Sakkos", 149.0, 399.0, ("Sakko", "Anzug")),
            ),
            ("Tom Tailor", "Marc O'Polo", "Tommy Hilfiger", "Levi's", "Olymp", "Nordwind Essentials"),
            ("Schwarz", "Navy", "Oliv", "Grau", "Weiß", "Hellblau", "Khaki", "Anthrazit"),
        ),
        CategoryProfile(
            "Kids", 0.12, 0.48, 0.08, -0.005, _FASHION, 0.35, 0.5,
            (
                S("Baby", 9.95, 39.95, ("Body", "Strampler", "Mütze")),
                S("Mädchen", 14.95, 59.95, ("Kleid", "Leggings", "Sweatshirt", "Jeans")),
                S("Jungen", 14.95, 59.95, ("Hoodie", "Jogginghose", "T-Shirt", "Jeans")),
                S("Schlafanzüge", 19.95, 34.95, ("Schlafanzug",)),
            ),
            ("s.Oliver", "name it", "Sanetta", "Nordwind Kids"),
            ("Marine", "Rosa", "Grau meliert", "Gelb", "Grün", "Weiß"),
        ),
        CategoryProfile(
            "Shoes", 0.14, 0.50, -0.03, 0.04, _FASHION, 0.02, 0.45,
            (
                S("Sneaker", 69.95, 149.0, ("Sneaker", "Low-Top Sneaker", "Retro-Runner")),
                S("Stiefel & Boots", 99.0, 229.0, ("Chelsea Boots", "Schnürboots", "Stiefelette")),
                S("Halbschuhe", 79.0, 169.0, ("Loafer", "Derby", "Slipper")),
                S("Sandalen", 39.95, 99.95, ("Sandale", "Pantolette")),
            ),
            ("Tamaris", "Gabor", "Marco Tozzi", "Lloyd", "Veja", "Birkenstock"),
            ("Schwarz", "Cognac", "Weiß", "Beige", "Dunkelbraun", "Grau"),
        ),
        CategoryProfile(
            "Accessories", 0.12, 0.38, 0.06, -0.01, _GIFTS, 0.1, 0.4,
            (
                S("Taschen", 39.95, 189.0, ("Shopper", "Umhängetasche", "Rucksack")),
                S("Schals & Tücher", 19.95, 69.95, ("Strickschal", "Tuch", "Loop")),
                S("Gürtel", 24.95, 69.95, ("Ledergürtel", "Flechtgürtel")),
                S("Mützen & Handschuhe", 14.95, 49.95, ("Beanie", "Lederhandschuhe", "Strickmütze")),
                S("Schmuck", 12.95, 79.0, ("Ohrringe", "Kette", "Armband")),
                S("Sonnenbrillen", 29.95, 149.0, ("Sonnenbrille",)),
            ),
            ("Liebeskind", "Fossil", "Codello", "Pieces", "Nordwind Essentials"),
            ("Schwarz", "Cognac", "Gold", "Silber", "Taupe", "Rot"),
        ),
    ),
    campaign_themes=(
        (1, "Winter Sale – bis zu 50 %"), (1, "Letzte Chance: Winter Sale"), (1, "Neu im Januar"),
        (2, "Frühlingsvorschau FS"), (2, "Valentinstag: Geschenkideen"),
        (2, "Styling-Tipps für Übergangsjacken"),
        (3, "Neue Frühjahrskollektion"), (3, "Denim Days"), (3, "Osterangebote"),
        (4, "Trendfarben der Saison"), (4, "Member Days – 20 % für Club-Mitglieder"), (4, "Sneaker-Edit"),
        (5, "Muttertag: Geschenke für Mama"), (5, "Leinen & Sommerkleider"), (5, "Brautmode & Festtage"),
        (6, "Summer Essentials"), (6, "Vatertag & Herrenmode"), (6, "Mid Season Sale"),
        (7, "Summer Sale – jetzt bis zu 50 %"), (7, "Summer Sale: Extra-Rabatt"), (7, "Urlaubs-Packliste"),
        (8, "Back to School"), (8, "Final Sale"), (8, "Erste Herbst-Highlights"),
        (9, "Neue Herbstkollektion"), (9, "Strick-Guide"), (9, "Oktoberfest-Looks"),
        (10, "Mantel-Guide: Die schönsten Mäntel"), (10, "Member Days im Herbst"), (10, "Boots-Saison"),
        (11, "Winterjacken-Guide"), (11, "Strick & Cashmere"), (11, "Black Friday Early Access"),
        (11, "Black Friday – bis zu 40 %"), (11, "Cyber Monday"),
        (12, "Geschenkideen für Weihnachten"), (12, "Last-Minute-Geschenke"), (12, "Silvester-Outfits"),
    ),
    customer_cities=(
        "Berlin", "Hamburg", "München", "Köln", "Frankfurt", "Stuttgart", "Düsseldorf", "Leipzig",
        "Dortmund", "Essen", "Bremen", "Dresden", "Hannover", "Nürnberg", "Münster", "Kiel", "Freiburg",
        "Mainz", "Augsburg", "Potsdam", "Rostock", "Lübeck", "Bonn", "Regensburg",
    ),
)  # fmt: skip

ALPIN = TenantProfile(
    tenant_id="alpin-sport",
    name="Alpin Sport",
    code="alp",
    currency="EUR",
    timezone="Europe/Vienna",
    country="AT",
    locale="de-AT",
    seed_offset=2_000,
    yearly_growth=0.07,
    lines_per_receipt=1.8,
    return_rate=0.08,
    loyalty_card_share=0.45,
    articles=400,
    store_assortment_share=0.55,
    ga4_property="properties/402117385",
    branches=(
        BranchProfile(1, "Alpin Sport Innsbruck", "Innsbruck", "Tirol", D(2008, 11, 20), 1350.0, 36.0),
        BranchProfile(2, "Alpin Sport Salzburg", "Salzburg", "Salzburg", D(2012, 10, 4), 1100.0, 31.0),
        BranchProfile(3, "Alpin Sport Wien", "Wien", "Wien", D(2015, 3, 12), 1250.0, 34.0),
        BranchProfile(4, "Alpin Sport Graz", "Graz", "Steiermark", D(2018, 4, 19), 900.0, 25.0),
        BranchProfile(5, "Alpin Sport Linz", "Linz", "Oberösterreich", D(2020, 9, 10), 780.0, 21.0),
        BranchProfile(90, "Alpin Sport Online-Shop", None, None, D(2017, 2, 1), None, 50.0),
    ),
    categories=(
        CategoryProfile(
            "Ski", 0.22, 0.55, 0.04, 0.0, _SKI, 0.05, 0.6,
            (
                S("Ski", 299.0, 899.0, ("Allmountain-Ski", "Pistenski", "Freeride-Ski")),
                S("Skischuhe", 199.0, 599.0, ("Skischuh",)),
                S("Helme", 79.0, 249.0, ("Skihelm",)),
                S("Skibrillen", 49.0, 199.0, ("Skibrille",)),
                S("Skitouren", 149.0, 699.0, ("Tourenbindung", "Felle", "LVS-Gerät")),
            ),
            ("Atomic", "Fischer", "Head", "Blizzard", "Völkl", "Salomon", "Ortovox"),
            ("Schwarz", "Weiß", "Rot", "Blau", "Petrol", "Neongelb"),
        ),
        CategoryProfile(
            "Hiking", 0.22, 0.50, 0.06, 0.005, _OUTDOOR, 0.1, 0.35,
            (
                S("Wanderschuhe", 119.0, 279.0, ("Wanderschuh", "Bergstiefel", "Zustiegsschuh")),
                S("Rucksäcke", 59.0, 219.0, ("Tagesrucksack", "Trekkingrucksack")),
                S("Wanderbekleidung", 49.0, 249.0, ("Trekkinghose", "Softshelljacke", "Wanderhemd")),
                S("Zelte & Schlafsäcke", 79.0, 499.0, ("Zelt", "Schlafsack", "Isomatte")),
            ),
            ("Lowa", "Hanwag", "Scarpa", "Deuter", "Vaude", "Mammut", "Jack Wolfskin"),
            ("Anthrazit", "Oliv", "Blau", "Rot", "Grau", "Sand"),
        ),
        CategoryProfile(
            "Running", 0.16, 0.52, 0.09, -0.005, _RUN, 0.2, 0.4,
            (
                S("Laufschuhe", 99.0, 199.0, ("Laufschuh", "Trailrunningschuh")),
                S("Laufbekleidung", 29.0, 119.0, ("Laufshirt", "Lauftight", "Laufjacke")),
                S("Sportuhren", 149.0, 549.0, ("GPS-Laufuhr",)),
                S("Laufzubehör", 9.95, 39.95, ("Laufsocken", "Trinkflasche", "Stirnband")),
            ),
            ("ASICS", "Brooks", "Hoka", "On", "Garmin", "Löffler"),
            ("Schwarz", "Neongelb", "Blau", "Koralle", "Weiß", "Grau"),
        ),
        CategoryProfile(
            "Cycling", 0.14, 0.58, -0.02, 0.03, _BIKE, 0.15, 0.5,
            (
                S("Fahrräder", 599.0, 2999.0, ("Trekkingrad", "Gravelbike", "Mountainbike", "E-Bike")),
                S("Radhelme", 59.0, 199.0, ("Radhelm",)),
                S("Radbekleidung", 39.0, 179.0, ("Radtrikot", "Radhose", "Windweste")),
                S("Radzubehör", 9.95, 89.0, ("Fahrradschloss", "Licht-Set", "Trinkflasche", "Pumpe")),
            ),
            ("KTM", "Cube", "Specialized", "Gonso", "Abus", "Uvex"),
            ("Schwarz", "Grau", "Grün", "Blau", "Weiß", "Orange"),
        ),
        CategoryProfile(
            "Apparel", 0.26, 0.45, 0.03, 0.01, _SPORT_APPAREL, 0.15, 0.55,
            (
                S("Funktionsjacken", 129.0, 449.0, ("Hardshelljacke", "Daunenjacke", "Skijacke")),
                S("Fleece & Midlayer", 59.0, 179.0, ("Fleecejacke", "Primaloft-Weste")),
                S("Baselayer", 29.0, 99.0, ("Merino-Shirt", "Funktionsunterhose")),
                S("Mützen & Handschuhe", 19.95, 69.0, ("Beanie", "Skihandschuhe", "Stirnband")),
            ),
            ("Schöffel", "Icebreaker", "Odlo", "Ortovox", "Mammut", "Alpin Sport Pro"),
            ("Schwarz", "Navy", "Rot", "Petrol", "Weiß", "Oliv"),
        ),
    ),
    campaign_themes=(
        (1, "Skitage im Jänner – Angebote"), (1, "Winter Sale bis -40 %"), (1, "Tourengeher-Special"),
        (2, "Semesterferien: Skiausrüstung"), (2, "Ski-Service & Bindungscheck"), (2, "Letzte Winterdeals"),
        (3, "Laufsaison-Start"), (3, "Frühjahrs-Wanderkollektion"), (3, "Saisonende: Ski-Abverkauf"),
        (4, "Radsaison eröffnet"), (4, "Trailrunning-Neuheiten"), (4, "Ostern in den Bergen"),
        (5, "Wandersaison: Neue Bergschuhe"), (5, "Fahrrad-Check-Wochen"),
        (5, "Vienna City Marathon Finisher-Deals"),
        (6, "Hüttentouren: Packliste"), (6, "Sommer im Gebirge"), (6, "Gravel-Special"),
        (7, "Summer Sale"), (7, "Klettersteig-Ausrüstung"), (7, "Sommer-Sale: Extra-Rabatt"),
        (8, "Back to Trail"), (8, "Final Summer Sale"), (8, "Alpenüberquerung – Tipps & Ausrüstung"),
        (9, "Herbstwandern"), (9, "Laufevent-Woche"), (9, "Neue Skimodelle 26/27"),
        (10, "Ski-Vorverkauf"), (10, "Skitouren-Kollektion"), (10, "Member Days"),
        (11, "Black Friday Early Access"), (11, "Black Friday – bis zu 35 %"),
        (11, "Saisonstart am Gletscher"),
        (11, "Skischuh-Fitting-Wochen"),
        (12, "Geschenke für Bergfreunde"), (12, "Last-Minute-Geschenke"),
        (12, "Weihnachtsferien auf der Piste"),
    ),
    customer_cities=(
        "Wien", "Graz", "Linz", "Salzburg", "Innsbruck", "Klagenfurt", "Villach", "Wels", "St. Pölten",
        "Dornbirn", "Bregenz", "Kufstein", "Schwaz", "Leoben", "Krems",
    ),
)  # fmt: skip

CASA = TenantProfile(
    tenant_id="casa-living",
    name="Casa Living",
    code="cas",
    currency="CHF",
    timezone="Europe/Zurich",
    country="CH",
    locale="de-CH",
    seed_offset=3_000,
    yearly_growth=0.02,
    lines_per_receipt=1.6,
    return_rate=0.06,
    loyalty_card_share=0.5,
    articles=300,
    store_assortment_share=0.6,
    ga4_property="properties/287730519",
    branches=(
        BranchProfile(1, "Casa Living Zürich", "Zürich", "Zürich", D(2010, 5, 6), 1800.0, 46.0),
        BranchProfile(2, "Casa Living Basel", "Basel", "Basel-Stadt", D(2014, 9, 18), 1300.0, 36.0),
        BranchProfile(3, "Casa Living Bern", "Bern", "Bern", D(2019, 3, 7), 1100.0, 32.0),
        BranchProfile(90, "Casa Living Online-Shop", None, None, D(2018, 1, 15), None, 66.0),
    ),
    categories=(
        CategoryProfile(
            "Furniture", 0.12, 0.55, 0.01, 0.02, _HOME, 0.0, 0.1,
            (
                S("Sofas & Sessel", 899.0, 3490.0, ("Sofa", "Sessel", "Daybed")),
                S("Tische", 390.0, 1890.0, ("Esstisch", "Couchtisch", "Beistelltisch")),
                S("Stühle", 129.0, 590.0, ("Stuhl", "Barhocker", "Bank")),
                S("Regale & Aufbewahrung", 149.0, 990.0, ("Regal", "Sideboard", "Kommode")),
            ),
            ("Casa Living Atelier", "Muuto", "HAY", "Ferm Living", "Menu"),
            ("Eiche natur", "Nussbaum", "Schwarz", "Sand", "Salbei", "Terracotta"),
        ),
        CategoryProfile(
            "Lighting", 0.16, 0.45, 0.05, 0.0, _HOME, 0.1, 0.1,
            (
                S("Pendelleuchten", 129.0, 790.0, ("Pendelleuchte",)),
                S("Stehleuchten", 149.0, 690.0, ("Stehleuchte",)),
                S("Tischleuchten", 59.0, 390.0, ("Tischleuchte", "Akku-Leuchte")),
                S("Leuchtmittel", 9.9, 29.9, ("LED-Leuchtmittel",)),
            ),
            ("Louis Poulsen", "Flos", "Artemide", "HAY", "Casa Living Atelier"),
            ("Weiß", "Schwarz", "Messing", "Opal", "Chrom"),
        ),
        CategoryProfile(
            "Textiles", 0.24, 0.40, 0.03, 0.005, _HOME, 0.25, 0.3,
            (
                S("Kissen & Plaids", 29.9, 149.0, ("Kissenhülle", "Plaid", "Wolldecke")),
                S("Bettwäsche", 79.0, 249.0, ("Bettwäsche-Set", "Leintuch")),
                S("Teppiche", 149.0, 990.0, ("Teppich", "Läufer")),
                S("Vorhänge", 49.0, 179.0, ("Vorhang", "Leinenvorhang")),
            ),
            ("Schlossberg", "Marimekko", "Designers Guild", "Casa Living Atelier"),
            ("Ecru", "Senf", "Rost", "Salbei", "Hellgrau", "Indigo", "Leinen natur"),
        ),
        CategoryProfile(
            "Kitchen", 0.26, 0.48, 0.07, -0.01, _HOME, 0.6, 0.1,
            (
                S("Geschirr", 12.9, 89.0, ("Teller", "Schale", "Tasse", "Servierplatte")),
                S("Gläser", 9.9, 59.0, ("Weinglas", "Wasserglas", "Karaffe")),
                S("Kochen & Backen", 19.9, 349.0, ("Bräter", "Pfanne", "Messer", "Backform")),
                S("Besteck", 39.0, 249.0, ("Besteckset", "Salatbesteck")),
            ),
            ("Iittala", "Le Creuset", "Zwilling", "WMF", "Kähler", "Casa Living Atelier"),
            ("Weiß", "Sand", "Anthrazit", "Klar", "Blau", "Terracotta"),
        ),
        CategoryProfile(
            "Decor", 0.22, 0.38, -0.04, 0.03, _CHRISTMAS_DECOR, 0.4, 0.35,
            (
                S("Vasen", 24.9, 149.0, ("Vase", "Blumentopf")),
                S("Kerzen & Düfte", 9.9, 69.0, ("Duftkerze", "Raumduft", "Kerzenhalter")),
                S("Bilderrahmen & Poster", 19.9, 129.0, ("Bilderrahmen", "Kunstdruck")),
                S("Weihnachtsdeko", 9.9, 89.0, ("Christbaumkugeln", "Adventskranz", "Sternlaterne")),
            ),
            ("Broste Copenhagen", "Ferm Living", "Bloomingville", "Casa Living Atelier"),
            ("Weiß", "Gold", "Rauchglas", "Terracotta", "Salbei", "Schwarz"),
        ),
    ),
    campaign_themes=(
        (1, "Sale: bis zu 50 % auf Wohntextilien"), (1, "Neues Jahr, neues Zuhause"), (1, "Ordnung schaffen"),
        (2, "Frühlingsgefühle für Ihr Zuhause"), (2, "Valentinstag: Tischdeko"), (2, "Neue Leuchten"),
        (3, "Frühlingskollektion"), (3, "Ostertisch-Inspiration"), (3, "Balkon & Terrasse"),
        (4, "Outdoor-Living"), (4, "Muttertag: Geschenkideen"), (4, "Die neuen Farben der Saison"),
        (5, "Designklassiker"), (5, "Sommerliches Geschirr"), (5, "Auffahrt-Special"),
        (6, "Sommer Sale"), (6, "Leinen für heisse Nächte"), (6, "Grillabend-Essentials"),
        (7, "Summer Sale: Extra-Rabatt"), (7, "Ferien-Stimmung für Zuhause"), (7, "1. August Apéro"),
        (8, "Letzte Sale-Chance"), (8, "Herbstvorschau"), (8, "Home Office neu gedacht"),
        (9, "Neue Herbstkollektion"), (9, "Cosy Living: Plaids & Kissen"), (9, "Lichtstimmung im Herbst"),
        (10, "Member Days"), (10, "Kerzen & Düfte"), (10, "Esszimmer-Inspiration"),
        (11, "Black Friday Early Access"), (11, "Black Week – bis zu 30 %"), (11, "Adventsdeko ist da"),
        (11, "Wohnliche Wintertage"),
        (12, "Geschenkideen zu Weihnachten"), (12, "Festtagstafel"), (12, "Last-Minute-Geschenke"),
    ),
    customer_cities=(
        "Zürich", "Basel", "Bern", "Luzern", "Winterthur", "St. Gallen", "Zug", "Aarau", "Baden",
        "Thun", "Biel", "Schaffhausen", "Chur", "Olten",
    ),
)  # fmt: skip

TENANT_PROFILES: dict[str, TenantProfile] = {p.tenant_id: p for p in (NORDWIND, ALPIN, CASA)}
