from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "halte.accounts"
    label = "accounts"

    def ready(self) -> None:
        from halte.accounts import security  # noqa: F401 - connects the login signals
