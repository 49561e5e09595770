"""Phones already stored are rewritten in E.164 where they are valid numbers
(read in HMS_PHONE_REGION, as ``hms.phones`` reads them); a number that is not
valid is left as it was, for its owner to correct the next time they save.
"""

import phonenumbers
from django.conf import settings
from django.db import migrations


def e164(text: str) -> str | None:
    try:
        number = phonenumbers.parse(text, settings.HMS_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for pk, phone in User.objects.exclude(phone="").values_list("pk", "phone").iterator():
        normal = e164(phone)
        if normal and normal != phone:
            User.objects.filter(pk=pk).update(phone=normal)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0009_preferred_language")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
