from django.apps import AppConfig


class ResponsesConfig(AppConfig):
    name = "responses"
    verbose_name = "FOI responses"

    def ready(self):
        from foi_portal import checks  # noqa: F401 - registers the project's system checks
