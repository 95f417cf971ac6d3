"""Fill the country table from the maintained libraries (pycountry for ISO 3166-1 codes, Babel /
CLDR for the Vietnamese and English names) and create the usual groups, so every installation
has them without a hand-typed list. Frameworks are dated facts with sources: the demo loads them
and administrators keep them (apps.partners.demo)."""

from django.db import migrations

# slug, Vietnamese name, English name, ISO codes
GROUPS = [
    ("neighbours", "Nước láng giềng", "Neighbouring countries", ["CN", "LA", "KH"]),
    ("asean", "ASEAN", "ASEAN", ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN", "TL"]),
    ("major-powers", "Nước lớn", "Major powers", ["CN", "US", "RU", "JP", "IN", "GB", "FR", "DE"]),
]


def library_countries():
    # A copy of apps.partners.services.library_countries as it was, so this migration never
    # changes meaning when the service does.
    import pycountry
    from babel import Locale

    vi, en = Locale("vi").territories, Locale("en").territories
    for country in pycountry.countries:
        code = country.alpha_2
        fallback = getattr(country, "common_name", None) or country.name
        yield {
            "code": code,
            "alpha3": country.alpha_3,
            "name_vi": vi.get(code) or fallback,
            "name_en": en.get(code) or fallback,
            "official_name": getattr(country, "official_name", "") or "",
        }


def forward(apps, schema_editor):
    from apps.core.text import fold_join

    Country = apps.get_model("partners", "Country")
    CountryGroup = apps.get_model("partners", "CountryGroup")
    existing = set(Country.objects.values_list("code", flat=True))
    rows = []
    for row in library_countries():
        if row["code"] in existing:
            continue
        rows.append(
            Country(
                **row,
                search_text=fold_join(row["code"], row["alpha3"], row["name_vi"], row["name_en"], row["official_name"]),
            )
        )
    Country.objects.bulk_create(rows, batch_size=500)
    by_code = {c.code: c for c in Country.objects.all()}
    for slug, name_vi, name_en, codes in GROUPS:
        group, _created = CountryGroup.objects.get_or_create(
            slug=slug, defaults={"name_vi": name_vi, "name_en": name_en, "search_text": fold_join(slug, name_vi, name_en)}
        )
        group.countries.add(*[by_code[c] for c in codes if c in by_code])


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
