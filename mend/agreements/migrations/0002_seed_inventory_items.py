import uuid

from django.db import migrations
from django.utils.translation import gettext_noop as _

# The English text is stored and is the message id: InventoryItem.label translates it.

# Fixed codes so every installation names the same built-in item the same way.
ITEMS = {
    "closeness": [
        ("holding-hands", _("Holding hands")),
        ("hugging", _("Long hugs")),
        ("cuddling", _("Cuddling on the sofa")),
        ("kissing", _("Kissing")),
        ("same-bed", _("Sleeping in the same bed")),
        ("massage", _("Giving or receiving a massage")),
        ("bathing", _("Bathing or showering together")),
    ],
    "intimacy": [
        ("touch-clothed", _("Touching each other with clothes on")),
        ("undressing", _("Undressing together")),
        ("touch-unclothed", _("Touching each other without clothes")),
        ("manual", _("Touching each other's genitals")),
        ("oral", _("Oral sex")),
        ("intercourse", _("Intercourse")),
        ("toys", _("Using toys")),
        ("something-new", _("Trying something new together")),
    ],
    "contexts": [
        ("talk-about", _("Talking about our sex life")),
        ("say-likes", _("Saying out loud what we like")),
        ("planned", _("Planning time for intimacy ahead")),
        ("spontaneous", _("Being spontaneous")),
        ("mornings", _("Intimacy in the morning")),
        ("lights-on", _("Lights on")),
        ("flirty-messages", _("Flirty messages to each other")),
        ("away-from-home", _("Intimacy away from home (a trip, a hotel)")),
    ],
}


def code_for(slug):
    return uuid.uuid5(uuid.NAMESPACE_URL, f"mend:inventory:{slug}")


def seed(apps, schema_editor):
    InventoryItem = apps.get_model("agreements", _("InventoryItem"))
    for group, items in ITEMS.items():
        for order, (slug, text) in enumerate(items):
            InventoryItem.objects.update_or_create(
                code=code_for(slug),
                defaults={"group": group, "text": text, "order": order, "space": None},
            )


def unseed(apps, schema_editor):
    InventoryItem = apps.get_model("agreements", _("InventoryItem"))
    codes = [code_for(slug) for items in ITEMS.values() for slug, _text in items]
    InventoryItem.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("agreements", _("0001_initial"))]

    operations = [migrations.RunPython(seed, unseed)]
