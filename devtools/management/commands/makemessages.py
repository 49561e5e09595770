"""Django's makemessages, as HMS runs it (`make messages`): no fuzzy guesses.

msgmerge's fuzzy matching pairs a new English string with a similar old one
and copies the old Hindi over it, marked fuzzy; such a guess is often wrong
(an "Arrived" label for "Not arrived"), so new strings come in empty and the
translation test names each until someone writes it.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
