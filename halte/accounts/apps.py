from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "halte.accounts"
    label = "accounts"
