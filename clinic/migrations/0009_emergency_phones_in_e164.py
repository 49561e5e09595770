"""Emergency contact phones rewritten in E.164 where they are valid numbers
(read in HMS_PHONE_REGION, as ``hms.phones`` reads them; accounts 0010 does
the people's own phones); a number that is not valid is left as it was.
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
    Patient = apps.get_model("clinic", "Patient")
    rows = Patient.objects.exclude(emergency_contact_phone="")
    for pk, phone in rows.values_list("pk", "emergency_contact_phone").iterator():
        normal = e164(phone)
        if normal and normal != phone:
            Patient.objects.filter(pk=pk).update(emergency_contact_phone=normal)


class Migration(migrations.Migration):
    dependencies = [("clinic", "0008_doctor_registration_number")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
