from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. What it may see and do comes from its memberships (organisation.Membership)."""

    display_name = models.CharField(_("display name"), max_length=64, blank=True)
    # 等保 8.1.4.1a 定期更换: the password must be changed every JIEDU_PASSWORD_MAX_AGE_DAYS days.
    password_changed_at = models.DateTimeField(_("password changed at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.username

    def save(self, *args, **kwargs):
        # Django keeps the raw password in ``_password`` between set_password() and save(); a hash
        # upgrade during check_password() clears it first, so re-hashing never restarts the clock.
        if self._password is not None:
            self.password_changed_at = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "password_changed_at"}
        super().save(*args, **kwargs)


class UserSession(models.Model):
    """Which sessions belong to which login, so that they can be ended (logout elsewhere, disabling).

    Django's session table stores the user id only inside the encoded session data; this table is
    the index. A row follows its session through key changes (second factor, password change).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("user")
    )
    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("login session")
        verbose_name_plural = _("login sessions")

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"
