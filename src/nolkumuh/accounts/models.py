"""Roles and the regions each user works in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nolkumuh.regions.models import Region


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    PROVINSI = "provinsi", _("Manajer provinsi")
    KORKOT = "korkot", _("Koordinator kota/kabupaten (korkot/Pokja)")
    ASKOT = "askot", _("Asisten kota (askot, verifikator)")
    FASILITATOR = "fasilitator", _("Fasilitator (entri data)")


class Membership(models.Model):
    """A user's role and the regions (any level) it covers: they may see everything below them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    role = models.CharField(_("peran"), max_length=12, choices=Role.choices)
    regions = models.ManyToManyField(Region, verbose_name=_("wilayah kerja"), blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    # set by a temporary password (created or reset by a manager): the next sign-in goes to the
    # password change page first (accounts.middleware)
    must_change_password = models.BooleanField(_("wajib ganti kata sandi"), default=False)

    class Meta:
        verbose_name = _("peran pengguna")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["admin", "provinsi", "korkot", "askot", "fasilitator"]),
                name="role_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"
