"""Every Redis key the gateway uses: one template per kind of entry, all under ``newapi:``.

Keys:

- ``newapi:verify:{purpose}:{subject}`` (``CODE_KEY``): an emailed one-time code. ``purpose``
  is ``register`` or ``reset``; ``subject`` is an HMAC of the email address, so no address
  appears in Redis. A hash of the code's HMAC (``digest``) and the wrong ``guesses`` so far;
  it expires with the code (10 minutes).
- ``newapi:changes:{db}`` (``CHANGES_CHANNEL``): the pub/sub channel on which every gateway
  process announces admin changes (newapi/cache/changes.py). Pub/sub ignores the database
  number, so it is part of the name: gateways on different Redis databases stay apart.

Templates are filled with ``str.format``; no other module spells a Redis key.
"""

from __future__ import annotations

__all__ = ["CHANGES_CHANNEL", "CODE_KEY", "PREFIX"]

PREFIX = "newapi:"

CODE_KEY = PREFIX + "verify:{purpose}:{subject}"

CHANGES_CHANNEL = PREFIX + "changes:{db}"
