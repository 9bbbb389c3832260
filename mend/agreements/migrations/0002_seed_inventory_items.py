import uuid

from django.db import migrations

# Fixed codes so every installation names the same built-in item the same way.
ITEMS = {
    "closeness": [
        ("holding-hands", "Holding hands"),
        ("hugging", "Long hugs"),
        ("cuddling", "Cuddling on the sofa"),
        ("kissing", "Kissing"),
        ("same-bed", "Sleeping in the same bed"),
        ("massage", "Giving or receiving a massage"),
        ("bathing", "Bathing or showering together"),
    ],
    "intimacy": [
        ("touch-clothed", "Touching each other with clothes on"),
        ("undressing", "Undressing together"),
        ("touch-unclothed", "Touching each other without clothes"),
        ("manual", "Touching each other's genitals"),
        ("oral", "Oral sex"),
        ("intercourse", "Intercourse"),
        ("toys", "Using toys"),
        ("something-new", "Trying something new together"),
    ],
    "contexts": [
        ("talk-about", "Talking about our sex life"),
        ("say-likes", "Saying out loud what we like"),
        ("planned", "Planning time for intimacy ahead"),
        ("spontaneous", "Being spontaneous"),
        ("mornings", "Intimacy in the morning"),
        ("lights-on", "Lights on"),
        ("flirty-messages", "Flirty messages to each other"),
        ("away-from-home", "Intimacy away from home (a trip, a hotel)"),
    ],
}


def code_for(slug):
    return uuid.uuid5(uuid.NAMESPACE_URL, f"mend:inventory:{slug}")


def seed(apps, schema_editor):
    InventoryItem = apps.get_model("agreements", "InventoryItem")
    for group, items in ITEMS.items():
        for order, (slug, text) in enumerate(items):
            InventoryItem.objects.update_or_create(
                code=code_for(slug),
                defaults={"group": group, "text": text, "order": order, "space": None},
            )


def unseed(apps, schema_editor):
    InventoryItem = apps.get_model("agreements", "InventoryItem")
    codes = [code_for(slug) for items in ITEMS.values() for slug, _text in items]
    InventoryItem.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
