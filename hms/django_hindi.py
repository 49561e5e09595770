# ruff: noqa: RUF001 - the curly quotes are Django's own, and the messages must match exactly
"""Hindi for the Django admin's own words that Django's Hindi catalogue lacks.

Never imported: this module only lists the messages (exactly as Django's
admin and auth templates and forms write them) so that ``make messages``
keeps them in locale/hi/LC_MESSAGES/django.po, which Django reads before its
own catalogues (LOCALE_PATHS). Refresh it when a Django upgrade adds words to
the admin that show in English on a Hindi page.
"""

from django.utils.translation import gettext_noop

DJANGO_ADMIN_MESSAGES = [
    # django/contrib/admin
    gettext_noop("No date"),
    gettext_noop("Has date"),
    gettext_noop("Hold down “Control”, or “Command” on a Mac, to select more than one."),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("View %s"),
    gettext_noop("%(app)s administration"),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("View"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Error:"),
    gettext_noop("Skip to main content"),
    gettext_noop("View site"),
    gettext_noop("Show counts"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Objects"),
    gettext_noop("Yes, I’m sure"),
    gettext_noop("No, take me back"),
    gettext_noop("Summary"),
    gettext_noop("Recent actions"),
    gettext_noop("My actions"),
    gettext_noop("Toggle navigation"),
    gettext_noop("Sidebar"),
    gettext_noop("Start typing to filter…"),
    gettext_noop("Filter navigation items"),
    gettext_noop(
        "This object doesn’t have a change history. It probably wasn’t added via this admin site."
    ),
    gettext_noop("Close"),
    gettext_noop("Change selected %(model)s"),
    gettext_noop("Add another %(model)s"),
    gettext_noop("Delete selected %(model)s"),
    gettext_noop("View selected %(model)s"),
    gettext_noop(
        "Please enter your old password, for security’s sake, and then enter your new password "
        "twice so we can verify you typed it in correctly."
    ),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Select %s to view"),
    # django/contrib/auth
    gettext_noop("Authentication and Authorization"),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop(
        "The groups this user belongs to. A user will get all permissions granted to each of "
        "their groups."
    ),
]
