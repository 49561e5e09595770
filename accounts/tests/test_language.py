"""The language of the pages: the switcher, the person's own language kept on
their account, the browser's until a choice is made."""

import html
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts import services
from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import PASSWORD, AdminFactory, UserFactory

pytestmark = pytest.mark.django_db

LANGUAGE = reverse("set_language")
LOGIN = reverse("accounts:login")
COOKIE = settings.LANGUAGE_COOKIE_NAME
# Headings of the pages, in Hindi.
LOGIN_HI = "साइन इन करें"
RESET_HI = "अपना पासवर्ड रीसेट करें"
REGISTER_HI = "रजिस्टर करें"


def _sign_in(client: Client, email: str) -> None:
    response = client.post(LOGIN, {"username": email, "password": PASSWORD})
    assert response.status_code == 302, response.text


def test_the_switcher_is_on_every_page_signed_out_or_in(client, patient_client):
    for who in (client, patient_client):
        page = who.get(reverse("accounts:password-change") if who is patient_client else LOGIN)
        assert '<form class="language-switcher"' in page.text
        assert f'action="{LANGUAGE}"' in page.text
        assert re.search(r'<button[^>]*value="hi"\s+lang="hi">हिन्दी</button>', page.text)
        assert 'value="en-gb"' not in page.text  # only the other language


def test_in_hindi_the_switcher_offers_english(client):
    page = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="hi")

    assert re.search(r'<button[^>]*value="en-gb"\s+lang="en-gb">English</button>', page.text)
    assert '<html lang="hi">' in page.text


def test_signed_out_the_switcher_sets_the_cookie_and_the_next_page_is_hindi(client):
    response = client.post(LANGUAGE, {"language": "hi", "next": "/accounts/password/reset/"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/"
    assert client.cookies[COOKIE].value == "hi"
    page = client.get(response["Location"])
    assert RESET_HI in page.text
    assert '<html lang="hi">' in page.text


def test_an_unsafe_next_goes_home_instead(client):
    response = client.post(LANGUAGE, {"language": "hi", "next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_signed_in_the_switcher_keeps_the_choice_on_the_account(patient_client, patient):
    response = patient_client.post(LANGUAGE, {"language": "hi", "next": "/accounts/two-factor/"})

    assert response.status_code == 302
    patient.user.refresh_from_db()
    assert patient.user.preferred_language == "hi"
    assert "दो-चरण सत्यापन" in patient_client.get("/accounts/two-factor/").text


def test_a_signed_in_person_gets_their_language_whatever_the_browser_says(patient):
    services.user_set_language(user=patient.user, language="hi")
    client = Client()
    client.force_login(patient.user)

    page = client.get("/accounts/password/change/", HTTP_ACCEPT_LANGUAGE="en")

    assert "अपना पासवर्ड बदलें" in page.text
    assert page["Content-Language"] == "hi"
    # ...and the cookie follows, so the device stays in it after signing out.
    assert page.cookies[COOKIE].value == "hi"


def test_after_signing_in_on_a_fresh_device_the_pages_are_in_the_saved_language():
    person = UserFactory(email="asha@example.com")
    services.user_set_language(user=person, language="hi")
    fresh = Client()

    response = fresh.post(LOGIN, {"username": "asha@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "hi"
    assert "अपना पासवर्ड बदलें" in fresh.get("/accounts/password/change/").text
    fresh.post(reverse("accounts:logout"))
    assert LOGIN_HI in fresh.get(LOGIN).text  # the device keeps it after signing out


def test_a_choice_made_before_signing_in_is_kept_on_an_account_without_one(client):
    person = UserFactory(email="asha@example.com")
    client.post(LANGUAGE, {"language": "hi", "next": LOGIN})

    _sign_in(client, "asha@example.com")

    person.refresh_from_db()
    assert person.preferred_language == "hi"


def test_an_account_s_own_language_wins_over_the_device_s_choice_at_sign_in(client):
    person = UserFactory(email="asha@example.com")
    services.user_set_language(user=person, language="en-gb")
    client.post(LANGUAGE, {"language": "hi", "next": LOGIN})

    response = client.post(LOGIN, {"username": "asha@example.com", "password": PASSWORD})

    person.refresh_from_db()
    assert person.preferred_language == "en-gb"
    assert response.cookies[COOKIE].value == "en-gb"
    assert "Change your password" in client.get("/accounts/password/change/").text


def test_the_browser_s_hindi_shows_until_a_choice_is_made(client):
    assert LOGIN_HI in client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="hi").text
    assert RESET_HI in client.get("/accounts/password/reset/", HTTP_ACCEPT_LANGUAGE="hi").text
    register = client.get(reverse("clinic:patient-register"), HTTP_ACCEPT_LANGUAGE="hi-IN,hi;q=0.9")
    assert REGISTER_HI in register.text
    assert '<html lang="hi">' in register.text


def test_choosing_english_while_the_browser_says_hindi_shows_english(client):
    client.post(LANGUAGE, {"language": "en-gb", "next": LOGIN})

    page = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="hi")

    assert '<h1 class="h3 mb-3">Sign in</h1>' in page.text
    assert LOGIN_HI not in page.text
    assert '<html lang="en-gb">' in page.text


@pytest.mark.parametrize("code", ["fr", "xx", "", "hi' OR 1=1", "en"])
def test_a_bad_code_changes_nothing(client, patient_client, patient, code):
    for who in (client, patient_client):
        response = who.post(LANGUAGE, {"language": code, "next": LOGIN})
        assert response.status_code == 302
        assert COOKIE not in response.cookies
    patient.user.refresh_from_db()
    assert patient.user.preferred_language == ""


def test_the_switcher_takes_no_get(client):
    assert client.get(LANGUAGE, {"language": "hi"}).status_code == 405
    assert COOKIE not in client.cookies


def test_the_switcher_needs_the_csrf_token():
    checked = Client(enforce_csrf_checks=True)

    assert checked.post(LANGUAGE, {"language": "hi"}).status_code == 403
    assert COOKIE not in checked.cookies


def test_registering_keeps_the_page_s_language_on_the_new_account(client):
    data = {
        "first_name": "Asha",
        "last_name": "Rao",
        "email": "asha@example.com",
        "phone": "",
        "password1": "a-long-new-passphrase-7",
        "password2": "a-long-new-passphrase-7",
    }

    response = client.post(reverse("clinic:patient-register"), data, HTTP_ACCEPT_LANGUAGE="hi")

    assert response.status_code == 302, response.text
    assert User.objects.get(email="asha@example.com").preferred_language == "hi"


def test_the_language_service_refuses_a_language_not_offered():
    person = UserFactory()

    with pytest.raises(ValidationError):
        services.user_set_language(user=person, language="fr")
    services.user_set_language(user=person, language="hi-IN")

    person.refresh_from_db()
    assert person.preferred_language == "hi"


def test_the_profile_page_edits_the_language(client, patient):
    client.force_login(patient.user)
    page = client.get(reverse("clinic:profile-edit"))
    assert 'name="preferred_language"' in page.text

    response = client.post(reverse("clinic:profile-edit"), {"preferred_language": "hi"})

    assert response.status_code == 302, response.text
    patient.user.refresh_from_db()
    assert patient.user.preferred_language == "hi"
    assert "मेरी प्रोफ़ाइल" in client.get(reverse("clinic:profile-edit")).text


def test_sign_in_errors_and_the_lockout_page_in_hindi(client, patient):
    email = patient.user.email
    wrong = {"username": email, "password": "not-the-one-123"}

    refused = client.post(LOGIN, wrong, HTTP_ACCEPT_LANGUAGE="hi")

    assert refused.status_code == 200
    assert "कृपया सही ई-मेल पता और पासवर्ड डालें।" in refused.text
    for _ in range(4):
        locked = client.post(LOGIN, wrong, HTTP_ACCEPT_LANGUAGE="hi")
    assert locked.status_code == 429
    assert "बहुत बार गलत साइन इन" in locked.text
    assert "15 मिनट" in locked.text
    assert "PT15M" not in locked.text


def test_the_lockout_page_says_minutes_in_english(client, patient):
    for _ in range(5):
        locked = client.post(LOGIN, {"username": patient.user.email, "password": "nope-123456"})
    assert locked.status_code == 429
    assert "locked for 15 minutes after several wrong passwords" in locked.text


def test_role_names_and_the_groups_they_name(patient):
    assert Role.PATIENT.group_name == "Patient"
    with translation.override("hi"):
        assert str(Role.PATIENT.label) == "मरीज़"
        assert Role.PATIENT.group_name == "Patient"


# Latin letters a Hindi page may keep: the clinic's name and zone, the switcher's
# "English", product names and the people's names (added per test).
KEPT_LATIN = {"HMS", "Hospital", "IST", "Asia", "Kolkata", "English", "API", "Django"}
KEPT_LATIN |= {"Google", "Microsoft", "Authenticator", "FreeOTP"}


def _latin_words(page: str) -> set[str]:
    page = re.sub(r"<(script|style|code|svg)\b.*?</\1>", " ", page, flags=re.S)
    attributes = " ".join(re.findall(r'(?:title|aria-label|placeholder|alt)="([^"]*)"', page))
    text = html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + attributes)
    return set(re.findall(r"[A-Za-z][A-Za-z'-]+", text))


def test_the_accounts_pages_in_hindi_keep_no_english(client, patient):
    signed_out = [LOGIN, "/", "/accounts/password/reset/", "/accounts/password/reset/sent/"]
    signed_out += ["/accounts/password/reset/complete/", "/accounts/password/reset/MQ/x-y/"]
    signed_out += ["/no-such-page/"]
    for path in signed_out:
        page = client.get(path, HTTP_ACCEPT_LANGUAGE="hi")
        assert _latin_words(page.text) <= KEPT_LATIN, path
    for person in (patient.user, AdminFactory()):
        services.user_set_language(user=person, language="hi")
        signed_in = Client()
        signed_in.force_login(person)
        names = {person.first_name, person.last_name}
        pages = ["/accounts/password/change/", "/accounts/password/change/done/"]
        pages += ["/accounts/two-factor/", "/accounts/tokens/", "/manage/no-such/"]
        if person.is_patient:
            pages.append(reverse("reports:admin-home"))  # the 403 page
        for path in pages:
            page = signed_in.get(path)
            assert _latin_words(page.text) <= KEPT_LATIN | names, path
        refused = signed_in.post(
            "/accounts/password/change/",
            {"old_password": "wrong", "new_password1": "a", "new_password2": "b"},
        )
        assert "आपका पुराना पासवर्ड गलत डाला गया।" in refused.text
        assert "दोनों पासवर्ड एक जैसे नहीं हैं।" in refused.text
        assert _latin_words(refused.text) <= KEPT_LATIN | names


def test_a_password_set_link_in_hindi_explains_the_rules_in_hindi(client):
    person = UserFactory()
    link = services.password_setup_link(user=person, base_url="http://testserver")

    page = client.get(link, HTTP_ACCEPT_LANGUAGE="hi", follow=True)

    assert "नया पासवर्ड चुनें" in page.text
    assert "आपके पासवर्ड में कम से कम 12 अक्षर होने चाहिए।" in page.text
    assert _latin_words(page.text) <= KEPT_LATIN


def test_a_person_who_must_set_up_two_factor_may_still_switch_language(settings, admin_user):
    settings.HMS_2FA_REQUIRED_ROLES = {"admin"}
    client = Client()
    client.force_login(admin_user)

    response = client.post(LANGUAGE, {"language": "hi", "next": "/accounts/two-factor/"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/"
    admin_user.refresh_from_db()
    assert admin_user.preferred_language == "hi"
    assert "दो-चरण सत्यापन" in client.get("/accounts/two-factor/").text


def test_the_server_error_page_follows_the_language():
    from django.template import loader

    with translation.override("hi"):
        page = loader.get_template("500.html").render()
    assert '<html lang="hi">' in page
    assert "हमारी तरफ़ से कुछ गड़बड़ हो गई" in page
