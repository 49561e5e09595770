# ruff: noqa: RUF001 - the msgids are exactly Django's, curly apostrophes included
"""The texts of the password forms and rules that come from Django and
django-zxcvbn-password-validator, marked here so our catalogue has them.

Those packages ship no Hindi for most of them (and Django's few say
"शब्दकूट", not पासवर्ड); our catalogue (LOCALE_PATHS) is read before theirs,
so an entry here wins. Nothing calls this module: makemessages reads it.
Each msgid must stay exactly the package's (apostrophes included).
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# Django's password forms (django.contrib.auth.forms).
AUTH_FORMS = (
    gettext_noop("Password"),
    gettext_noop("Password confirmation"),
    gettext_noop("Enter the same password as before, for verification."),
    gettext_noop("The two password fields didn’t match."),
    gettext_noop("Old password"),
    gettext_noop("New password"),
    gettext_noop("New password confirmation"),
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("Email"),
)

# Django's password validators (django.contrib.auth.password_validation).
DJANGO_RULES = (
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
    ),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
)

# django-zxcvbn-password-validator: its help text (joined from these pieces,
# in this order), its refusal and zxcvbn's warnings and advice.
ZXCVBN = (
    gettext_noop("There is no specific rule for a great password,"),
    gettext_noop("however if your password is too easy to guess,"),
    gettext_noop("we will tell you how to make a better one."),
    gettext_noop("We expect a password that cannot be guessed %s"),
    gettext_noop("We expect nothing: you can use any password you want."),
    gettext_noop("by your familly or friends."),
    gettext_noop("by attackers online."),
    gettext_noop("without access to our database."),
    gettext_noop("without a dedicated team and an access to our database."),
    gettext_noop("Your password exceeds the maximal length of 72 characters."),
    gettext_noop("Your password is too guessable:"),
    gettext_noop("It would take an offline attacker %(time)s to guess it."),
    gettext_noop("Warning:"),
    gettext_noop("Advice:"),
    gettext_noop("less than a second"),
    gettext_noop("centuries"),
    ngettext_lazy("%d second", "%d seconds"),
    ngettext_lazy("%d minute", "%d minutes"),
    ngettext_lazy("%d hour", "%d hours"),
    ngettext_lazy("%d day", "%d days"),
    ngettext_lazy("%d month", "%d months"),
    ngettext_lazy("%d year", "%d years"),
    gettext_noop("Use a few words, avoid common phrases"),
    gettext_noop("No need for symbols, digits, or uppercase letters"),
    gettext_noop("Add another word or two. Uncommon words are better"),
    gettext_noop("Straight rows of keys are easy to guess"),
    gettext_noop("Short keyboard patterns are easy to guess"),
    gettext_noop("Use a longer keyboard pattern with more turns"),
    gettext_noop('Repeats like "aaa" are easy to guess'),
    gettext_noop('Repeats like "abcabcabc" are only slightly harder to guess than "abc"'),
    gettext_noop("Avoid repeated words and characters"),
    gettext_noop('Sequences like "abc" or "6543" are easy to guess'),
    gettext_noop("Avoid sequences"),
    gettext_noop("Recent years are easy to guess"),
    gettext_noop("Avoid recent years"),
    gettext_noop("Avoid years that are associated with you"),
    gettext_noop("Dates are often easy to guess"),
    gettext_noop("Avoid dates and years that are associated with you"),
    gettext_noop("This is a top-10 common password"),
    gettext_noop("This is a top-100 common password"),
    gettext_noop("This is a very common password"),
    gettext_noop("This is similar to a commonly used password"),
    gettext_noop("A word by itself is easy to guess"),
    gettext_noop("Names and surnames by themselves are easy to guess"),
    gettext_noop("Common names and surnames are easy to guess"),
    gettext_noop("Capitalization doesn't help very much"),
    gettext_noop("All-uppercase is almost as easy to guess as all-lowercase"),
    gettext_noop("Reversed words aren't much harder to guess"),
    gettext_noop("Predictable substitutions like '@' instead of 'a' don't help very much"),
)
