from django.urls import path

from exemptions import views

app_name = "exemptions"
urlpatterns = [
    path("", views.library, name="library"),
    path("clauses/<slug:code>/", views.clause_detail, name="clause"),
]
