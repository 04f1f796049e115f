"""Other words for dimension values: exonyms and English glosses of German retail terms.

Our retailers' master data is German (subcategories 'Laufschuhe', cities 'München') while staff
and head-office users often ask in English ("trainers in Munich"). A small bag-of-words embedder
does not bridge languages reliably, so the value indexer adds these aliases as extra searchable
records that point at the real value. Keys are case-folded values; the list is data, extendable
per deployment, and never replaces the value itself (filters always use the stored value).
"""

from __future__ import annotations

EXONYMS: dict[str, tuple[str, ...]] = {
    "münchen": ("Munich",),
    "köln": ("Cologne",),
    "nürnberg": ("Nuremberg",),
    "hannover": ("Hanover",),
    "wien": ("Vienna",),
    "zürich": ("Zurich",),
    "genf": ("Geneva",),
    "luzern": ("Lucerne",),
    "braunschweig": ("Brunswick",),
    "bayern": ("Bavaria",),
    "sachsen": ("Saxony",),
    "niedersachsen": ("Lower Saxony",),
    "nordrhein-westfalen": ("North Rhine-Westphalia", "NRW"),
    "hessen": ("Hesse",),
    "tirol": ("Tyrol",),
    "steiermark": ("Styria",),
    "oberösterreich": ("Upper Austria",),
    "kärnten": ("Carinthia",),
    "basel-stadt": ("Basel City",),
    "de": ("Germany",),
    "at": ("Austria",),
    "ch": ("Switzerland",),
}

GLOSSES: dict[str, tuple[str, ...]] = {
    # fashion
    "kleider": ("dresses",),
    "blusen & shirts": ("blouses", "tops"),
    "strick": ("knitwear", "jumpers", "sweaters"),
    "hosen": ("trousers", "pants"),
    "hosen & chinos": ("trousers", "chinos"),
    "jacken & mäntel": ("jackets and coats", "outerwear"),
    "hemden": ("shirts",),
    "t-shirts & polos": ("t-shirts", "polo shirts"),
    "anzüge & sakkos": ("suits", "blazers"),
    "jungen": ("boys",),
    "mädchen": ("girls",),
    "schlafanzüge": ("pyjamas", "pajamas", "sleepwear"),
    "sneaker": ("sneakers", "trainers"),
    "stiefel & boots": ("boots",),
    "halbschuhe": ("low shoes", "loafers"),
    "sandalen": ("sandals",),
    "taschen": ("bags", "handbags"),
    "schals & tücher": ("scarves",),
    "gürtel": ("belts",),
    "mützen & handschuhe": ("hats and gloves", "beanies"),
    "schmuck": ("jewellery", "jewelry"),
    "sonnenbrillen": ("sunglasses",),
    # sport
    "skischuhe": ("ski boots",),
    "helme": ("helmets",),
    "skibrillen": ("ski goggles",),
    "skitouren": ("ski touring",),
    "wanderschuhe": ("hiking boots", "walking boots"),
    "rucksäcke": ("backpacks", "rucksacks"),
    "wanderbekleidung": ("hiking clothing", "outdoor clothing"),
    "zelte & schlafsäcke": ("tents and sleeping bags", "camping gear"),
    "laufschuhe": ("running shoes", "trainers", "runners"),
    "laufbekleidung": ("running clothes", "running apparel"),
    "sportuhren": ("sports watches", "gps watches"),
    "laufzubehör": ("running accessories",),
    "fahrräder": ("bikes", "bicycles"),
    "radhelme": ("bike helmets", "cycling helmets"),
    "radbekleidung": ("cycling clothing", "cycling apparel"),
    "radzubehör": ("bike accessories", "cycling accessories"),
    "funktionsjacken": ("technical jackets", "shell jackets"),
    "fleece & midlayer": ("fleeces", "mid layers"),
    "baselayer": ("base layers", "thermals"),
    # home
    "sofas & sessel": ("sofas and armchairs", "couches"),
    "tische": ("tables",),
    "stühle": ("chairs",),
    "regale & aufbewahrung": ("shelves and storage", "shelving"),
    "pendelleuchten": ("pendant lights", "pendant lamps"),
    "stehleuchten": ("floor lamps",),
    "tischleuchten": ("table lamps",),
    "leuchtmittel": ("light bulbs", "bulbs"),
    "kissen & plaids": ("cushions and throws", "cushions"),
    "bettwäsche": ("bed linen", "bedding"),
    "teppiche": ("rugs", "carpets"),
    "vorhänge": ("curtains",),
    "geschirr": ("tableware", "crockery", "dishes"),
    "gläser": ("glasses", "glassware"),
    "kochen & backen": ("cookware", "cooking and baking"),
    "besteck": ("cutlery",),
    "vasen": ("vases",),
    "kerzen & düfte": ("candles and scents", "candles"),
    "bilderrahmen & poster": ("picture frames and posters", "frames"),
    "weihnachtsdeko": ("christmas decorations", "xmas decor"),
    # colours
    "schwarz": ("black",),
    "weiß": ("white",),
    "grau": ("grey", "gray"),
    "grau meliert": ("grey marl", "heather grey"),
    "blau": ("blue",),
    "rot": ("red",),
    "grün": ("green",),
    "gelb": ("yellow",),
    "dunkelbraun": ("dark brown",),
    "salbei": ("sage",),
    "rosé": ("rose", "pink"),
    "neongelb": ("neon yellow",),
    "oliv": ("olive",),
    "koralle": ("coral",),
    "anthrazit": ("charcoal", "anthracite"),
    # channels and segments
    "online": ("web shop", "e-commerce"),
    "store": ("in store", "brick and mortar"),
    "at_risk": ("at risk",),
    "potential_loyalist": ("potential loyalists",),
}


def aliases_for(value: str) -> tuple[str, ...]:
    key = value.casefold()
    return EXONYMS.get(key, ()) + GLOSSES.get(key, ())
