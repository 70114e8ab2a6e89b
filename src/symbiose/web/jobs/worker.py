"""What a worker process loads (`symbiose worker` runs `dramatiq` on this module):
Django, then the job actor on the configured broker."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "symbiose.web.settings")
django.setup()

from symbiose.web.jobs.queue import queue_declare  # noqa: E402  (needs Django set up)

queue_declare()
