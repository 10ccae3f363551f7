from django.apps import AppConfig


class ExemptionsConfig(AppConfig):
    name = "exemptions"
    verbose_name = "Exemptions and clause library"
