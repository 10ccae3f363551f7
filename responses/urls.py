from django.urls import path

from responses.views import cases

urlpatterns = [
    path("", cases.case_list, name="home"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
]
