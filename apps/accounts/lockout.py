from django.conf import settings
from django.shortcuts import render


def locked_out(request, credentials=None, *args, **kwargs):
    """Shown when axes locks an account: a clear Vietnamese message and how long it lasts."""
    minutes = int(round(float(settings.AXES_COOLOFF_TIME) * 60))
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes, "title": ""}, status=429)
